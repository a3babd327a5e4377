"""The kiosk and staff API on a real PostgreSQL: idempotent replay, credentials, limits, clock skew and the
heartbeat's cursor. Every test runs twice: through Django's test client (the views in hall.urls) and through
the WSGI application gunicorn serves (hall.wsgi: the kiosk API's thin path without Django's middleware)."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import uuid

import pytest
from django.utils import timezone

from hall.cases import services, tokens
from hall.cases.models import Case, CaseDocument, CaseHistory, Event, Kiosk, Rating, StaffCall, State, StepStat
from hall.cases.workdays import add_working_days

EVENTS = "/api/v1/events"


@pytest.fixture(params=["django", "wsgi"])
def client(request):
    """Django's test client, or the same calls through hall.wsgi.application."""
    if request.param == "wsgi":
        return request.getfixturevalue("wsgi_client")
    from django.test import Client

    return Client()

HEARTBEAT = "/api/v1/heartbeat"


def batch(kiosk_id: str, events: list[dict]) -> dict:
    return {"kiosk_id": kiosk_id, "sent_at": "2026-11-21T10:00:00+08:00", "events": events}


def beat(kiosk_id: str, cursor: int, at: str = "2026-11-21T10:00:30+08:00") -> dict:
    return {"kiosk_id": kiosk_id, "at": at, "cursor": cursor, "version": "0.1.0",
            "modules": {"reader": "ok", "printer": "ok", "paper": "low", "camera": "absent"},
            "oldest_unsent_s": 12.5, "unsent": 3, "counts": {"applications": 4, "approved": 3, "accepted": 1}}


def _stored(kiosk_id: str) -> tuple[int, int]:
    return Event.objects.filter(kiosk__kiosk_id=kiosk_id).count(), Case.objects.filter(kiosk__kiosk_id=kiosk_id).count()


def test_a_batch_is_stored_and_its_cases_derived(client, post, enrolled, app_event, new_number):
    kiosk_id, token = enrolled()
    pdf = b"%PDF-1.4 test"
    number = new_number()
    event = app_event(number, documents=[{"name": "application.pdf", "sha256": hashlib.sha256(pdf).hexdigest(),
                                          "pdf_b64": base64.b64encode(pdf).decode()}])
    reply = post(client, EVENTS, batch(kiosk_id, [event]), token)
    assert reply.status_code == 200, reply.content
    assert reply.json() == {"held": [event["id"]], "rejected": []}
    case = Case.objects.get(number=number)
    assert case.state == State.SUBMITTED and case.kiosk.kiosk_id == kiosk_id
    assert case.answers == {"shop_name": "张三小吃"}
    assert bytes(CaseDocument.objects.get(case=case).content) == pdf
    stored = Event.objects.get(event_id=event["id"]).body
    assert "pdf_b64" not in stored["documents"][0] and "199001" not in json.dumps(stored)


def test_a_replayed_batch_is_held_again_and_nothing_is_counted_twice(client, post, enrolled, app_event, new_number):
    """The kiosk crashed after the hall stored the batch and before it marked the events sent: it sends the
    same batch again on restart, then a batch mixing old and new events."""
    kiosk_id, token = enrolled()
    first = [app_event(new_number()) for _ in range(3)] + [
        {"id": str(uuid.uuid4()), "kind": "rating", "at": "2026-11-21T10:01:00+08:00",
         "body": {"number": None, "service": "food-licence", "stars": 1, "reason": "太慢"}}]
    ids = [e["id"] for e in first]
    assert post(client, EVENTS, batch(kiosk_id, first), token).json()["held"] == ids
    assert _stored(kiosk_id) == (4, 3)
    again = post(client, EVENTS, batch(kiosk_id, first), token)
    assert again.status_code == 200 and again.json() == {"held": ids, "rejected": []}
    later = app_event(new_number())
    mixed = post(client, EVENTS, batch(kiosk_id, [*first[1:], later]), token).json()
    assert mixed["held"] == [*ids[1:], later["id"]]
    assert _stored(kiosk_id) == (5, 4)
    assert Rating.objects.filter(kiosk__kiosk_id=kiosk_id).count() == 1
    assert CaseHistory.objects.filter(case__kiosk__kiosk_id=kiosk_id, action="received").count() == 4


@pytest.mark.parametrize("credential", ["revoked", "forged", "missing", "other kiosk's"])
def test_a_bad_credential_is_refused_and_nothing_is_stored(client, post, enrolled, app_event, new_number, credential):
    kiosk_id, token = enrolled()
    other_id, other_token = enrolled()
    if credential == "revoked":
        assert tokens.revoke(kiosk_id)
    use = {"revoked": token, "forged": tokens.new_token(), "missing": None, "other kiosk's": other_token}[credential]
    for path, payload in ((EVENTS, batch(kiosk_id, [app_event(new_number())])), (HEARTBEAT, beat(kiosk_id, 0))):
        reply = post(client, path, payload, use)
        assert reply.status_code == (403 if credential == "other kiosk's" else 401), reply.content
    assert _stored(kiosk_id) == (0, 0) and _stored(other_id) == (0, 0)
    assert Kiosk.objects.get(kiosk_id=kiosk_id).last_seen is None
    assert Kiosk.objects.get(kiosk_id=other_id).last_seen is None


def test_a_token_the_worker_remembers_is_refused_from_the_request_after_its_revocation(
        client, post, enrolled, app_event, new_number):
    kiosk_id, token = enrolled()
    first = app_event(new_number())
    assert post(client, EVENTS, batch(kiosk_id, [first]), token).status_code == 200  # the worker now knows it
    assert post(client, HEARTBEAT, beat(kiosk_id, 0), token).status_code == 200
    assert tokens.revoke(kiosk_id)
    malformed = {"id": str(uuid.uuid4()), "kind": "rating", "at": "2026-11-21T10:00:00+08:00", "body": {}}
    for path, payload in ((EVENTS, batch(kiosk_id, [app_event(new_number())])), (HEARTBEAT, beat(kiosk_id, 0)),
                          (EVENTS, batch(kiosk_id, [malformed])), (EVENTS, batch(kiosk_id, [first]))):
        reply = post(client, path, payload, token)
        assert reply.status_code == 401, reply.content
    assert _stored(kiosk_id) == (1, 1)  # the first batch only


def test_a_remembered_token_stops_working_when_the_kiosk_is_enrolled_again(client, post, enrolled, app_event,
                                                                          new_number):
    kiosk_id, old = enrolled()
    assert post(client, HEARTBEAT, beat(kiosk_id, 0), old).status_code == 200
    new = tokens.enrol(kiosk_id)
    assert post(client, EVENTS, batch(kiosk_id, [app_event(new_number())]), old).status_code == 401
    assert post(client, HEARTBEAT, beat(kiosk_id, 0), old).status_code == 401
    assert post(client, EVENTS, batch(kiosk_id, [app_event(new_number())]), new).status_code == 200
    assert _stored(kiosk_id) == (1, 1)


def test_a_reenrolled_kiosks_old_token_stops_working(client, post, enrolled):
    kiosk_id, old = enrolled()
    new = tokens.enrol(kiosk_id)
    assert post(client, HEARTBEAT, beat(kiosk_id, 0), old).status_code == 401
    assert post(client, HEARTBEAT, beat(kiosk_id, 0), new).status_code == 200


def test_a_batch_over_the_limits_is_413_and_nothing_is_stored(client, post, enrolled, app_event, new_number):
    kiosk_id, token = enrolled()
    many = [{"id": str(uuid.uuid4()), "kind": "rating", "at": "2026-11-21T10:00:00+08:00",
             "body": {"service": "s", "stars": 5}} for _ in range(501)]
    assert post(client, EVENTS, batch(kiosk_id, many), token).status_code == 413
    big = app_event(new_number(), answers={"blob": "x" * (8 * 1024 * 1024)})
    reply = post(client, EVENTS, batch(kiosk_id, [big]), token)
    assert reply.status_code == 413 and "bytes" in reply.json()["error"]
    assert post(client, EVENTS, batch(kiosk_id, many[:500]), token).status_code == 200
    assert _stored(kiosk_id) == (500, 0)


def test_malformed_events_are_rejected_by_name_and_the_rest_held(client, post, enrolled, app_event, new_number):
    kiosk_id, token = enrolled()
    good = app_event(new_number())
    no_stars = {"id": str(uuid.uuid4()), "kind": "rating", "at": "2026-11-21T10:00:00+08:00", "body": {"service": "s"}}
    bad_kind = {"id": str(uuid.uuid4()), "kind": "coffee", "at": "2026-11-21T10:00:00+08:00", "body": {}}
    naive = {**app_event(new_number()), "at": "2026-11-21T10:00:00"}
    wrong_hash = app_event(new_number(), documents=[{"name": "a.pdf", "sha256": "0" * 64, "pdf_b64": "UERG"}])
    reply = post(client, EVENTS, batch(kiosk_id, [good, no_stars, bad_kind, naive, wrong_hash]), token).json()
    assert reply["held"] == [good["id"]]
    reasons = {r["id"]: r["reason"] for r in reply["rejected"]}
    assert set(reasons) == {no_stars["id"], bad_kind["id"], naive["id"], wrong_hash["id"]}
    assert "stars" in reasons[no_stars["id"]] and "coffee" in reasons[bad_kind["id"]]
    assert "sha256" in reasons[wrong_hash["id"]]
    assert _stored(kiosk_id) == (1, 1)


def test_a_number_of_another_kiosks_case_is_rejected(client, post, enrolled, app_event, new_number):
    (a, token_a), (b, token_b) = enrolled(), enrolled()
    number = new_number()
    post(client, EVENTS, batch(a, [app_event(number)]), token_a)
    reply = post(client, EVENTS, batch(b, [app_event(number)]), token_b).json()
    assert reply["held"] == [] and "another kiosk" in reply["rejected"][0]["reason"]
    assert Case.objects.get(number=number).kiosk.kiosk_id == a and _stored(b) == (0, 0)


@pytest.mark.parametrize("skew", [dt.timedelta(days=-2000), dt.timedelta(days=3), dt.timedelta(hours=-7)])
def test_legal_clocks_run_on_the_halls_clock_whatever_the_kiosks_says(client, post, enrolled, app_event, new_number,
                                                                       skew):
    kiosk_id, token = enrolled()
    number = new_number()
    kiosk_now = (timezone.now() + skew).astimezone(dt.timezone(dt.timedelta(hours=8)))
    event = app_event(number, at=kiosk_now.isoformat())
    assert post(client, EVENTS, batch(kiosk_id, [event]), token).json()["held"] == [event["id"]]
    stored = Event.objects.get(event_id=event["id"])
    case = Case.objects.get(number=number)
    assert stored.at == kiosk_now and case.kiosk_decided_at == kiosk_now  # the kiosk's time is kept ...
    assert case.submitted_at == stored.received_at  # ... and the clocks start at the hall's receipt
    received = timezone.localtime(stored.received_at).date()
    assert case.correction_due == add_working_days(received, 5)
    assert case.decision_due == add_working_days(received, 20)
    reply = post(client, HEARTBEAT, beat(kiosk_id, 0, at=kiosk_now.isoformat()), token).json()
    kiosk = Kiosk.objects.get(kiosk_id=kiosk_id)
    assert kiosk.last_kiosk_time == kiosk_now and kiosk.last_seen >= stored.received_at
    assert dt.datetime.fromisoformat(reply["server_time"]) == timezone.localtime(kiosk.last_seen)


def test_the_heartbeat_replies_with_changes_since_the_cursor(client, post, enrolled, staff, app_event, new_number):
    kiosk_id, token = enrolled()
    other_id, other_token = enrolled()
    n1, n2 = new_number(), new_number()
    post(client, EVENTS, batch(kiosk_id, [app_event(n1), app_event(n2, outcome="approved")]), token)
    first = post(client, HEARTBEAT, beat(kiosk_id, 0), token).json()
    assert {c["number"]: c["state"] for c in first["changes"]} == {n1: "submitted", n2: "approved"}
    cursor = first["cursor"]
    assert cursor > 0 and first["call_acks"] == []
    quiet = post(client, HEARTBEAT, beat(kiosk_id, cursor), token).json()
    assert quiet["changes"] == [] and quiet["cursor"] == cursor

    name = f"王芳{uuid.uuid4().hex[:4]}"  # the test runs twice (both clients): a new user each time
    reviewer = staff("reviewer", name=name)
    services.request_correction(n1, reviewer, ["营业执照复印件"], "请补交")
    call_id = str(uuid.uuid4())
    post(client, EVENTS, batch(kiosk_id, [{"id": str(uuid.uuid4()), "kind": "staff_call",
                                           "at": "2026-11-21T10:05:00+08:00",
                                           "body": {"call_id": call_id, "screen": "card", "location": "一楼"}}]), token)
    services.ack_call(call_id, reviewer)
    reply = post(client, HEARTBEAT, beat(kiosk_id, cursor), token).json()
    assert [c["number"] for c in reply["changes"]] == [n1]
    change = reply["changes"][0]
    assert change["state"] == "correction_requested" and change["notice"]["items"] == ["营业执照复印件"]
    assert change["notice"]["due"] and change["pickup"] is None
    assert [(a["call_id"], a["by"]) for a in reply["call_acks"]] == [(call_id, name)]
    assert reply["cursor"] > cursor
    kiosk = Kiosk.objects.get(kiosk_id=kiosk_id)
    assert kiosk.acked_cursor == cursor and kiosk.last_heartbeat["modules"]["paper"] == "low"
    # Another kiosk learns nothing of these; a cursor from a restored backup starts over.
    assert post(client, HEARTBEAT, beat(other_id, 0), other_token).json()["changes"] == []
    restart = post(client, HEARTBEAT, beat(kiosk_id, 10**9), token).json()
    assert {c["number"] for c in restart["changes"]} == {n1, n2}


def test_a_heartbeat_with_a_bad_cursor_is_400(client, post, enrolled):
    kiosk_id, token = enrolled()
    assert post(client, HEARTBEAT, {**beat(kiosk_id, 0), "cursor": -1}, token).status_code == 400
    assert post(client, HEARTBEAT, "not json", token).status_code == 400


def test_step_stats_refresh_per_session_and_bad_ratings_get_a_due_date(client, post, enrolled):
    kiosk_id, token = enrolled()

    def stats(finished: bool, steps: int) -> dict:
        return {"id": str(uuid.uuid4()), "kind": "step_stats", "at": "2026-11-21T10:00:00+08:00",
                "body": {"session_id": "S1", "service": "food-licence", "finished": finished,
                         "abandoned_at": None if finished else "card",
                         "steps": [{"step": f"s{i}", "entered_at": "2026-11-21T10:00:00+08:00", "seconds": 1.5}
                                   for i in range(steps)]}}

    post(client, EVENTS, batch(kiosk_id, [stats(False, 1)]), token)
    post(client, EVENTS, batch(kiosk_id, [stats(True, 3)]), token)
    row = StepStat.objects.get(kiosk__kiosk_id=kiosk_id)
    assert row.finished and len(row.steps) == 3 and row.abandoned_at == ""
    post(client, EVENTS, batch(kiosk_id, [
        {"id": str(uuid.uuid4()), "kind": "rating", "at": "2026-11-21T10:00:00+08:00",
         "body": {"service": "food-licence", "stars": stars, "reason": "r"}} for stars in (1, 5)]), token)
    ratings = {r.stars: r for r in Rating.objects.filter(kiosk__kiosk_id=kiosk_id)}
    assert ratings[1].handling == "open" and ratings[5].handling == "none" and ratings[5].due is None
    assert ratings[1].due == add_working_days(timezone.localtime(ratings[1].received_at).date(), 5)


def test_staff_calls_are_stored_once(client, post, enrolled):
    kiosk_id, token = enrolled(location="二楼 5 号机")
    call_id = str(uuid.uuid4())
    events = [{"id": str(uuid.uuid4()), "kind": "staff_call", "at": "2026-11-21T10:00:00+08:00",
               "body": {"call_id": call_id, "screen": "form", "service": None, "number": None}} for _ in range(2)]
    assert len(post(client, EVENTS, batch(kiosk_id, events), token).json()["held"]) == 2
    call = StaffCall.objects.get(call_id=call_id)
    assert call.location == "二楼 5 号机" and call.acked_at is None


def test_the_staff_api_needs_a_staff_token(client, post, enrolled, staff, app_event, new_number):
    kiosk_id, kiosk_token = enrolled()
    number = new_number()
    post(client, EVENTS, batch(kiosk_id, [app_event(number)]), kiosk_token)
    path = f"/api/v1/applications/{number}"
    assert client.get(path).status_code == 401
    assert client.get(path, HTTP_AUTHORIZATION=f"Bearer {kiosk_token}").status_code == 401
    reviewer = staff("reviewer")
    token = tokens.issue_staff_token(reviewer)
    services.claim(number, reviewer)
    services.accept(number, reviewer, "材料齐全")
    reply = client.get(path, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert reply.status_code == 200
    body = reply.json()
    assert (body["number"], body["service"], body["kiosk_id"], body["state"], body["outcome"]) == (
        number, "food-licence", kiosk_id, "accepted", "accepted")
    assert [(h["action"], h["to"]) for h in body["history"]] == [
        ("received", "submitted"), ("claim", "submitted"), ("accept", "accepted")]
    assert body["id_number"] == "110***********1234"
    assert client.get("/api/v1/applications/NOPE", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 404


def test_healthz_answers_when_the_database_does(client):
    assert client.get("/healthz").json() == {"ok": True}


def test_a_failure_on_the_thin_path_is_a_500_in_json_and_the_batch_can_come_again(
        wsgi_client, post, enrolled, app_event, new_number, monkeypatch):
    """hall.wsgi answers the kiosk API itself: an exception there is logged and answered 500 (as Django's handler
    would), nothing is stored, and the same batch sent again is stored once."""
    from hall.cases import ingest

    kiosk_id, token = enrolled()
    event = app_event(new_number())
    real = ingest.ingest
    with monkeypatch.context() as patch:
        patch.setattr(ingest, "ingest", lambda *a, **k: 1 / 0)
        reply = post(wsgi_client, EVENTS, batch(kiosk_id, [event]), token)
    assert reply.status_code == 500 and "send it again" in reply.json()["error"]
    assert _stored(kiosk_id) == (0, 0)
    monkeypatch.setattr(ingest, "ingest", real)
    assert post(wsgi_client, EVENTS, batch(kiosk_id, [event]), token).json()["held"] == [event["id"]]
    assert _stored(kiosk_id) == (1, 1)
