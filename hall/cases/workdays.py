"""Working days in mainland China, for the legal clocks (行政许可法: 补正 within 5 working days, a decision
within 20 working days unless the item promises fewer). Pure functions over dates; no I/O.

The calendar: Monday to Friday are working days, Saturday and Sunday are not — except as the State
Council's yearly notice moves them (国务院办公厅关于部分节假日安排的通知): its public holidays are days off
and its 调休 make-up days (a Saturday or Sunday) are working days. The tables below carry the notices for
2025 (国办发明电〔2024〕12号) and 2026 (国办发明电〔2025〕7号). A year with no notice in the table yet (2027
on) falls back to weekends plus the fixed-date statutory holidays (元旦 1/1, 劳动节 5/1-5/2, 国庆 10/1-10/3);
the lunar ones (春节, 清明, 端午, 中秋) and 调休 are added with that year's notice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable


def _days(first: str, last: str | None = None) -> set[dt.date]:
    start = dt.date.fromisoformat(first)
    end = dt.date.fromisoformat(last or first)
    return {start + dt.timedelta(days=i) for i in range((end - start).days + 1)}


#: Days off by the State Council's notice, per year.
HOLIDAYS: dict[int, frozenset[dt.date]] = {
    2025: frozenset(
        _days("2025-01-01") | _days("2025-01-28", "2025-02-04") | _days("2025-04-04", "2025-04-06")
        | _days("2025-05-01", "2025-05-05") | _days("2025-05-31", "2025-06-02") | _days("2025-10-01", "2025-10-08")
    ),
    2026: frozenset(
        _days("2026-01-01", "2026-01-03") | _days("2026-02-15", "2026-02-23") | _days("2026-04-04", "2026-04-06")
        | _days("2026-05-01", "2026-05-05") | _days("2026-06-19", "2026-06-21") | _days("2026-09-25", "2026-09-27")
        | _days("2026-10-01", "2026-10-07")
    ),
}

#: Weekend days that are working days by the same notice (调休上班).
MAKEUP_WORKDAYS: dict[int, frozenset[dt.date]] = {
    2025: frozenset(_days("2025-01-26") | _days("2025-02-08") | _days("2025-04-27") | _days("2025-09-28")
                    | _days("2025-10-11")),
    2026: frozenset(_days("2026-01-04") | _days("2026-02-14") | _days("2026-02-28") | _days("2026-05-09")
                    | _days("2026-09-20") | _days("2026-10-10")),
}

#: Statutory holidays on fixed dates (全国年节及纪念日放假办法), for years with no notice in the table.
FIXED_HOLIDAYS = ((1, 1), (5, 1), (5, 2), (10, 1), (10, 2), (10, 3))


def is_working_day(day: dt.date) -> bool:
    """Whether government offices work on `day`."""
    if day.year in HOLIDAYS:
        if day in HOLIDAYS[day.year]:
            return False
        if day in MAKEUP_WORKDAYS.get(day.year, ()):
            return True
    elif (day.month, day.day) in FIXED_HOLIDAYS:
        return False
    return day.weekday() < 5


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The day `days` working days after `start` (start itself not counted: 行政许可法 §82 counts from the
    next day); with days <= 0, `start` itself."""
    day = start
    left = days
    while left > 0:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            left -= 1
    return day


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after `start` up to and including `end` (0 when end <= start)."""
    count = 0
    day = start
    while day < end:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count


def working_days_left(today: dt.date, due: dt.date) -> int:
    """Working days left until `due` counting from `today` (negative when overdue: how many days past)."""
    if today <= due:
        return working_days_between(today, due)
    return -working_days_between(due, today)


def working_days_in(days: Iterable[dt.date]) -> int:
    """How many of `days` are working days."""
    return sum(1 for d in days if is_working_day(d))
