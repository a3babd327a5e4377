"""Idle handling, pure: what one clock `Tick` does to a session state.

After the step's timeout (settings.py) without activity, the countdown starts (`StartIdleCountdown`,
spoken in elder mode); each whole second it changes (`CountdownChanged`); at zero the session is wiped
(`StopReading`, `WipePersonalData`, back to a fresh start). The thank-you screen returns to the start
after `thanks_seconds` with no countdown. Steps whose timeout is None (saving, printing; the start
without personal data) ignore ticks. Activity itself is recorded by the machine, which replaces the
state's `IdleTimer` on every applicant event.
"""

from __future__ import annotations

import dataclasses
import math

from kiosk.session import messages
from kiosk.session.effects import (
    CountdownChanged,
    Effect,
    Speak,
    StartIdleCountdown,
    StopReading,
    WipePersonalData,
)
from kiosk.session.settings import IdleSettings
from kiosk.session.state import IdleTimer, SessionState, Step


def fresh(now: float, settings: IdleSettings) -> SessionState:
    """The start of the next visit, in the hall's default elder mode and language."""
    return SessionState.initial(now, settings.elder_mode, settings.language)


def wipe(now: float, settings: IdleSettings) -> tuple[SessionState, list[Effect]]:
    """A fresh start: nothing of the last applicant is left in the state; the app drops the rest."""
    return fresh(now, settings), [StopReading(), WipePersonalData()]


def holds_last_person(state: SessionState, settings: IdleSettings) -> bool:
    """Personal data, or the last person's elder-mode / language choice, which the next person must not
    inherit."""
    return state.has_personal_data or (state.elder_mode, state.language) != (settings.elder_mode, settings.language)


def idle_tick(state: SessionState, now: float, settings: IdleSettings) -> tuple[SessionState, list[Effect]]:
    idle = state.idle
    if state.step is Step.THANKS:
        if now - idle.last_activity >= settings.thanks_seconds:
            return fresh(now, settings), []
        return state, []
    timeout = settings.timeout_for(state.step, holds_last_person(state, settings))
    if timeout is None:
        return state, []
    if idle.countdown_deadline is None:
        if now - idle.last_activity < timeout:
            return state, []
        seconds = settings.countdown_seconds
        idle = dataclasses.replace(idle, countdown_deadline=now + seconds, shown_seconds=seconds)
        effects: list[Effect] = [StartIdleCountdown(seconds)]
        if state.elder_mode:
            effects.append(Speak(messages.countdown_warning(seconds, state.language), state.language))
        return dataclasses.replace(state, idle=idle), effects
    if now >= idle.countdown_deadline:
        return wipe(now, settings)
    left = math.ceil(idle.countdown_deadline - now)
    if left == idle.shown_seconds:
        return state, []
    return dataclasses.replace(state, idle=IdleTimer(idle.last_activity, idle.countdown_deadline, left)), [
        CountdownChanged(left)
    ]
