"""Time as the applicant session sees it: a `Clock` protocol, the real one and a fake for tests.

`monotonic()` (seconds, `time.monotonic()` in production) measures idle timeouts; `today()` is the
calendar date used to decide whether an ID card has expired. The session never reads the time any
other way, so a test moves time with `FakeClock.advance(seconds)` instead of sleeping.
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Protocol


class Clock(Protocol):
    def monotonic(self) -> float:
        """Seconds from an arbitrary origin that never goes backwards."""
        ...

    def today(self) -> dt.date:
        """The local calendar date."""
        ...


class SystemClock:
    """The production clock: `time.monotonic()` and the local date."""

    def monotonic(self) -> float:
        return time.monotonic()

    def today(self) -> dt.date:
        return dt.date.today()


class FakeClock:
    """A clock that only moves when told to; the date follows whole days of advanced time."""

    def __init__(self, today: dt.date, start: float = 1000.0) -> None:
        self._start = start
        self._now = start
        self._first_day = today

    def monotonic(self) -> float:
        return self._now

    def today(self) -> dt.date:
        return self._first_day + dt.timedelta(seconds=self._now - self._start)

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("a monotonic clock cannot go backwards")
        self._now += seconds
