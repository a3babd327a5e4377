"""The legal clocks of a case, as pure functions of the hall's own times (never the kiosk's clock).

- 补正 (correction) notice: within 5 working days of the day the hall received the application; after
  that the application counts as accepted (行政许可法 §32), so the hall refuses a late notice.
- Decision: within the item's time limit in working days (20 unless it promises fewer), from the day of
  receipt; the working days spent waiting for the applicant's 补正 do not count (the clock pauses).
"""

from __future__ import annotations

import datetime as dt

from hall.cases.workdays import add_working_days, working_days_between, working_days_left

CORRECTION_WORKING_DAYS = 5
DEFAULT_TIME_LIMIT_DAYS = 20
#: A 差评 must be answered within this many working days.
RATING_ANSWER_WORKING_DAYS = 5


def time_limit(time_limit_days: int | None, promised_days: int | None) -> int:
    """The decision time limit in working days: the law's (or the item's) limit, or fewer if promised."""
    limit = time_limit_days if time_limit_days and time_limit_days > 0 else DEFAULT_TIME_LIMIT_DAYS
    if promised_days is not None and 0 < promised_days < limit:
        return promised_days
    return limit


def correction_due(received: dt.date) -> dt.date:
    """The last day a 补正 notice may be sent for an application the hall received on `received`."""
    return add_working_days(received, CORRECTION_WORKING_DAYS)


def decision_due(received: dt.date, limit_days: int, paused_working_days: int = 0) -> dt.date:
    """The last day of the decision: `limit_days` working days after receipt, plus the days paused."""
    return add_working_days(received, limit_days + max(paused_working_days, 0))


def paused_days(paused_on: dt.date, resumed_on: dt.date) -> int:
    """Working days the clock stood still between the 补正 notice and the day the materials came back.

    The notice day and the day they came back count as running (the clock runs on each of those days)."""
    return max(working_days_between(paused_on, resumed_on) - 1, 0) if resumed_on > paused_on else 0


def decision_days_left(today: dt.date, due: dt.date, paused_on: dt.date | None = None) -> int | None:
    """Working days left for the decision on `today`; None while the clock is paused for 补正."""
    if paused_on is not None:
        return None
    return working_days_left(today, due)
