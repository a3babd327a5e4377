"""Idle handling with a fake clock: the warning, the countdown, extension by a touch, the wipe, and
no wipe while saving or printing."""

from __future__ import annotations

import pytest

from kiosk.session import (
    ApplicationSaved,
    Back,
    CountdownChanged,
    IdleSettings,
    Next,
    PrintFailed,
    Rated,
    SessionState,
    ShowScreen,
    StartIdleCountdown,
    Step,
    StopIdleCountdown,
    Touch,
)

COUNTDOWN = IdleSettings().countdown_seconds

# (step to walk to, extra events once there, idle timeout of that step)
IDLE_TABLE = [
    (Step.CARD, (), 60.0),
    (Step.FORM, (), 90.0),
    (Step.PREREVIEW, (), 90.0),
    (Step.MATERIALS, (), 90.0),
    (Step.RESULT, (), 30.0),
    (Step.PRINTING, (PrintFailed("paper_out"),), 120.0),
    (Step.RATING, (), 30.0),
    (Step.FORM, (Back(), Back()), 90.0),  # back on the start screen, card and answers still held
]


@pytest.mark.parametrize(("step", "extra", "timeout"), IDLE_TABLE)
def test_timeout_then_countdown_then_wipe(kiosk, step, extra, timeout):
    kiosk.to(step)
    kiosk.send(*extra)
    held = kiosk.state
    assert held.service_id == "mini-permit"

    assert kiosk.wait(timeout - 1) == []
    assert kiosk.wait(1) == [StartIdleCountdown(COUNTDOWN)]
    assert kiosk.state.idle.counting_down
    assert kiosk.state.step is held.step and kiosk.state.answers == held.answers

    countdown = kiosk.wait(COUNTDOWN - 1)
    assert countdown == [CountdownChanged(left) for left in range(COUNTDOWN - 1, 0, -1)]

    effects = kiosk.wait(1)
    assert kiosk.kinds(effects) == ["StopIdleCountdown", "StopReading", "WipePersonalData", "ShowScreen"]
    assert kiosk.state == SessionState.initial(kiosk.clock.monotonic())
    assert effects[-1] == ShowScreen("start", kiosk.state)
    assert not kiosk.state.has_personal_data


def test_countdown_ticks_once_per_whole_second_even_with_fast_ticks(kiosk):
    kiosk.to(Step.RESULT)
    kiosk.wait(30)
    effects = kiosk.wait(3, tick_every=0.25)
    assert effects == [CountdownChanged(19), CountdownChanged(18), CountdownChanged(17)]


def test_one_touch_during_the_countdown_extends_the_session(kiosk):
    kiosk.to(Step.FORM)
    kiosk.wait(90 + 15)
    assert kiosk.state.idle.counting_down
    assert kiosk.send(Touch()) == [StopIdleCountdown()]
    assert not kiosk.state.idle.counting_down
    # the old deadline passes without a wipe; a full timeout later the countdown starts again
    assert kiosk.wait(89) == []
    assert kiosk.wait(1) == [StartIdleCountdown(COUNTDOWN)]
    assert kiosk.state.step is Step.FORM


def test_a_touch_before_the_timeout_restarts_it(kiosk):
    kiosk.to(Step.FORM)
    kiosk.wait(80)
    assert kiosk.send(Touch()) == []
    assert kiosk.wait(89) == []
    assert kiosk.wait(1) == [StartIdleCountdown(COUNTDOWN)]


def test_a_late_tick_still_shows_the_whole_countdown(kiosk):
    """If the timer was starved for ten minutes, the applicant still gets the full countdown."""
    kiosk.to(Step.FORM)
    assert kiosk.wait(600, tick_every=600) == [StartIdleCountdown(COUNTDOWN)]
    assert kiosk.state.step is Step.FORM


@pytest.mark.parametrize("step", [Step.SAVING, Step.PRINTING])
def test_never_wiped_while_saving_or_printing(kiosk, step):
    kiosk.to(step)
    held = kiosk.state
    assert kiosk.wait(3600, tick_every=7) == []
    assert kiosk.state == held


def test_the_idle_clock_restarts_when_printing_ends(kiosk):
    kiosk.to(Step.SAVING)
    kiosk.wait(600, tick_every=60)
    kiosk.send(ApplicationSaved("app-1", "R-1", "L-1"))
    kiosk.wait(600, tick_every=60)
    kiosk.send(PrintFailed("paper_out"))
    assert kiosk.wait(119) == []
    assert kiosk.wait(1) == [StartIdleCountdown(COUNTDOWN)]


def test_start_screen_without_personal_data_never_times_out(kiosk):
    assert kiosk.wait(3600, tick_every=30) == []


def test_thanks_screen_returns_to_the_start_after_its_time(kiosk):
    kiosk.to(Step.RATING)
    effects = kiosk.send(Rated(4))
    assert kiosk.state.step is Step.THANKS
    assert kiosk.kinds(effects) == ["RecordRating", "WipePersonalData", "ShowScreen"]
    assert kiosk.wait(4) == []
    effects = kiosk.wait(1)
    assert kiosk.kinds(effects) == ["ShowScreen"] and kiosk.state.step is Step.START


def test_custom_settings_are_used_per_step(make_kiosk):
    driver = make_kiosk(IdleSettings(form_seconds=10, countdown_seconds=3))
    driver.to(Step.FORM)
    assert driver.wait(10) == [StartIdleCountdown(3)]
    assert driver.kinds(driver.wait(3))[-1] == "ShowScreen"
    assert driver.state.step is Step.START


def test_settings_refuse_non_positive_values():
    with pytest.raises(ValueError, match="form_seconds"):
        IdleSettings(form_seconds=0)


def test_next_on_the_prereview_is_activity(kiosk):
    kiosk.to(Step.PREREVIEW)
    kiosk.wait(89)
    kiosk.send(Next())
    assert kiosk.state.step is Step.MATERIALS
    assert kiosk.wait(89) == []


def test_elder_mode_left_on_at_the_start_screen_returns_to_the_default_for_the_next_person(kiosk):
    from kiosk.session import ElderModeSet, LanguageSet

    assert kiosk.wait(600) == []  # an untouched start screen never times out
    kiosk.send(ElderModeSet(True), LanguageSet("en"))
    start_timeout = IdleSettings().start_with_data_seconds
    warning = kiosk.wait(start_timeout)
    assert warning[0] == StartIdleCountdown(COUNTDOWN) and kiosk.kinds(warning[1:]) == ["Speak"]
    effects = kiosk.wait(COUNTDOWN)
    assert "WipePersonalData" in kiosk.kinds(effects)
    assert kiosk.state == SessionState.initial(kiosk.clock.monotonic())
    assert not kiosk.state.elder_mode and kiosk.state.language == "zh"


def test_a_hall_that_defaults_to_elder_mode_keeps_it_across_visits(make_kiosk):
    from kiosk.session import ElderModeSet

    kiosk = make_kiosk(IdleSettings(elder_mode=True))
    assert kiosk.state.elder_mode
    assert kiosk.wait(600) == []  # the default itself is nothing to wipe
    kiosk.to(Step.FORM)
    kiosk.send(ElderModeSet(False))
    kiosk.wait(90 + COUNTDOWN)
    assert kiosk.state.step is Step.START and kiosk.state.elder_mode and not kiosk.state.has_personal_data
