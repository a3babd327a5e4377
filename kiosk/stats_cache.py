"""The statistics of days that are over, kept in a small SQLite file of their own beside the database
(`<data dir>/stats-cache.db`: counts only, no personal data; delete it at will, it is rebuilt).

    data = StatsCache(path).days(conn, window, offset_minutes, now_utc, day_data)

A day is taken from the cache only when it is over (its end is before `now_utc`) and no row written
since it was counted could belong to it. The cache records the highest id of `applications`, `visits`
and `ratings` it has seen (the watermark) and the database's identity (when migration 1 ran): rows are
only ever added, so any row with a higher id is new; the earliest time among the new rows drops every
cached day that ends after it (a clock set back cannot leave a stale day). A database replaced by
another one, or one with fewer rows, empties the cache. A cache that cannot be read or written is
simply not used: the statistics are counted from the database, never wrong.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

CACHE_FILE_NAME = "stats-cache.db"
#: (table, time column) of every table the statistics count.
TABLES = (("applications", "created_at"), ("visits", "ended_at"), ("ratings", "at"))
#: Bump when day_data's shape changes: an older cache is emptied.
FORMAT = 1

DayData = Callable[[sqlite3.Connection, str, str], dict[str, Any]]


class StatsCache:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    def days(self, conn: sqlite3.Connection, window: list[tuple[str, str, str]], offset: int, now_utc: str,
             day_data: DayData) -> list[dict[str, Any]]:
        """Each window day's data: from the cache when it may be, else counted (and kept if the day is over)."""
        marks = _watermark(conn)
        try:
            cache = sqlite3.connect(self.path, timeout=2)
        except sqlite3.Error as exc:
            log.warning("statistics cache %s not usable: %s", self.path, exc)
            return [day_data(conn, lower, upper) for _day, lower, upper in window]
        with closing(cache):
            try:
                cache.execute("PRAGMA synchronous=OFF")  # a cache: a lost write is counted again next time
                kept, unchanged = self._valid(cache, conn, marks, offset, window)
            except sqlite3.Error as exc:
                log.warning("statistics cache %s not usable: %s", self.path, exc)
                kept, unchanged = {}, False
            out, fresh = [], []
            for day, lower, upper in window:
                if day in kept:
                    out.append(kept[day])
                    continue
                data = day_data(conn, lower, upper)
                out.append(data)
                if upper <= now_utc:
                    fresh.append((day, offset, json.dumps(data, separators=(",", ":"), ensure_ascii=False)))
            if unchanged and not fresh:
                return out
            try:
                with cache:
                    cache.executemany("INSERT OR REPLACE INTO days (day, utc_offset, payload) VALUES (?, ?, ?)", fresh)
                    cache.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('watermark', ?)",
                                  (json.dumps(marks),))
            except sqlite3.Error as exc:
                log.warning("statistics cache %s not written: %s", self.path, exc)
        return out

    def _valid(self, cache: sqlite3.Connection, conn: sqlite3.Connection, marks: dict[str, Any], offset: int,
               window: list[tuple[str, str, str]]) -> tuple[dict[str, dict[str, Any]], bool]:
        """The cached days of the window still true of the database (after dropping those that are not),
        and whether the watermark is unchanged."""
        with cache:
            cache.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
            cache.execute("CREATE TABLE IF NOT EXISTS days (day TEXT NOT NULL, utc_offset INTEGER NOT NULL, "
                          "payload TEXT NOT NULL, PRIMARY KEY (day, utc_offset))")
            row = cache.execute("SELECT value FROM meta WHERE key = 'watermark'").fetchone()
            old = json.loads(row[0]) if row else None
            if old is None or old.get("identity") != marks["identity"] or old.get("format") != FORMAT or any(
                    marks[table] < old.get(table, 0) for table, _column in TABLES):
                cache.execute("DELETE FROM days")
            else:
                earliest = [conn.execute(f"SELECT MIN({column}) FROM {table} NOT INDEXED WHERE id > ?",
                                         (old[table],)).fetchone()[0] for table, column in TABLES]
                earliest = [moment for moment in earliest if moment is not None]
                if earliest:
                    self._drop_after(cache, min(earliest))
        days = {day for day, _lower, _upper in window}
        found = {}
        for day, payload in cache.execute("SELECT day, payload FROM days WHERE utc_offset = ? AND day >= ? "
                                          "AND day <= ?", (offset, window[0][0], window[-1][0])):
            if day in days:
                found[day] = json.loads(payload)
        return found, old == marks

    @staticmethod
    def _drop_after(cache: sqlite3.Connection, moment: str) -> None:
        """Drop every cached day that ends after `moment` (a UTC ISO time): a row written at `moment` may
        belong to it. A local day ends at its next midnight, `utc_offset` minutes before that in UTC."""
        cache.execute("DELETE FROM days WHERE datetime(day, '+1 day', printf('%+d minutes', -utc_offset)) "
                      "> datetime(?)", (moment,))


def _watermark(conn: sqlite3.Connection) -> dict[str, Any]:
    marks: dict[str, Any] = {table: conn.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}").fetchone()[0]
                             for table, _column in TABLES}
    row = conn.execute("SELECT applied_at FROM schema_migrations WHERE version = 1").fetchone()
    marks["identity"] = row[0] if row else ""
    marks["format"] = FORMAT
    return marks
