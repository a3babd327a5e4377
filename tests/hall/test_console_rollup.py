"""The statistics' daily rollup (hall.console.statistics, console migration 0003): days that are over are
counted once into it and read from it, and any write touching a counted day sends that day back to be
counted again (a kiosk back after days offline, a case its kiosk sent again, a rating answered)."""

from __future__ import annotations

import datetime as dt
import uuid

from django.db import connection

from hall.console import sample, statistics

DAY = dt.date(2026, 11, 21)  # sample.AT: a day that is over for the hall
LATER = dt.date(2026, 11, 23)


def _done(day: dt.date) -> bool:
    with connection.cursor() as cur:
        cur.execute("SELECT 1 FROM console_statdone WHERE day = %s", [day])
        return cur.fetchone() is not None


def _at(day: dt.date) -> str:
    return f"{day.isoformat()}T10:00:00+08:00"


def _fields(rows: dict) -> dict:
    return {key: (r.started, r.finished, r.abandoned, r.median_s, r.instant, r.accepted, r.blocked, dict(r.steps),
                  dict(r.findings), dict(r.stars)) for key, r in rows.items()}


def test_the_rollup_gives_what_the_tables_give_and_a_late_write_sends_the_day_back(enrolled):
    kiosk_id, _ = enrolled()
    service = f"roll-{uuid.uuid4().hex[:6]}"
    sample.store(kiosk_id, [
        sample.application(f"RU{uuid.uuid4().hex[:8]}", service=service, with_files=False),
        sample.application(f"RU{uuid.uuid4().hex[:8]}", service=service, outcome="approved", findings=[],
                           with_files=False),
        sample.step_stats(service, seconds=(60.0, 120.0)), sample.step_stats(service, seconds=(60.0, 240.0)),
        sample.step_stats(service, finished=False, abandoned_at="materials"),
        sample.rating(5, service=service), sample.rating(1, "等太久", service=service),
        sample.step_stats(service, at=_at(LATER)),
    ])
    counted = statistics._count(DAY, LATER, service)
    assert statistics.days(DAY, LATER, service).keys() == counted.keys()
    assert _fields(statistics.days(DAY, LATER, service)) == _fields(counted)
    assert _done(DAY) and _done(LATER) and _done(DAY + dt.timedelta(days=1))  # an empty day is counted too
    before = statistics.summary(DAY, DAY, service)
    assert [(r.started, r.finished, r.abandoned, r.median_s) for r in before.per_day] == [(3, 2, 1, 240.0)]
    assert before.grades == {service: {5: 1, 1: 1}} and before.abandoned_by_step == [("materials", 1)]
    assert before.top_findings == [("从业人员健康证明已过期", 1), ("缺少经营场所平面图", 1)]

    # A kiosk back after days offline sends more of that day: the day is counted again, the next not.
    sample.store(kiosk_id, [sample.step_stats(service, finished=False, abandoned_at="card"),
                            sample.rating(2, "太慢", service=service)])
    assert not _done(DAY) and _done(LATER)
    after = statistics.summary(DAY, DAY, service)
    assert [(r.started, r.abandoned) for r in after.per_day] == [(4, 2)]
    assert after.grades == {service: {5: 1, 1: 1, 2: 1}}
    assert sorted(after.abandoned_by_step) == [("card", 1), ("materials", 1)]
    assert _fields(statistics.days(DAY, LATER, service)) == _fields(statistics._count(DAY, LATER, service))


def test_a_case_sent_again_with_another_outcome_moves_its_count(enrolled):
    kiosk_id, _ = enrolled()
    service = f"roll-{uuid.uuid4().hex[:6]}"
    number = f"RC{uuid.uuid4().hex[:8]}"
    sample.store(kiosk_id, [sample.application(number, service=service, outcome="blocked", with_files=False)])
    first = statistics.per_day(DAY, DAY, service)
    assert [(r.instant, r.accepted, r.blocked) for r in first] == [(0, 0, 1)] and _done(DAY)
    # The kiosk refreshes the case (a later application event for the same number), now on another day.
    sample.store(kiosk_id, [sample.application(number, service=service, outcome="accepted", with_files=False,
                                               at=_at(LATER))])
    assert not _done(DAY) and not _done(LATER)  # the old day and the new day both go back
    assert statistics.per_day(DAY, DAY, service) == []
    assert [(r.day, r.accepted, r.blocked) for r in statistics.per_day(DAY, LATER, service)] == [(LATER, 1, 0)]


def test_the_page_reads_a_counted_day_without_the_tables(enrolled):
    """Once counted, a day's figures come from the rollup alone (what makes a year of a million cases fast):
    proven by changing the rollup row by hand, which the page then shows."""
    kiosk_id, _ = enrolled()
    service = f"roll-{uuid.uuid4().hex[:6]}"
    sample.store(kiosk_id, [sample.step_stats(service)])
    assert [r.started for r in statistics.per_day(DAY, DAY, service)] == [1]
    with connection.cursor() as cur:
        cur.execute("UPDATE console_statday SET started = 41 WHERE day = %s AND service = %s", [DAY, service])
    assert [r.started for r in statistics.per_day(DAY, DAY, service)] == [41]
