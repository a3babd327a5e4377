"""Working days left, counted in constant time per row for the queue (hall.cases.workdays walks day by day:
a case overdue by two years costs 700 steps, and a page has 50 of them).

Same answers as hall.cases.workdays for every pair of dates (tests/hall/test_console_daycount.py proves it
against the day-by-day count): weekdays are counted arithmetically, then corrected by the year's exceptions,
which are read from workdays.is_working_day itself — so the State Council's tables stay in one place. The
exceptions are cached per year and per set of notices the admin entered (workdays.calendar_key).
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from hall.cases import workdays


def _weekdays_through(day: dt.date) -> int:
    """Monday-to-Friday days from 0001-01-01 (a Monday) through `day`."""
    n = day.toordinal()
    return n // 7 * 5 + min(n % 7, 5)


def _exceptions(year: int) -> tuple[tuple[dt.date, int], ...]:
    return _exceptions_under(year, workdays.calendar_key())


@lru_cache(maxsize=64)
def _exceptions_under(year: int, calendar_key: tuple) -> tuple[tuple[dt.date, int], ...]:
    """Days of `year` whose working status differs from Monday-to-Friday: (day, +1 worked weekend | -1 day off)."""
    notice = workdays.notice(year)
    candidates = set(notice.holidays | notice.makeup_workdays) if notice else set()
    for month, day in workdays.FIXED_HOLIDAYS:
        candidates.add(dt.date(year, month, day))
    out = []
    for day in sorted(candidates):
        weekday = day.weekday() < 5
        working = workdays.is_working_day(day)
        if working != weekday:
            out.append((day, 1 if working else -1))
    return tuple(out)


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after `start` up to and including `end` (0 when end <= start)."""
    if end <= start:
        return 0
    count = _weekdays_through(end) - _weekdays_through(start)
    for year in range(start.year, end.year + 1):
        for day, delta in _exceptions(year):
            if start < day <= end:
                count += delta
    return count


def working_days_left(today: dt.date, due: dt.date) -> int:
    """Working days left until `due` from `today` (negative when overdue: how many working days past)."""
    if today <= due:
        return working_days_between(today, due)
    return -working_days_between(due, today)
