"""Back is possible at every step before submission and keeps every answer."""

from __future__ import annotations

import pytest

from kiosk.session import (
    AnswerChanged,
    Back,
    CardRead,
    CommitmentConfirmed,
    Confirmed,
    DeliveryChosen,
    LockedFieldError,
    MaterialsConfirmed,
    Next,
    ServiceChosen,
    Step,
)

BACK_TABLE = [
    (Step.RESULT, Step.MATERIALS),
    (Step.MATERIALS, Step.PREREVIEW),
    (Step.PREREVIEW, Step.FORM),
    (Step.FORM, Step.CARD),
    (Step.CARD, Step.START),
]


def test_back_walks_all_the_way_to_the_start_keeping_everything(kiosk):
    kiosk.to(Step.RESULT, agent=True)
    kiosk.send(DeliveryChosen("mail", "重庆市铜梁区东城街道金龙大道8号"))
    full = kiosk.state
    for here, there in BACK_TABLE:
        assert kiosk.state.step is here
        kiosk.send(Back())
        state = kiosk.state
        assert state.step is there
        assert (state.answers, state.card, state.commitment, state.delivery, state.materials_promised) == (
            full.answers, full.card, full.commitment, full.delivery, full.materials_promised
        )
    assert kiosk.state.values()["agent_letter_no"] == "WT-7"


def test_forward_again_after_back_needs_no_retyping(kiosk):
    kiosk.to(Step.RESULT, agent=True)
    kiosk.send(DeliveryChosen("pickup"))
    kiosk.send(Back(), Back(), Back(), Back(), Back())
    assert kiosk.state.step is Step.START
    # the card is still on the reader (it will not be read again): Next on the card step continues
    kiosk.send(ServiceChosen("mini-permit"), Next())
    assert kiosk.state.step is Step.FORM
    kiosk.send(Next(), Next(), Next())
    assert kiosk.state.step is Step.RESULT and kiosk.state.outcome == "accepted"
    effects = kiosk.send(Confirmed())
    assert kiosk.kinds(effects) == ["StopReading", "SaveApplication", "ShowScreen"]


def test_hidden_field_keeps_its_answer_when_shown_again(kiosk):
    kiosk.to(Step.FORM)
    kiosk.send(AnswerChanged("is_legal_rep", "否"), AnswerChanged("agent_letter_no", "WT-9"))
    kiosk.send(AnswerChanged("is_legal_rep", "是"))
    assert "agent_letter_no" not in kiosk.state.visible_fields
    kiosk.send(AnswerChanged("is_legal_rep", "否"))
    assert kiosk.state.values()["agent_letter_no"] == "WT-9"


def test_hidden_fields_are_not_submitted(kiosk):
    kiosk.to(Step.FORM)
    kiosk.send(AnswerChanged("is_legal_rep", "否"), AnswerChanged("agent_letter_no", "WT-9"))
    kiosk.send(AnswerChanged("is_legal_rep", "是"), AnswerChanged("applicant_phone", "13800138000"))
    kiosk.send(Next(), Next(), MaterialsConfirmed(("平面图",)), CommitmentConfirmed("agree"), Next())
    draft = kiosk.send(Confirmed())[1].draft
    assert "agent_letter_no" not in draft.values_dict()


def test_changing_the_service_carries_what_the_applicant_typed(kiosk, cards):
    kiosk.to(Step.FORM)
    kiosk.send(AnswerChanged("applicant_phone", "13800138000"), Back(), Back())
    kiosk.send(ServiceChosen("mini-filing"), CardRead(cards.zhang))
    state = kiosk.state
    assert (state.step, state.answers_service) == (Step.FORM, "mini-filing")
    assert state.values()["applicant_phone"] == "13800138000"
    kiosk.send(Next(), Next(), Next())
    assert (kiosk.state.step, kiosk.state.outcome) == (Step.RESULT, "accepted"), "no commitment needed"


def test_back_is_not_possible_after_submission(kiosk):
    for step in (Step.SAVING, Step.PRINTING, Step.RATING):
        assert not step.before_submission
    kiosk.to(Step.PRINTING)
    assert kiosk.send(Back()) == [] and kiosk.state.step is Step.PRINTING


def test_an_edit_refills_what_follows_from_it_through_the_rules(kiosk, cards):
    """mini-filing fills the shop name from shared data when the shop code changes (as forms does
    for a credit code); the filled value is locked, and a code the registry lacks clears it."""
    kiosk.send(ServiceChosen("mini-filing"), CardRead(cards.zhang))
    kiosk.send(AnswerChanged("applicant_phone", "13800138000"), AnswerChanged("shop_code", "S2"))
    shop = kiosk.state.answer("shop_name")
    assert (shop.value, shop.source, shop.locked) == ("李娜书店", "registry", True)
    with pytest.raises(LockedFieldError):
        kiosk.send(AnswerChanged("shop_name", "别的名字"))
    kiosk.send(AnswerChanged("shop_code", "S9"))
    assert kiosk.state.answer("shop_name") is None
    kiosk.send(Next())
    assert kiosk.state.step is Step.FORM and [f.rule for f in kiosk.state.blocking_findings] == ["SHOP"]
    kiosk.send(AnswerChanged("shop_code", "S1"), Next())
    assert (kiosk.state.step, kiosk.state.outcome) == (Step.PREREVIEW, "accepted")
