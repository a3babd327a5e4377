"""The case actions on a real PostgreSQL: claiming races, the state machine's refusals, the legal clocks,
the append-only history and the audited ID reveal."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from hall.cases import services
from hall.cases.ingest import ingest
from hall.cases.models import Case, CaseHistory, Kiosk, State
from hall.cases.services import CaseActionRefused, ClaimConflict, IllegalTransition, NotPermitted
from hall.cases.workdays import add_working_days


@pytest.fixture
def new_case(enrolled, app_event, new_number):
    """new_case(**body) -> a Case the kiosk just reported (received by the hall now)."""

    def make(outcome: str = "accepted", **body) -> Case:
        kiosk_id, _ = enrolled()
        kiosk = Kiosk.objects.get(kiosk_id=kiosk_id)
        number = new_number()
        held, rejected = ingest(kiosk, [app_event(number, outcome=outcome, **body)])
        assert held and not rejected
        return Case.objects.get(number=number)

    return make


def _race(n: int, action) -> list[object]:
    """Run action(i) in n threads released together, each on its own database connection."""
    barrier = threading.Barrier(n)
    results: list[object] = [None] * n

    def run(i: int) -> None:
        try:
            barrier.wait()
            results[i] = action(i)
        except Exception as e:
            results[i] = e
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


@pytest.mark.parametrize("claimants", [2, 6])
def test_staff_claiming_the_same_case_at_once_exactly_one_wins(new_case, staff, claimants):
    case = new_case()
    people = [staff("reviewer") for _ in range(claimants)]
    results = _race(claimants, lambda i: services.claim(case.number, people[i]))
    winners = [r for r in results if isinstance(r, Case)]
    losers = [r for r in results if isinstance(r, ClaimConflict)]
    assert len(winners) == 1 and len(losers) == claimants - 1, results
    case.refresh_from_db()
    assert case.claimed_by_id == winners[0].claimed_by_id
    assert CaseHistory.objects.filter(case=case, action="claim").count() == 1
    assert "已由" in str(losers[0])


def test_deciding_the_same_case_at_once_one_decision_stands(new_case, staff):
    case = new_case()
    a, b = staff("reviewer"), staff("reviewer")
    results = _race(2, lambda i: [services.accept, lambda c, u: services.refuse(c, u, "材料不全")][i](
        case.number, [a, b][i]))
    assert sum(isinstance(r, Case) for r in results) == 1
    assert sum(isinstance(r, IllegalTransition) for r in results) == 1
    case.refresh_from_db()
    assert case.state in (State.ACCEPTED, State.REFUSED)
    assert CaseHistory.objects.filter(case=case, action__in=["accept", "refuse"]).count() == 1


def test_illegal_transitions_are_refused_server_side(new_case, staff):
    case = new_case()
    reviewer, approver = staff("reviewer"), staff("approver")
    with pytest.raises(IllegalTransition, match="待受理"):
        services.approve(case.number, approver)  # not accepted yet
    with pytest.raises(IllegalTransition):
        services.deliver(case.number, reviewer, "window")
    with pytest.raises(IllegalTransition):
        services.receive_correction(case.number, reviewer)
    with pytest.raises(NotPermitted, match="审批人"):
        services.approve(case.number, reviewer)
    services.accept(case.number, reviewer)
    with pytest.raises(NotPermitted, match="受理员"):
        services.refuse(case.number, approver, "x")
    with pytest.raises(IllegalTransition):
        services.refuse(case.number, reviewer, "已受理的不能再不予受理")
    services.approve(case.number, approver, "符合条件", licence_number="JY123")
    with pytest.raises(IllegalTransition):
        services.deny(case.number, approver, "晚了")
    case.refresh_from_db()
    assert case.state == State.APPROVED and case.licence_number == "JY123"
    with pytest.raises(AttributeError):
        case.state = State.SUBMITTED  # protected: only a transition moves it


def test_a_refusal_or_denial_needs_a_reason_and_mail_needs_an_ems_number(new_case, staff):
    case = new_case()
    reviewer, approver = staff("reviewer"), staff("approver")
    with pytest.raises(CaseActionRefused, match="理由"):
        services.refuse(case.number, reviewer, "  ")
    services.accept(case.number, reviewer)
    with pytest.raises(CaseActionRefused, match="理由"):
        services.deny(case.number, approver, "")
    services.approve(case.number, approver)
    with pytest.raises(CaseActionRefused, match="EMS"):
        services.deliver(case.number, reviewer, "mail")
    services.deliver(case.number, reviewer, "mail", ems="EA123456789CN")
    case.refresh_from_db()
    assert case.state == State.DELIVERED and case.pickup == {"kind": "mail", "window": "", "ems": "EA123456789CN"}


def test_a_case_someone_else_claimed_cannot_be_decided_until_reassigned(new_case, staff):
    case = new_case()
    a, b, boss = staff("reviewer"), staff("reviewer"), staff("admin")
    services.claim(case.number, a)
    with pytest.raises(ClaimConflict):
        services.accept(case.number, b)
    with pytest.raises(CaseActionRefused, match="理由"):
        services.reassign(case.number, boss, b, "")
    with pytest.raises(NotPermitted):
        services.reassign(case.number, b, b, "我来")
    services.reassign(case.number, boss, b, "a 休假")
    services.accept(case.number, b)
    line = CaseHistory.objects.get(case=case, action="reassign")
    assert line.note == "a 休假" and line.data["to"] == b.username


def test_correction_once_listing_every_item_pauses_the_clock(new_case, staff):
    case = new_case()
    reviewer = staff("reviewer")
    received = case.submitted_at
    with pytest.raises(CaseActionRefused, match="至少一项"):
        services.request_correction(case.number, reviewer, ["  "])
    notice_at = received + dt.timedelta(days=1)
    services.request_correction(case.number, reviewer, ["营业场所平面图", "健康证明"], "请补齐", now=notice_at)
    case.refresh_from_db()
    assert case.state == State.CORRECTION_REQUESTED and case.paused_since == notice_at
    assert case.notice["kind"] == "correction" and case.notice["items"] == ["营业场所平面图", "健康证明"]
    due_before = case.decision_due
    back_at = notice_at + dt.timedelta(days=14)
    services.receive_correction(case.number, reviewer, now=back_at)
    case.refresh_from_db()
    local = timezone.localtime
    paused = case.paused_working_days
    assert paused > 0 and case.paused_since is None and case.notice is None
    assert case.decision_due == add_working_days(local(received).date(), 20 + paused) and case.decision_due > due_before
    with pytest.raises(IllegalTransition, match="一次"):
        services.request_correction(case.number, reviewer, ["又缺一份"], now=back_at)


def test_a_correction_notice_after_five_working_days_is_refused(new_case, staff):
    case = new_case()
    late = timezone.make_aware(dt.datetime.combine(case.correction_due + dt.timedelta(days=1), dt.time(9)))
    with pytest.raises(IllegalTransition, match="即为受理"):
        services.request_correction(case.number, staff("reviewer"), ["平面图"], now=late)


def test_the_history_is_append_only_in_the_database(new_case):
    case = new_case()
    line = CaseHistory.objects.filter(case=case).first()
    for statement in (lambda: CaseHistory.objects.filter(pk=line.pk).update(note="rewritten"),
                      lambda: CaseHistory.objects.filter(pk=line.pk).delete(),
                      lambda: connection.cursor().execute("TRUNCATE cases_casehistory CASCADE")):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            statement()
    assert CaseHistory.objects.get(pk=line.pk).note == line.note


def test_revealing_an_id_number_is_audited(new_case, staff):
    case = new_case()
    reviewer = staff("reviewer")
    assert case.id_number_masked == "110***********1234"
    assert services.reveal_id_number(case.number, reviewer, "核对身份") == "110101199001011234"
    line = CaseHistory.objects.get(case=case, action="reveal_id_number")
    assert line.by == reviewer and line.note == "核对身份"


def test_instant_approvals_arrive_approved_and_only_need_delivery(new_case, staff):
    case = new_case(outcome="approved")
    assert case.state == State.APPROVED
    services.deliver(case.number, staff("reviewer"), "window", window="3号窗口")
    case.refresh_from_db()
    assert case.state == State.DELIVERED


def test_acknowledging_a_staff_call_twice_keeps_the_first(enrolled, staff):
    import uuid

    from hall.cases.models import StaffCall

    kiosk_id, _ = enrolled()
    kiosk = Kiosk.objects.get(kiosk_id=kiosk_id)
    call_id = uuid.uuid4()
    ingest(kiosk, [{"id": str(uuid.uuid4()), "kind": "staff_call", "at": "2026-11-21T10:00:00+08:00",
                    "body": {"call_id": str(call_id), "screen": "form", "service": "food-licence", "number": None,
                             "location": "一楼 3 号机"}}])
    a, b = staff("reviewer"), staff("approver")
    first = services.ack_call(str(call_id), a)
    again = services.ack_call(str(call_id), b)
    assert again.acked_by_id == a.pk and again.acked_at == first.acked_at
    assert StaffCall.objects.get(call_id=call_id).location == "一楼 3 号机"
