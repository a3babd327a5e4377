"""Runs the applicant session: each event becomes one `ApplicantSession.handle(event)` and the effects
it returns are carried out here.

- `ShowScreen` -> `show()` (the bridge re-renders); `Speak` -> the voice (its own thread);
- `ReadCard` / `StopReading` start and stop the reader through the services (non-blocking); reader
  events come back to the GUI thread through the worker before they reach the session;
- the idle countdown effects -> `countdown()` (the seconds are the session's: `state.idle`);
- `SaveApplication`, `SubmitPrint`, `WatchPrint`, `RecordRating`, `CallStaff`, `WipePersonalData` run on the worker
  pool (`services.execute`); the events they return are sent on the GUI thread. A failure becomes the
  event the session expects (SaveFailed, PrintFailed), so the GUI thread never waits on a device.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from kiosk.session import (
    ApplicantSession,
    CallStaff,
    CountdownChanged,
    Effect,
    Event,
    PrintFailed,
    PrintFaultKind,
    ReadCard,
    RecordRating,
    SaveApplication,
    SaveFailed,
    SessionError,
    ShowScreen,
    Speak,
    StartIdleCountdown,
    StopIdleCountdown,
    StopReading,
    SubmitPrint,
    WatchPrint,
    WipePersonalData,
)
from kiosk.session.messages import instruction
from kiosk.session.spec_words import spoken
from kiosk.ui.views.screen import kiosk_facts, reader_where
from kiosk.ui.views.worker import Worker

WORKER_EFFECTS = (SaveApplication, SubmitPrint, RecordRating, CallStaff)
_log = logging.getLogger(__name__)


class SessionRunner:
    """Sends events to `session` and runs its effects; `services()` and `voice` do the work."""

    def __init__(self, session: ApplicantSession, services: Callable[[], Any], voice: Any, worker: Worker,
                 show: Callable[[], None], wipe: Callable[[], None],
                 countdown: Callable[[], None]) -> None:
        self.session = session
        self._services = services
        self._voice = voice
        self._worker = worker
        self._show = show
        self._wipe = wipe
        self._countdown = countdown
        self._watched: set[int | None] = set()

    def send(self, event: Event) -> None:
        """Send one event to the session (GUI thread)."""
        try:
            effects = self.session.handle(event)
        except SessionError as exc:  # a screen sent something impossible: log it, keep the kiosk up
            _log.error("ui: session refused %s: %s", type(event).__name__, exc)
            return
        self.run(effects)

    def run(self, effects: list[Effect]) -> None:
        services = self._services()
        for effect in effects:
            if isinstance(effect, ShowScreen):
                self._show()
                shown = getattr(services, "screen_shown", None)
                if shown is not None:  # the visit's step statistics (memory only)
                    shown(effect.screen, effect.state.service_id, outcome=effect.state.outcome,
                          findings=effect.state.findings)
            elif isinstance(effect, Speak):
                state = self.session.state
                spec = getattr(services, "catalog", {}).get(state.service_id) if state.service_id else None
                rules = spec.rules if spec is not None else ()
                text = spoken(effect.text, effect.language, state.findings, rules)
                if state.screen == "card" and effect.text == instruction("card", effect.language):
                    where = reader_where(kiosk_facts(services)["reader_position"], effect.language)
                    text = f"{text}{'。' if effect.language == 'zh' else '. '}{where.lstrip('↓→← ')}"
                self._voice.say(text, effect.language)
            elif isinstance(effect, ReadCard):
                services.start_reading(self._on_device_event)
            elif isinstance(effect, StopReading):
                services.stop_reading()
            elif isinstance(effect, StartIdleCountdown | CountdownChanged | StopIdleCountdown):
                self._countdown()
            elif isinstance(effect, WatchPrint):
                if effect.job_id not in self._watched:  # one watcher per waiting slip
                    self._watched.add(effect.job_id)
                    self._worker.submit(lambda effect=effect: self._execute(services, effect), self._deliver_all,
                                        watch=True)
            elif isinstance(effect, WipePersonalData):
                self._watched.clear()
                self._wipe()
                self._worker.submit(lambda effect=effect: services.execute(effect), self._deliver_all)
            elif isinstance(effect, WORKER_EFFECTS):
                self._worker.submit(lambda effect=effect: self._execute(services, effect), self._deliver_all)

    def _execute(self, services: Any, effect: Effect) -> list[Event]:
        """Worker thread: run one effect; a failure becomes the event the session expects."""
        try:
            return list(services.execute(effect))
        except Exception as exc:
            _log.exception("ui: %s failed", type(effect).__name__)
            if isinstance(effect, SaveApplication):
                return [SaveFailed(str(exc))]
            if isinstance(effect, SubmitPrint):
                return [PrintFailed(PrintFaultKind.ERROR, str(exc))]
            return []

    def _on_device_event(self, event: Event) -> None:  # reader thread
        self._worker.post(self.send, event)

    def _deliver_all(self, events: list[Event]) -> None:
        for event in events:
            self.send(event)
