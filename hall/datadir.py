"""The hall's data directory: where its secret key, its own PostgreSQL cluster and its logs live.

    DIR/secret_key      Django's SECRET_KEY, generated on first use (mode 600)
    DIR/id_key          the key of the applicants' ID numbers (hall.cases.idnumbers), generated on first use
                        (mode 600); without it no stored ID number can be revealed: back it up apart from the
                        database
    DIR/pg/             the hall's own PostgreSQL cluster (hall.pgcluster), when no --database is given
    DIR/database_url    the --database URL last given to `serve` (so enrol/staff find the same database)

Pure path logic and the key file; no Django import (settings.py reads from here).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

SECRET_KEY_FILE = "secret_key"
ID_KEY_FILE = "id_key"
#: Bytes of the ID number key (hall.cases.idnumbers.KEY_BYTES: AES-256 key + HMAC key).
ID_KEY_BYTES = 64
DATABASE_URL_FILE = "database_url"


def ensure(data_dir: str | os.PathLike[str]) -> Path:
    """The data dir as an absolute path, created (mode 755: the cluster's user must be able to pass through)."""
    path = Path(data_dir).expanduser().resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


def secret_key(data_dir: Path) -> str:
    """The hall's Django SECRET_KEY: read from DIR/secret_key, or generated there once (never logged)."""
    path = data_dir / SECRET_KEY_FILE
    try:
        return path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        pass
    key = secrets.token_urlsafe(50)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.write(fd, key.encode("ascii"))
    finally:
        os.close(fd)
    return key


def id_key(data_dir: Path) -> bytes:
    """The key sealing applicants' ID numbers: read from DIR/id_key (hex), or generated there once (mode 600,
    never logged)."""
    path = data_dir / ID_KEY_FILE
    try:
        return bytes.fromhex(path.read_text(encoding="ascii").strip())
    except FileNotFoundError:
        pass
    key = secrets.token_bytes(ID_KEY_BYTES)
    # Written whole to a file of its own, then linked into place: no process ever reads a half-written key,
    # and of two processes making it at once, the second uses the first one's.
    tmp = data_dir / f".{ID_KEY_FILE}.{os.getpid()}.{secrets.token_hex(4)}"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.write(fd, key.hex().encode("ascii"))
        os.fsync(fd)
    finally:
        os.close(fd)
    try:
        os.link(tmp, path)
    except FileExistsError:
        return bytes.fromhex(path.read_text(encoding="ascii").strip())
    finally:
        tmp.unlink()
    return key


def remembered_database_url(data_dir: Path) -> str | None:
    """The --database URL `serve` was last given for this data dir, or None (the hall's own cluster)."""
    try:
        return (data_dir / DATABASE_URL_FILE).read_text(encoding="utf-8").strip() or None
    except FileNotFoundError:
        return None


def remember_database_url(data_dir: Path, url: str | None) -> None:
    """Record (or forget, with None) the --database URL, mode 600: it may hold a password."""
    path = data_dir / DATABASE_URL_FILE
    if url is None:
        path.unlink(missing_ok=True)
        return
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(fd, url.encode("utf-8"))
    finally:
        os.close(fd)
