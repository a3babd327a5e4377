"""printers.sqlite_lib.Database: sqlite-utils' semantics for the calls of the hot path over plain sqlite3,
and sqlite-utils itself imported only when something else is asked of the database (issue 17)."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from printers.sqlite_lib import Database, database


@pytest.fixture(params=["legacy", "autocommit"])
def db(request, tmp_path: Path) -> Database:
    """A database on a connection in sqlite3's legacy transaction mode (the queue's own) or autocommit
    (the store's)."""
    isolation = "" if request.param == "legacy" else None
    conn = sqlite3.connect(tmp_path / "k.db", isolation_level=isolation, check_same_thread=False)
    conn.execute("CREATE TABLE jobs (id INTEGER PRIMARY KEY, state TEXT NOT NULL)")
    if conn.in_transaction:
        conn.commit()
    return database(conn)


def test_a_write_outside_a_transaction_is_committed_at_once(db: Database, tmp_path: Path) -> None:
    db.execute("INSERT INTO jobs (state) VALUES (?)", ["queued"])
    assert not db.conn.in_transaction
    other = sqlite3.connect(tmp_path / "k.db")
    assert other.execute("SELECT state FROM jobs").fetchall() == [("queued",)]


def test_a_failed_write_leaves_no_transaction_open(db: Database) -> None:
    with pytest.raises(sqlite3.IntegrityError):
        db.execute("INSERT INTO jobs (state) VALUES (NULL)")
    assert not db.conn.in_transaction


def test_query_gives_rows_as_dicts_and_update_row_changes_one_row(db: Database) -> None:
    db.execute("INSERT INTO jobs (state) VALUES ('queued'), ('queued')")
    db.update_row("jobs", 2, {"state": "done"})
    assert list(db.query("select id, state from jobs order by id")) == [
        {"id": 1, "state": "queued"}, {"id": 2, "state": "done"}]
    assert list(db.query("SELECT id FROM jobs WHERE state = ?", ["done"])) == [{"id": 2}]
    with pytest.raises(LookupError):
        db.update_row("jobs", 9, {"state": "done"})
    assert db.table_names() == ["jobs"]
    assert db.conn.execute("PRAGMA recursive_triggers").fetchone() == (1,)  # as sqlite-utils sets it


def test_enable_wal(db: Database) -> None:
    db.enable_wal()
    db.enable_wal()
    assert db.conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_sqlite_utils_is_imported_only_for_what_it_alone_does() -> None:
    code = ("import sqlite3, sys\nfrom printers.sqlite_lib import database\n"
            "db = database(sqlite3.connect(':memory:'))\ndb.execute('CREATE TABLE t (x)')\n"
            "print('sqlite_utils' in sys.modules)\n"
            "db['u'].create({'id': int, 'name': str}, pk='id')\ndb['u'].insert({'id': 1, 'name': 'a'})\n"
            "print('sqlite_utils' in sys.modules, 'numpy' in sys.modules, list(db.query('select * from u')))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.splitlines() == ["False", "True False [{'id': 1, 'name': 'a'}]"]
