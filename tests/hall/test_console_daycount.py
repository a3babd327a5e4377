"""The queue's constant-time working-day count gives the same answer as the hall's day-by-day walk
(hall.cases.workdays) for every pair of dates, across the State Council's tables and the years after them."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from hall.cases import workdays
from hall.console import daycount

DAYS = st.dates(min_value=dt.date(2024, 6, 1), max_value=dt.date(2029, 6, 1))


@settings(max_examples=400, deadline=None)
@given(DAYS, DAYS)
def test_same_count_as_the_day_by_day_walk(a, b):
    assert daycount.working_days_between(a, b) == workdays.working_days_between(a, b)
    assert daycount.working_days_left(a, b) == workdays.working_days_left(a, b)


def test_the_spring_festival_and_its_makeup_days():
    # 2026: 2-15..2-23 off, Saturdays 2-14 and 2-28 worked: 2-14, 2-24..27, 2-28, 3-2.
    start, end = dt.date(2026, 2, 13), dt.date(2026, 3, 2)
    assert daycount.working_days_between(start, end) == workdays.working_days_between(start, end) == 7


def test_every_day_of_two_years_one_by_one():
    start = dt.date(2025, 12, 20)
    for offset in range(0, 800, 3):
        end = start + dt.timedelta(days=offset)
        assert daycount.working_days_between(start, end) == workdays.working_days_between(start, end), end
