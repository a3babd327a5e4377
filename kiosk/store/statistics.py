"""This terminal's statistics: what `kiosk stats` and the technician panel's statistics page show.

    record_visit(store, body, outcome="blocked", findings=[...])   # a visit ended (step_stats body)
    record_rating(store, service="...", stars=4, application_id=7)  # a 好差评 grade was given
    report = terminal_statistics(store, until=kiosk.now(), days=30)

Per local day and per item: applications (秒批 approved / 受理 accepted, from `applications`), visits that
ended blocked (from `visits`: a blocked draft is never saved), the median seconds at the terminal of a
finished visit, where visits were abandoned (step by step), the most frequent pre-review findings and the
好差评 grades. Times are stored in UTC; a day is the kiosk's local day (`until`'s UTC offset). Every query
reads one covering index over the day range (migration 9), on a read-only connection of its own
(a running kiosk is never blocked), so a page over a busy hall's month stays fast (bench/bench_stats.py).
No personal data: no names, no ID numbers, only services, counts and rule texts.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from typing import Any

from kiosk.logging_setup import mask_personal_data
from kiosk.store.audit_view import read_only
from kiosk.store.store import Store

#: The visit's steps in the order an applicant meets them (the funnel's rows).
FUNNEL_STEPS = ("card", "card_swap", "form", "prereview", "materials", "capture", "sign", "result", "saving",
                "printing")
OUTCOMES = ("approved", "accepted", "blocked")
TOP_FINDINGS = 10


@dataclass(frozen=True)
class DayRow:
    day: str
    applications: int = 0
    approved: int = 0
    accepted: int = 0
    blocked: int = 0
    visits: int = 0
    abandoned: int = 0
    median_seconds: float | None = None


@dataclass(frozen=True)
class ItemRow:
    service: str
    applications: int = 0
    approved: int = 0
    accepted: int = 0
    blocked: int = 0
    visits: int = 0
    abandoned: int = 0
    median_seconds: float | None = None
    ratings: int = 0
    average_stars: float | None = None


@dataclass(frozen=True)
class FunnelRow:
    step: str
    reached: int
    abandoned: int


@dataclass(frozen=True)
class FindingRow:
    rule: str
    severity: str
    message: str
    count: int


@dataclass(frozen=True)
class StatsReport:
    since: dt.date
    until: dt.date
    days: list[DayRow]
    items: list[ItemRow]
    funnel: list[FunnelRow]
    findings: list[FindingRow]
    grades: dict[int, int]
    totals: DayRow
    finished_visits: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def average_stars(self) -> float | None:
        count = sum(self.grades.values())
        return round(sum(stars * n for stars, n in self.grades.items()) / count, 2) if count else None

    def as_dict(self) -> dict[str, Any]:
        return {"since": self.since.isoformat(), "until": self.until.isoformat(),
                "totals": vars(self.totals), "finished_visits": self.finished_visits,
                "days": [vars(row) for row in self.days], "items": [vars(row) for row in self.items],
                "funnel": [vars(row) for row in self.funnel], "findings": [vars(row) for row in self.findings],
                "grades": {str(stars): n for stars, n in self.grades.items()}, "average_stars": self.average_stars}


# --- writers -------------------------------------------------------------------------------------------


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def record_visit(store: Store, body: Mapping[str, Any], *, outcome: str | None = None,
                 findings: Iterable[Mapping[str, Any]] = ()) -> None:
    """Keep one ended visit (the hall's `step_stats` body, kiosk.sync.steps) in the current transaction
    or one of its own. `outcome` is the last decision shown; `findings` the last pre-review findings."""
    steps = list(body.get("steps") or [])
    seconds = round(sum(float(step.get("seconds") or 0) for step in steps), 1)
    kept = [{"rule": str(f.get("rule", "")), "severity": str(f.get("severity", "")),
             "message": mask_personal_data(str(f.get("message", "")))[:200]} for f in findings]
    with store.transaction():
        store.db.conn.execute(
            "INSERT OR IGNORE INTO visits (session_id, service, ended_at, seconds, finished, abandoned_at, outcome, "
            "findings, steps) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (str(body["session_id"]), body.get("service") or None, store.now_iso(), seconds,
             1 if body.get("finished") else 0, body.get("abandoned_at"), outcome if outcome in OUTCOMES else None,
             _json(kept), _json([{"step": s.get("step"), "seconds": s.get("seconds")} for s in steps])))


def record_rating(store: Store, *, service: str | None, stars: int, application_id: int | None = None) -> None:
    """Keep one 好差评 grade (in the current transaction or one of its own)."""
    with store.transaction():
        store.db.conn.execute("INSERT INTO ratings (at, service, stars, application_id) VALUES (?, ?, ?, ?)",
                              (store.now_iso(), service or None, int(stars), application_id))


# --- queries -------------------------------------------------------------------------------------------


def _days(until: dt.datetime, days: int) -> list[tuple[str, str, str]]:
    """The window's local days, oldest first: (YYYY-MM-DD, UTC lower bound, UTC upper bound)."""
    local = until if until.tzinfo else until.astimezone()
    tz = dt.timezone(local.utcoffset() or dt.timedelta(0))
    last = local.date()
    out = []
    for back in range(max(1, days) - 1, -1, -1):
        day = last - dt.timedelta(days=back)
        bounds = [dt.datetime.combine(d, dt.time(0), tz).astimezone(dt.UTC).isoformat(timespec="microseconds")
                  for d in (day, day + dt.timedelta(days=1))]
        out.append((day.isoformat(), *bounds))
    return out


def _median(values: Sequence[float]) -> float | None:
    return round(statistics.median(values), 1) if values else None


def terminal_statistics(store: Store, *, until: dt.datetime, days: int = 30) -> StatsReport:
    """The statistics of the `days` local days ending on `until`'s day (the kiosk clock's now).

    One range query per day and table on its covering index (grouping in SQLite, no per-row date
    arithmetic), the finished visits' seconds for the medians, and one json_each count of findings."""
    window = _days(until, days)
    with closing(read_only(store)) as conn:
        return _statistics(conn, window)


def _statistics(conn: sqlite3.Connection, window: list[tuple[str, str, str]]) -> StatsReport:
    cells: dict[tuple[str, str], Counter] = defaultdict(Counter)   # (day, service) -> counts
    seconds: dict[tuple[str, str], list[float]] = defaultdict(list)  # finished visits' seconds
    stars: dict[tuple[str, str], Counter] = defaultdict(Counter)     # grade -> how many
    abandoned_at: Counter = Counter()
    for day, lower, upper in window:
        for service, decision, n in conn.execute(
                "SELECT service, decision, COUNT(*) FROM applications INDEXED BY idx_applications_stats "
                "WHERE created_at >= ? AND created_at < ? AND decision IN ('approved', 'accepted') "
                "GROUP BY service, decision", (lower, upper)):
            cell = cells[day, service]
            cell[decision] += n
            cell["applications"] += n
        for service, finished, abandoned, outcome, n in conn.execute(
                "SELECT service, finished, abandoned_at, outcome, COUNT(*) FROM visits INDEXED BY idx_visits_stats "
                "WHERE ended_at >= ? AND ended_at < ? GROUP BY service, finished, abandoned_at, outcome",
                (lower, upper)):
            cell = cells[day, service or ""]
            cell["visits"] += n
            if finished:
                continue
            cell["abandoned"] += n
            if outcome == "blocked":
                cell["blocked"] += n
            if abandoned:
                abandoned_at[abandoned] += n
        for service, spent in conn.execute(
                "SELECT service, seconds FROM visits INDEXED BY idx_visits_stats "
                "WHERE ended_at >= ? AND ended_at < ? AND finished = 1", (lower, upper)):
            seconds[day, service or ""].append(spent)
        for service, grade, n in conn.execute(
                "SELECT service, stars, COUNT(*) FROM ratings INDEXED BY idx_ratings_stats "
                "WHERE at >= ? AND at < ? GROUP BY service, stars", (lower, upper)):
            stars[day, service or ""][int(grade)] += n
    lower, upper = window[0][1], window[-1][2]
    counted = conn.execute(
        "SELECT json_extract(f.value, '$.rule') AS rule, COUNT(*) AS n, MIN(f.value) FROM visits "
        "INDEXED BY idx_visits_findings, json_each(visits.findings) AS f "
        "WHERE visits.findings != '[]' AND ended_at >= ? AND ended_at < ? "
        "GROUP BY rule ORDER BY n DESC, rule LIMIT ?", (lower, upper, TOP_FINDINGS)).fetchall()
    top = []
    for rule, count, sample in counted:
        finding = json.loads(sample)
        top.append(FindingRow(rule or "", finding.get("severity", ""), finding.get("message", ""), count))

    every_day = [day for day, _lower, _upper in window]
    keys = sorted(set(cells) | set(stars))
    by_day: dict[str, list[tuple[str, str]]] = {day: [] for day in every_day}
    by_item: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for key in keys:
        by_day.setdefault(key[0], []).append(key)
        by_item[key[1]].append(key)
    items = [_row(ItemRow, service, group, cells, seconds, stars) for service, group in by_item.items()]
    items.sort(key=lambda row: (-row.applications, -row.visits, row.service))
    finished_visits = sum(len(values) for values in seconds.values())
    funnel, remaining = [], finished_visits + sum(abandoned_at[step] for step in FUNNEL_STEPS)
    for step in FUNNEL_STEPS:
        funnel.append(FunnelRow(step, remaining, abandoned_at[step]))
        remaining -= abandoned_at[step]
    grades = {grade: sum(c[grade] for c in stars.values()) for grade in range(1, 6)}
    first, last = dt.date.fromisoformat(every_day[0]), dt.date.fromisoformat(every_day[-1])
    report = StatsReport(first, last, [_row(DayRow, day, group, cells, seconds) for day, group in by_day.items()],
                         items, funnel, top, grades, _row(DayRow, "total", keys, cells, seconds), finished_visits)
    report.extra["cells"] = [_cell(key, cells, seconds, stars) for key in keys]
    return report


_COUNTS = ("applications", "approved", "accepted", "blocked", "visits", "abandoned")


def _row(kind: type, name: str, keys: Sequence[tuple[str, str]], cells: Mapping, seconds: Mapping,
         stars: Mapping | None = None) -> Any:
    totals = dict.fromkeys(_COUNTS, 0)
    spent: list[float] = []
    for key in keys:
        cell = cells.get(key)
        if cell:
            for count in _COUNTS:
                totals[count] += cell.get(count, 0)
        spent.extend(seconds.get(key, ()))
    values = [name, *totals.values(), _median(spent)]
    if kind is ItemRow:
        rated = total = 0
        for key in keys:
            for grade, n in (stars or {}).get(key, {}).items():
                rated += n
                total += grade * n
        values += [rated, round(total / rated, 2) if rated else None]
    return kind(*values)


def _cell(key: tuple[str, str], cells: Mapping, seconds: Mapping, stars: Mapping) -> dict[str, Any]:
    """One (day, item) line of the CSV export."""
    row = _row(ItemRow, key[1], [key], cells, seconds, stars)
    return {"day": key[0], **vars(row)}
