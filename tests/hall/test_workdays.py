"""The working-day calendar and the legal clocks (pure functions)."""

from __future__ import annotations

import datetime as dt

from hall.cases import clocks
from hall.cases.workdays import add_working_days, is_working_day, working_days_between, working_days_left

D = dt.date


def test_weekdays_work_and_weekends_do_not():
    assert is_working_day(D(2026, 11, 20))  # Friday
    assert not is_working_day(D(2026, 11, 21))  # Saturday
    assert not is_working_day(D(2026, 11, 22))  # Sunday
    assert is_working_day(D(2026, 11, 23))  # Monday


def test_the_state_councils_holidays_and_makeup_days():
    assert not is_working_day(D(2026, 10, 1))  # 国庆
    assert not is_working_day(D(2026, 10, 7))
    assert is_working_day(D(2026, 10, 10))  # Saturday, 调休上班
    assert is_working_day(D(2026, 9, 20))  # Sunday, 调休上班
    assert not is_working_day(D(2026, 2, 17))  # 春节 (Tuesday)
    assert is_working_day(D(2026, 2, 14))  # Saturday, 调休上班
    assert not is_working_day(D(2025, 10, 8))
    assert is_working_day(D(2025, 9, 28))


def test_years_without_a_notice_keep_the_fixed_statutory_days():
    assert not is_working_day(D(2027, 1, 1))  # Friday, 元旦
    assert not is_working_day(D(2027, 10, 1))  # Friday, 国庆
    assert is_working_day(D(2027, 1, 4))


def test_adding_working_days_skips_weekends_and_counts_from_the_next_day():
    assert add_working_days(D(2026, 11, 20), 1) == D(2026, 11, 23)  # Friday + 1 -> Monday
    assert add_working_days(D(2026, 11, 21), 5) == D(2026, 11, 27)  # received Saturday: Mon..Fri
    assert add_working_days(D(2026, 11, 23), 0) == D(2026, 11, 23)


def test_adding_working_days_across_the_national_day_week():
    # Received Wednesday 30 Sept 2026: 1-7 Oct off, Sat 10 Oct works.
    assert add_working_days(D(2026, 9, 30), 1) == D(2026, 10, 8)
    assert add_working_days(D(2026, 9, 30), 3) == D(2026, 10, 10)
    assert add_working_days(D(2026, 9, 30), 4) == D(2026, 10, 12)


def test_counting_working_days_between_and_left():
    assert working_days_between(D(2026, 11, 20), D(2026, 11, 27)) == 5
    assert working_days_between(D(2026, 11, 27), D(2026, 11, 20)) == 0
    assert working_days_left(D(2026, 11, 23), D(2026, 11, 27)) == 4
    assert working_days_left(D(2026, 11, 30), D(2026, 11, 27)) == -1


def test_the_correction_notice_is_due_five_working_days_after_receipt():
    assert clocks.correction_due(D(2026, 11, 21)) == D(2026, 11, 27)
    assert clocks.correction_due(D(2026, 9, 29)) == D(2026, 10, 12)


def test_the_decision_limit_is_twenty_unless_the_item_promises_fewer():
    assert clocks.time_limit(20, None) == 20
    assert clocks.time_limit(20, 5) == 5
    assert clocks.time_limit(15, 30) == 15
    assert clocks.time_limit(0, None) == clocks.DEFAULT_TIME_LIMIT_DAYS
    assert clocks.decision_due(D(2026, 11, 20), 20) == D(2026, 12, 18)


def test_the_days_waiting_for_correction_move_the_decision_due_date_on():
    # Notice Monday 23 Nov, materials back Friday 27 Nov: Tue, Wed, Thu stood still.
    paused = clocks.paused_days(D(2026, 11, 23), D(2026, 11, 27))
    assert paused == 3
    assert clocks.decision_due(D(2026, 11, 20), 20, paused) == D(2026, 12, 23)
    assert clocks.paused_days(D(2026, 11, 23), D(2026, 11, 23)) == 0
    assert clocks.decision_days_left(D(2026, 11, 24), D(2026, 12, 18), paused_on=D(2026, 11, 23)) is None
    assert clocks.decision_days_left(D(2026, 12, 17), D(2026, 12, 18)) == 1
