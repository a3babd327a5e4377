"""Is the data folder usable? Checked once at start (kiosk.app), before the database is opened.

A start on a full or read-only disk used to end in a traceback from whichever file happened to be
written first (the lookup key, SQLite's WAL). `check_data_dir` says it in one line instead:

    disk full: /var/lib/miaoban: 312 KB free, the kiosk needs at least 8 MB ...   (DiskFullError)
    data dir read-only: /var/lib/miaoban: Read-only file system                 (DataDirNotWritable)

It creates the folder if needed, writes (then removes) a small probe file, and reads the free space.
`FileSystem` is the boundary it goes through: a test passes one that fails the way a full or read-only
disk does (ENOSPC, EROFS), and a real tmpfs gives the same result.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
from pathlib import Path

from kiosk.store.errors import DataDirNotWritable, DataDirUnusable, DiskFullError

#: Below this much free space the kiosk does not start: one application's database rows, WAL growth and
#: PDFs need a few MB, and SQLite reports a disk that fills mid-commit only as "disk I/O error".
MIN_FREE_BYTES = 8 * 1024 * 1024
PROBE_BYTES = 64 * 1024
PROBE_NAME = ".write-probe"

_FULL = (errno.ENOSPC, errno.EDQUOT)
_READ_ONLY = (errno.EROFS, errno.EACCES, errno.EPERM)


class FileSystem:
    """The file-system calls the check makes (the real ones)."""

    def make_folder(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)

    def free_bytes(self, folder: Path) -> int:
        return shutil.disk_usage(folder).free

    def write_file(self, path: Path, data: bytes) -> None:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
        finally:
            os.close(fd)

    def remove(self, path: Path) -> None:
        path.unlink(missing_ok=True)


def check_data_dir(folder: Path, fs: FileSystem | None = None, *, min_free: int = MIN_FREE_BYTES) -> None:
    """Raise DiskFullError / DataDirNotWritable / DataDirUnusable when `folder` cannot hold the kiosk's data."""
    fs = fs or FileSystem()
    folder = Path(folder)
    try:
        fs.make_folder(folder)
        free = fs.free_bytes(folder)
    except OSError as exc:
        raise _unusable(folder, exc) from None
    probe = folder / PROBE_NAME  # first: a read-only disk is said to be read-only, however full it is
    try:
        fs.write_file(probe, b"\0" * PROBE_BYTES)
    except OSError as exc:
        raise _unusable(folder, exc) from None
    finally:
        with contextlib.suppress(OSError):
            fs.remove(probe)
    if free < min_free:
        raise DiskFullError(f"disk full: {folder}: {_size(free)} free, the kiosk needs at least {_size(min_free)}; "
                            "free some space on that disk (old applications: kiosk purge)")


def _unusable(folder: Path, exc: OSError) -> DataDirUnusable:
    reason = exc.strerror or str(exc)
    if exc.errno in _FULL:
        return DiskFullError(f"disk full: {folder}: {reason}; free some space on that disk (old applications: "
                             "kiosk purge)")
    if exc.errno in _READ_ONLY:
        return DataDirNotWritable(f"data dir read-only: {folder}: {reason}; give the kiosk a writable data dir "
                                  "(--data-dir or data_dir in the configuration)")
    return DataDirUnusable(f"data dir unusable: {folder}: {reason}")


def _size(count: int) -> str:
    if count >= 1024 * 1024:
        return f"{count // (1024 * 1024)} MB"
    return f"{count // 1024} KB" if count >= 1024 else f"{count} bytes"
