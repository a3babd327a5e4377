"""The audit chain, pure: a good keyed chain passes; an edit, a recomputed edit (with or without the key),
a gap, a swap or a cut tail fail; the record ledger catches records changed, added or removed behind
the kiosk's back."""

from __future__ import annotations

import dataclasses

from kiosk.store.audit import (
    GENESIS_HASH,
    canonical_json,
    legacy_row_hash,
    record_digest,
    row_mac,
    verify_chain,
    verify_legacy_chain,
)
from kiosk.store.audit_records import RecordLedger

KEY = bytes(range(32))
OTHER_KEY = bytes(32)


def _chain(count: int, key: bytes = KEY) -> list[dict]:
    rows, prev = [], GENESIS_HASH
    for index in range(1, count + 1):
        row = {"id": index, "at": f"2026-11-21T10:00:{index:02d}+00:00", "event": "application.saved",
               "subject": f"R{index}", "detail": canonical_json({"n": index, "who": "5001**********0019"}),
               "digests": "[]", "prev_hash": prev}
        row["hash"] = row_mac(key, row)
        rows.append(row)
        prev = row["hash"]
    return rows


def _head(rows):
    return (rows[-1]["id"], rows[-1]["hash"]) if rows else None


def test_canonical_json_is_stable_and_keeps_chinese():
    assert canonical_json({"b": 1, "a": "张"}) == '{"a":"张","b":1}'


def test_intact_chain_passes():
    rows = _chain(5)
    report = verify_chain(KEY, rows, _head(rows))
    assert report.ok and report.rows_checked == 5


def test_empty_chain_passes():
    assert verify_chain(KEY, [], None).ok


def test_edited_row_is_named():
    rows = _chain(5)
    rows[2] = {**rows[2], "subject": "R999"}
    report = verify_chain(KEY, rows, _head(_chain(5)))
    assert not report.ok and report.first_bad_id == 3 and "changed" in report.reason


def test_an_unkeyed_recomputation_of_the_whole_chain_fails_at_the_first_edited_row():
    # What an editor of the database could do before: change a row and recompute every hash after it.
    rows = _chain(5)
    rows[2] = {**rows[2], "detail": canonical_json({"n": 3, "who": "someone else"})}
    prev = rows[1]["hash"]
    for row in rows[2:]:
        row["prev_hash"] = prev
        row["hash"] = prev = legacy_row_hash(row)
    report = verify_chain(KEY, rows, _head(rows))
    assert not report.ok and report.first_bad_id == 3 and "MAC" in report.reason


def test_a_chain_made_with_another_key_fails_at_row_1():
    rows = _chain(3, OTHER_KEY)
    report = verify_chain(KEY, rows, _head(rows))
    assert not report.ok and report.first_bad_id == 1


def test_deleted_middle_row_is_named():
    rows = _chain(5)
    head = _head(rows)
    del rows[1]
    report = verify_chain(KEY, rows, head)
    assert not report.ok and report.first_bad_id == 2 and "missing" in report.reason


def test_swapped_rows_are_named():
    rows = _chain(4)
    head = _head(rows)
    rows[1], rows[2] = {**rows[2], "id": 2}, {**rows[1], "id": 3}
    report = verify_chain(KEY, rows, head)
    assert not report.ok and report.first_bad_id == 2


def test_deleted_tail_rows_are_caught_by_the_head():
    rows = _chain(5)
    head = _head(rows)
    report = verify_chain(KEY, rows[:3], head)
    assert not report.ok and report.first_bad_id == 4 and "rows 4..5 were removed" in report.reason


def test_a_head_that_lags_the_table_is_fine_but_one_that_disagrees_is_not():
    rows = _chain(5)
    assert verify_chain(KEY, rows, (3, rows[2]["hash"])).ok  # crash between COMMIT and the head write
    report = verify_chain(KEY, rows, (3, rows[1]["hash"]))
    assert not report.ok and report.first_bad_id == 3 and "head" in report.reason


def test_missing_head_with_rows_fails():
    report = verify_chain(KEY, _chain(2), None)
    assert not report.ok and "head" in report.reason


def test_report_is_a_plain_value():
    report = verify_chain(KEY, _chain(1), _head(_chain(1)))
    assert dataclasses.asdict(report) == {"ok": True, "rows_checked": 1, "first_bad_id": None, "reason": "",
                                          "applications_checked": 0, "print_jobs_checked": 0}


def test_legacy_chain_check_still_reads_format_1():
    rows, prev = [], GENESIS_HASH
    for index in (1, 2):
        row = {"id": index, "at": "t", "event": "e", "subject": "s", "detail": "{}", "prev_hash": prev}
        row["hash"] = prev = legacy_row_hash(row)
        rows.append(row)
    assert verify_legacy_chain(rows, (2, prev)).ok
    assert not verify_legacy_chain(rows, (3, prev)).ok


APP = {"id": 1, "service": "s", "state": "submitted", "decision": "approved", "answers": "{}", "findings": "[]",
       "receipt_no": "R1", "licence_no": "L1", "applicant_name": "张伟", "applicant_id_masked": None,
       "id_number_hash": None, "delivery": None, "created_at": "t", "decided_at": "t", "purged_at": None,
       "updated_at": "ignored"}


def test_record_digest_covers_the_decision_but_not_updated_at():
    digest = record_digest(KEY, "application", APP)
    assert record_digest(KEY, "application", {**APP, "updated_at": "later"}) == digest
    assert record_digest(KEY, "application", {**APP, "decision": "blocked"}) != digest
    assert record_digest(OTHER_KEY, "application", APP) != digest


def test_ledger_follows_changes_and_catches_one_made_outside_the_kiosk():
    one, two, three = (record_digest(KEY, "application", {**APP, "state": s}) for s in ("a", "b", "c"))
    ledger = RecordLedger()
    assert ledger.add(1, canonical_json([["application:1", None, one]]))
    assert ledger.add(2, canonical_json([["application:1", one, two]]))
    assert ledger.add(3, canonical_json([["application:1", None, two]]))  # recorded again unchanged
    assert not ledger.add(4, canonical_json([["application:1", three, one]]))
    assert ledger.failure.first_bad_id == 4 and "between audit rows 3 and 4" in ledger.failure.reason


def test_ledger_table_check_names_missing_edited_and_deleted_records():
    digest = record_digest(KEY, "application", APP)
    ledger = RecordLedger()
    ledger.add(1, canonical_json([["application:1", None, digest]]))
    assert ledger.check_table("application", [(1, digest, "L1")])
    assert not RecordLedger().check_table("application", [(1, digest, "L1")])
    fresh = RecordLedger()
    fresh.check_table("application", [(1, digest, "L1")])
    assert fresh.failure.first_bad_id is None and "application 1 (L1) has no audit entry" in fresh.failure.reason
    assert not ledger.check_table("application", [(1, "0" * 64, "L1")])
    assert ledger.failure.first_bad_id == 1 and "differs from what audit row 1 recorded" in ledger.failure.reason
    gone = RecordLedger()
    gone.add(5, canonical_json([["application:1", None, digest]]))
    assert not gone.check_table("application", [])
    assert gone.failure.first_bad_id == 5 and "deleted" in gone.failure.reason
