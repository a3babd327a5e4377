"""The latest audit entries for the technician panel's audit page, filtered by event kind and text.

    rows = latest_entries(store, kind="rating", text="business", limit=100)   # newest first
    kinds = event_kinds(store)                                                # [(event, count), ...]

Read on a connection of its own (read-only, WAL: a running kiosk is never blocked). Subjects and details
were masked when written (Store.append_audit); they are masked again here, so no screen ever shows a full
ID number even from a row written by an older version.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from contextlib import closing
from typing import Any

from kiosk.logging_setup import mask_personal_data
from kiosk.store.store import Store

DETAIL_CHARS = 160


def read_only(store: Store) -> sqlite3.Connection:
    """A connection of its own on the store's file that cannot write (the panel's worker reads with it)."""
    return sqlite3.connect(f"file:{store.path}?mode=ro", uri=True, timeout=5, check_same_thread=False)


def event_kinds(store: Store, *, limit: int = 30) -> list[tuple[str, int]]:
    """The event kinds in the log, most frequent first."""
    with closing(read_only(store)) as conn:
        return [(event, n) for event, n in conn.execute(
            "SELECT event, COUNT(*) AS n FROM audit GROUP BY event ORDER BY n DESC, event LIMIT ?", (limit,))]


def latest_entries(store: Store, *, kind: str = "", text: str = "", limit: int = 100) -> list[dict[str, Any]]:
    """The newest entries (id, at, event, subject, detail), of one kind and/or containing `text`."""
    where, params = [], []
    if kind:
        where.append("event = ?")
        params.append(kind)
    if text.strip():
        pattern = "%" + text.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        where.append("(event LIKE ? ESCAPE '\\' OR subject LIKE ? ESCAPE '\\' OR detail LIKE ? ESCAPE '\\')")
        params += [pattern] * 3
    sql = ("SELECT id, at, event, subject, detail FROM audit" + (" WHERE " + " AND ".join(where) if where else "")
           + " ORDER BY id DESC LIMIT ?")
    with closing(read_only(store)) as conn:
        rows = conn.execute(sql, (*params, limit)).fetchall()
    return [{"id": row_id, "at": at, "event": event, "subject": mask_personal_data(subject),
             "detail": mask_personal_data(detail)[:DETAIL_CHARS]} for row_id, at, event, subject, detail in rows]


def local_time(at: str) -> str:
    """An audit time (UTC ISO) as the panel shows it: local 'YYYY-MM-DD HH:MM:SS'."""
    try:
        moment = dt.datetime.fromisoformat(at)
    except ValueError:
        return at
    return moment.astimezone().strftime("%Y-%m-%d %H:%M:%S")
