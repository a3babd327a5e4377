"""What `kiosk` prints when a command fails in a way it did not handle itself: one line, never a traceback.

    kiosk apply: database damaged: /var/lib/miaoban/kiosk.db: file is not a database, run kiosk doctor
    kiosk jobs: internal error (KeyError: 'x'); the details are in /root/.local/state/miaoban-kiosk/log/kiosk.log

`unusable_storage_line` covers a data dir or database that cannot be used (exit 2: nothing was stored);
`report_unexpected` writes the traceback (ID and phone numbers masked, like every log) to the log file
and returns the line (exit 1). With `--log-level DEBUG` the traceback is also shown on stderr.
The log file is kept small: at `LOG_MAX_BYTES` it is moved to `kiosk.log.1` and a new one begun.
"""

from __future__ import annotations

import datetime as dt
import errno
import logging
import os
import sqlite3
from pathlib import Path

from kiosk.logging_setup import mask_personal_data

LOG_FILE_NAME = "kiosk.log"
LOG_MAX_BYTES = 1024 * 1024
_log = logging.getLogger(__name__)


def one_line(text: str) -> str:
    """`text` as one printable line: newlines, tabs and other control characters written as escapes
    (a field key or a path can hold them; a terminal must not act on them)."""
    return "".join(char if char.isprintable() else char.encode("unicode_escape").decode("ascii")
                   for char in text)


def default_log_path() -> Path:
    """`kiosk.log` in the platform's user log folder (~/.local/state/miaoban-kiosk/log on Linux)."""
    import platformdirs  # 20 ms: only when a command failed

    from kiosk.config import APP_NAME

    return platformdirs.user_log_path(APP_NAME) / LOG_FILE_NAME


def damaged_database_line(exc: sqlite3.DatabaseError, db_path: Path | None) -> str | None:
    """The one line for a raw SQLite error that means the file is damaged, else None."""
    from kiosk.store.errors import DatabaseDamagedError
    from kiosk.store.store import is_damage

    if not is_damage(exc):
        return None
    return str(DatabaseDamagedError(db_path or "the kiosk database", exc))


def filesystem_line(exc: OSError) -> str | None:
    """One line for a disk that filled up or turned read-only while a command ran, else None."""
    where = exc.filename or "the data dir"
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return f"disk full: {where}: {exc.strerror}"
    if exc.errno == errno.EROFS:
        return f"read-only file system: {where}: {exc.strerror}"
    return None


def report_unexpected(exc: BaseException, argv: list[str], log_path: Path, *, debug: bool) -> str:
    """Log the traceback of `exc` to `log_path` (masked) and return the one line to print."""
    what = mask_personal_data(" ".join(str(exc).split()))[:200]
    summary = f"{type(exc).__name__}: {what}" if what else type(exc).__name__
    import traceback

    lines = traceback.format_exception(exc)
    text = mask_personal_data("".join(lines))
    if debug:
        _log.debug("unexpected error:\n%s", text.rstrip())
    try:
        _append(log_path, f"{dt.datetime.now().astimezone().isoformat(timespec='seconds')} "
                          f"kiosk {mask_personal_data(' '.join(argv))}\n{text}")
    except OSError as error:
        return (f"internal error ({summary}); the traceback could not be written to {log_path} "
                f"({error.strerror or error}): run again with --log-level DEBUG to see it")
    return f"internal error ({summary}); the details are in {log_path}"


def _append(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists() and path.stat().st_size > LOG_MAX_BYTES:
        os.replace(path, path.with_name(path.name + ".1"))
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    with os.fdopen(fd, "a", encoding="utf-8") as handle:
        handle.write(text if text.endswith("\n") else text + "\n")
