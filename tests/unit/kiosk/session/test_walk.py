"""The whole walk: approved, accepted with mail delivery, blocked then fixed, print failure then retry."""

from __future__ import annotations

from kiosk.session import (
    AnswerChanged,
    ApplicationSaved,
    CommitmentConfirmed,
    Confirmed,
    DeliveryChosen,
    MaterialsConfirmed,
    Next,
    PrintFailed,
    PrintFinished,
    ReadCard,
    RetryPrint,
    SaveApplication,
    SaveFailed,
    ServiceChosen,
    ShowScreen,
    Step,
    SubmitPrint,
)
from kiosk.session.events import CardRead, CardRemoved, SignOpened

RECEIPT = "500151-20261121-K01-0001"
LICENCE = "铜卫公证字〔2026〕第000001号"


def test_approved_walk_emits_each_step_in_order(kiosk, cards):
    table = [
        (ServiceChosen("mini-permit"), Step.CARD, ["ReadCard", "ShowScreen"]),
        (CardRead(cards.zhang), Step.FORM, ["ShowScreen"]),
        (AnswerChanged("applicant_phone", "13800138000"), Step.FORM, ["ShowScreen"]),
        (Next(), Step.PREREVIEW, ["ShowScreen"]),
        (Next(), Step.MATERIALS, ["ShowScreen"]),
        (MaterialsConfirmed(("平面图",)), Step.MATERIALS, ["ShowScreen"]),
        (SignOpened(), Step.SIGN, ["ShowScreen"]),
        # the signature is the screen's last act: it goes on to the result (no 使用签名, no 下一步)
        (CommitmentConfirmed("signature", b"\x89PNG-strokes"), Step.RESULT, ["ShowScreen"]),
        (Confirmed(), Step.SAVING, ["StopReading", "SaveApplication", "ShowScreen"]),
        (ApplicationSaved("app-1", RECEIPT, LICENCE), Step.PRINTING, ["SubmitPrint", "ShowScreen"]),
        (PrintFinished("job-1"), Step.RATING, ["ShowScreen"]),
    ]
    for event, step, effect_kinds in table:
        effects = kiosk.send(event)
        assert (kiosk.state.step, kiosk.kinds(effects)) == (step, effect_kinds), event
        shown = [effect for effect in effects if isinstance(effect, ShowScreen)]
        assert shown[-1].state == kiosk.state and shown[-1].screen == step.value
    assert kiosk.state.outcome == "approved"
    assert kiosk.state.saved.number == LICENCE


def test_save_is_committed_before_anything_prints(kiosk):
    effects = kiosk.to(Step.SAVING)
    assert not any(isinstance(effect, SubmitPrint) for effect in effects)
    save = next(effect for effect in effects if isinstance(effect, SaveApplication))
    draft = save.draft
    assert draft.service_id == "mini-permit" and draft.outcome == "approved"
    expected = {"applicant_name": "张伟", "applicant_phone": "13800138000", "is_legal_rep": "是"}
    assert draft.values_dict() == expected
    assert draft.sources_dict()["applicant_name"] == "card"
    assert draft.card.photo_wlt is None, "the card photo must never travel to storage"
    assert draft.commitment.method == "agree" and draft.materials_promised == ("平面图",)
    printed = kiosk.send(ApplicationSaved("app-1", RECEIPT, LICENCE))
    assert printed[0] == SubmitPrint("app-1", RECEIPT, LICENCE, "approved", attempt=1)


def test_accepted_application_needs_a_delivery_choice_and_keeps_the_mail_address(kiosk):
    kiosk.to(Step.RESULT, agent=True)
    assert kiosk.state.outcome == "accepted"
    assert kiosk.state.suggested_mail_address == "重庆市铜梁区巴川街道龙城大道1号"

    kiosk.send(Confirmed())
    assert (kiosk.state.step, kiosk.state.notice.code) == (Step.RESULT, "delivery_missing")
    kiosk.send(DeliveryChosen("mail", "   "))
    assert (kiosk.state.notice.code, kiosk.state.delivery) == ("address_missing", None)

    kiosk.send(DeliveryChosen("mail", " 重庆市铜梁区东城街道金龙大道8号 "))
    assert kiosk.state.notice is None
    effects = kiosk.send(Confirmed())
    draft = next(effect for effect in effects if isinstance(effect, SaveApplication)).draft
    assert (draft.outcome, draft.delivery.method) == ("accepted", "mail")
    assert draft.delivery.address == "重庆市铜梁区东城街道金龙大道8号"
    assert {finding.rule for finding in draft.findings} == {"AGENT"}

    effects = kiosk.send(ApplicationSaved("app-2", RECEIPT, None))
    assert effects[0] == SubmitPrint("app-2", RECEIPT, None, "accepted", attempt=1)
    assert kiosk.state.saved.number == RECEIPT


def test_delivery_choice_is_ignored_for_an_approved_application(kiosk):
    kiosk.to(Step.RESULT)
    assert kiosk.send(DeliveryChosen("mail", "某地")) == []
    assert kiosk.state.delivery is None


def test_blocked_result_stays_on_the_form_and_lists_what_to_fix(kiosk):
    kiosk.to(Step.FORM)
    kiosk.send(AnswerChanged("applicant_phone", "12345"))
    effects = kiosk.send(Next())
    state = kiosk.state
    assert (state.step, state.outcome, state.show_fixes) == (Step.FORM, "blocked", True)
    assert [(f.rule, f.field) for f in state.blocking_findings] == [("PHONE", "applicant_phone")]
    assert "11位" in state.findings_for("applicant_phone")[0].message
    assert kiosk.kinds(effects) == ["ShowScreen"]

    kiosk.send(AnswerChanged("applicant_phone", "13800138000"))
    assert kiosk.state.blocking_findings == () and kiosk.state.outcome is None
    kiosk.send(Next())
    assert (kiosk.state.step, kiosk.state.outcome) == (Step.PREREVIEW, "approved")


def test_a_card_holder_under_age_is_told_at_the_card_step_with_who_can_apply(kiosk, cards):
    kiosk.send(ServiceChosen("mini-permit"), CardRead(cards.minor))
    state = kiosk.state
    assert state.step is Step.CARD and state.card is None and state.answers == ()
    assert state.notice.code == "card_excluded" and "年满18周岁" in state.notice.what_it_means
    assert "监护人" in state.notice.what_to_do
    kiosk.send(Next())
    assert kiosk.state.step is Step.CARD, "no way past the card step with that card"
    kiosk.send(CardRemoved(), CardRead(cards.zhang))
    assert kiosk.state.step is Step.FORM and kiosk.state.notice is None


def test_materials_step_insists_on_commitment_then_materials(kiosk):
    kiosk.to(Step.MATERIALS)
    kiosk.send(Next())
    assert (kiosk.state.step, kiosk.state.notice.code) == (Step.MATERIALS, "commitment_missing")
    kiosk.send(CommitmentConfirmed("agree"), Next())
    assert (kiosk.state.step, kiosk.state.notice.code) == (Step.MATERIALS, "materials_missing")
    kiosk.send(MaterialsConfirmed(()), Next())
    assert kiosk.state.step is Step.RESULT and kiosk.state.notice is None


def test_print_failure_keeps_the_application_and_retry_prints_the_same_number(kiosk):
    kiosk.to(Step.PRINTING)
    effects = kiosk.send(PrintFailed("paper_out", "DLE EOT 4 says paper end", "job-1"))
    state = kiosk.state
    # paper out is told at once, staff are called, and the waiting slip is watched (it prints by itself)
    assert state.step is Step.PRINT_FAILED and kiosk.kinds(effects) == ["CallStaff", "WatchPrint", "ShowScreen"]
    assert state.notice.code == "print_paper_out" and state.staff_called
    assert "纸用完" in state.notice.what_happened
    assert LICENCE in state.notice.what_it_means and "已经办好并保存" in state.notice.what_it_means
    assert "已通知" not in state.notice.what_to_do and "发证窗口" in state.notice.what_to_do  # the screen says
    # how the call really stands (the hall's answer), never "notified" by itself
    assert "kiosk" not in state.notice.what_to_do, "commands are for technicians, never for the applicant"
    assert state.has_personal_data and state.saved.application_id == "app-1"

    effects = kiosk.send(RetryPrint())
    assert effects[0] == SubmitPrint("app-1", RECEIPT, LICENCE, "approved", attempt=2)
    assert kiosk.state.step is Step.PRINTING and kiosk.state.notice is None
    kiosk.send(PrintFailed("no_such_kind"))
    assert kiosk.state.notice.code == "print_error"
    kiosk.send(RetryPrint(), PrintFinished("job-1"))
    assert (kiosk.state.step, kiosk.state.print_attempts) == (Step.RATING, 3)


def test_a_waiting_slip_that_prints_after_all_moves_the_failure_screen_on(kiosk):
    kiosk.to(Step.PRINTING)
    kiosk.send(PrintFailed("paper_out", "paper end", "job-1"))
    effects = kiosk.send(PrintFinished("job-1"))  # staff loaded paper: the queued job printed (WatchPrint)
    assert kiosk.state.step is Step.RATING and kiosk.state.notice is None and kiosk.state.printed_late
    assert kiosk.kinds(effects) == ["ShowScreen"]


def test_a_printer_that_is_gone_is_not_watched_and_calls_nobody_by_itself(kiosk):
    kiosk.to(Step.PRINTING)
    effects = kiosk.send(PrintFailed("offline", "connection refused"))
    assert kiosk.kinds(effects) == ["ShowScreen"] and not kiosk.state.staff_called
    assert "kiosk" not in kiosk.state.notice.what_to_do and "重新打印" in kiosk.state.notice.what_to_do


def test_applicant_may_leave_a_failed_print_to_staff_and_rate(kiosk):
    kiosk.to(Step.PRINTING)
    kiosk.send(PrintFailed("offline"), Next())
    assert kiosk.state.step is Step.RATING
    assert kiosk.state.print_skipped and not kiosk.state.printed_late, "the rating says nothing printed"


def test_a_skipped_slip_that_prints_while_the_rating_shows_is_said_printed(kiosk):
    kiosk.to(Step.PRINTING)
    kiosk.send(PrintFailed("paper_out"), Next())
    assert kiosk.state.print_skipped
    kiosk.send(PrintFinished())  # staff loaded paper before the visit ended: the waiting slip printed
    assert kiosk.state.step is Step.RATING and kiosk.state.printed_late and not kiosk.state.print_skipped


def test_save_failure_returns_to_the_result_with_everything_kept(kiosk):
    kiosk.to(Step.SAVING)
    before = kiosk.state
    effects = kiosk.send(SaveFailed("disk I/O error"))
    assert kiosk.state.step is Step.RESULT and kiosk.state.notice.code == "save_failed"
    assert isinstance(effects[0], ReadCard)
    assert kiosk.state.answers == before.answers and kiosk.state.saved is None
    effects = kiosk.send(Confirmed())
    assert kiosk.kinds(effects) == ["StopReading", "SaveApplication", "ShowScreen"]


def test_events_that_mean_nothing_now_are_ignored(kiosk, cards):
    kiosk.to(Step.SAVING)
    before = kiosk.state
    for event in (Confirmed(), Next(), PrintFinished(), RetryPrint(), CardRead(cards.li)):
        assert kiosk.send(event) == []
    assert kiosk.state.step is Step.SAVING and kiosk.state.answers == before.answers
