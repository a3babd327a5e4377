"""The data folder's safety: owner-only modes, and whether it already holds applications.

The data dir holds full ID numbers and phone numbers (database, documents, printed-slip captures) and
the kiosk's keys, so it is mode 0700 and every file in it 0600. `OWNER_ONLY_UMASK` is set by the
`kiosk` command and the composition root, so every file the kiosk creates is born owner-only;
`secure_data_dir` narrows what an older version (or a copy) left wider, at start.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import stat
from pathlib import Path

log = logging.getLogger(__name__)

#: Files 0600, folders 0700.
OWNER_ONLY_UMASK = 0o077
DB_FILE_NAME = "kiosk.db"  # kiosk.store.DB_FILE_NAME (not imported: this module stays below the store)


def owner_only_umask() -> None:
    """From now on this process creates files 0600 and folders 0700 (whatever mode the code asks for)."""
    if os.name == "posix":
        os.umask(OWNER_ONLY_UMASK)


#: Written once every file under the kiosk's folders has been narrowed. Then a start narrows only the data
#: dir and its top-level entries (a handful of lstats, not one per file: a year of applications is tens of
#: thousands of files, walked at every start and every `kiosk apply`): whatever the kiosk creates is born
#: owner-only (OWNER_ONLY_UMASK), and a file put in wider later by another tool sits under folders of mode
#: 0700 that nobody else can enter. When a top-level entry was found wider (a copy, a restore, an older
#: version) or the marker is missing, everything below is walked again.
WALKED_MARKER = ".owner-only"

#: What the kiosk keeps in its data dir; only these are narrowed, so a data dir pointed at a folder with
#: other things in it (a home folder) leaves the other things alone. Folders are narrowed with their
#: contents.
KIOSK_ENTRIES = ("kiosk.db", "kiosk.db-wal", "kiosk.db-shm", "kiosk.db-journal", "kiosk.db.intact", "lookup.key",
                 "keys", "applications", "printed", "cache", WALKED_MARKER)


def secure_data_dir(data_dir: Path) -> list[Path]:
    """Take group and other access away from the data dir and the kiosk's files in it; return what
    changed.

    Symbolic links are left alone (neither followed nor changed), and so is a shared folder with the
    sticky bit (such as /tmp: the kiosk's own files in it are still narrowed). A folder that does not
    exist yet is fine (nothing to do)."""
    root = Path(data_dir)
    if os.name != "posix" or not root.is_dir():
        return []
    changed = []
    if root.stat().st_mode & stat.S_ISVTX:
        log.warning("the data dir %s is a shared folder (sticky bit): give the kiosk a folder of its own", root)
    elif _narrow(root):
        changed.append(root)
    for name in KIOSK_ENTRIES:
        entry = root / name
        if _narrow(entry):
            changed.append(entry)
    marker = root / WALKED_MARKER
    if changed or not marker.is_file():  # see WALKED_MARKER: the files below only when it may matter
        for name in KIOSK_ENTRIES:
            entry = root / name
            if entry.is_dir() and not entry.is_symlink():
                _narrow_tree(str(entry), changed)
        try:
            os.close(os.open(marker, os.O_WRONLY | os.O_CREAT, 0o600))  # owner-only whatever the umask
        except OSError as exc:
            log.warning("cannot write %s: %s", marker, exc.strerror or exc)
    if changed:
        log.warning("made %d paths in the data dir %s owner-only (they were readable by others)",
                    len(changed), root)
    return changed


def _narrow_tree(top: str, changed: list[Path]) -> None:
    """What `os.walk(top)` visits, narrowed in its order (a folder's entries, then each real subfolder),
    on the directory entries' own lstat and plain strings: every start walks the applications' files
    (4,000 applications, 24,000 entries: ~340 ms CPU through os.walk and Path, ~60 ms this way)."""
    try:
        entries = list(os.scandir(top))
    except OSError:  # as os.walk: a folder that cannot be listed is skipped
        return
    dirs, files = [], []
    for entry in entries:
        try:
            is_dir = entry.is_dir()  # following symlinks, as os.walk sorts them (never descended)
        except OSError:
            is_dir = False
        (dirs if is_dir else files).append(entry)
    for entry in (*dirs, *files):
        try:
            mode = entry.stat(follow_symlinks=False).st_mode
        except FileNotFoundError:
            continue
        if _narrow_mode(entry.path, mode):
            changed.append(Path(entry.path))
    for entry in dirs:
        if not entry.is_symlink():
            _narrow_tree(entry.path, changed)


def _narrow(path: Path) -> bool:
    try:
        mode = path.lstat().st_mode
    except FileNotFoundError:
        return False
    return _narrow_mode(str(path), mode)


def _narrow_mode(path: str, mode: int) -> bool:
    if stat.S_ISLNK(mode) or not stat.S_IMODE(mode) & 0o077:
        return False
    try:
        os.chmod(path, stat.S_IMODE(mode) & ~0o077)
    except OSError as exc:
        log.warning("cannot make %s owner-only: %s", path, exc.strerror or exc)
        return False
    return True


def holds_applications(data_dir: Path) -> bool:
    """Whether the data dir's database already records an application (read-only; False without one)."""
    path = Path(data_dir) / DB_FILE_NAME
    if not path.is_file():
        return False
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10.0)
        try:
            if not conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'applications'"
                                ).fetchone():
                return False  # not migrated yet: nothing was ever recorded
            return conn.execute("SELECT 1 FROM applications LIMIT 1").fetchone() is not None
        finally:
            conn.close()
    except sqlite3.Error:
        return True  # a database we cannot read may hold applications: never make a new key for it
