"""A visit's steps and the seconds spent on each: the `step_stats` event written when the visit ends.

    tracker = StepTracker(clock)          # clock: the kiosk clock (datetime)
    tracker.shown("card", service_id)     # each screen change (the touchscreen's ShowScreen)
    body = tracker.end()                  # at WipePersonalData: the body, or None (nothing happened)
    body, details = tracker.end_with_details()   # and the last outcome and pre-review findings shown
                                                 # (kept on the terminal only: kiosk.terminal_stats)

A visit is `finished` once it reached the printing, rating or thanks screen (its application was
saved); otherwise it was abandoned at the last step shown before the start screen came back.
Pure and thread-safe (the GUI thread reports screens, a worker thread ends the visit).
"""

from __future__ import annotations

import datetime as dt
import threading
import uuid
from collections.abc import Callable, Iterable
from typing import Any

from kiosk.sync.bodies import iso

START = "start"
FINISHED_STEPS = frozenset({"printing", "print_failed", "rating", "thanks"})
FINDINGS_SCREENS = frozenset({"prereview", "result"})


class StepTracker:
    def __init__(self, clock: Callable[[], dt.datetime]) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._steps: list[tuple[str, dt.datetime]] = []
        self._service: str | None = None
        self._outcome: str | None = None
        self._findings: list[dict[str, str]] = []

    def shown(self, screen: str, service: str | None = None, *, outcome: str | None = None,
              findings: Iterable[Any] | None = None) -> None:
        """A screen was shown; `outcome` and `findings` are the session's decision and pre-review findings
        at that moment (the last ones seen are the visit's)."""
        with self._lock:
            if service:
                self._service = service
            if outcome:
                self._outcome = outcome
            if findings is not None and (screen in FINDINGS_SCREENS or outcome == "blocked"):
                self._findings = [{"rule": str(getattr(f, "rule", "")), "severity": str(getattr(f, "severity", "")),
                                   "message": str(getattr(f, "message", ""))} for f in findings]
            if screen == START and not self._steps:
                return
            if self._steps and self._steps[-1][0] == screen:
                return
            self._steps.append((screen, self._clock()))

    def end(self) -> dict[str, Any] | None:
        """The visit's step statistics (and a fresh tracker), or None when no step was shown."""
        return self.end_with_details()[0]

    def end_with_details(self) -> tuple[dict[str, Any] | None, dict[str, Any]]:
        """`end()`'s body, and {"outcome", "findings"}: the last decision and pre-review findings shown."""
        with self._lock:
            steps, service = self._steps, self._service
            details = {"outcome": self._outcome, "findings": self._findings}
            self._steps, self._service, self._outcome, self._findings = [], None, None, []
        body = self._body(steps, service)
        return body, details

    def _body(self, steps: list[tuple[str, dt.datetime]], service: str | None) -> dict[str, Any] | None:
        visited = [(name, at) for name, at in steps if name != START]
        if not visited:
            return None
        now = self._clock()
        rows = []
        for index, (name, at) in enumerate(steps):
            if name == START:
                continue
            until = steps[index + 1][1] if index + 1 < len(steps) else now
            seconds = round(max(0.0, (until - at).total_seconds()), 1)
            rows.append({"step": name, "entered_at": iso(at), "seconds": seconds})
        finished = any(name in FINISHED_STEPS for name, _ in visited)
        return {"session_id": str(uuid.uuid4()), "service": service, "steps": rows, "finished": finished,
                "abandoned_at": None if finished else visited[-1][0]}
