"""The SQLite store on real files: migrations, numbering, applications, lookups, registry, audit, purge."""

from __future__ import annotations

import datetime as dt
import hashlib
import sqlite3

import pytest

from forms.demo_registry import HOTEL_USCC
from kiosk.store import (
    DB_FILE_NAME,
    DatabaseDamagedError,
    DuplicateNumberError,
    MigrationError,
    NotInTransactionError,
    Store,
    StoreError,
    purge_expired,
)
from kiosk.store.migrations import MIGRATIONS

ID_NUMBER = "500151198503150036"


class FakeClock:
    def __init__(self, start: dt.datetime) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now


def _decide(store: Store, *, receipt_key: str = "receipt:K01:20261121", answers=None, printer="sim://"):
    with store.transaction():
        seq = store.next_value(receipt_key)
        licence_seq = store.next_value("licence:2026")
        app = store.add_application(
            service="public-place-health-permit", state="decided", decision="approved",
            answers=answers or {"applicant_id_number": ID_NUMBER, "applicant_phone": "13812345678"},
            findings=[{"rule": "PP-EXISTING", "field": "uscc", "severity": "warn",
                       "message": "张伟 已有许可证"}],
            receipt_no=f"500151-{receipt_key.rsplit(':', 1)[-1]}-K01-{seq:04d}",
            licence_no=f"铜卫公证字〔2026〕第{licence_seq:06d}号",
            applicant_name="张伟", applicant_id_number=ID_NUMBER,
            delivery={"method": "mail", "address": "铜梁区巴川街道1号", "phone": "13812345678"})
        store.enqueue_print_job(printer, app.licence_no, "licence", b"\x1b@licence")
    return app


def test_new_file_gets_every_table_wal_and_the_latest_version(tmp_path):
    with Store.open(tmp_path) as store:
        tables = set(store.db.table_names())
        assert {"applications", "documents", "print_jobs", "counters", "audit", "registry",
                "schema_migrations"} <= tables
        assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        versions = [row[0] for row in store.db.execute("SELECT version FROM schema_migrations ORDER BY 1")]
        assert versions == [version for version, _name, _step in MIGRATIONS]  # every step, in order


def test_opening_again_is_idempotent(tmp_path):
    Store.open(tmp_path).close()
    schema_before = sqlite3.connect(tmp_path / DB_FILE_NAME).execute(
        "SELECT type, name, sql FROM sqlite_master ORDER BY name").fetchall()
    with Store.open(tmp_path) as store:
        assert store.db.execute("SELECT COUNT(*) FROM schema_migrations").fetchone()[0] == len(MIGRATIONS)
    schema_after = sqlite3.connect(tmp_path / DB_FILE_NAME).execute(
        "SELECT type, name, sql FROM sqlite_master ORDER BY name").fetchall()
    assert schema_after == schema_before


def test_a_newer_schema_is_refused(tmp_path):
    Store.open(tmp_path).close()
    conn = sqlite3.connect(tmp_path / DB_FILE_NAME)
    conn.execute("INSERT INTO schema_migrations VALUES (999, 'future', '2030-01-01')")
    conn.commit()
    conn.close()
    with pytest.raises(MigrationError, match="newer than this program"):
        Store.open(tmp_path)


def test_a_file_that_is_not_a_database_is_refused(tmp_path):
    (tmp_path / DB_FILE_NAME).write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(DatabaseDamagedError, match=r"database damaged: .*: file is not a database, run kiosk doctor"):
        Store.open(tmp_path)


def test_next_value_outside_a_transaction_is_refused(tmp_path):
    with Store.open(tmp_path) as store, pytest.raises(NotInTransactionError, match=r"store\.transaction"):
        store.next_value("receipt:K01:20261121")


def test_sequences_are_independent_and_gap_free(tmp_path):
    with Store.open(tmp_path) as store:
        with store.transaction():
            got = [store.next_value("a"), store.next_value("a"), store.next_value("b"), store.next_value("a")]
        assert got == [1, 2, 1, 3]
        assert store.current_value("a") == 3 and store.current_value("never") == 0


def test_a_failed_decision_gives_its_number_back(tmp_path):
    with Store.open(tmp_path) as store:
        _decide(store)
        with pytest.raises(RuntimeError), store.transaction():
            store.next_value("receipt:K01:20261121")
            raise RuntimeError("rendering failed before commit")
        assert store.current_value("receipt:K01:20261121") == 1
        assert _decide(store).receipt_no.endswith("-0002")


def test_application_is_saved_with_masked_columns_and_found_by_number(tmp_path):
    with Store.open(tmp_path) as store:
        app = _decide(store)
        assert app.applicant_id_masked == "5001**********0036"
        assert ID_NUMBER not in repr(app)
        assert store.find_application(app.receipt_no) == app
        assert store.find_application(app.licence_no) == app
        assert store.find_application("no-such-number") is None
        assert [a.id for a in store.find_applications_by_id_number(ID_NUMBER)] == [app.id]
        assert store.find_applications_by_id_number("11010519491231002X") == []
        row = store.db.execute("SELECT * FROM applications").fetchone()
        columns_other_than_answers = [v for k, v in zip(
            [c[0] for c in store.db.execute("SELECT * FROM applications").description], row, strict=True)
            if k != "answers"]
        assert all(ID_NUMBER not in str(value) for value in columns_other_than_answers)
        jobs = store.print_jobs_for(app.licence_no)
        assert [(job["state"], job["kind"], job["payload"]) for job in jobs] == [("queued", "licence",
                                                                                  b"\x1b@licence")]


def test_numbers_are_unique(tmp_path):
    with Store.open(tmp_path) as store:
        store.add_application(service="s", state="decided", answers={}, receipt_no="R-1")
        with pytest.raises(DuplicateNumberError, match="R-1"):
            store.add_application(service="s", state="decided", answers={}, receipt_no="R-1")
        assert len(store.audit_rows()) == 1


def test_update_application_and_audit(tmp_path):
    with Store.open(tmp_path) as store:
        app = _decide(store)
        updated = store.update_application(app.id, state="printed")
        assert updated.state == "printed" and updated.decision == "approved"
        with pytest.raises(StoreError, match="cannot update"):
            store.update_application(app.id, applicant_name="x")
        with pytest.raises(StoreError, match="no application"):
            store.update_application(9999, state="printed")
        events = [row["event"] for row in store.audit_rows()]
        assert events == ["application.saved", "print.queued", "application.updated"]


def test_the_card_photo_is_never_stored(tmp_path):
    with Store.open(tmp_path) as store, pytest.raises(StoreError, match="never stored"):
        store.add_application(service="s", state="decided", answers={"photo": b"\x00WLT"})


def test_documents_record_their_sha256(tmp_path):
    pdf = tmp_path / "licence.pdf"
    pdf.write_bytes(b"%PDF-1.4 test")
    with Store.open(tmp_path) as store:
        app = _decide(store)
        doc = store.add_document(app.id, "licence", pdf)
        assert doc.sha256 == hashlib.sha256(b"%PDF-1.4 test").hexdigest()
        assert store.documents_for(app.id) == [doc]
        with pytest.raises(StoreError, match="cannot read"):
            store.add_document(app.id, "licence", tmp_path / "missing.pdf")


def test_registry_seed_get_find_and_reseed(tmp_path):
    records = [
        {"kind": "business", "key": "92500151MA5UBL3K3E",
         "data": {"name": "张伟理发店", "legal_rep_id_number": ID_NUMBER, "floor_area": 80}},
        {"kind": "business", "key": "91500112MA5YB40P26", "name": "渝北公司", "legal_rep_id_number": "x"},
        {"kind": "person", "key": ID_NUMBER, "data": {"name": "张伟"}},
    ]
    with Store.open(tmp_path) as store:
        assert store.seed_registry(records) == 3
        assert store.registry_get("business", "92500151MA5UBL3K3E")["floor_area"] == 80
        assert store.registry_get("business", "91500112MA5YB40P26") == {"name": "渝北公司",
                                                                         "legal_rep_id_number": "x"}
        assert [key for key, _ in store.registry_find("business", "legal_rep_id_number", ID_NUMBER)] == [
            "92500151MA5UBL3K3E"]
        assert [key for key, _ in store.registry_list("business")] == ["91500112MA5YB40P26",
                                                                       "92500151MA5UBL3K3E"]
        audited = len(store.audit_rows())
        assert store.seed_registry(records) == 0  # all there already: nothing written, nothing audited
        assert len(store.audit_rows()) == audited
        assert store.seed_registry([*records[:2], {"kind": "person", "key": ID_NUMBER,
                                                   "data": {"name": "张伟", "phone": "1"}}]) == 1
        assert len(store.audit_rows()) == audited + 1
        assert store.registry_get("person", ID_NUMBER) == {"name": "张伟", "phone": "1"}
        assert store.registry_get("person", "nobody") is None
        with pytest.raises(StoreError, match="missing 'key'"):
            store.seed_registry([{"kind": "person"}])
        with pytest.raises(StoreError, match="field name"):
            store.registry_find("business", "x') OR 1=1 --", 1)


def test_audit_holds_no_full_id_number_and_no_phone(tmp_path):
    with Store.open(tmp_path) as store:
        _decide(store)
        store.append_audit("operator.note", "free text 500151198503150036 13812345678",
                           {"note": "called 13812345678 about 500151198503150036"})
        dump = "\n".join(str(row) for row in store.audit_rows())
        assert ID_NUMBER not in dump and "13812345678" not in dump
        assert "5001**********0036" in dump
        assert store.verify_audit().ok


def test_the_audit_table_refuses_updates_and_deletes(tmp_path):
    with Store.open(tmp_path) as store:
        _decide(store)
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            store.db.execute("UPDATE audit SET subject = 'x' WHERE id = 1")
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            store.db.execute("DELETE FROM audit WHERE id = 1")


def _tamper(path, *statements):
    """What someone with the file could do: drop the guards and change rows directly."""
    conn = sqlite3.connect(path)
    conn.execute("DROP TRIGGER audit_no_update")
    conn.execute("DROP TRIGGER audit_no_delete")
    for statement in statements:
        conn.execute(statement)
    conn.commit()
    conn.close()


def test_audit_verify_detects_an_edited_row(tmp_path):
    with Store.open(tmp_path) as store:
        for _ in range(4):
            _decide(store)
        assert store.verify_audit().ok
    _tamper(tmp_path / DB_FILE_NAME,
            "UPDATE audit SET detail = replace(detail, 'approved', 'blocked') WHERE id = 3")
    with Store.open(tmp_path) as store:
        report = store.verify_audit()
    assert not report.ok and report.first_bad_id == 3


def test_audit_verify_detects_a_deleted_row(tmp_path):
    with Store.open(tmp_path) as store:
        for _ in range(4):
            _decide(store)
    _tamper(tmp_path / DB_FILE_NAME, "DELETE FROM audit WHERE id = 3")
    with Store.open(tmp_path) as store:
        report = store.verify_audit()
    assert not report.ok and report.first_bad_id == 3 and "missing" in report.reason


def test_audit_verify_detects_a_removed_tail(tmp_path):
    with Store.open(tmp_path) as store:
        for _ in range(3):
            _decide(store)
    _tamper(tmp_path / DB_FILE_NAME, "DELETE FROM audit WHERE id = 3")
    with Store.open(tmp_path) as store:
        report = store.verify_audit()
    assert not report.ok and report.first_bad_id == 3 and "removed" in report.reason


def test_purge_blanks_personal_fields_of_old_applications_only(tmp_path):
    clock = FakeClock(dt.datetime(2026, 1, 1, 9, tzinfo=dt.UTC))
    inside = tmp_path / "docs" / "old.pdf"
    inside.parent.mkdir()
    inside.write_bytes(b"%PDF old")
    outside_dir = tmp_path.parent / f"{tmp_path.name}-out"
    outside_dir.mkdir()
    outside = outside_dir / "old-copy.pdf"
    outside.write_bytes(b"%PDF copy")
    with Store.open(tmp_path, clock=clock) as store:
        old = _decide(store)
        store.add_document(old.id, "licence", inside)
        store.add_document(old.id, "licence-copy", outside)
        store.db.execute("UPDATE print_jobs SET state = 'done'")
        clock.now = dt.datetime(2026, 11, 1, 9, tzinfo=dt.UTC)
        recent = _decide(store, receipt_key="receipt:K01:20261101")

        dry = purge_expired(store, 180, dry_run=True)
        assert dry.application_ids == [old.id] and dry.dry_run and dry.print_jobs_blanked == 1
        assert store.get_application(old.id).applicant_name == "张伟" and inside.exists()

        report = purge_expired(store, 180)
        assert report.application_ids == [old.id]
        assert report.files_removed == [str(inside)] and report.files_left == [str(outside)]
        purged = store.get_application(old.id)
        assert purged.answers == {} and purged.applicant_name is None and purged.applicant_id_masked is None
        assert purged.delivery is None and purged.purged_at is not None
        assert purged.findings == [{"rule": "PP-EXISTING", "field": "uscc", "severity": "warn"}]
        assert (purged.receipt_no, purged.licence_no, purged.decision, purged.service, purged.created_at) == (
            old.receipt_no, old.licence_no, old.decision, old.service, old.created_at)
        assert store.find_applications_by_id_number(ID_NUMBER) == [recent]
        assert store.get_application(recent.id) == recent
        assert not inside.exists() and outside.exists()
        assert store.print_jobs_for(old.licence_no)[0]["payload"] == b""
        assert [doc.path for doc in store.documents_for(old.id)] == ["", str(outside)]
        assert store.audit_rows()[-1]["event"] == "retention.purged"
        assert store.verify_audit().ok
        assert purge_expired(store, 180).application_ids == []


def test_the_credit_codes_an_application_names_are_indexed_not_its_id_number(tmp_path):
    """Migration 10: 一码通行 finds a business's applications by its credit code on an index (no LIKE over
    every application's answers); rows written before the migration are indexed by it; the applicant's
    ID number, which also has 18 characters, is never copied into the index."""
    uscc = HOTEL_USCC
    with Store.open(tmp_path) as store:
        first = _decide(store, answers={"applicant_id_number": ID_NUMBER, "uscc": f" {uscc} ", "n": 3})
        # as a store from before migration 10: no index table, the migration not recorded
        store.db.execute("DROP TABLE application_codes")
        store.db.execute("DELETE FROM schema_migrations WHERE version = 10")
    with Store.open(tmp_path) as store:
        assert store.select("SELECT uscc, application_id FROM application_codes") == [
            {"uscc": uscc, "application_id": first.id}]
        second = _decide(store, receipt_key="receipt:K01:20261122",
                         answers={"applicant_id_number": ID_NUMBER, "holder_uscc": uscc})
        other = _decide(store, receipt_key="receipt:K01:20261123", answers={"applicant_id_number": ID_NUMBER})
        rows = store.select("SELECT application_id FROM application_codes WHERE uscc = ? ORDER BY 1", (uscc,))
        assert [row["application_id"] for row in rows] == [first.id, second.id]
        assert store.select("SELECT * FROM application_codes WHERE uscc = ?", (ID_NUMBER,)) == []
        store.update_application(other.id, answers={"uscc": uscc})
        assert len(store.select("SELECT * FROM application_codes WHERE uscc = ?", (uscc,))) == 3
        store.update_application(other.id, answers={})
        assert len(store.select("SELECT * FROM application_codes WHERE uscc = ?", (uscc,))) == 2

        from kiosk.onecode import _ISSUED
        plan = [str(row[-1]) for row in store.db.execute(f"EXPLAIN QUERY PLAN {_ISSUED}", (uscc,))]
        assert plan[0].startswith("SEARCH c USING PRIMARY KEY (uscc=?)"), plan
        assert not [step for step in plan if step.startswith("SCAN")], plan


def test_quick_check_runs_only_when_the_file_changed_since_a_clean_close(tmp_path):
    """quick_check reads every page (5.6 s for 200,000 applications), so it runs when the database may
    have changed behind the kiosk's back, not on every open."""
    with Store.open(tmp_path) as store:
        assert store.checked_integrity, "a new database has no stamp: checked"
        _decide(store)
    with Store.open(tmp_path) as store:
        assert not store.checked_integrity, "closed cleanly and untouched since: not read again"
    crashed = Store.open(tmp_path)  # never closed: a process that died
    _decide(crashed)
    with Store.open(tmp_path) as store:
        assert store.checked_integrity, "written by a process that did not close: checked"
    crashed.close()

    db = tmp_path / DB_FILE_NAME
    size = db.stat().st_size
    with db.open("r+b") as handle:  # garbage over a middle page, the size unchanged
        handle.seek(4096 * 2)
        handle.write(b"\xff" * 4096)
    assert db.stat().st_size == size
    with pytest.raises(DatabaseDamagedError, match="run kiosk doctor"):
        Store.open(tmp_path)
