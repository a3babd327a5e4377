"""How many wrong technician PINs lock the PIN pad, and for how long. Pure: counts and seconds in, seconds out.

Wrong PINs are counted in a row (a right PIN or `kiosk keys reset-lockout` starts the count again; a
lockout running out does not, so the locks escalate):

    failures in a row   the pad is locked
    5                   5 minutes
    10                  30 minutes
    15                  until `kiosk keys reset-lockout` is run on the machine (`UNTIL_RESET`)

The failure that reaches a level starts its lock; the failures between levels lock nothing. The state
is two numbers, the count and the (wall-clock) time of the last failure, so it can be kept in the
database and survive a restart (kiosk.store.pin_attempts). A wall clock set back never makes a lock
longer than its level: the time left is at most the level's duration.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

#: A lock that only `kiosk keys reset-lockout` ends.
UNTIL_RESET = math.inf


@dataclass(frozen=True)
class LockLevel:
    """`failures` wrong PINs in a row lock the pad for `seconds` (`UNTIL_RESET`: until the reset)."""

    failures: int
    seconds: float


LEVELS: tuple[LockLevel, ...] = (
    LockLevel(5, 5 * 60.0),
    LockLevel(10, 30 * 60.0),
    LockLevel(15, UNTIL_RESET),
)


@dataclass(frozen=True)
class PinPolicy:
    """The lock levels, in rising order of failures; the last one should be `UNTIL_RESET`."""

    levels: tuple[LockLevel, ...] = LEVELS

    def __post_init__(self) -> None:
        counts = [level.failures for level in self.levels]
        if not counts or counts[0] < 1 or counts != sorted(set(counts)):
            raise ValueError("lock levels need rising failure counts of at least 1")
        if any(not level.seconds > 0 for level in self.levels):
            raise ValueError("a lock level needs a positive duration")

    def level(self, failures: int) -> int:
        """How many levels `failures` has reached (0: none; len(levels): the last)."""
        return sum(1 for level in self.levels if failures >= level.failures)

    def lock_seconds(self, failures: int) -> float:
        """The lock the `failures`-th failure in a row starts: 0 between levels, `UNTIL_RESET` from the
        last level on."""
        last = self.levels[-1]
        if failures >= last.failures:
            return last.seconds
        for level in self.levels:
            if failures == level.failures:
                return level.seconds
        return 0.0

    def lock_left(self, failures: int, last_failure_at: float | None, now: float) -> float:
        """Seconds the pad stays locked at `now` (0: it takes PINs; `UNTIL_RESET`: until the reset)."""
        seconds = self.lock_seconds(failures)
        if seconds == 0 or math.isinf(seconds):
            return seconds
        elapsed = max(now - (last_failure_at if last_failure_at is not None else now), 0.0)
        return max(seconds - elapsed, 0.0)

    def tries_left(self, failures: int) -> int:
        """Wrong PINs left before the next lock (0 once the last level is reached)."""
        for level in self.levels:
            if failures < level.failures:
                return level.failures - failures
        return 0
