"""The technician PIN's lock policy, as tables: wrong PINs in a row -> the lock they start, the time left,
the tries left. Pure: no clock but the numbers given."""

from __future__ import annotations

import pytest

from kiosk.pin_policy import LEVELS, UNTIL_RESET, LockLevel, PinPolicy

POLICY = PinPolicy()


def test_the_levels_are_5_min_30_min_and_until_reset():
    assert (LockLevel(5, 300.0), LockLevel(10, 1800.0), LockLevel(15, UNTIL_RESET)) == LEVELS


@pytest.mark.parametrize(("failures", "seconds", "level", "tries_left"), [
    (0, 0.0, 0, 5),
    (1, 0.0, 0, 4),
    (4, 0.0, 0, 1),
    (5, 300.0, 1, 5),
    (6, 0.0, 1, 4),
    (9, 0.0, 1, 1),
    (10, 1800.0, 2, 5),
    (11, 0.0, 2, 4),
    (14, 0.0, 2, 1),
    (15, UNTIL_RESET, 3, 0),
    (16, UNTIL_RESET, 3, 0),
    (1000, UNTIL_RESET, 3, 0),
])
def test_failures_to_lock(failures, seconds, level, tries_left):
    assert POLICY.lock_seconds(failures) == seconds
    assert POLICY.level(failures) == level
    assert POLICY.tries_left(failures) == tries_left


@pytest.mark.parametrize(("failures", "elapsed", "left"), [
    (4, 0.0, 0.0),            # no lock below the first level
    (5, 0.0, 300.0),          # the fifth wrong PIN starts 5 minutes
    (5, 100.0, 200.0),
    (5, 299.5, 0.5),
    (5, 300.0, 0.0),          # over: PINs are taken again ...
    (5, 10_000.0, 0.0),
    (6, 1.0, 0.0),            # ... and the next wrong PIN does not lock (the count goes on)
    (10, 0.0, 1800.0),        # the tenth: 30 minutes
    (10, 1799.0, 1.0),
    (10, 1800.0, 0.0),
    (15, 0.0, UNTIL_RESET),   # the fifteenth: until `kiosk keys reset-lockout`
    (15, 10**9, UNTIL_RESET),
    (5, -3600.0, 300.0),      # the wall clock set back an hour: never longer than the level
    (10, -5.0, 1800.0),
])
def test_time_left(failures, elapsed, left):
    last_failure_at = 1_000_000.0
    assert POLICY.lock_left(failures, last_failure_at, last_failure_at + elapsed) == left


def test_no_failure_time_means_the_whole_lock():
    assert POLICY.lock_left(0, None, 5.0) == 0.0
    assert POLICY.lock_left(5, None, 5.0) == 300.0


@pytest.mark.parametrize("levels", [
    (),
    (LockLevel(0, 60.0),),
    (LockLevel(5, 60.0), LockLevel(5, 120.0)),
    (LockLevel(10, 60.0), LockLevel(5, 120.0)),
    (LockLevel(5, 0.0),),
    (LockLevel(5, -1.0),),
])
def test_bad_levels_are_refused(levels):
    with pytest.raises(ValueError):
        PinPolicy(levels)


def test_a_policy_of_its_own():
    policy = PinPolicy((LockLevel(1, 60.0), LockLevel(2, UNTIL_RESET)))
    assert [policy.lock_seconds(n) for n in range(4)] == [0.0, 60.0, UNTIL_RESET, UNTIL_RESET]
    assert policy.tries_left(0) == 1 and policy.tries_left(1) == 1 and policy.tries_left(2) == 0
