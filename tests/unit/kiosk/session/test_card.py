"""The card step: faults told as what happened / what it means / what to do, expired cards, and a
different person's card read mid-application (asked before anything is replaced)."""

from __future__ import annotations

import pytest

from kiosk.session import (
    CARD_SWAP_SCREEN,
    AnswerChanged,
    Back,
    CardFault,
    CardFaultKind,
    CardRead,
    CardRemoved,
    CardSwapAnswered,
    Next,
    ServiceChosen,
    Step,
    WipePersonalData,
)


@pytest.mark.parametrize(
    ("kind", "code", "words"),
    [
        (CardFaultKind.NO_RESPONSE, "no_response", "没有应答"),
        (CardFaultKind.READ_FAILED, "read_failed", "读卡失败，请重新放置"),
        (CardFaultKind.CARD_LIFTED, "card_lifted", "移开"),
        (CardFaultKind.UNREADABLE_CARD, "unreadable_card", "无法识别"),
        (CardFaultKind.READER_OFFLINE, "reader_offline", "没有连接"),
        ("something new", "read_failed", "读卡失败"),
    ],
)
def test_reader_faults_are_told_in_three_parts(kiosk, kind, code, words):
    kiosk.to(Step.CARD)
    effects = kiosk.send(CardFault(kind, detail="SW3 0x41"))
    notice = kiosk.state.notice
    assert (kiosk.state.step, notice.code) == (Step.CARD, code)
    assert words in notice.what_happened
    assert notice.what_it_means and notice.what_to_do
    assert "SW3" not in notice.what_happened + notice.what_it_means + notice.what_to_do
    assert kiosk.kinds(effects) == ["ShowScreen"]


def test_a_good_read_after_a_fault_clears_it(kiosk, cards):
    kiosk.to(Step.CARD)
    kiosk.send(CardFault(CardFaultKind.CARD_LIFTED), CardRead(cards.zhang))
    assert kiosk.state.step is Step.FORM and kiosk.state.notice is None


@pytest.mark.parametrize(
    ("card_type", "office"),
    [("resident", "户籍所在地或居住地公安机关户政窗口"), ("foreign_2023", "居住地公安机关出入境管理窗口")],
)
def test_expired_card_is_blocked_and_names_where_to_renew(kiosk, cards, card_type, office):
    import dataclasses

    card = dataclasses.replace(cards.expired, card_type=card_type)
    kiosk.to(Step.CARD)
    kiosk.send(CardRead(card))
    state = kiosk.state
    assert state.step is Step.CARD and state.card is None, "an expired card's data is not kept"
    assert "2025-01-01" in state.notice.what_happened
    assert office in state.notice.what_to_do
    assert kiosk.send(Next()) == [] and kiosk.state.step is Step.CARD


def test_card_valid_until_today_is_still_accepted(kiosk, cards, clock):
    import dataclasses

    card = dataclasses.replace(cards.zhang, valid_to=clock.today())
    kiosk.to(Step.CARD)
    kiosk.send(CardRead(card))
    assert kiosk.state.step is Step.FORM


def test_prefill_locks_card_values_and_drops_the_photo(kiosk, cards):
    kiosk.to(Step.FORM)
    state = kiosk.state
    assert cards.zhang.photo_wlt is not None and state.card.photo_wlt is None
    name = state.answer("applicant_name")
    assert (name.value, name.source, name.locked) == ("张伟", "card", True)
    assert state.visible_fields == ("applicant_name", "applicant_phone", "is_legal_rep")
    assert [f.rule for f in state.findings] == ["PHONE"], "live review runs as soon as the form shows"
    assert state.card_present


def test_same_persons_card_again_is_harmless(kiosk, cards):
    kiosk.to(Step.MATERIALS)
    before = kiosk.state
    assert kiosk.send(CardRead(cards.zhang)) == []
    kiosk.send(CardRemoved())
    assert not kiosk.state.card_present
    kiosk.send(CardRead(cards.zhang_new))  # renewed card of the same person
    after = kiosk.state
    assert (after.card, after.answers, after.step, after.pending_card) == (
        before.card, before.answers, Step.MATERIALS, None
    )
    assert after.card_present


@pytest.mark.parametrize("step", [Step.FORM, Step.PREREVIEW, Step.MATERIALS, Step.RESULT])
def test_different_persons_card_asks_before_replacing_anything(kiosk, cards, step):
    kiosk.to(step)
    before = kiosk.state
    effects = kiosk.send(CardRead(cards.li))
    asking = kiosk.state
    assert asking.screen == CARD_SWAP_SCREEN and asking.step is step
    kept = (before.card, before.answers, before.commitment)
    assert (asking.card, asking.answers, asking.commitment) == kept
    assert asking.pending_card.name == "李娜"
    assert kiosk.kinds(effects) == ["ShowScreen"]
    # nothing else is possible while the question is open
    assert kiosk.send(Next()) == [] and kiosk.send(AnswerChanged("applicant_phone", "13900000000")) == []

    kiosk.send(CardSwapAnswered(replace=False))
    after = kiosk.state
    assert after.pending_card is None and after.screen == step.value
    assert (after.card, after.answers, after.commitment) == kept


def test_replacing_starts_a_fresh_form_for_the_new_person(kiosk, cards):
    kiosk.to(Step.MATERIALS)
    kiosk.send(CardRead(cards.li))
    effects = kiosk.send(CardSwapAnswered(replace=True))
    state = kiosk.state
    assert state.step is Step.FORM and state.card.name == "李娜" and state.pending_card is None
    assert state.values() == {"applicant_name": "李娜", "is_legal_rep": "是"}, "张伟's phone is gone"
    assert (state.commitment, state.materials_promised, state.outcome) == (None, (), None)
    assert WipePersonalData() in effects


def test_back_on_the_question_keeps_the_first_person(kiosk, cards):
    kiosk.to(Step.FORM)
    kiosk.send(CardRead(cards.li), Back())
    assert kiosk.state.card.name == "张伟" and kiosk.state.step is Step.FORM


def test_first_person_laying_their_card_again_closes_the_question(kiosk, cards):
    kiosk.to(Step.FORM)
    kiosk.send(CardRead(cards.li))
    kiosk.send(CardRead(cards.zhang))
    assert kiosk.state.pending_card is None and kiosk.state.card.name == "张伟"


def test_expired_card_mid_form_changes_nothing_but_says_so(kiosk, cards):
    kiosk.to(Step.FORM)
    before = kiosk.state
    kiosk.send(CardRead(cards.expired))
    assert kiosk.state.pending_card is None and kiosk.state.answers == before.answers
    assert kiosk.state.notice.code == "expired_card_mid_form"


def test_different_card_on_the_card_step_after_going_back_also_asks(kiosk, cards):
    kiosk.to(Step.FORM)
    kiosk.send(AnswerChanged("applicant_phone", "13800138000"), Back())
    assert kiosk.state.step is Step.CARD
    kiosk.send(CardRead(cards.li))
    assert kiosk.state.screen == CARD_SWAP_SCREEN
    assert kiosk.state.values()["applicant_phone"] == "13800138000"


def test_a_card_on_the_start_screen_is_ignored(kiosk, cards):
    assert kiosk.send(CardRead(cards.zhang)) == []
    assert not kiosk.state.has_personal_data


def test_card_removed_is_remembered_for_the_take_your_card_reminder(kiosk, cards):
    kiosk.to(Step.FORM)
    kiosk.send(CardRemoved())
    assert not kiosk.state.card_present and kiosk.state.card is not None
    kiosk.send(ServiceChosen("mini-permit"))  # ignored on the form: the service is chosen
    assert kiosk.state.step is Step.FORM
