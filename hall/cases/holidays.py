"""The holiday calendar the hall's legal clocks count by: the notices the release ships
(hall.cases.workdays.BUILT_IN) and those the admin entered in the console (HolidayNotice), the same in every
server process; when a notice changes, the deadlines of open cases and unanswered 差评 move with it.

- `hold_current()`: in a transaction about to compute a deadline (a case received, 补正 material
  registered, a 差评 arriving). Takes the calendar's lock shared and brings this process's calendar up to
  date, in one query (the ingest sends `revisions_sql("_shared")` in its pipeline and calls `install`).
  Saving a notice takes the lock exclusively, so a deadline computed by the old calendar is either
  committed before the save moves it, or computed after the save by the new one.
- `refresh()`: the same without the lock, for pages that show working days left.
- `save_notice` / `remove_notice`: store (or drop) a year's notice and move every due date it changes, with
  a history line per case and the kiosk's change counter bumped (a kiosk shows the application's status).
- `missing_notice(today)`: the console's warning while this year's, or from November the coming year's,
  notice is missing: without it the clocks skip only weekends and the fixed-date holidays.
"""

from __future__ import annotations

import datetime as dt
import json
import logging

from django.contrib.auth.models import AbstractBaseUser
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from hall.cases import clocks, workdays
from hall.cases.models import Case, HolidayNotice, Rating, State

log = logging.getLogger(__name__)

#: pg_advisory_xact_lock key of the calendar: shared while a deadline is computed, exclusive while a notice
#: is saved (hall.console's statistics lock is 7_385_112_001).
LOCK_KEY = 7_385_112_002
#: From this month on, the coming year's notice is expected (the State Council publishes it in November).
NEXT_YEAR_EXPECTED_FROM_MONTH = 11
_OPEN_DECISION = (State.SUBMITTED, State.CORRECTION_REQUESTED, State.ACCEPTED)

def _install(revisions: list) -> None:
    """Load the entered notices into hall.cases.workdays when their (year, revision) pairs differ from the
    ones in use in this process."""
    key = tuple(sorted(tuple(pair) for pair in revisions))
    if key == workdays.calendar_key():
        return
    entered = {}
    for row in HolidayNotice.objects.all():
        entered[row.year] = workdays.Notice(
            row.year, frozenset(dt.date.fromisoformat(d) for d in row.holidays),
            frozenset(dt.date.fromisoformat(d) for d in row.makeup_workdays), row.source)
    workdays.use_entered(entered, key)


def revisions_sql(lock: str | None) -> str:
    """One row whose last column is the entered notices' (year, revision) pairs as JSON; with `lock` "" or
    "_shared" it first takes the calendar's lock (exclusive or shared) until the transaction ends."""
    locking = f"pg_advisory_xact_lock{lock}({LOCK_KEY})," if lock is not None else ""
    return (f"SELECT {locking} (SELECT coalesce(json_agg(json_build_array(year, revision)), '[]') "
            "FROM cases_holidaynotice)")


def install(row: tuple) -> None:
    """Bring this process's calendar up to date from a row of `revisions_sql` (queried by the caller, e.g.
    in the ingest's pipeline)."""
    revisions = row[-1]
    _install(json.loads(revisions) if isinstance(revisions, str) else revisions)


def _query(lock: str | None) -> None:
    with connection.cursor() as cur:
        cur.execute(revisions_sql(lock))
        install(cur.fetchone())


def hold_current() -> None:
    """In a transaction that computes a deadline: the calendar's lock, shared, and the current notices."""
    _query("_shared")


def refresh() -> None:
    """The current notices, for counting days left on a page (no lock)."""
    _query(None)


def save_notice(notice: workdays.Notice, actor: AbstractBaseUser | None, *, now: dt.datetime | None = None) -> int:
    """Store the year's notice (replacing one entered before) and move the due dates it changes; returns how
    many cases and 差评 changed."""
    now = now or timezone.now()
    with transaction.atomic():
        _query("")
        row, created = HolidayNotice.objects.select_for_update().get_or_create(
            year=notice.year, defaults={"entered_at": now, "source": notice.source})
        row.holidays = sorted(d.isoformat() for d in notice.holidays)
        row.makeup_workdays = sorted(d.isoformat() for d in notice.makeup_workdays)
        row.source, row.entered_by, row.entered_at = notice.source, actor, now
        row.revision = 1 if created else row.revision + 1
        row.save()
        refresh()
        moved = _move_dues(notice.year, actor, now, f"按 {notice.year} 年节假日安排（{notice.source}）重算期限")
    log.info("holiday notice %s saved (%s): %d due dates moved", notice.year, notice.source, moved)
    return moved


def remove_notice(year: int, actor: AbstractBaseUser | None, *, now: dt.datetime | None = None) -> int:
    """Drop the year's entered notice (the shipped one, if any, counts again) and move the due dates back."""
    now = now or timezone.now()
    with transaction.atomic():
        _query("")
        HolidayNotice.objects.filter(year=year).delete()
        refresh()
        shipped = workdays.BUILT_IN.get(year)
        why = f"删除 {year} 年录入的节假日安排，" + (f"按随版本提供的（{shipped.source}）重算期限" if shipped
                                                 else "只按周末和固定日期节日重算期限")
        moved = _move_dues(year, actor, now, why)
    log.info("holiday notice %s removed: %d due dates moved", year, moved)
    return moved


def _move_dues(year: int, actor: AbstractBaseUser | None, now: dt.datetime, why: str) -> int:
    """Recompute the dues a change of `year`'s notice can move: a due date counted only days before that
    year stays as it is, so only dues on or after its 1 January of cases received before its end."""
    from hall.cases import services  # services imports this module

    first, after = dt.date(year, 1, 1), dt.date(year + 1, 1, 1)
    received_before = timezone.make_aware(dt.datetime.combine(after, dt.time()))
    moved = 0
    cases = Case.objects.select_for_update().filter(
        Q(state__in=_OPEN_DECISION, decision_due__gte=first) | Q(state=State.SUBMITTED, correction_due__gte=first),
        submitted_at__lt=received_before)
    for case in cases.order_by("pk"):
        received = timezone.localtime(case.submitted_at).date()
        change = {}
        if case.state == State.SUBMITTED:
            change["correction_due"] = clocks.correction_due(received)
        limit = clocks.time_limit(case.time_limit_days, case.promised_days)
        change["decision_due"] = clocks.decision_due(received, limit, case.paused_working_days)
        change = {name: due for name, due in change.items() if getattr(case, name) != due}
        if not change:
            continue
        names = {"correction_due": "补正期限", "decision_due": "决定期限"}
        data = {name: due.isoformat() for name, due in change.items()}
        data["before"] = "，".join(f"{names[name]} {getattr(case, name).isoformat()}" for name in change)
        for name, due in change.items():
            setattr(case, name, due)
        services.changed(case, now, list(change))
        services.record(case, actor, "calendar", note=why, data=data, now=now,
                        by_name=None if actor else "系统")
        moved += 1
    for rating in Rating.objects.select_for_update().filter(handling=Rating.Handling.OPEN, due__gte=first,
                                                            received_at__lt=received_before):
        due = workdays.add_working_days(timezone.localtime(rating.received_at).date(),
                                        clocks.RATING_ANSWER_WORKING_DAYS)
        if due != rating.due:
            rating.due = due
            rating.save(update_fields=["due"])
            moved += 1
    return moved


def missing_notice(today: dt.date) -> str | None:
    """The console's warning when the year's notice (or from November the next year's) is not entered."""
    years = [today.year]
    if today.month >= NEXT_YEAR_EXPECTED_FROM_MONTH:
        years.append(today.year + 1)
    missing = [year for year in years if workdays.notice(year) is None]
    if not missing:
        return None
    named = "、".join(f"{year}年" for year in missing)
    return (f"{named}的节假日安排尚未录入：落在{named}的补正和办结期限只避开周末和元旦、劳动节、国庆，"
            "不含春节、清明、端午、中秋和调休。国务院办公厅的通知发布后，请管理员在「节假日安排」页录入。")
