"""The audit log's files outside the database: its HMAC key and its head, in `<data_dir>/keys/`.

- `audit.key`: 32 random bytes, mode 0600, made once (written in full and linked into place, so two
  processes never make two keys). Whoever edits only the database cannot compute a row's MAC.
- `audit.head`: one line `<last id> <last MAC>`, mode 0600, replaced atomically (temporary file,
  fsync, rename, fsync of the folder) after each transaction that appended audit rows. It only moves
  forward, and only while the row it names is still in the table with that MAC: a truncated or
  rewritten table keeps failing verification instead of being adopted. Writers in several processes
  take `audit.head.lock` (flock) around the read-compare-replace.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

from forms.atomicfile import write_private_file
from kiosk.store.errors import StoreError

try:
    import fcntl
except ImportError:  # not POSIX: one kiosk process at a time is assumed
    fcntl = None  # type: ignore[assignment]

#: The data dir's key folder (the same folder kiosk.credentials keeps the signing key in).
KEYS_DIR_NAME = "keys"
AUDIT_KEY_FILE_NAME = "audit.key"
HEAD_FILE_NAME = "audit.head"
_HEAD_RE = re.compile(r"^(\d+) ([0-9a-f]{64})\n?$")


class AuditKeyMissing(StoreError):
    """The audit key is gone while the log it signed is still there: refuse to start."""


class HeadFileError(StoreError):
    """The head file exists but cannot be read or is not `<id> <mac>`."""


def keys_dir(data_dir: Path) -> Path:
    return Path(data_dir) / KEYS_DIR_NAME


def load_or_create_audit_key(data_dir: Path, *, may_create: bool) -> bytes:
    """The 32-byte audit key; made (0600) only when `may_create` (no keyed log exists yet)."""
    folder = keys_dir(data_dir)
    path = folder / AUDIT_KEY_FILE_NAME
    if not path.exists():
        if not may_create:
            raise AuditKeyMissing(
                f"the audit key {path} is missing but the audit log it signed is there: restore the key "
                "from a backup (without it the log can be neither verified nor continued)")
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        write_private_file(path, os.urandom(32), exclusive=True)  # another process made it first: use theirs
    try:
        key = path.read_bytes()
    except OSError as exc:
        raise StoreError(f"{path}: cannot read the audit key: {exc.strerror or exc}") from None
    if len(key) != 32:
        raise StoreError(f"{path}: not a 32-byte audit key ({len(key)} bytes); restore it from a backup")
    return key


def read_head(path: Path) -> tuple[int, str] | None:
    """The head recorded outside the database, or None when the file does not exist."""
    try:
        text = Path(path).read_text(encoding="ascii")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise HeadFileError(f"{path}: cannot read the audit head: {exc}") from None
    match = _HEAD_RE.match(text)
    if not match:
        raise HeadFileError(f"{path}: not an audit head (`<id> <mac>`)")
    return int(match.group(1)), match.group(2)


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    if fcntl is None:
        yield
        return
    fd = os.open(path.with_name(path.name + ".lock"), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def advance_head(path: Path, last: tuple[int, str], mac_at: Callable[[int], str | None]) -> bool:
    """Record `last` (id, MAC) as the head when it is further on than the recorded one and the recorded
    one is still in the table (`mac_at(id)` gives a row's MAC). True when the file was replaced."""
    path = Path(path)
    with _locked(path):
        try:
            current = read_head(path)
        except HeadFileError:
            return False  # leave the evidence for `kiosk audit verify`
        if current is not None:
            if current[0] >= last[0]:
                return False
            if mac_at(current[0]) != current[1]:
                return False  # the table no longer holds the recorded head: never adopt its new tail
        _write_atomically(path, f"{last[0]} {last[1]}\n".encode("ascii"))
        return True


def _write_atomically(path: Path, data: bytes) -> None:
    write_private_file(path, data, sync_folder=True)
