"""The statistics page's figures, read with plain SQL over the hall's tables for a range of days
(the day is the kiosk's: when the applicant was there, in the hall's time zone):

- per item and day: sessions started and finished (step_stats), 秒批 / 受理 / 未通过 cases, sessions
  abandoned, median minutes at the terminal (finished sessions: the sum of their steps);
- abandoned sessions by the step they stopped on; the most frequent pre-review findings; 好差评 grades;
- every 差评 (1-2 stars) with its handling state and its 5-working-day due date (hall.console.views.stats).

Days that are over are read from the daily rollup (console migration 0003: one row per kiosk day and item,
counted once from the tables and dropped by trigger whenever a write touches that day); today and later are
counted from the tables on every view. Both paths run the same queries (`_count`), so they cannot disagree.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone


@dataclass
class DayRow:
    day: dt.date
    service: str
    started: int = 0
    finished: int = 0
    abandoned: int = 0
    instant: int = 0
    accepted: int = 0
    blocked: int = 0
    median_s: float | None = None
    extra: dict = field(default_factory=dict)
    #: abandoned sessions by step, findings by message, ratings by stars (summed over a range)
    steps: Counter = field(default_factory=Counter)
    findings: Counter = field(default_factory=Counter)
    stars: Counter = field(default_factory=Counter)


def _rows(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cur:
        cur.execute(sql, params)
        return cur.fetchall()


#: How far before the range the hall may have received what a kiosk did in it (a kiosk's clock ahead of the
#: hall's); the bound keeps every query on the hall-time index.
SKEW = "7 days"


def _where(day: str, hall_time: str, start: dt.date, end: dt.date, service: str):
    """SQL and params: `day` (the kiosk's clock: when the applicant was there) within [start, end] in the
    hall's time zone, and `hall_time` (indexed) no earlier than SKEW before the start."""
    sql = (f"({day} AT TIME ZONE %s)::date BETWEEN %s AND %s"
           f" AND {hall_time} >= %s::date - interval '{SKEW}'")
    params: list = [settings.TIME_ZONE, start, end, start]
    if service:
        sql += " AND service = %s"
        params.append(service)
    return sql, params


CASE_DAY = "coalesce(kiosk_decided_at, submitted_at)"


def _count(start: dt.date, end: dt.date, service: str = "") -> dict[tuple[dt.date, str], DayRow]:
    """Every figure per (kiosk day, item) in [start, end], counted from the tables."""
    rows: dict[tuple[dt.date, str], DayRow] = {}

    def row(day: dt.date, sid: str) -> DayRow:
        return rows.setdefault((day, sid), DayRow(day, sid))

    tz = settings.TIME_ZONE
    where, params = _where("at", "received_at", start, end, service)
    for day, sid, started, finished, abandoned, median in _rows(
        "SELECT (at AT TIME ZONE %s)::date, service, count(*), count(*) FILTER (WHERE finished),"
        " count(*) FILTER (WHERE abandoned_at <> ''),"
        " percentile_cont(0.5) WITHIN GROUP (ORDER BY (SELECT coalesce(sum((s->>'seconds')::float), 0)"
        "   FROM jsonb_array_elements(steps) s)) FILTER (WHERE finished)"
        f" FROM cases_stepstat WHERE {where} GROUP BY 1, 2", [tz, *params]):
        r = row(day, sid)
        r.started, r.finished, r.abandoned, r.median_s = started, finished, abandoned, median
    for day, sid, step, n in _rows(
            f"SELECT (at AT TIME ZONE %s)::date, service, abandoned_at, count(*) FROM cases_stepstat"
            f" WHERE abandoned_at <> '' AND {where} GROUP BY 1, 2, 3", [tz, *params]):
        row(day, sid).steps[step] = n
    where, params = _where(CASE_DAY, "submitted_at", start, end, service)
    for day, sid, instant, accepted, blocked in _rows(
        f"SELECT ({CASE_DAY} AT TIME ZONE %s)::date, service, count(*) FILTER (WHERE outcome = 'approved'),"
        " count(*) FILTER (WHERE outcome = 'accepted'), count(*) FILTER (WHERE outcome = 'blocked')"
        f" FROM cases_case WHERE {where} GROUP BY 1, 2", [tz, *params]):
        r = row(day, sid)
        r.instant, r.accepted, r.blocked = instant, accepted, blocked
    for day, sid, finding, n in _rows(
            f"SELECT ({CASE_DAY} AT TIME ZONE %s)::date, service,"
            " coalesce(nullif(f->>'message', ''), f->>'rule', ''), count(*)"
            " FROM cases_case, jsonb_array_elements(CASE jsonb_typeof(findings) WHEN 'array' THEN findings"
            f" ELSE '[]'::jsonb END) f WHERE {where} GROUP BY 1, 2, 3", [tz, *params]):
        row(day, sid).findings[finding] = n
    where, params = _where("at", "received_at", start, end, service)
    for day, sid, stars, n in _rows(
            f"SELECT (at AT TIME ZONE %s)::date, service, stars, count(*) FROM cases_rating WHERE {where}"
            " GROUP BY 1, 2, 3", [tz, *params]):
        row(day, sid).stars[stars] = n
    return rows


#: The advisory lock the rollup's triggers hold shared (console migration 0003).
ROLLUP_LOCK = 7_385_112_001


def _runs(days: list[dt.date]) -> list[tuple[dt.date, dt.date]]:
    """Sorted days as (first, last) runs of consecutive days."""
    runs: list[tuple[dt.date, dt.date]] = []
    for day in days:
        if runs and day == runs[-1][1] + dt.timedelta(days=1):
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    return runs


def _missing(start: dt.date, end: dt.date) -> list[dt.date]:
    done = {d for d, in _rows("SELECT day FROM console_statdone WHERE day BETWEEN %s AND %s", [start, end])}
    return [d for d in (start + dt.timedelta(days=i) for i in range((end - start).days + 1)) if d not in done]


def fill(start: dt.date, end: dt.date) -> int:
    """Count into the rollup every day in [start, end] it does not hold; how many days were counted. Under
    the exclusive advisory lock: writes in flight (which hold it shared from their trigger to their commit)
    are committed before the count reads, and later ones wait, then drop the day again if they touch it."""
    if not _missing(start, end):
        return 0
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("SELECT pg_advisory_xact_lock(%s)", [ROLLUP_LOCK])
        missing = _missing(start, end)
        for first, last in _runs(missing):
            counted = _count(first, last)
            cur.execute("DELETE FROM console_statday WHERE day BETWEEN %s AND %s", [first, last])
            if counted:
                values = ", ".join(["(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s::jsonb, %s::jsonb, %s::jsonb)"]
                                   * len(counted))
                cur.execute(
                    "INSERT INTO console_statday (day, service, started, finished, abandoned, median_s, instant,"
                    f" accepted, blocked, steps, findings, stars) VALUES {values}",
                    [v for r in counted.values() for v in (
                        r.day, r.service, r.started, r.finished, r.abandoned, r.median_s, r.instant, r.accepted,
                        r.blocked, json.dumps(r.steps, ensure_ascii=False), json.dumps(r.findings, ensure_ascii=False),
                        json.dumps({str(k): v for k, v in r.stars.items()}))])
        if missing:
            cur.execute("INSERT INTO console_statdone (day, counted_at) SELECT unnest(%s::date[]), now()", [missing])
        return len(missing)


def _from_rollup(start: dt.date, end: dt.date, service: str) -> dict[tuple[dt.date, str], DayRow]:
    sql = ("SELECT day, service, started, finished, abandoned, median_s, instant, accepted, blocked, steps, findings,"
           " stars FROM console_statday WHERE day BETWEEN %s AND %s")
    params: list = [start, end]
    if service:
        sql += " AND service = %s"
        params.append(service)
    out = {}
    for day, sid, started, finished, abandoned, median, instant, accepted, blocked, steps, findings, stars in _rows(
            sql, params):
        steps, findings, stars = (json.loads(v) if isinstance(v, str) else v for v in (steps, findings, stars))
        out[(day, sid)] = DayRow(day, sid, started, finished, abandoned, instant, accepted, blocked, median,
                                 steps=Counter(steps), findings=Counter(findings),
                                 stars=Counter({int(k): v for k, v in stars.items()}))
    return out


def days(start: dt.date, end: dt.date, service: str = "") -> dict[tuple[dt.date, str], DayRow]:
    """Every figure per (kiosk day, item) in [start, end]: days before today from the rollup (counted into it
    first where missing), today and later from the tables."""
    today = timezone.localdate()
    out: dict[tuple[dt.date, str], DayRow] = {}
    closed_end = min(end, today - dt.timedelta(days=1))
    if start <= closed_end:
        fill(start, closed_end)
        out.update(_from_rollup(start, closed_end, service))
    if max(start, today) <= end:
        out.update(_count(max(start, today), end, service))
    return out


@dataclass
class Summary:
    per_day: list[DayRow]
    abandoned_by_step: list[tuple[str, int]]
    top_findings: list[tuple[str, int]]
    grades: dict[str, dict[int, int]]


def summary(start: dt.date, end: dt.date, service: str = "", limit: int = 10) -> Summary:
    """The page's figures for a range, read once."""
    rows = days(start, end, service)
    steps: Counter = Counter()
    findings: Counter = Counter()
    grades: dict[str, dict[int, int]] = defaultdict(dict)
    for r in rows.values():
        steps.update(r.steps)
        findings.update(r.findings)
        for stars, n in r.stars.items():
            grades[r.service][stars] = grades[r.service].get(stars, 0) + n
    return Summary(
        per_day=[rows[key] for key in sorted(rows) if rows[key].started or rows[key].instant or rows[key].accepted
                 or rows[key].blocked],
        abandoned_by_step=sorted(steps.items(), key=lambda kv: (-kv[1], kv[0])),
        top_findings=sorted(findings.items(), key=lambda kv: (-kv[1], kv[0]))[:limit],
        grades=dict(grades),
    )


def per_day(start: dt.date, end: dt.date, service: str = "") -> list[DayRow]:
    """One row per (day, item) that had any session or case, in day then item order."""
    return summary(start, end, service).per_day


def abandoned_by_step(start: dt.date, end: dt.date, service: str = "") -> list[tuple[str, int]]:
    return summary(start, end, service).abandoned_by_step


def top_findings(start: dt.date, end: dt.date, service: str = "", limit: int = 10) -> list[tuple[str, int]]:
    """The pre-review findings met most often (where applicants get stuck)."""
    return summary(start, end, service, limit).top_findings


def grades(start: dt.date, end: dt.date, service: str = "") -> dict[str, dict[int, int]]:
    """好差评: item -> {stars: count}."""
    return summary(start, end, service).grades
