"""The kiosk's databases over plain sqlite3, with sqlite-utils imported only where its features are used.

The hot path (opening the store, the print queue's reads and updates, every command) needs four things
of a database: `conn`, `execute`, `query` (rows as dicts) and `table_names`. `database(conn)` gives a
`Database` that does exactly those over plain sqlite3, with sqlite-utils' semantics (writes outside a
transaction commit at once; `PRAGMA recursive_triggers` on, as sqlite-utils sets it). Anything else
(`db[table].create(...)`, `.transform(...)`, ...: the storage migrations and the queue's schema, run once
per data dir) goes to a real `sqlite_utils.Database` on the same connection, imported the first time it
is asked for (`db.full`). Importing sqlite-utils costs ≈ 0.13–0.2 s (click, pluggy, importlib.metadata,
its own module), paid before by every `kiosk` process (issue 17).

sqlite-utils itself is imported with `numpy` and `pandas` marked missing for the moment of its import (only
if neither was imported yet; afterwards they import normally, for OpenCV): it imports them when installed
only to convert numpy values in inserts, and nothing here inserts numpy values (≈ 70–100 ms). Its
databases are opened without its plugin scan (an entry-point scan of every installed package: ≈ 45 ms the
first time; the kiosk uses none).

The print queue (printers/queue.py) and the kiosk's store (kiosk/store) both reach sqlite-utils through
here, never directly (tests/unit/printers/test_import_hygiene.py).
"""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from types import ModuleType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import sqlite_utils as sqlite_utils_module

_OPTIONAL = ("numpy", "pandas")
_TRANSACTION_CONTROL = frozenset({"BEGIN", "COMMIT", "END", "ROLLBACK", "SAVEPOINT", "RELEASE"})
_ROW_STATEMENTS = frozenset({"SELECT", "WITH", "VALUES"})

Params = Sequence[Any] | Mapping[str, Any] | None


def import_sqlite_utils() -> ModuleType:
    """The sqlite_utils package, imported (once) without numpy and pandas."""
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


def __getattr__(name: str) -> Any:
    """`printers.sqlite_lib.sqlite_utils`: the package, imported on first use (as before this module
    imported it eagerly)."""
    if name == "sqlite_utils":
        return import_sqlite_utils()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _first_keyword(sql: str) -> str:
    """The statement's first keyword, upper-cased, after any leading comments."""
    text = sql.lstrip()
    while text.startswith(("--", "/*")):
        if text.startswith("--"):
            _, _, text = text.partition("\n")
        else:
            _, _, text = text.partition("*/")
        text = text.lstrip()
    word = text.split(None, 1)[0] if text else ""
    return word.rstrip(";(").upper()


class Database:
    """A sqlite3 connection with the few sqlite-utils calls the kiosk's hot path makes (see the module
    docstring); any other attribute or `db[table]` is the real `sqlite_utils.Database`'s (`full`)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self._full: sqlite_utils_module.Database | None = None
        self.execute("PRAGMA recursive_triggers=on;")  # as sqlite_utils.Database(conn) does

    @property
    def full(self) -> sqlite_utils_module.Database:
        """The sqlite-utils Database on this connection (sqlite-utils imported now, if not yet)."""
        if self._full is None:
            self._full = import_sqlite_utils().Database(self.conn, execute_plugins=False)
        return self._full

    def __getitem__(self, table: str) -> Any:
        return self.full[table]

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(self.full, name)

    def close(self) -> None:
        self.conn.close()

    def execute(self, sql: str, parameters: Params = None) -> sqlite3.Cursor:
        """Run one statement. A write outside a transaction is committed at once (the connection may be
        in sqlite3's legacy mode, which opens one implicitly); a failed one leaves no transaction open."""
        conn = self.conn
        was_in_transaction = conn.in_transaction
        try:
            cursor = conn.execute(sql) if parameters is None else conn.execute(sql, parameters)
        except Exception:
            if not was_in_transaction and conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        if (not was_in_transaction and conn.in_transaction and cursor.description is None
                and _first_keyword(sql) not in _TRANSACTION_CONTROL):
            conn.execute("COMMIT")
        return cursor

    def query(self, sql: str, params: Params = None) -> Iterator[dict[str, Any]]:
        """The rows of a SELECT (WITH, VALUES) as dicts; other statements go to sqlite-utils' `query`."""
        if _first_keyword(sql) not in _ROW_STATEMENTS:
            return self.full.query(sql, params)
        cursor = self.conn.execute(sql) if params is None else self.conn.execute(sql, params)
        keys = [column[0] for column in cursor.description]
        return (dict(zip(keys, row, strict=True)) for row in cursor)

    def table_names(self) -> list[str]:
        return [row[0] for row in self.conn.execute("select name from sqlite_master where type = 'table'")]

    def enable_wal(self) -> None:
        """journal_mode=WAL (a no-op when it is already; outside a transaction, as it must be)."""
        if self.conn.execute("PRAGMA journal_mode").fetchone()[0].lower() == "wal":
            return
        if self.conn.in_transaction:
            raise sqlite3.OperationalError("cannot change into wal mode from within a transaction")
        with _autocommit(self.conn):
            self.conn.execute("PRAGMA journal_mode=wal;")

    def update_row(self, table: str, pk: int, values: Mapping[str, Any]) -> None:
        """`UPDATE table SET ... WHERE id = pk`; LookupError when no row has that id (as sqlite-utils'
        `db[table].update(pk, values)`, without its import)."""
        sets = ", ".join(f"{quote(column)} = ?" for column in values)
        cursor = self.execute(f"UPDATE {quote(table)} SET {sets} WHERE id = ?", [*values.values(), pk])
        if cursor.rowcount != 1:
            raise LookupError(f"{table}: no row with id {pk}")


def quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


@contextmanager
def _autocommit(conn: sqlite3.Connection) -> Iterator[None]:
    previous = conn.isolation_level
    conn.isolation_level = None
    try:
        yield
    finally:
        conn.isolation_level = previous


def database(conn: sqlite3.Connection) -> Database:
    """The kiosk's database on `conn` (sqlite-utils only when a feature of it is used)."""
    return Database(conn)
