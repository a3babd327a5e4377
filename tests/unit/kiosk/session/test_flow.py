"""Issue 14's flow rules in the pure session: 正在读取 from the reader's first sight of a card, signing as
its own step whose 确认 is the commitment, the footer's 取消办理 asking first, and a delivery asked on
the form never asked again on the result screen."""

from __future__ import annotations

from kiosk.session import (
    CancelAnswered,
    CardDetected,
    CardFault,
    CardRead,
    CardRemoved,
    CommitmentConfirmed,
    Confirmed,
    ElderModeSet,
    HomePressed,
    MaterialsConfirmed,
    Next,
    SignOpened,
    Speak,
    Step,
    view_dict,
)

PNG = b"\x89PNG\r\n\x1a\n signature"


def test_the_card_screen_says_reading_from_detection_until_the_read_ends(kiosk, cards):
    kiosk.to(Step.CARD)
    effects = kiosk.send(CardDetected())
    assert kiosk.state.card_reading and view_dict(kiosk.state)["card_reading"]
    assert kiosk.kinds(effects) == ["ShowScreen"], "the screen changes at once"
    kiosk.send(CardRead(cards.zhang))
    assert kiosk.state.step is Step.FORM and not kiosk.state.card_reading


def test_a_card_lifted_mid_read_ends_reading_and_asks_to_put_it_back(kiosk):
    kiosk.to(Step.CARD)
    kiosk.send(CardDetected(), CardFault("card_lifted", "select failed on the re-read"), CardRemoved())
    notice = kiosk.state.notice
    assert not kiosk.state.card_reading and notice.code == "card_lifted"
    assert "放回读卡区" in notice.what_to_do and "读卡器没有问题" in notice.what_it_means
    kiosk.send(CardDetected())
    assert kiosk.state.card_reading and kiosk.state.notice is None, "putting it back clears the notice"


def test_a_card_detected_elsewhere_changes_nothing(kiosk):
    kiosk.to(Step.FORM)
    before = kiosk.state
    assert kiosk.send(CardDetected()) == [] and kiosk.state == before


def test_signing_is_its_own_step_and_its_confirm_goes_on(kiosk):
    kiosk.to(Step.MATERIALS)
    kiosk.send(MaterialsConfirmed(("平面图",)), SignOpened())
    assert kiosk.state.step is Step.SIGN and view_dict(kiosk.state)["page"] == "sign"
    assert view_dict(kiosk.state)["buttons"]["back"]
    kiosk.send(CommitmentConfirmed("signature", PNG))
    assert kiosk.state.step is Step.RESULT and kiosk.state.commitment.method == "signature"


def test_signing_first_returns_to_the_materials_still_missing(kiosk):
    kiosk.to(Step.MATERIALS)
    kiosk.send(SignOpened())
    kiosk.send(CommitmentConfirmed("signature", PNG))
    assert kiosk.state.step is Step.MATERIALS and kiosk.state.commitment is not None
    kiosk.send(MaterialsConfirmed(("平面图",)), Next())
    assert kiosk.state.step is Step.RESULT


def test_cancel_asks_and_no_keeps_everything(kiosk):
    kiosk.to(Step.MATERIALS)
    before = kiosk.state.answers
    kiosk.send(HomePressed())
    assert view_dict(kiosk.state)["confirm_cancel"]
    kiosk.send(CancelAnswered(False))
    assert kiosk.state.step is Step.MATERIALS and kiosk.state.answers == before


def test_a_delivery_asked_on_the_form_is_not_asked_again(kiosk):
    rules = kiosk.session._services.rules_for("mini-permit")
    rules.form_delivery = lambda answers: ("mail", "重庆市铜梁区龙城大道1号")  # the form asked it
    try:
        kiosk.to(Step.RESULT, agent=True)
        assert kiosk.state.outcome == "accepted"
        assert (kiosk.state.delivery.method, kiosk.state.delivery.address) == ("mail", "重庆市铜梁区龙城大道1号")
        kiosk.send(Confirmed())
        assert kiosk.state.step is Step.SAVING, "no 领取方式 question on the result screen"
    finally:
        del rules.form_delivery


def test_agreeing_is_the_last_act_and_goes_on_once_the_materials_are_confirmed(kiosk):
    kiosk.to(Step.MATERIALS)
    kiosk.send(CommitmentConfirmed("agree"))
    assert kiosk.state.step is Step.MATERIALS and kiosk.state.notice is None, "materials still to confirm"
    kiosk.send(MaterialsConfirmed(("平面图",)), CommitmentConfirmed("agree"))
    assert kiosk.state.step is Step.RESULT


def test_elder_mode_says_reading_and_the_cancel_question(kiosk):
    kiosk.send(ElderModeSet(True))
    kiosk.to(Step.CARD)
    said = [effect.text for effect in kiosk.send(CardDetected()) if isinstance(effect, Speak)]
    assert said == ["正在读取，请不要移动证件"]
    kiosk.send(CardFault("card_lifted"))
    said = [effect.text for effect in kiosk.send(HomePressed()) if isinstance(effect, Speak)]
    assert len(said) == 1 and "取回您的身份证" in said[0]
