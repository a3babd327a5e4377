"""ID numbers among the applicant's answers at rest (issue 12): an answer the item's spec types id_number, or
one holding a valid resident ID number (a legal representative's typed as text), is kept masked in the case's
answers and in the stored event body — nowhere in the clear in PostgreSQL — and sealed on the case; the
console and the staff API show it masked; revealing it is the applicant's number's audited action; the
migration seals the answers of the cases already stored."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client

from hall.cases import idfields, services, tokens
from hall.cases.models import Case, CaseHistory

#: The item's spec types applicant_id_number as id_number (this test number's check digit is wrong: the spec
#: alone makes it sealed); legal_rep_id is a text answer holding a valid number (found by its check digit).
SERVICE = "public-place-health-permit"
APPLICANT = "110101199001011234"
LEGAL_REP = "440304198001011239"
ANSWERS = {"shop_name": "张伟理发店", "applicant_id_number": APPLICANT, "legal_rep_id": LEGAL_REP, "area_m2": 60,
           "note": "门牌 123456789012345678 号"}


@pytest.fixture
def posted(client, post, enrolled, app_event, new_number):
    """posted(answers) -> the Case an application with those answers made, sent through the kiosk API."""

    def make(answers: dict = ANSWERS) -> Case:
        kiosk_id, token = enrolled()
        event = app_event(new_number(), service=SERVICE, answers=answers)
        reply = post(client, "/api/v1/events", {"kiosk_id": kiosk_id, "sent_at": event["at"], "events": [event]},
                     token)
        assert reply.status_code == 200 and reply.json()["held"] == [event["id"]], reply.content
        return Case.objects.get(number=event["body"]["number"])

    return make


def _in_clear(number: str) -> list[str]:
    """The tables' rows (as text) in PostgreSQL that hold `number` in the clear (or its middle digits)."""
    found = []
    with connection.cursor() as cur:
        for table in ("cases_case", "cases_event", "cases_casehistory"):
            cur.execute(f"SELECT count(*) FROM {table} t WHERE row_to_json(t)::text LIKE %s", [f"%{number[6:14]}%"])
            if cur.fetchone()[0]:
                found.append(table)
    return found


def test_which_answers_are_id_numbers():
    assert "applicant_id_number" in idfields.spec_keys()[SERVICE]
    assert idfields.id_answer_keys(SERVICE, ANSWERS) == ["applicant_id_number", "legal_rep_id"]
    # An item the hall does not know: only the valid number is found; a credit code is not an ID number.
    assert idfields.id_answer_keys("no-such-item", {**ANSWERS, "uscc": "91350100M000100Y43"}) == ["legal_rep_id"]


def test_answers_holding_id_numbers_are_nowhere_in_the_clear(posted):
    case = posted()
    assert _in_clear(APPLICANT) == [] and _in_clear(LEGAL_REP) == []
    assert case.answers["applicant_id_number"] == "110***********1234"
    assert case.answers["legal_rep_id"] == "440***********1239"
    assert case.answers["shop_name"] == "张伟理发店" and case.answers["area_m2"] == 60
    assert sorted(case.id_answer_hashes) == ["applicant_id_number", "legal_rep_id"]
    event = json.loads(json.dumps(case.kiosk.events.get().body))
    assert event["answers"]["legal_rep_id"] == "440***********1239"


def test_revealing_an_answer_is_the_audited_action(posted, staff):
    case = posted()
    reviewer = staff("reviewer")
    assert services.reveal_id_number(case.number, reviewer, "核对法定代表人", field="legal_rep_id") == LEGAL_REP
    assert services.reveal_id_number(case.number, reviewer, field="applicant_id_number") == APPLICANT
    lines = CaseHistory.objects.filter(case=case, action="reveal_id_number").order_by("id")
    assert [(line.by_id, line.note, line.data) for line in lines] == [
        (reviewer.pk, "核对法定代表人", {"field": "legal_rep_id"}), (reviewer.pk, "", {"field": "applicant_id_number"})]
    with pytest.raises(services.CaseActionRefused, match="shop_name"):
        services.reveal_id_number(case.number, reviewer, field="shop_name")
    assert lines.count() == 2  # a refused reveal leaves no line


def test_the_console_and_the_api_show_them_masked(posted, staff):
    case = posted()
    reviewer = staff("reviewer")
    browser = Client()
    browser.force_login(reviewer)
    page = browser.get(f"/case/{case.number}/").content.decode()
    assert LEGAL_REP not in page and APPLICANT not in page and "440***********1239" in page
    assert 'data-field="legal_rep_id"' in page and 'data-field="shop_name"' not in page
    revealed = browser.post(f"/case/{case.number}/reveal/", {"field": "legal_rep_id", "reason": "核对"})
    assert revealed.status_code == 200 and revealed["Cache-Control"] == "no-store"
    text = revealed.content.decode()
    assert LEGAL_REP in text and APPLICANT not in text
    assert CaseHistory.objects.get(case=case, action="reveal_id_number").data == {"field": "legal_rep_id"}

    api_token = tokens.issue_staff_token(reviewer)
    reply = Client().get(f"/api/v1/applications/{case.number}", HTTP_AUTHORIZATION=f"Bearer {api_token}")
    body = reply.content.decode()
    assert reply.status_code == 200 and LEGAL_REP not in body and APPLICANT not in body
    assert reply.json()["answers"]["legal_rep_id"] == "440***********1239"
    assert reply.json()["sealed_answers"] == ["applicant_id_number", "legal_rep_id"]


def test_the_migration_seals_the_answers_already_stored(posted, staff):
    case = posted({"shop_name": "老店"})
    executor = MigrationExecutor(connection)
    executor.migrate([("cases", "0004_protect_id_number")])
    try:
        with connection.cursor() as cur:  # a hall upgraded with answers stored in the clear
            cur.execute("UPDATE cases_case SET answers = %s::jsonb WHERE id = %s", [json.dumps(ANSWERS), case.pk])
            cur.execute("UPDATE cases_event SET body = jsonb_set(body, '{answers}', %s::jsonb) WHERE kiosk_id = %s",
                        [json.dumps(ANSWERS), case.kiosk_id])
        assert "cases_case" in _in_clear(LEGAL_REP) and "cases_event" in _in_clear(LEGAL_REP)
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes("cases"))
    assert _in_clear(LEGAL_REP) == [] and _in_clear(APPLICANT) == []
    case.refresh_from_db()
    assert case.answers["legal_rep_id"] == "440***********1239" and case.answers["shop_name"] == "张伟理发店"
    assert services.reveal_id_number(case.number, staff("approver"), field="legal_rep_id") == LEGAL_REP
