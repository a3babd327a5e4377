"""The statistics page's figures, read with plain SQL over the hall's tables for a range of days
(the day is the kiosk's: when the applicant was there, in the hall's time zone):

- per item and day: sessions started and finished (step_stats), 秒批 / 受理 / 未通过 cases, sessions
  abandoned, median minutes at the terminal (finished sessions: the sum of their steps);
- abandoned sessions by the step they stopped on; the most frequent pre-review findings; 好差评 grades;
- every 差评 (1-2 stars) with its handling state and its 5-working-day due date.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection


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


def per_day(start: dt.date, end: dt.date, service: str = "") -> list[DayRow]:
    """One row per (day, item) that had any session or case, in day then item order."""
    rows: dict[tuple[dt.date, str], DayRow] = {}

    def row(day: dt.date, sid: str) -> DayRow:
        return rows.setdefault((day, sid), DayRow(day, sid))

    where, params = _where("at", "received_at", start, end, service)
    for day, sid, started, finished, abandoned, median in _rows(
        "SELECT (at AT TIME ZONE %s)::date, service, count(*), count(*) FILTER (WHERE finished),"
        " count(*) FILTER (WHERE abandoned_at <> ''),"
        " percentile_cont(0.5) WITHIN GROUP (ORDER BY (SELECT coalesce(sum((s->>'seconds')::float), 0)"
        "   FROM jsonb_array_elements(steps) s)) FILTER (WHERE finished)"
        f" FROM cases_stepstat WHERE {where} GROUP BY 1, 2", [settings.TIME_ZONE, *params]):
        r = row(day, sid)
        r.started, r.finished, r.abandoned, r.median_s = started, finished, abandoned, median
    where, params = _where(CASE_DAY, "submitted_at", start, end, service)
    for day, sid, instant, accepted, blocked in _rows(
        f"SELECT ({CASE_DAY} AT TIME ZONE %s)::date, service, count(*) FILTER (WHERE outcome = 'approved'),"
        " count(*) FILTER (WHERE outcome = 'accepted'), count(*) FILTER (WHERE outcome = 'blocked')"
        f" FROM cases_case WHERE {where} GROUP BY 1, 2", [settings.TIME_ZONE, *params]):
        r = row(day, sid)
        r.instant, r.accepted, r.blocked = instant, accepted, blocked
    return [rows[key] for key in sorted(rows)]


def abandoned_by_step(start: dt.date, end: dt.date, service: str = "") -> list[tuple[str, int]]:
    where, params = _where("at", "received_at", start, end, service)
    return _rows(f"SELECT abandoned_at, count(*) FROM cases_stepstat WHERE abandoned_at <> '' AND {where}"
                 " GROUP BY 1 ORDER BY 2 DESC, 1", params)


def top_findings(start: dt.date, end: dt.date, service: str = "", limit: int = 10) -> list[tuple[str, int]]:
    """The pre-review findings met most often (where applicants get stuck)."""
    where, params = _where(CASE_DAY, "submitted_at", start, end, service)
    return _rows("SELECT coalesce(nullif(f->>'message', ''), f->>'rule'), count(*)"
                 f" FROM cases_case, jsonb_array_elements(CASE jsonb_typeof(findings) WHEN 'array' THEN findings"
                 f" ELSE '[]'::jsonb END) f WHERE {where} GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT %s", [*params, limit])


def grades(start: dt.date, end: dt.date, service: str = "") -> dict[str, dict[int, int]]:
    """好差评: item -> {stars: count}."""
    where, params = _where("at", "received_at", start, end, service)
    out: dict[str, dict[int, int]] = defaultdict(dict)
    for sid, stars, n in _rows(f"SELECT service, stars, count(*) FROM cases_rating WHERE {where} GROUP BY 1, 2",
                               params):
        out[sid][stars] = n
    return dict(out)
