"""The outbox is written in the same SQLite transaction as the change it reports.

An application's event commits with its row (a failure after the insert rolls both back), waits for its
PDFs and gets them (name, SHA-256, base64 of the very file) in the transaction that registers them; a
rating and a staff call commit with their audit rows; a visit's steps are written when it ends.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
from pathlib import Path

import pytest

from idreader import demo_cards
from kiosk.app import Kiosk
from kiosk.config import demo_config
from kiosk.effect_runner import EffectRunner
from kiosk.headless import HeadlessApplicant
from kiosk.session import CallStaff, RecordRating
from kiosk.sync import outbox
from kiosk.sync.steps import StepTracker

NOON = dt.datetime(2026, 11, 21, 12, 0)


def build(tmp_path: Path) -> Kiosk:
    return Kiosk.build(demo_config(tmp_path / "k"), now=lambda: NOON)


def rows(kiosk: Kiosk) -> list[dict]:
    return kiosk.store.select("SELECT * FROM outbox ORDER BY created_at")


def test_a_failure_after_the_decision_insert_rolls_back_its_outbox_row(tmp_path, kit, monkeypatch):
    with build(tmp_path) as kiosk:
        seen = []

        def broken_slip(*args, **kwargs):  # runs after the application row and its outbox row are inserted
            seen.append(kiosk.store.select("SELECT COUNT(*) AS n FROM outbox")[0]["n"])
            raise OSError("the slip could not be rendered")

        monkeypatch.setattr("kiosk.issuing.render_slip", broken_slip)
        result = None
        with pytest.raises(Exception, match="申请没有保存成功"):
            result = HeadlessApplicant(kiosk, print_wait=5).apply(kit.IB, demo_cards.load("adult"), kit.IB_ANSWERS)
        assert result is None
        assert seen == [1], "the outbox row was written inside the decision's transaction"
        assert kiosk.store.select("SELECT COUNT(*) AS n FROM applications")[0]["n"] == 0
        assert rows(kiosk) == [], "the outbox row went with the rolled-back decision"


def test_the_application_event_waits_for_its_pdfs_and_carries_them(tmp_path, kit):
    with build(tmp_path) as kiosk:
        applicant = HeadlessApplicant(kiosk, print_wait=5, pdfs=False)
        result = applicant.apply(kit.IB, demo_cards.load("adult"), kit.IB_ANSWERS)
        assert result.decision == "accepted"
        [row] = rows(kiosk)
        assert (row["kind"], row["ready"], row["sent_at"]) == ("application", 0, None)
        assert outbox.unsent(kiosk.store, max_events=10, max_bytes=10**8) == [], "not sent without its PDFs"
        issued = kiosk.store.find_application(result.receipt_no)
        paths = kiosk.write_documents(applicant.runner.issued(str(issued.id)))
        [event] = outbox.unsent(kiosk.store, max_events=10, max_bytes=10**8)
        body = event.body
        assert body["number"] == result.receipt_no and body["outcome"] == "accepted"
        assert body["applicant"]["id_number"] == demo_cards.load("adult").id_number
        assert body["answers"]["proposed_name"] == kit.IB_ANSWERS["proposed_name"]
        assert {doc["name"] for doc in body["documents"]} == {path.name for path in paths}
        for doc in body["documents"]:
            data = (paths[0].parent / doc["name"]).read_bytes()
            assert base64.b64decode(doc["pdf_b64"]) == data and doc["sha256"] == hashlib.sha256(data).hexdigest()
        assert event.at.startswith("2026-11-21T12:00:00")


def test_a_rating_and_a_staff_call_commit_with_their_audit_rows(tmp_path, kit, monkeypatch):
    with build(tmp_path) as kiosk:
        runner = EffectRunner(kiosk)
        runner.execute(RecordRating(None, kit.IB, 2, "排队太久"))
        runner.execute(CallStaff("form", None))
        kinds = [row["kind"] for row in rows(kiosk)]
        assert kinds == ["rating", "staff_call"]
        call = outbox.unsent(kiosk.store, max_events=10, max_bytes=10**8, kinds=["staff_call"])[0]
        assert call.event_id == runner.last_call_id == call.body["call_id"]
        assert call.body["screen"] == "form" and "铜梁区政务服务中心" in call.body["location"]
        audits = [row["event"] for row in kiosk.store.audit_rows()]
        assert "rating" in audits and "staff.called" in audits

        def no_outbox(*args, **kwargs):
            raise RuntimeError("the outbox insert failed")

        monkeypatch.setattr("kiosk.effect_runner.add_event", no_outbox)
        before = len(kiosk.store.audit_rows())
        with pytest.raises(RuntimeError):
            runner.execute(RecordRating(None, kit.IB, 1, "x"))
        assert len(kiosk.store.audit_rows()) == before, "the audit row rolled back with the outbox row"
        assert kiosk.store.verify_audit().ok


def test_step_statistics_name_the_step_an_abandoned_visit_ended_on():
    moments = iter(NOON + dt.timedelta(seconds=s) for s in (0, 12, 40, 95, 100))
    tracker = StepTracker(lambda: next(moments))
    tracker.shown("start")
    tracker.shown("card", "residence-permit")
    tracker.shown("form")
    tracker.shown("prereview")
    tracker.shown("start")  # the idle timeout took the visit back to the start screen
    body = tracker.end()
    assert body["finished"] is False and body["abandoned_at"] == "prereview"
    assert [(s["step"], s["seconds"]) for s in body["steps"]] == [("card", 12.0), ("form", 28.0), ("prereview", 55.0)]
    assert body["service"] == "residence-permit"
    assert tracker.end() is None, "a fresh tracker for the next visit"


def test_a_visit_that_ends_writes_its_step_statistics(tmp_path):
    from kiosk.services.app_services import AppServices
    from kiosk.session import WipePersonalData

    services = AppServices(demo_config(tmp_path / "k"), now=lambda: NOON)
    try:
        services.screen_shown("start")
        services.screen_shown("card", "residence-permit")
        services.screen_shown("form", "residence-permit")
        services.execute(WipePersonalData())
        services.execute(WipePersonalData())  # a second wipe with no visit writes nothing
        [event] = outbox.unsent(services.store, max_events=10, max_bytes=10**6)
        assert event.kind == "step_stats"
        assert event.body["abandoned_at"] == "form" and event.body["finished"] is False
        assert [step["step"] for step in event.body["steps"]] == ["card", "form"]
        assert event.body["service"] == "residence-permit"
    finally:
        services.close()
