"""A visit's steps and the seconds spent on each: the `step_stats` event written when the visit ends.

    tracker = StepTracker(clock)          # clock: the kiosk clock (datetime)
    tracker.shown("card", service_id)     # each screen change (the touchscreen's ShowScreen)
    body = tracker.end()                  # at WipePersonalData: the body, or None (nothing happened)

A visit is `finished` once it reached the printing, rating or thanks screen (its application was
saved); otherwise it was abandoned at the last step shown before the start screen came back.
Pure and thread-safe (the GUI thread reports screens, a worker thread ends the visit).
"""

from __future__ import annotations

import datetime as dt
import threading
import uuid
from collections.abc import Callable
from typing import Any

from kiosk.sync.bodies import iso

START = "start"
FINISHED_STEPS = frozenset({"printing", "print_failed", "rating", "thanks"})


class StepTracker:
    def __init__(self, clock: Callable[[], dt.datetime]) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._steps: list[tuple[str, dt.datetime]] = []
        self._service: str | None = None

    def shown(self, screen: str, service: str | None = None) -> None:
        with self._lock:
            if service:
                self._service = service
            if screen == START and not self._steps:
                return
            if self._steps and self._steps[-1][0] == screen:
                return
            self._steps.append((screen, self._clock()))

    def end(self) -> dict[str, Any] | None:
        """The visit's step statistics (and a fresh tracker), or None when no step was shown."""
        with self._lock:
            steps, service = self._steps, self._service
            self._steps, self._service = [], None
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
