"""The hall's data directory: where its secret key, its own PostgreSQL cluster and its logs live.

    DIR/secret_key      Django's SECRET_KEY, generated on first use (mode 600)
    DIR/pg/             the hall's own PostgreSQL cluster (hall.pgcluster), when no --database is given
    DIR/database_url    the --database URL last given to `serve` (so enrol/staff find the same database)

Pure path logic and the key file; no Django import (settings.py reads from here).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

SECRET_KEY_FILE = "secret_key"
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
