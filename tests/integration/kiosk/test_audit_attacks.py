"""Someone with the database file and a plain sqlite3 connection tries to rewrite history.

Each attack is done on the real file, the way an editor of the file would (drop the append-only
triggers, change rows, recompute the old unkeyed SHA-256 chain); `kiosk audit verify` must exit 1 and
name the first bad row, application or print job. The key (keys/audit.key) and the head
(keys/audit.head) live outside the database, so editing the database alone cannot hide anything.
"""

from __future__ import annotations

import sqlite3

import pytest
import sqlite_utils

from kiosk.store import DB_FILE_NAME, Store, StoreError
from kiosk.store.audit import GENESIS_HASH, canonical_json, legacy_row_hash
from kiosk.store.migrations import _m001_initial, _m002_audit

COLUMNS = ("id", "at", "event", "subject", "detail", "digests", "prev_hash", "hash")


def _issue(store: Store, index: int) -> None:
    """One decision the way kiosk.issuing records it: numbers, application, print job, one commit."""
    with store.transaction():
        seq = store.next_value("receipt:K01:20261121")
        app = store.add_application(
            service="public-place-health-permit", state="submitted", decision="approved",
            answers={"applicant_name": "张伟", "n": index}, receipt_no=f"500151-20261121-K01-{seq:04d}",
            licence_no=f"铜卫公证字〔2026〕第{seq:06d}号", applicant_name="张伟",
            applicant_id_number="500151198503150036")
        store.enqueue_print_job("sim://", app.licence_no, "licence", b"\x1b@licence %d" % index)


@pytest.fixture
def data(tmp_path):
    with Store.open(tmp_path) as store:
        for index in range(3):
            _issue(store, index)
    return tmp_path  # audit rows: 1 saved, 2 queued, 3 saved, 4 queued, 5 saved, 6 queued


def _sql(data_dir, *statements, drop_triggers=True):
    conn = sqlite3.connect(data_dir / DB_FILE_NAME)
    if drop_triggers:
        conn.execute("DROP TRIGGER IF EXISTS audit_no_update")
        conn.execute("DROP TRIGGER IF EXISTS audit_no_delete")
    for statement in statements:
        conn.execute(statement)
    conn.commit()
    conn.close()


def _rows(data_dir):
    conn = sqlite3.connect(data_dir / DB_FILE_NAME)
    rows = [dict(zip(COLUMNS, row, strict=True))
            for row in conn.execute(f"SELECT {', '.join(COLUMNS)} FROM audit ORDER BY id")]
    conn.close()
    return rows


def _rewrite(data_dir, rows):
    """Replace the whole audit table with `rows`, recomputing the unkeyed chain (all one can do without
    the key)."""
    prev = GENESIS_HASH
    conn = sqlite3.connect(data_dir / DB_FILE_NAME)
    conn.execute("DROP TRIGGER IF EXISTS audit_no_update")
    conn.execute("DROP TRIGGER IF EXISTS audit_no_delete")
    conn.execute("DELETE FROM audit")
    for row in rows:
        row = {**row, "prev_hash": prev}
        row["hash"] = prev = legacy_row_hash(row)
        conn.execute(f"INSERT INTO audit ({', '.join(COLUMNS)}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                     tuple(row[name] for name in COLUMNS))
    conn.commit()
    conn.close()


def _verify(run_cli, data_dir):
    code, out, err = run_cli("audit", "verify", "--data-dir", data_dir)
    return code, out.strip(), err.strip()


def test_an_intact_log_verifies_with_its_applications_and_print_jobs(run_cli, data):
    code, out, _ = _verify(run_cli, data)
    assert code == 0
    assert out == ("audit log OK: 6 rows, none changed or removed; 3 applications and 3 print jobs match "
                   "their audit entries")


def test_edit_a_row_and_recompute_the_unkeyed_hashes(run_cli, data):
    rows = _rows(data)
    rows[2]["detail"] = rows[2]["detail"].replace("approved", "blocked")
    _rewrite(data, rows)
    code, out, _ = _verify(run_cli, data)
    assert code == 1
    assert out.startswith("audit log BROKEN at row 1: row 1: its content was changed after writing")


def test_delete_a_row(run_cli, data):
    _sql(data, "DELETE FROM audit WHERE id = 3")
    code, out, _ = _verify(run_cli, data)
    assert code == 1 and out.startswith("audit log BROKEN at row 3: row 3 is missing")


def test_delete_a_row_and_renumber_the_rest(run_cli, data):
    rows = _rows(data)
    del rows[2]
    for number, row in enumerate(rows, start=1):
        row["id"] = number
    _rewrite(data, rows)
    code, out, _ = _verify(run_cli, data)
    assert code == 1 and out.startswith("audit log BROKEN at row 1:")


def test_truncate_the_tail(run_cli, data):
    _sql(data, "DELETE FROM audit WHERE id >= 5")
    code, out, _ = _verify(run_cli, data)
    assert code == 1
    assert out.startswith("audit log BROKEN at row 5: rows 5..6 were removed (the head recorded outside "
                          "the database is row 6)")


def test_reorder_two_rows(run_cli, data):
    rows = _rows(data)
    second, third = rows[1], rows[2]
    fields = ("at", "event", "subject", "detail", "digests", "prev_hash", "hash")
    _sql(data, *(f"UPDATE audit SET {name} = {_quote(third[name])} WHERE id = 2" for name in fields),
         *(f"UPDATE audit SET {name} = {_quote(second[name])} WHERE id = 3" for name in fields))
    code, out, _ = _verify(run_cli, data)
    assert code == 1 and out.startswith("audit log BROKEN at row 2:")


def test_edit_an_applications_decision(run_cli, data):
    _sql(data, "UPDATE applications SET decision = 'blocked' WHERE id = 2", drop_triggers=False)
    code, out, _ = _verify(run_cli, data)
    assert code == 1
    assert out == ("audit log BROKEN at row 3: application 2 (铜卫公证字〔2026〕第000002号) differs from what "
                   "audit row 3 recorded: its decision, numbers or data were changed outside the kiosk")


def test_edit_a_licence_number(run_cli, data):
    _sql(data, "UPDATE applications SET licence_no = '铜卫公证字〔2026〕第000099号' WHERE id = 3",
         drop_triggers=False)
    code, out, _ = _verify(run_cli, data)
    assert code == 1 and "application 3" in out and "audit row 5" in out


def test_delete_all_audit_rows(run_cli, data):
    _sql(data, "DELETE FROM audit")
    code, out, _ = _verify(run_cli, data)
    assert code == 1 and out.startswith("audit log BROKEN at row 1: rows 1..6 were removed")


def test_an_empty_log_beside_stored_applications_fails_even_without_a_head(run_cli, data):
    # The head file is outside the database; even if it were gone, the applications give it away.
    _sql(data, "DELETE FROM audit")
    (data / "keys" / "audit.head").unlink()
    code, out, _ = _verify(run_cli, data)
    assert code == 1
    assert out.startswith("audit log BROKEN: application 1 (铜卫公证字〔2026〕第000001号) has no audit entry")


def test_an_application_added_behind_the_kiosks_back(run_cli, data):
    _sql(data, "INSERT INTO applications (service, state, decision, receipt_no, licence_no, created_at, "
               "updated_at) VALUES ('x', 'submitted', 'approved', 'R-FAKE', 'L-FAKE', 't', 't')",
         drop_triggers=False)
    code, out, _ = _verify(run_cli, data)
    assert code == 1 and out == ("audit log BROKEN: application 4 (L-FAKE) has no audit entry: it was "
                                 "written outside the kiosk, or its audit rows were removed")


def test_an_application_deleted(run_cli, data):
    _sql(data, "DELETE FROM applications WHERE id = 1", drop_triggers=False)
    code, out, _ = _verify(run_cli, data)
    assert code == 1
    assert out == ("audit log BROKEN at row 1: application 1, recorded by audit row 1, is missing from the "
                   "database: it was deleted")


def test_a_print_jobs_payload_changed(run_cli, data):
    _sql(data, "UPDATE print_jobs SET payload = x'1b40666f7267656420' WHERE id = 2", drop_triggers=False)
    code, out, _ = _verify(run_cli, data)
    assert code == 1 and out.startswith("audit log BROKEN at row 4: print job 2 (铜卫公证字〔2026〕第000002号) "
                                        "differs from what audit row 4 recorded")


def test_a_print_job_queued_behind_the_kiosks_back(run_cli, data):
    _sql(data, "INSERT INTO print_jobs (printer, reference, kind, payload, state, attempts, last_error, "
               "created_at, updated_at) VALUES ('sim://', 'someone-else', 'reprint', x'1b40', 'queued', 0, '', "
               "'t', 't')", drop_triggers=False)
    code, out, _ = _verify(run_cli, data)
    assert code == 1 and out.startswith("audit log BROKEN: print job 4 (someone-else) has no audit entry")


def test_a_change_made_outside_the_kiosk_is_not_laundered_by_a_later_update(run_cli, data):
    _sql(data, "UPDATE applications SET decision = 'blocked' WHERE id = 1", drop_triggers=False)
    with Store.open(data) as store:
        store.update_application(1, state="printed")  # the kiosk's own change, after the edit
    code, out, _ = _verify(run_cli, data)
    assert code == 1
    assert out == "audit log BROKEN at row 7: application 1 was changed outside the kiosk between audit rows 1 and 7"


def test_a_lost_audit_key_refuses_to_open_the_store(run_cli, data):
    (data / "keys" / "audit.key").unlink()
    code, out, err = _verify(run_cli, data)
    assert code == 2 and out == ""
    assert "audit.key is missing but the audit log it signed is there" in err and "\n" not in err
    with pytest.raises(StoreError, match="restore the key"):
        Store.open(data)
    assert not (data / "keys" / "audit.key").exists()  # no new key was made in its place


def test_the_key_head_and_database_are_owner_only(data):
    for name in ("keys/audit.key", "keys/audit.head", DB_FILE_NAME, f"{DB_FILE_NAME}-wal", f"{DB_FILE_NAME}-shm"):
        path = data / name
        if path.exists():
            assert path.stat().st_mode & 0o777 == 0o600, name
    assert (data / "keys").stat().st_mode & 0o777 == 0o700
    assert data.stat().st_mode & 0o777 == 0o700


def _legacy_database(data_dir, *, tamper: bool = False) -> None:
    """A database as the kiosk wrote it before migration 5: unkeyed chain, head in meta."""
    conn = sqlite3.connect(data_dir / DB_FILE_NAME, isolation_level=None)
    db = sqlite_utils.Database(conn)
    _m001_initial(db)
    _m002_audit(db)
    conn.execute("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
                 "applied_at TEXT NOT NULL)")
    conn.executemany("INSERT INTO schema_migrations VALUES (?, ?, 't')", [(1, "initial"), (2, "audit")])
    conn.execute("INSERT INTO applications (service, state, decision, receipt_no, created_at, updated_at) "
                 "VALUES ('s', 'submitted', 'accepted', 'R-OLD', 't', 't')")
    prev = GENESIS_HASH
    for row_id in (1, 2):
        row = {"id": row_id, "at": "t", "event": "application.saved", "subject": f"R{row_id}",
               "detail": canonical_json({"n": row_id}), "prev_hash": prev}
        row["hash"] = legacy_row_hash(row)
        if tamper and row_id == 1:
            row["detail"] = canonical_json({"n": 99})  # edited without recomputing
        prev = row["hash"]
        conn.execute("INSERT INTO audit (id, at, event, subject, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)",
                     tuple(row[name] for name in ("id", "at", "event", "subject", "detail", "prev_hash", "hash")))
    conn.execute("INSERT INTO meta VALUES ('audit_head', ?)", (f"2:{prev}",))
    conn.close()


def test_an_old_unkeyed_log_is_keyed_by_migration_3(run_cli, tmp_path):
    _legacy_database(tmp_path)
    with Store.open(tmp_path) as store:
        events = [(row["id"], row["event"]) for row in store.audit_rows()]
        assert events == [(1, "application.saved"), (2, "application.saved"), (3, "audit.keyed"),
                          (4, "audit.baseline")]
        assert '"legacy_chain_ok":true' in store.audit_rows()[2]["detail"]
    assert _verify(run_cli, tmp_path)[0] == 0
    _sql(tmp_path, "UPDATE applications SET decision = 'approved' WHERE id = 1", drop_triggers=False)
    code, out, _ = _verify(run_cli, tmp_path)
    assert code == 1 and "application 1 (R-OLD) differs from what audit row 4 recorded" in out


def test_an_old_log_that_was_already_broken_stays_reported_after_migration(run_cli, tmp_path):
    _legacy_database(tmp_path, tamper=True)
    Store.open(tmp_path).close()
    code, out, _ = _verify(run_cli, tmp_path)
    assert code == 1
    assert out == ("audit log BROKEN at row 1: the unkeyed log carried over when the log was keyed (audit row 3) "
                   "was already broken: row 1: its content was changed")


def _quote(value) -> str:
    return "'" + str(value).replace("'", "''") + "'"
