"""Applicants' ID numbers at rest: the case row holds no plain number (read straight from PostgreSQL), only
a sealed value that opens for its own case, a keyed hash that finds the applicant's cases, and the masked
form; revealing the number still works and is recorded; the migration seals the numbers already stored."""

from __future__ import annotations

import hashlib
import hmac
import os
import stat

import pytest
from cryptography.exceptions import InvalidTag
from django.conf import settings
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import override_settings

from hall import datadir
from hall.cases import idnumbers, services
from hall.cases.models import Case, CaseHistory

NUMBER = "11010519851230002X"


@pytest.fixture
def posted(client, post, enrolled, app_event, new_number):
    """posted(id_number) -> the Case an application with that ID number made, sent through the kiosk API."""

    def make(id_number: str = NUMBER) -> Case:
        kiosk_id, token = enrolled()
        number = new_number()
        event = app_event(number, applicant={"name": "李四", "id_number": id_number, "phone": "13900000000"})
        reply = post(client, "/api/v1/events", {"kiosk_id": kiosk_id, "sent_at": event["at"], "events": [event]},
                     token)
        assert reply.status_code == 200 and reply.json()["held"] == [event["id"]]
        return Case.objects.get(number=number)

    return make


def _row(number: str) -> dict:
    with connection.cursor() as cur:
        cur.execute("SELECT row_to_json(c)::text, c.id_number_sealed, c.id_number_hash, c.id_number_masked "
                    "FROM cases_case c WHERE c.number = %s", [number])
        text, sealed, digest, masked = cur.fetchone()
    return {"text": text, "sealed": bytes(sealed), "hash": digest, "masked": masked}


def _columns() -> set[str]:
    with connection.cursor() as cur:
        cur.execute("SELECT column_name FROM information_schema.columns WHERE table_name = 'cases_case'")
        return {name for name, in cur.fetchall()}


def test_the_case_row_in_postgresql_holds_no_plain_id_number(posted):
    case = posted()
    row = _row(case.number)
    assert "id_number" not in _columns()
    for form in (NUMBER, NUMBER.lower(), NUMBER[:-1], NUMBER.encode().hex()):
        assert form not in row["text"]
    assert row["masked"] == "110***********002X"
    # Sealed: version, 12-byte nonce, ciphertext and 16-byte tag; not the number's bytes.
    assert len(row["sealed"]) == 1 + 12 + len(NUMBER) + 16 and NUMBER.encode() not in row["sealed"]
    # The hash is keyed with the data dir's key: a plain sha256 of the number is not it.
    key = bytes.fromhex((settings.DATA_DIR / "id_key").read_text())
    assert row["hash"] == hmac.new(key[32:], NUMBER.encode(), hashlib.sha256).hexdigest()
    assert row["hash"] != hashlib.sha256(NUMBER.encode()).hexdigest()
    with connection.cursor() as cur:  # the stored event body keeps the masked form only
        cur.execute("SELECT count(*) FROM cases_event WHERE body::text LIKE %s", [f"%{NUMBER[6:14]}%"])
        assert cur.fetchone()[0] == 0


def test_revealing_opens_the_sealed_number_and_is_recorded(posted, staff):
    case = posted()
    reviewer = staff("reviewer")
    assert services.reveal_id_number(case.number, reviewer, "核对身份") == NUMBER
    line = CaseHistory.objects.get(case=case, action="reveal_id_number")
    assert line.by == reviewer and line.note == "核对身份"


def test_a_sealed_number_copied_onto_another_case_does_not_open(posted, staff):
    first, second = posted(), posted("310101199001011234")
    own = bytes(second.id_number_sealed)
    with connection.cursor() as cur:
        cur.execute("UPDATE cases_case SET id_number_sealed = (SELECT id_number_sealed FROM cases_case WHERE id = %s) "
                    "WHERE id = %s", [first.pk, second.pk])
    try:
        second.refresh_from_db()
        with pytest.raises(InvalidTag):
            idnumbers.open_sealed(second.id_number_sealed, second.number)
    finally:  # its own again (the migration test opens every case's number)
        Case.objects.filter(pk=second.pk).update(id_number_sealed=own)
    assert services.reveal_id_number(second.number, staff("reviewer")) == "310101199001011234"


def test_an_applicants_cases_are_found_by_the_keyed_hash(posted):
    other = "44030419900307123X"
    mine = {posted(other).number, posted(other.lower()).number}
    posted(NUMBER)
    assert {c.number for c in services.cases_with_id_number(f" {other[:6]} {other[6:].lower()} ")} == mine
    assert not services.cases_with_id_number("")


def test_the_key_is_made_once_readable_by_its_owner_only(tmp_path):
    key = datadir.id_key(tmp_path)
    path = tmp_path / datadir.ID_KEY_FILE
    assert len(key) == idnumbers.KEY_BYTES and datadir.id_key(tmp_path) == key
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and path.stat().st_uid == os.geteuid()
    assert [p.name for p in tmp_path.iterdir()] == [datadir.ID_KEY_FILE]  # no temporary file left


def test_the_migration_seals_the_numbers_already_stored(posted, staff):
    case = posted()
    executor = MigrationExecutor(connection)
    executor.migrate([("cases", "0003_fewer_indexes")])
    try:
        assert "id_number" in _columns() and "id_number_sealed" not in _columns()
        with connection.cursor() as cur:  # back: the number opened into the plain column
            cur.execute("SELECT id_number FROM cases_case WHERE id = %s", [case.pk])
            assert cur.fetchone()[0] == NUMBER
            # a case stored in the clear before the migration (a hall upgraded with cases in it)
            cur.execute("UPDATE cases_case SET id_number = '310101199001011234' WHERE id = %s", [case.pk])
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes("cases"))
    assert "id_number" not in _columns()
    row = _row(case.number)
    assert "310101199001011234" not in row["text"] and row["masked"] == "310***********1234"
    assert services.reveal_id_number(case.number, staff("approver"), "迁移后核对") == "310101199001011234"


def test_a_replaced_key_file_is_told_in_plain_chinese_and_nothing_is_revealed(posted, staff):
    case = posted()
    reviewer = staff("reviewer")
    # The id_key file replaced since the case came.
    with override_settings(HALL_ID_KEY=os.urandom(idnumbers.KEY_BYTES)), \
            pytest.raises(services.KeyMismatch, match="id_key"):
        services.reveal_id_number(case.number, reviewer, "核对身份")
    assert not CaseHistory.objects.filter(case=case, action="reveal_id_number").exists()
