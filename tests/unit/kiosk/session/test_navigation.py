"""The session is the one navigator: the start screen's pages and back stack, what the footer's buttons
show and do, and the materials screen's promise marks (which QML used to keep and lose)."""

from __future__ import annotations

import pytest

from kiosk.session import (
    AnswerChanged,
    Back,
    CancelAnswered,
    Cancelled,
    ElderModeSet,
    HomePressed,
    InvalidEventError,
    MaterialPromised,
    MaterialsConfirmed,
    Next,
    PageOpened,
    ServiceChosen,
    Speak,
    Step,
    view_dict,
)


def test_start_pages_have_their_own_back_stack(kiosk):
    assert view_dict(kiosk.state)["page"] == "home"
    kiosk.send(PageOpened("catalog"), PageOpened("intro"))
    assert view_dict(kiosk.state)["page"] == "intro"
    kiosk.send(Back())
    assert kiosk.state.page == "catalog"
    kiosk.send(Back())
    assert kiosk.state.page == "home"
    kiosk.send(PageOpened("lookup"), Back())
    assert kiosk.state.page == "home"


def test_home_button_on_the_start_screen_goes_home_without_wiping(kiosk):
    kiosk.send(PageOpened("intro"))
    effects = kiosk.send(HomePressed())
    assert kiosk.state.page == "home" and kiosk.kinds(effects) == ["ShowScreen"]


def test_home_button_during_a_visit_asks_first_then_cancels_it(kiosk):
    kiosk.to(Step.FORM)
    effects = kiosk.send(HomePressed())
    assert kiosk.state.step is Step.FORM and kiosk.state.confirm_cancel
    assert "WipePersonalData" not in kiosk.kinds(effects) and kiosk.state.has_personal_data
    kiosk.send(CancelAnswered(False))
    assert kiosk.state.step is Step.FORM and not kiosk.state.confirm_cancel and kiosk.state.has_personal_data
    kiosk.send(HomePressed())
    effects = kiosk.send(CancelAnswered(True))
    assert kiosk.state.step is Step.START and not kiosk.state.has_personal_data
    assert "WipePersonalData" in kiosk.kinds(effects)


def test_home_button_after_printing_goes_home_without_asking(kiosk):
    kiosk.to(Step.RATING)
    kiosk.send(HomePressed())
    assert kiosk.state.step is Step.START and not kiosk.state.has_personal_data


def test_returning_to_the_start_shows_its_home_page(kiosk):
    kiosk.send(PageOpened("catalog"), PageOpened("intro"), ServiceChosen("mini-permit"))
    assert view_dict(kiosk.state)["page"] == "card"
    kiosk.send(Back())
    assert kiosk.state.step is Step.START and view_dict(kiosk.state)["page"] == "home"


def test_an_unknown_start_page_is_refused(kiosk):
    with pytest.raises(InvalidEventError, match="no start page 'nowhere'"):
        kiosk.send(PageOpened("nowhere"))


@pytest.mark.parametrize(("walk", "back", "home", "word"), [
    ((), False, False, "home"),
    ((PageOpened("catalog"),), True, True, "home"),
    ((PageOpened("lookup"),), True, True, "home"),
    ((ServiceChosen("mini-permit"),), True, True, "cancel"),
])
def test_footer_buttons_come_from_the_session(kiosk, walk, back, home, word):
    kiosk.send(*walk)
    assert view_dict(kiosk.state)["buttons"] == {"back": back, "home": home, "home_word": word}


@pytest.mark.parametrize(("step", "back", "home", "word"), [
    (Step.FORM, True, True, "cancel"),
    (Step.RESULT, True, True, "cancel"),
    (Step.SAVING, False, False, "cancel"),
    (Step.PRINTING, False, False, "cancel"),
    (Step.RATING, False, True, "home"),
])
def test_footer_buttons_during_a_visit(kiosk, step, back, home, word):
    kiosk.to(step)
    assert view_dict(kiosk.state)["buttons"] == {"back": back, "home": home, "home_word": word}


def test_elder_mode_reads_the_start_instruction_on_each_start_page(kiosk):
    kiosk.send(ElderModeSet(True))
    effects = kiosk.send(PageOpened("catalog"))
    assert [type(e) for e in effects if isinstance(e, Speak)] == [Speak]


def test_promise_marks_live_in_the_session_and_survive_back_and_forth(kiosk):
    kiosk.to(Step.MATERIALS)
    kiosk.send(MaterialPromised("平面图"))
    assert kiosk.state.materials_promised == ("平面图",)
    kiosk.send(Back(), Next())  # leave the screen and come back: the mark is still there
    assert kiosk.state.step is Step.MATERIALS and view_dict(kiosk.state)["materials_promised"] == ["平面图"]
    kiosk.send(MaterialPromised("平面图", promised=False))
    assert kiosk.state.materials_promised == ()
    kiosk.send(MaterialPromised("平面图"))
    kiosk.send(MaterialsConfirmed(kiosk.state.materials_promised))
    assert kiosk.state.materials_confirmed and kiosk.state.materials_promised == ("平面图",)


def test_promising_a_material_not_asked_for_is_refused(kiosk):
    kiosk.to(Step.MATERIALS)
    with pytest.raises(InvalidEventError, match="not asked for: 户口本"):
        kiosk.send(MaterialPromised("户口本"))


def test_cancel_after_promising_wipes_the_marks(kiosk):
    kiosk.to(Step.MATERIALS)
    kiosk.send(MaterialPromised("平面图"), Cancelled())
    assert kiosk.state.materials_promised == () and not kiosk.state.has_personal_data


def test_one_keystroke_checks_the_answers_once(kiosk):
    kiosk.to(Step.FORM)
    rules = kiosk.session._services.rules_for("mini-permit")
    before = rules.checks
    kiosk.send(AnswerChanged("applicant_phone", "1"))
    assert rules.checks == before + 1
