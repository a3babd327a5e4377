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
No personal data: no names, no ID numbers, only services, counts and rule texts. Outside kiosk.store (it
reads the file with sqlite3 alone), so `kiosk stats` starts without loading the store package.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Mapping
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.logging_setup import mask_personal_data

if TYPE_CHECKING:  # the store package is not imported: `kiosk stats` starts without it
    from kiosk.store import Store

#: The visit's steps in the order an applicant meets them (the funnel's rows).
FUNNEL_STEPS = ("card", "card_swap", "form", "prereview", "materials", "capture", "sign", "result", "saving",
                "printing")
OUTCOMES = ("approved", "accepted", "blocked")
TOP_FINDINGS = 10
_COUNTS = ("applications", "approved", "accepted", "blocked", "visits", "abandoned")


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


def _median(histogram: Mapping[int, int]) -> float | None:
    """The median of values given as {value: how many} (seconds, to the second)."""
    count = sum(histogram.values())
    if not count:
        return None
    wanted = {(count - 1) // 2, count // 2}
    picked, seen = [], 0
    for value in sorted(histogram):
        n = histogram[value]
        picked += [value for index in wanted if seen <= index < seen + n]
        seen += n
        if seen > max(wanted):
            break
    return round(sum(picked) / len(picked), 1)


def db_path(source: Store | Path) -> Path:
    """The database file of a store (its `path`), or the path given."""
    return Path(getattr(source, "path", source))


def terminal_statistics(source: Store | Path, *, until: dt.datetime, days: int = 30,
                        cache: Path | None = None) -> StatsReport:
    """The statistics of the `days` local days ending on `until`'s day (the kiosk clock's now).

    `source` is the store or its database file (read on a read-only connection of its own). Each day is
    one range query per table on its covering index (grouping in SQLite, no per-row date arithmetic).
    With `cache` (kiosk.stats_cache: a file of its own), days that are over are read from it and
    only the rest are counted; the cache drops any day a newer row could belong to, so it is never wrong."""
    from kiosk.stats_cache import StatsCache

    window = _days(until, days)
    offset = int(((until if until.tzinfo else until.astimezone()).utcoffset() or dt.timedelta(0)).total_seconds()
                 // 60)
    now_utc = (until if until.tzinfo else until.astimezone()).astimezone(dt.UTC).isoformat(timespec="microseconds")
    with closing(read_only_path(db_path(source))) as conn:
        if cache is None:
            data = [day_data(conn, lower, upper) for _day, lower, upper in window]
        else:
            data = StatsCache(cache).days(conn, window, offset, now_utc, day_data)
    return _assemble(window, data)


def stored_titles(source: Store | Path, services: Iterable[str], since: dt.date) -> dict[str, str]:
    """Service id -> the title the hall event of its newest application carried (the outbox body's
    `service_title`), for items the catalog no longer holds. Looked up from the report's first day on
    (a day earlier, so any time zone is covered) on the statistics index, then the outbox by application."""
    lower = (since - dt.timedelta(days=1)).isoformat()
    found: dict[str, str] = {}
    with closing(read_only_path(db_path(source))) as conn:
        for service in services:
            row = conn.execute(
                "SELECT json_extract(o.body, '$.service_title') FROM applications AS a "
                "INDEXED BY idx_applications_stats JOIN outbox AS o ON o.application_id = a.id "
                "AND o.kind = 'application' WHERE a.created_at >= ? AND a.service = ? "
                "ORDER BY a.created_at DESC LIMIT 1", (lower, service)).fetchone()
            if row and row[0]:
                found[service] = str(row[0])
    return found


def read_only_path(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5, check_same_thread=False)


def day_data(conn: sqlite3.Connection, lower: str, upper: str) -> dict[str, Any]:
    """Everything the report needs of one local day [lower, upper) (UTC ISO bounds), as JSON-ready dicts:
    counts per service, finished visits' seconds per service {second: n}, abandons per step, findings
    per rule [n, severity, message], grades per service {stars: n}."""
    cells: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(_COUNTS, 0))
    for service, decision, n in conn.execute(
            "SELECT service, decision, COUNT(*) FROM applications INDEXED BY idx_applications_stats "
            "WHERE created_at >= ? AND created_at < ? AND decision IN ('approved', 'accepted') "
            "GROUP BY service, decision", (lower, upper)):
        cell = cells[service]
        cell[decision] += n
        cell["applications"] += n
    abandoned_at: dict[str, int] = defaultdict(int)
    for service, finished, abandoned, outcome, n in conn.execute(
            "SELECT service, finished, abandoned_at, outcome, COUNT(*) FROM visits INDEXED BY idx_visits_stats "
            "WHERE ended_at >= ? AND ended_at < ? GROUP BY service, finished, abandoned_at, outcome", (lower, upper)):
        cell = cells[service or ""]
        cell["visits"] += n
        if finished:
            continue
        cell["abandoned"] += n
        if outcome == "blocked":
            cell["blocked"] += n
        if abandoned:
            abandoned_at[abandoned] += n
    seconds: dict[str, dict[int, int]] = defaultdict(dict)
    for service, second, n in conn.execute(
            "SELECT service, CAST(round(seconds) AS INTEGER) AS s, COUNT(*) FROM visits INDEXED BY idx_visits_stats "
            "WHERE ended_at >= ? AND ended_at < ? AND finished = 1 GROUP BY service, s", (lower, upper)):
        seconds[service or ""][int(second)] = n
    stars: dict[str, dict[int, int]] = defaultdict(dict)
    for service, grade, n in conn.execute(
            "SELECT service, stars, COUNT(*) FROM ratings INDEXED BY idx_ratings_stats "
            "WHERE at >= ? AND at < ? GROUP BY service, stars", (lower, upper)):
        stars[service or ""][int(grade)] = n
    findings = {}
    for rule, n, sample in conn.execute(
            "SELECT json_extract(f.value, '$.rule') AS rule, COUNT(*), MIN(f.value) FROM visits "
            "INDEXED BY idx_visits_findings, json_each(visits.findings) AS f "
            "WHERE visits.findings != '[]' AND ended_at >= ? AND ended_at < ? GROUP BY rule", (lower, upper)):
        finding = json.loads(sample)
        findings[rule or ""] = [n, finding.get("severity", ""), finding.get("message", "")]
    return {"cells": dict(cells), "seconds": dict(seconds), "abandoned": dict(abandoned_at), "findings": findings,
            "stars": dict(stars)}


def _merge(histograms: Iterable[Mapping[Any, int]]) -> dict[int, int]:
    merged: dict[int, int] = defaultdict(int)
    for histogram in histograms:
        for value, n in histogram.items():
            merged[int(value)] += n
    return merged


def _assemble(window: list[tuple[str, str, str]], data: list[dict[str, Any]]) -> StatsReport:
    day_rows = []
    items: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(_COUNTS, 0))
    item_seconds: dict[str, list[Mapping]] = defaultdict(list)
    item_stars: dict[str, list[Mapping]] = defaultdict(list)
    totals = dict.fromkeys(_COUNTS, 0)
    all_seconds: list[Mapping] = []
    abandoned_at: dict[str, int] = defaultdict(int)
    findings: dict[str, list[Any]] = {}
    for (day, _lower, _upper), one in zip(window, data, strict=True):
        day_totals = dict.fromkeys(_COUNTS, 0)
        seconds, stars = one["seconds"], one["stars"]
        for service in set(one["cells"]) | set(stars):
            cell = one["cells"].get(service) or dict.fromkeys(_COUNTS, 0)
            for key in _COUNTS:
                day_totals[key] += cell[key]
                items[service][key] += cell[key]
            item_seconds[service].append(seconds.get(service, {}))
            item_stars[service].append(stars.get(service, {}))
        for key in _COUNTS:
            totals[key] += day_totals[key]
        day_histogram = _merge(seconds.values())
        all_seconds.append(day_histogram)
        day_rows.append(DayRow(day, *day_totals.values(), _median(day_histogram)))
        for step, n in one["abandoned"].items():
            abandoned_at[step] += n
        for rule, (n, severity, message) in one["findings"].items():
            if rule in findings:
                findings[rule][0] += n
            else:
                findings[rule] = [n, severity, message]
    item_rows = [_item(service, counts, item_seconds[service], item_stars[service])
                 for service, counts in items.items()]
    item_rows.sort(key=lambda row: (-row.applications, -row.visits, row.service))
    total_histogram = _merge(all_seconds)
    finished_visits = sum(total_histogram.values())
    funnel, remaining = [], finished_visits + sum(abandoned_at[step] for step in FUNNEL_STEPS)
    for step in FUNNEL_STEPS:
        funnel.append(FunnelRow(step, remaining, abandoned_at[step]))
        remaining -= abandoned_at[step]
    top = [FindingRow(rule, severity, message, n) for rule, (n, severity, message) in
           sorted(findings.items(), key=lambda pair: (-pair[1][0], pair[0]))[:TOP_FINDINGS]]
    grades = {grade: 0 for grade in range(1, 6)}
    for histograms in item_stars.values():
        for grade, n in _merge(histograms).items():
            grades[grade] = grades.get(grade, 0) + n
    first, last = dt.date.fromisoformat(window[0][0]), dt.date.fromisoformat(window[-1][0])
    report = StatsReport(first, last, day_rows, item_rows, funnel, top, grades,
                         DayRow("total", *totals.values(), _median(total_histogram)), finished_visits)
    report.extra["window"], report.extra["data"] = window, data
    return report


def report_cells(report: StatsReport) -> list[dict[str, Any]]:
    """One row per day and item with anything in it (the CSV export's lines), oldest day first."""
    rows = []
    for (day, _lower, _upper), one in zip(report.extra["window"], report.extra["data"], strict=True):
        for service in sorted(set(one["cells"]) | set(one["stars"])):
            cell = one["cells"].get(service) or dict.fromkeys(_COUNTS, 0)
            item = _item(service, cell, [one["seconds"].get(service, {})], [one["stars"].get(service, {})])
            rows.append({"day": day, **vars(item)})
    return rows


def _item(service: str, counts: Mapping[str, int], seconds: Iterable[Mapping], stars: Iterable[Mapping]) -> ItemRow:
    grades = _merge(stars)
    rated = sum(grades.values())
    average = round(sum(g * n for g, n in grades.items()) / rated, 2) if rated else None
    return ItemRow(service, *(counts[key] for key in _COUNTS), _median(_merge(seconds)), rated, average)


