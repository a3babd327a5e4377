"""Working days in mainland China, for the legal clocks (行政许可法: 补正 within 5 working days, a decision
within 20 working days unless the item promises fewer). Pure functions over dates; no I/O.

The calendar: Monday to Friday are working days, Saturday and Sunday are not — except as the State
Council's yearly notice moves them (国务院办公厅关于部分节假日安排的通知): its public holidays are days off
and its 调休 make-up days (a Saturday or Sunday) are working days. The notices for 2025 (国办发明电〔2024〕12号)
and 2026 (国办发明电〔2025〕7号) ship in `BUILT_IN`; a later year's notice comes out each November and is entered
by the hall's admin in the console (hall.cases.holidays keeps it in the database and installs it here with
`use_entered`; an entered notice replaces a shipped one of the same year). A year with no notice falls back
to weekends plus the fixed-date statutory holidays (元旦 1/1, 劳动节 5/1-5/2, 国庆 10/1-10/3): the lunar ones
(春节, 清明, 端午, 中秋) and 调休 come only with that year's notice, which is why the console warns while the
coming year's is missing (hall.cases.holidays.missing_notice).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass


def _days(first: str, last: str | None = None) -> set[dt.date]:
    start = dt.date.fromisoformat(first)
    end = dt.date.fromisoformat(last or first)
    return {start + dt.timedelta(days=i) for i in range((end - start).days + 1)}


@dataclass(frozen=True)
class Notice:
    """One year's notice: its days off, its weekend days worked (调休上班), and where it comes from (文号)."""

    year: int
    holidays: frozenset[dt.date]
    makeup_workdays: frozenset[dt.date]
    source: str


#: The notices this release ships with.
BUILT_IN: dict[int, Notice] = {
    2025: Notice(2025, frozenset(
        _days("2025-01-01") | _days("2025-01-28", "2025-02-04") | _days("2025-04-04", "2025-04-06")
        | _days("2025-05-01", "2025-05-05") | _days("2025-05-31", "2025-06-02") | _days("2025-10-01", "2025-10-08")
    ), frozenset(_days("2025-01-26") | _days("2025-02-08") | _days("2025-04-27") | _days("2025-09-28")
                 | _days("2025-10-11")), "国办发明电〔2024〕12号"),
    2026: Notice(2026, frozenset(
        _days("2026-01-01", "2026-01-03") | _days("2026-02-15", "2026-02-23") | _days("2026-04-04", "2026-04-06")
        | _days("2026-05-01", "2026-05-05") | _days("2026-06-19", "2026-06-21") | _days("2026-09-25", "2026-09-27")
        | _days("2026-10-01", "2026-10-07")
    ), frozenset(_days("2026-01-04") | _days("2026-02-14") | _days("2026-02-28") | _days("2026-05-09")
                 | _days("2026-09-20") | _days("2026-10-10")), "国办发明电〔2025〕7号"),
}

#: The notices the hall's admin entered (hall.cases.holidays installs them), by year, and their key (which
#: revision of each).
_entered: dict[int, Notice] = {}
_entered_key: tuple = ()


def use_entered(notices: Mapping[int, Notice], key: tuple = ()) -> None:
    """Count with these entered notices from now on (they replace any entered before); `key` names them."""
    global _entered, _entered_key
    _entered, _entered_key = dict(notices), key


def notice(year: int) -> Notice | None:
    """The notice the calendar uses for `year`: the entered one, else the shipped one, else None."""
    return _entered.get(year) or BUILT_IN.get(year)


def calendar_key() -> tuple:
    """The key of the entered notices in use: it changes whenever they change (for caches of computed days)."""
    return _entered_key


#: Statutory holidays on fixed dates (全国年节及纪念日放假办法), for years with no notice in the table.
FIXED_HOLIDAYS = ((1, 1), (5, 1), (5, 2), (10, 1), (10, 2), (10, 3))


def is_working_day(day: dt.date) -> bool:
    """Whether government offices work on `day`."""
    year = notice(day.year)
    if year is not None:
        if day in year.holidays:
            return False
        if day in year.makeup_workdays:
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
