"""State values, privacy, typed errors, elder mode and language, staff call, cancel, and the rating
that ends a visit by wiping everything."""

from __future__ import annotations

import dataclasses

import pytest

from kiosk.session import (
    STAGE_NAMES,
    AnswerChanged,
    CallStaff,
    Cancelled,
    CardFault,
    CommitmentConfirmed,
    DeliveryChosen,
    ElderModeSet,
    InvalidEventError,
    LanguageSet,
    LockedFieldError,
    MaterialsConfirmed,
    Next,
    PrintFailed,
    Rated,
    RecordRating,
    ServiceChosen,
    SessionState,
    Speak,
    StaffCalled,
    Step,
    Tick,
    UnknownFieldError,
    UnknownServiceError,
    WipePersonalData,
)
from kiosk.session.messages import instruction


def test_states_are_immutable_values(kiosk):
    kiosk.to(Step.FORM)
    state = kiosk.state
    with pytest.raises(dataclasses.FrozenInstanceError):
        state.step = Step.START  # type: ignore[misc]
    assert isinstance(state.answers, tuple) and isinstance(state.findings, tuple)
    kiosk.send(AnswerChanged("applicant_phone", "13800138000"))
    assert state.answer("applicant_phone") is None, "an older state never changes"
    assert kiosk.state.answer("applicant_phone").value == "13800138000"


def test_repr_of_state_and_effects_leaks_no_id_number_or_answer(kiosk, cards):
    effects = kiosk.to(Step.SAVING)
    kiosk.send(AnswerChanged("applicant_phone", "13800138000"))
    text = repr(kiosk.state) + repr(effects)
    assert cards.zhang.id_number not in text and "13800138000" not in text
    assert "1101**********002X" in text


def test_progress_stages(kiosk):
    assert [Step(s).stage for s in ("start", "card", "form", "prereview", "materials", "printing")] == list(
        range(len(STAGE_NAMES))
    )


@pytest.mark.parametrize(
    ("event", "error"),
    [
        (AnswerChanged("applicant_name", "李四"), LockedFieldError),
        (AnswerChanged("no_such_field", "x"), UnknownFieldError),
        (AnswerChanged("agent_letter_no", "x"), UnknownFieldError),  # hidden while is_legal_rep = 是
        (LanguageSet("fr"), InvalidEventError),
    ],
)
def test_events_the_ui_must_never_send_raise_typed_errors(kiosk, event, error):
    kiosk.to(Step.FORM)
    before = kiosk.state
    with pytest.raises(error):
        kiosk.send(event)
    assert kiosk.state == before


def test_unknown_service_is_refused_before_anything_changes(kiosk):
    with pytest.raises(UnknownServiceError, match="no-such-item"):
        kiosk.send(ServiceChosen("no-such-item"))
    assert kiosk.state.step is Step.START


@pytest.mark.parametrize(
    "event",
    [CommitmentConfirmed("signature"), CommitmentConfirmed("wave"), MaterialsConfirmed(("不存在的材料",))],
)
def test_bad_materials_and_commitment_events_raise(kiosk, event):
    kiosk.to(Step.MATERIALS)
    with pytest.raises(InvalidEventError):
        kiosk.send(event)


def test_bad_delivery_method_raises(kiosk):
    kiosk.to(Step.RESULT, agent=True)
    with pytest.raises(InvalidEventError, match="pickup or mail"):
        kiosk.send(DeliveryChosen("drone"))


@pytest.mark.parametrize("stars", [0, 6])
def test_rating_outside_one_to_five_raises(kiosk, stars):
    kiosk.to(Step.RATING)
    with pytest.raises(InvalidEventError, match="1 to 5"):
        kiosk.send(Rated(stars))
    assert kiosk.state.step is Step.RATING and kiosk.state.saved is not None


def test_rating_then_reset_wipes_everything(kiosk):
    kiosk.send(ElderModeSet(True), LanguageSet("en"))
    kiosk.to(Step.RATING)
    effects = kiosk.send(Rated(5, " 很方便 "))
    assert effects[0] == RecordRating("app-1", "mini-permit", 5, "很方便")
    assert WipePersonalData() in effects
    thanks = kiosk.state
    assert thanks.step is Step.THANKS and not thanks.has_personal_data
    assert (thanks.card, thanks.answers, thanks.saved, thanks.findings) == (None, (), None, ())
    kiosk.wait(5)
    assert kiosk.state == SessionState.initial(kiosk.clock.monotonic())
    assert (kiosk.state.elder_mode, kiosk.state.language) == (False, "zh"), "the next person starts fresh"


def test_skipping_the_rating_records_nothing(kiosk):
    kiosk.to(Step.RATING)
    effects = kiosk.send(Next())
    assert not any(isinstance(effect, RecordRating) for effect in effects)
    assert kiosk.state.step is Step.THANKS and WipePersonalData() in effects
    kiosk.send(Next())
    assert kiosk.state.step is Step.START


@pytest.mark.parametrize("step", [Step.CARD, Step.FORM, Step.MATERIALS, Step.RESULT, Step.RATING])
def test_cancel_wipes_before_and_after_submission_but_not_while_printing(kiosk, step):
    kiosk.to(step)
    effects = kiosk.send(Cancelled())
    assert kiosk.kinds(effects) == ["StopReading", "WipePersonalData", "ShowScreen"]
    assert kiosk.state.step is Step.START and not kiosk.state.has_personal_data


def test_cancel_is_ignored_while_printing(kiosk):
    kiosk.to(Step.PRINTING)
    assert kiosk.send(Cancelled()) == [] and kiosk.state.step is Step.PRINTING


def test_staff_call_works_everywhere_and_names_the_number(kiosk):
    assert kiosk.send(StaffCalled())[0] == CallStaff("start", None)
    kiosk.to(Step.PRINTING)
    kiosk.send(PrintFailed("paper_out"))
    effects = kiosk.send(StaffCalled())
    assert effects[0] == CallStaff("print_failed", "铜卫公证字〔2026〕第000001号")
    assert kiosk.state.staff_called


def test_elder_mode_reads_each_screen_and_every_error_aloud(kiosk):
    effects = kiosk.send(ElderModeSet(True))
    assert effects[-1] == Speak(instruction("start", "zh"), "zh")
    effects = kiosk.send(ServiceChosen("mini-permit"))
    assert [e.text for e in effects if isinstance(e, Speak)] == [instruction("card", "zh")]
    effects = kiosk.send(CardFault("card_lifted"))
    notice = kiosk.state.notice
    spoken = [e.text for e in effects if isinstance(e, Speak)]
    assert spoken == [f"{notice.what_happened}。{notice.what_to_do}"] and "移开" in spoken[0]
    kiosk.to(Step.FORM)
    kiosk.send(AnswerChanged("applicant_phone", "123"))
    effects = kiosk.send(Next())
    spoken = [e.text for e in effects if isinstance(e, Speak)]
    assert spoken == ["请修改以下内容：手机号码应为1开头的11位数字"]


def test_elder_mode_speaks_the_countdown_warning(kiosk):
    kiosk.send(ElderModeSet(True))
    kiosk.to(Step.FORM)
    effects = kiosk.wait(90)
    assert kiosk.kinds(effects) == ["StartIdleCountdown", "Speak"]
    assert effects[1].text.startswith("您还在吗？20秒后")


def test_english_instructions_and_notices(kiosk):
    kiosk.send(LanguageSet("en"), ElderModeSet(True))
    effects = kiosk.send(ServiceChosen("mini-permit"), CardFault("reader_offline"))
    spoken = [e for e in effects if isinstance(e, Speak)]
    assert all(s.language == "en" for s in spoken)
    assert kiosk.state.notice.what_happened == "The card reader is not connected"


def test_without_elder_mode_nothing_is_spoken(kiosk):
    effects = kiosk.to(Step.RATING)
    effects += kiosk.send(Tick())
    assert not any(isinstance(effect, Speak) for effect in effects)
