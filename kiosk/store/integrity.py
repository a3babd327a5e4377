"""SQLite's quick_check when the database file may have changed behind the kiosk's back, not on every open.

`Store` ran `PRAGMA quick_check` on every open, and it reads every page: 59 ms for a 7 MB database, 5.6 s
for one with 200,000 applications, paid by every `kiosk apply` and every start. Now a store that closes
cleanly leaves a stamp beside the database (`kiosk.db.intact`: the file's size, modification time in
nanoseconds and inode, and whether a `-wal` file was left), and the next open checks only when the file
is not exactly as that stamp says: a process that died without closing, another process writing since,
garbage written over the file, a copy from elsewhere. A write by anything changes the modification time.

What the stamp cannot see is a disk that changes bytes without writing (bit rot on a worn card):
`kiosk doctor` still runs quick_check every time, and SQLite reports a damaged page when it reads one.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
from pathlib import Path

from kiosk.store.errors import DatabaseDamagedError

STAMP_SUFFIX = ".intact"


def unchanged_since_clean_close(path: Path) -> bool:
    """True when the file is exactly as the last clean close left it (ask before connecting: opening in
    WAL mode makes a `-wal` file)."""
    current = _stamp_of(path)
    return current is not None and current == _read_stamp(path)


def quick_check(path: Path, conn: sqlite3.Connection) -> None:
    """DatabaseDamagedError unless SQLite's quick_check passes (it reads every page)."""
    (result,) = conn.execute("PRAGMA quick_check(1)").fetchone()
    if result != "ok":
        raise DatabaseDamagedError(path, result)


def remember_closed(path: Path) -> None:
    """After the last write and the connection's close: the file as it is now is the one checked."""
    stamp = _stamp_of(path)
    if stamp is None:
        return
    target = _stamp_path(path)
    temporary = target.with_name(target.name + ".tmp")
    try:
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # owner-only, as the data dir
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(json.dumps(stamp))
        os.replace(temporary, target)  # not synced: a stamp lost to a power cut only means a check
    except OSError:  # a read-only data dir: the next open checks, as before
        with contextlib.suppress(OSError):
            temporary.unlink()


def _stamp_path(path: Path) -> Path:
    return path.with_name(path.name + STAMP_SUFFIX)


def _stamp_of(path: Path) -> list[int] | None:
    try:
        info = path.stat()
    except OSError:
        return None
    wal = path.with_name(path.name + "-wal")
    wal_size = wal.stat().st_size if wal.exists() else -1
    return [info.st_size, info.st_mtime_ns, info.st_ino, wal_size]


def _read_stamp(path: Path) -> list[int] | None:
    try:
        stamp = json.loads(_stamp_path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return stamp if isinstance(stamp, list) else None
