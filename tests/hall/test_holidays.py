"""The holiday calendar an admin keeps current: a year's notice typed from the State Council's text, the
legal clocks counting by it in every process, the due dates of open cases moved when it changes (with a
history line), the ingest waiting for a notice being saved, and the console page and its warning."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection, transaction
from django.utils import timezone

from hall.cases import holidays, workdays
from hall.cases.ingest import ingest
from hall.cases.models import Case, CaseHistory, HolidayNotice, Kiosk, State
from hall.cases.notice_text import NoticeTextError, format_days, parse_notice
from hall.console import daycount

D = dt.date
#: A year no other test's deadlines reach, so entering its notice moves only this file's cases.
YEAR = 2031
DAYS_OFF = "2031-01-01 至 2031-01-03 元旦\n2031-05-01~2031-05-05 劳动节\n2031-10-01 至 2031-10-07 国庆"
MAKEUP = "2031-01-04"  # a Saturday worked
SOURCE = "国办发明电〔2030〕9号"


def notice(days_off: str = DAYS_OFF, makeup: str = MAKEUP) -> workdays.Notice:
    return parse_notice(YEAR, days_off, makeup, SOURCE)


def at(day: D, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


@pytest.fixture
def year_entered():
    """Removes this file's year again whatever the test did (the calendar is shared by the session)."""
    yield
    holidays.remove_notice(YEAR, None)
    assert workdays.notice(YEAR) is None


@pytest.fixture
def received(enrolled, app_event, new_number):
    """received(day, outcome) -> a case the hall received on `day` (hall clock)."""

    def make(day: D, outcome: str = "accepted") -> Case:
        kiosk_id, _ = enrolled()
        number = new_number()
        held, rejected = ingest(Kiosk.objects.get(kiosk_id=kiosk_id), [app_event(number, outcome=outcome)],
                                now=at(day))
        assert held and not rejected
        return Case.objects.get(number=number)

    return make


# -- the notice as typed --------------------------------------------------------------------------------


def test_a_notice_typed_from_the_state_councils_text_is_read_with_ranges_and_names():
    read = notice()
    assert D(2031, 1, 2) in read.holidays and D(2031, 5, 4) in read.holidays and D(2031, 10, 7) in read.holidays
    assert len(read.holidays) == 3 + 5 + 7
    assert read.makeup_workdays == {D(2031, 1, 4)}
    assert read.source == SOURCE
    again = parse_notice(YEAR, format_days(read.holidays), format_days(read.makeup_workdays), SOURCE)
    assert again == read
    assert format_days(read.holidays).splitlines()[0] == "2031-01-01 至 2031-01-03"


@pytest.mark.parametrize(("days_off", "makeup", "problem"), [
    ("2031-01-01\n2031-05-01 至 2031-05-05\n2031-10-01 至 2031-10-07\n2030-02-01", "", "2030-02-01 不在 2031 年"),
    (DAYS_OFF + "\n2031-02-01 至 2031-12-01", "", "长达 304 天，请核对"),
    (DAYS_OFF + "\n2031-02-09 至 2031-02-01", "", "起止颠倒"),
    (DAYS_OFF, "2031-01-06", "调休上班日期 2031-01-06 是星期一"),
    (DAYS_OFF, "2031-01-02", "2031-01-02 既在放假日期又在调休上班日期"),
    ("2031-01-01\n2031-05-01", "", "法定节日 2031-05-02、2031-10-01、2031-10-02、2031-10-03 不在放假日期中"),
    (DAYS_OFF + "\n春节放七天", "", "看不懂「春节放七天」"),
    (DAYS_OFF + "\n2031-02-30", "", "2031-02-30 不是有效日期"),
    ("", "", "放假日期为空"),
])
def test_a_notice_that_cannot_be_that_years_is_refused_with_every_problem_named(days_off, makeup, problem):
    with pytest.raises(NoticeTextError) as refused:
        parse_notice(YEAR, days_off, makeup, SOURCE)
    assert any(problem in p for p in refused.value.problems), refused.value.problems


def test_a_notice_needs_its_source():
    with pytest.raises(NoticeTextError, match="文号"):
        parse_notice(YEAR, DAYS_OFF, MAKEUP, " ")


# -- the clocks count by it -----------------------------------------------------------------------------


def test_an_entered_notice_changes_the_count_and_the_consoles_cached_count(year_entered):
    assert workdays.is_working_day(D(2031, 1, 2))  # without a notice only 1 January is off
    assert not workdays.is_working_day(D(2031, 1, 4))
    before = daycount.working_days_between(D(2030, 12, 27), D(2031, 1, 10))
    holidays.save_notice(notice(), None)
    assert not workdays.is_working_day(D(2031, 1, 2))
    assert workdays.is_working_day(D(2031, 1, 4))  # 调休上班
    after = daycount.working_days_between(D(2030, 12, 27), D(2031, 1, 10))
    assert after == workdays.working_days_between(D(2030, 12, 27), D(2031, 1, 10)) == before - 1


def test_another_process_sees_a_saved_notice_with_its_next_query(year_entered):
    holidays.save_notice(notice(), None)
    workdays.use_entered({}, ("another process",))  # as a server process that has not seen the save
    assert workdays.notice(YEAR) is None
    holidays.refresh()
    assert workdays.notice(YEAR) == notice()
    HolidayNotice.objects.filter(year=YEAR).update(makeup_workdays=[], revision=99)  # saved elsewhere
    holidays.refresh()
    assert workdays.notice(YEAR).makeup_workdays == frozenset()


def test_a_process_behind_on_the_notices_counts_a_new_case_by_the_current_ones(received, year_entered):
    holidays.save_notice(notice(), None)
    workdays.use_entered({}, ("a process that has not seen the save",))
    case = received(D(2030, 12, 27))  # hall_ingest refuses the old calendar (HI002); the Python path reloads
    assert case.correction_due == D(2031, 1, 7)
    assert workdays.notice(YEAR) == notice()


# -- open cases' dues move, with a history line -----------------------------------------------------------


def test_saving_a_notice_moves_the_dues_of_open_cases_and_records_why(received, year_entered):
    open_case = received(D(2030, 12, 27))  # a Friday
    decided = received(D(2030, 12, 27), outcome="approved")
    assert open_case.state == State.SUBMITTED
    # Without 2031's notice: Mon 30, Tue 31, (1 January off), Thu 2, Fri 3, Mon 6.
    assert open_case.correction_due == D(2031, 1, 6)
    old_decision, old_seq, untouched = open_case.decision_due, open_case.change_seq, decided.decision_due

    moved = holidays.save_notice(notice(), None)

    open_case.refresh_from_db()
    decided.refresh_from_db()
    # With it: Mon 30, Tue 31, (1-3 January off), Sat 4 worked, Mon 6, Tue 7.
    assert open_case.correction_due == D(2031, 1, 7)
    assert open_case.decision_due == workdays.add_working_days(D(2030, 12, 27), 20) != old_decision
    assert open_case.change_seq > old_seq  # the kiosk hears of it with its next heartbeat
    assert decided.decision_due == untouched  # decided already: its clock is over
    assert moved >= 1
    line = CaseHistory.objects.get(case=open_case, action="calendar")
    assert SOURCE in line.note
    assert line.data["correction_due"] == "2031-01-07" and "补正期限 2031-01-06" in line.data["before"]

    holidays.remove_notice(YEAR, None)
    open_case.refresh_from_db()
    assert (open_case.correction_due, open_case.decision_due) == (D(2031, 1, 6), old_decision)
    assert CaseHistory.objects.filter(case=open_case, action="calendar").count() == 2


def test_a_case_received_while_a_notice_is_being_saved_waits_and_counts_by_it(received, year_entered, enrolled,
                                                                               app_event, new_number):
    kiosk_id, _ = enrolled()
    number = new_number()
    saving = threading.Event()
    release = threading.Event()
    errors: list[BaseException] = []

    def admin() -> None:
        try:
            with transaction.atomic():
                holidays.save_notice(notice(), None)  # holds the calendar's lock until this commits
                saving.set()
                release.wait(timeout=120)
        except BaseException as exc:
            errors.append(exc)
            saving.set()
        finally:
            connection.close()

    def kiosk() -> None:
        try:
            ingest(Kiosk.objects.get(kiosk_id=kiosk_id), [app_event(number)], now=at(D(2030, 12, 27)))
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    saver = threading.Thread(target=admin)
    saver.start()
    assert saving.wait(timeout=60)
    sender = threading.Thread(target=kiosk)
    sender.start()
    waiting = 0
    try:
        while not waiting and sender.is_alive():  # the ingest blocks on the calendar's lock
            with connection.cursor() as cur:
                cur.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted "
                            "AND objid = %s", [holidays.LOCK_KEY % (1 << 32)])
                waiting = cur.fetchone()[0]
    finally:
        release.set()
        saver.join()
    assert waiting, "the ingest did not wait for the notice being saved"
    sender.join()
    assert not errors, errors
    assert Case.objects.get(number=number).correction_due == D(2031, 1, 7)


# -- the console ----------------------------------------------------------------------------------------


def test_the_console_warns_while_the_coming_years_notice_is_missing():
    assert holidays.missing_notice(D(2026, 10, 31)) is None  # 2026 ships with the release
    warning = holidays.missing_notice(D(2026, 11, 1))
    assert warning and "2027年的节假日安排尚未录入" in warning and "春节" in warning
    assert "2031年" in holidays.missing_notice(D(2031, 3, 1))


def test_an_admin_enters_a_notice_in_the_console_and_a_reviewer_may_only_read(client, staff, year_entered):
    admin, reviewer = staff("admin"), staff("reviewer")
    client.force_login(admin)
    page = client.get("/holidays/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "国办发明电〔2025〕7号" in text and "随软件版本提供" in text
    warning = holidays.missing_notice(timezone.localdate())
    assert (warning is not None) == ('id="calendar-warning"' in text)

    bad = client.post("/holidays/", {"year": YEAR, "holidays": "2031-01-01", "makeup": "", "source": SOURCE})
    assert bad.status_code == 400
    assert "法定节日 2031-05-01、2031-05-02、2031-10-01" in bad.content.decode()
    assert workdays.notice(YEAR) is None

    good = client.post("/holidays/", {"year": YEAR, "holidays": DAYS_OFF, "makeup": MAKEUP, "source": SOURCE},
                       follow=True)
    assert good.status_code == 200
    assert "已保存 2031 年节假日安排" in good.content.decode()
    row = HolidayNotice.objects.get(year=YEAR)
    assert (row.entered_by, row.source, row.makeup_workdays) == (admin, SOURCE, ["2031-01-04"])
    opened = client.get(f"/holidays/?year={YEAR}").content.decode()
    assert "2031-01-01 至 2031-01-03" in opened

    client.force_login(reviewer)
    assert client.get("/holidays/").status_code == 200
    refused = client.post("/holidays/", {"year": YEAR, "delete": "1"})
    assert refused.status_code == 403
    assert HolidayNotice.objects.filter(year=YEAR).exists()
