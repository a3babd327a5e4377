"""sqlite-utils, imported once without numpy and pandas, and databases opened without its plugin scan.

sqlite-utils imports numpy and pandas at import when they are installed (numpy is, for OpenCV), only to
convert numpy values in inserts; nothing here inserts numpy values. That was ≈ 70–100 ms of every
`kiosk` command (issue 17). `sqlite_utils` below is the package imported with `numpy` and `pandas`
marked missing for the moment of its import (only if neither was imported yet; afterwards they import
normally, for OpenCV). `database(conn)` opens a `sqlite_utils.Database` without loading sqlite-utils
plugins (an entry-point scan of every installed package: ≈ 45 ms the first time; the kiosk uses none).

The print queue (printers/queue.py) and the kiosk's store (kiosk/store) both import sqlite-utils from
here, never directly (tests/unit/printers/test_import_hygiene.py).
"""

from __future__ import annotations

import sqlite3
import sys
from types import ModuleType

_OPTIONAL = ("numpy", "pandas")


def _import_sqlite_utils() -> ModuleType:
    if "sqlite_utils" in sys.modules:
        return sys.modules["sqlite_utils"]
    blocked = [name for name in _OPTIONAL if name not in sys.modules]
    for name in blocked:
        sys.modules[name] = None  # type: ignore[assignment]  # `import numpy` raises ImportError meanwhile
    try:
        import sqlite_utils
    finally:
        for name in blocked:
            if sys.modules.get(name, False) is None:
                del sys.modules[name]
    return sqlite_utils


sqlite_utils = _import_sqlite_utils()
Database = sqlite_utils.Database


def database(conn: sqlite3.Connection) -> sqlite_utils.Database:
    """`sqlite_utils.Database(conn)` without plugins."""
    return sqlite_utils.Database(conn, execute_plugins=False)
