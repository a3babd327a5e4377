"""The audit hash chain, pure: a good chain passes; an edit, a recomputed edit, a gap or a cut tail fail."""

from __future__ import annotations

import dataclasses

from kiosk.store.audit import GENESIS_HASH, canonical_json, row_hash, verify_chain


def _chain(count: int) -> list[dict]:
    rows, prev = [], GENESIS_HASH
    for index in range(1, count + 1):
        row = {"id": index, "at": f"2026-11-21T10:00:{index:02d}+00:00", "event": "application.saved",
               "subject": f"R{index}", "detail": canonical_json({"n": index, "who": "5001**********0019"}),
               "prev_hash": prev}
        row["hash"] = row_hash(row)
        rows.append(row)
        prev = row["hash"]
    return rows


def _head(rows):
    return (rows[-1]["id"], rows[-1]["hash"]) if rows else None


def test_canonical_json_is_stable_and_keeps_chinese():
    assert canonical_json({"b": 1, "a": "张"}) == '{"a":"张","b":1}'


def test_intact_chain_passes():
    rows = _chain(5)
    report = verify_chain(rows, _head(rows))
    assert report.ok and report.rows_checked == 5


def test_empty_chain_passes():
    assert verify_chain([], None).ok


def test_edited_row_is_named():
    rows = _chain(5)
    rows[2] = {**rows[2], "subject": "R999"}
    report = verify_chain(rows, _head(_chain(5)))
    assert not report.ok and report.first_bad_id == 3 and "changed" in report.reason


def test_edit_with_recomputed_hash_is_caught_at_the_next_row():
    rows = _chain(5)
    edited = {**rows[2], "detail": canonical_json({"n": 3, "who": "someone else"})}
    edited["hash"] = row_hash(edited)
    rows[2] = edited
    report = verify_chain(rows, _head(rows))
    assert not report.ok and report.first_bad_id == 4 and "row 3 was changed or removed" in report.reason


def test_deleted_middle_row_is_named():
    rows = _chain(5)
    head = _head(rows)
    del rows[1]
    report = verify_chain(rows, head)
    assert not report.ok and report.first_bad_id == 2 and "missing" in report.reason


def test_deleted_tail_rows_are_caught_by_the_head():
    rows = _chain(5)
    head = _head(rows)
    report = verify_chain(rows[:3], head)
    assert not report.ok and report.first_bad_id == 4 and "removed" in report.reason


def test_missing_head_with_rows_fails():
    report = verify_chain(_chain(2), None)
    assert not report.ok and "head" in report.reason


def test_report_is_a_plain_value():
    report = verify_chain(_chain(1), _head(_chain(1)))
    assert dataclasses.asdict(report) == {"ok": True, "rows_checked": 1, "first_bad_id": None, "reason": ""}
