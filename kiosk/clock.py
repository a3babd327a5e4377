"""The kiosk's one clock: wall time for decisions and numbers, monotonic seconds for idle timeouts.

The composition root (`kiosk.app.Kiosk`) builds ONE `KioskClock` and hands it to everything that
reads the time: the applicant session (it satisfies `kiosk.session.Clock`: what pre-review counts
from), the decision record (its day, numbers and expected completion date), the preview. So the date
on the result screen, the receipt number and the 受理回执 can never come from two different clocks.

    KioskClock()                                   the machine's clock
    KioskClock.on(dt.date(2026, 11, 21))           a fixed calendar day (tests, demos), time of day running
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable


class KioskClock:
    """`now()` (local wall time), `today()` (its date) and `monotonic()` seconds, from one source."""

    def __init__(self, now: Callable[[], dt.datetime] = dt.datetime.now,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        self._now = now
        self._monotonic = monotonic

    @classmethod
    def on(cls, today: Callable[[], dt.date] | dt.date) -> KioskClock:
        """A clock whose calendar day is `today` (a date, or a callable giving one); the time of day runs."""
        day = today if callable(today) else (lambda: today)
        return cls(lambda: dt.datetime.combine(day(), dt.datetime.now().time()))

    def now(self) -> dt.datetime:
        return self._now()

    def today(self) -> dt.date:
        return self._now().date()

    def monotonic(self) -> float:
        return self._monotonic()
