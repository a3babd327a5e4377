"""This terminal's statistics from a real SQLite store written through the store's own API (applications,
visits, ratings), on days around the suite's fixed day; the CSV an Excel user opens; `kiosk stats` as a
process."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import sqlite3
import subprocess
import sys

import pytest

from kiosk.services.statistics import csv_text, export_path, format_text, write_csv
from kiosk.store import Store
from kiosk.terminal_stats import record_rating, record_visit, report_cells, terminal_statistics

PP, BL = "public-place-health-permit", "business-licence"
UTC8 = dt.timezone(dt.timedelta(hours=8))


class Clock:
    def __init__(self, moment: dt.datetime) -> None:
        self.moment = moment

    def __call__(self) -> dt.datetime:
        return self.moment


def visit(store, number, service, steps, *, finished, abandoned=None, outcome=None, findings=()):
    body = {"session_id": f"s{number}", "service": service, "finished": finished, "abandoned_at": abandoned,
            "steps": [{"step": name, "entered_at": "", "seconds": seconds} for name, seconds in steps]}
    record_visit(store, body, outcome=outcome, findings=findings)


AGE = {"rule": "age_18", "severity": "block", "message": "申请人未满18周岁"}
REPORT = {"rule": "report_age", "severity": "review", "message": "卫生检测报告超过一年"}


@pytest.fixture
def seeded(tmp_path, today):
    """Two local days (UTC+8): the day before the suite's day and the day itself, plus one visit a week
    earlier (outside a 2-day window)."""
    clock = Clock(dt.datetime.combine(today, dt.time(9, 0), UTC8))
    store = Store.open(tmp_path / "data", clock=clock)
    day1 = dt.datetime.combine(today - dt.timedelta(days=1), dt.time(0, 30), UTC8)  # 16:30 UTC the day before
    day2 = dt.datetime.combine(today, dt.time(23, 30), UTC8)                       # 15:30 UTC the same day
    old = dt.datetime.combine(today - dt.timedelta(days=7), dt.time(10), UTC8)
    clock.moment = day1
    store.add_application(service=PP, state="submitted", decision="approved", answers={}, receipt_no="R1",
                          applicant_id_number="110101199003078888")
    visit(store, 1, PP, [("card", 10), ("form", 50), ("prereview", 20), ("printing", 40)], finished=True,
          outcome="approved")
    record_rating(store, service=PP, stars=5, application_id=1)
    visit(store, 2, PP, [("card", 30)], finished=False, abandoned="card")
    visit(store, 3, BL, [("card", 5), ("form", 100), ("prereview", 9)], finished=False, abandoned="prereview",
          outcome="blocked", findings=[AGE])
    clock.moment = day2
    store.add_application(service=PP, state="submitted", decision="accepted", answers={}, receipt_no="R2",
                          findings=[REPORT])
    visit(store, 4, PP, [("card", 20), ("form", 200), ("prereview", 10), ("result", 30)], finished=True,
          outcome="accepted", findings=[REPORT])
    store.add_application(service=BL, state="submitted", decision="accepted", answers={}, receipt_no="R3")
    visit(store, 5, BL, [("card", 12), ("form", 48)], finished=True, outcome="accepted", findings=[REPORT])
    record_rating(store, service=PP, stars=2, application_id=2)
    visit(store, 6, BL, [("card", 8), ("form", 22)], finished=False, abandoned="form", outcome="blocked",
          findings=[AGE, REPORT])
    clock.moment = old
    store.add_application(service=PP, state="submitted", decision="approved", answers={}, receipt_no="R0")
    visit(store, 7, PP, [("card", 1)], finished=False, abandoned="card")
    yield store, day2
    store.close()


def test_per_day_and_item_counts_outcomes_and_medians(seeded, today):
    store, now = seeded
    report = terminal_statistics(store, until=now, days=2)
    assert (report.since, report.until) == (today - dt.timedelta(days=1), today)
    first, second = report.days
    assert (first.applications, first.approved, first.accepted, first.blocked, first.visits, first.abandoned) == \
        (1, 1, 0, 1, 3, 2), "days are local (UTC+8): 00:30 belongs to the day it reads, not to UTC's"
    assert first.median_seconds == 120.0
    assert (second.applications, second.approved, second.accepted, second.blocked, second.visits) == (2, 0, 2, 1, 3)
    assert second.median_seconds == (260 + 60) / 2
    items = {item.service: item for item in report.items}
    assert (items[PP].applications, items[PP].approved, items[PP].accepted) == (2, 1, 1)
    assert (items[PP].ratings, items[PP].average_stars) == (2, 3.5)
    assert (items[BL].applications, items[BL].blocked, items[BL].abandoned) == (1, 2, 2)
    assert report.totals.applications == 3 and report.totals.median_seconds == 120.0
    assert report.grades == {1: 0, 2: 1, 3: 0, 4: 0, 5: 1} and report.average_stars == 3.5


def test_the_funnel_counts_where_visits_were_left(seeded):
    store, now = seeded
    funnel = {row.step: row for row in terminal_statistics(store, until=now, days=2).funnel}
    assert (funnel["card"].reached, funnel["card"].abandoned) == (6, 1)
    assert (funnel["form"].reached, funnel["form"].abandoned) == (5, 1)
    assert (funnel["prereview"].reached, funnel["prereview"].abandoned) == (4, 1)
    assert funnel["printing"].reached == 3, "the three finished visits"


def test_the_most_frequent_findings_come_first(seeded):
    store, now = seeded
    findings = terminal_statistics(store, until=now, days=2).findings
    assert [(f.rule, f.count) for f in findings] == [("report_age", 3), ("age_18", 2)]
    assert findings[1].message == "申请人未满18周岁" and findings[1].severity == "block"


def test_a_longer_window_takes_in_the_older_day(seeded):
    store, now = seeded
    report = terminal_statistics(store, until=now, days=8)
    assert len(report.days) == 8 and report.totals.applications == 4 and report.totals.visits == 7


def test_the_csv_opens_in_excel_with_one_header_row(seeded, tmp_path):
    store, now = seeded
    report = terminal_statistics(store, until=now, days=2)
    path = write_csv(report, tmp_path / "out" / "stats.csv", {PP: "公共场所卫生许可"})
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "the BOM tells Excel it is UTF-8"
    rows = list(csv.reader(io.StringIO(raw[3:].decode("utf-8"))))
    assert rows[0][:5] == ["日期", "事项编码", "事项名称", "办件数", "秒批"]
    body = rows[1:]
    assert all(len(row) == len(rows[0]) for row in body) and not any(row[0] == "日期" for row in body)
    lines = {(row[0], row[1]): row for row in body}
    day1 = (now.date() - dt.timedelta(days=1)).isoformat()
    assert lines[day1, PP][2:7] == ["公共场所卫生许可", "1", "1", "0", "0"]
    assert lines[now.date().isoformat(), BL][3:7] == ["1", "0", "1", "1"]
    assert sum(int(row[3]) for row in body) == report.totals.applications
    assert "110101" not in raw.decode("utf-8-sig"), "no ID number in an export"
    assert not list(path.parent.glob(".*partial"))


def test_the_export_goes_to_a_mounted_stick_or_the_exports_folder(tmp_path):
    now = dt.datetime(2026, 11, 21, 10, 5, 0)
    path = export_path(tmp_path / "data", now, usb_roots=[tmp_path / "no-media"])
    assert path == tmp_path / "data" / "exports" / "kiosk-stats-20261121-100500.csv"


def test_the_text_report_names_totals_and_findings(seeded):
    store, now = seeded
    text = format_text(terminal_statistics(store, until=now, days=2), {PP: "公共场所卫生许可"})
    assert "办件 3（秒批 1 / 受理 2）" in text and "公共场所卫生许可" in text
    assert "申请人未满18周岁" in text and "平均 3.50" in text


def test_kiosk_stats_runs_as_a_process(seeded, tmp_path, today):
    store, _now = seeded
    out = tmp_path / "export.csv"
    env = dict(os.environ, TZ="Asia/Shanghai")
    done = subprocess.run([sys.executable, "-m", "kiosk", "stats", "--data-dir", str(store.path.parent),
                           "--days", "2", "--until", today.isoformat(), "--json", "--csv", str(out)],
                          capture_output=True, text=True, timeout=60, env=env)
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    assert answer["totals"]["applications"] == 3 and answer["until"] == today.isoformat()
    assert answer["findings"][0]["rule"] == "report_age"
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    text = subprocess.run([sys.executable, "-m", "kiosk", "stats", "--data-dir", str(store.path.parent),
                           "--days", "2", "--until", today.isoformat()], capture_output=True, text=True, timeout=60,
                          env=env)
    assert "办件 3（秒批 1 / 受理 2）" in text.stdout
    assert text.returncode == 0 and "流程漏斗" in text.stdout
    missing = subprocess.run([sys.executable, "-m", "kiosk", "stats", "--data-dir", str(tmp_path / "none")],
                             capture_output=True, text=True, timeout=60, env=env)
    assert missing.returncode == 2 and "no kiosk database" in missing.stderr
    wrong = subprocess.run([sys.executable, "-m", "kiosk", "stats", "--until", "21.11.2026"],
                           capture_output=True, text=True, timeout=60, env=env)
    assert wrong.returncode == 2 and "YYYY-MM-DD" in wrong.stderr


def test_csv_has_no_lines_for_empty_days(tmp_path, today):
    with Store.open(tmp_path / "d") as store:
        report = terminal_statistics(store, until=dt.datetime.combine(today, dt.time(12), UTC8), days=30)
    assert csv_text(report).count("\r\n") == 1 and len(report.days) == 30


def test_the_cache_of_past_days_gives_the_same_report(seeded, tmp_path):
    store, now = seeded
    cache = tmp_path / "stats-cache.db"
    plain = terminal_statistics(store, until=now, days=8)
    first = terminal_statistics(store, until=now, days=8, cache=cache)
    second = terminal_statistics(store, until=now, days=8, cache=cache)
    assert plain.as_dict() == first.as_dict() == second.as_dict()
    assert report_cells(plain) == report_cells(second) and csv_text(plain) == csv_text(second)
    with sqlite3.connect(cache) as conn:
        cached = [day for (day,) in conn.execute("SELECT day FROM days ORDER BY day")]
    assert len(cached) == 7 and now.date().isoformat() not in cached, "today is never kept: it is not over"


def test_a_row_written_into_a_cached_day_drops_that_day(seeded, tmp_path):
    store, now = seeded
    cache = tmp_path / "stats-cache.db"
    before = terminal_statistics(store, until=now, days=8, cache=cache)
    store._clock.moment = now - dt.timedelta(days=3)  # the clock was set back: a row lands in a cached day
    store.add_application(service=PP, state="submitted", decision="approved", answers={}, receipt_no="R9")
    after = terminal_statistics(store, until=now, days=8, cache=cache)
    assert after.totals.applications == before.totals.applications + 1
    assert after.as_dict() == terminal_statistics(store, until=now, days=8).as_dict()


def test_another_database_empties_the_cache(seeded, tmp_path, today):
    store, now = seeded
    cache = tmp_path / "stats-cache.db"
    terminal_statistics(store, until=now, days=8, cache=cache)
    with Store.open(tmp_path / "other", clock=Clock(now)) as other:
        report = terminal_statistics(other, until=now, days=8, cache=cache)
    assert report.totals.applications == 0 and report.totals.visits == 0


def test_an_unwritable_cache_is_not_used(seeded, tmp_path):
    store, now = seeded
    report = terminal_statistics(store, until=now, days=8, cache=tmp_path / "no-such-dir" / "cache.db")
    assert report.totals.applications == 4


def test_the_page_shows_optional_screens_only_where_visits_were_left(seeded):
    from kiosk.services.statistics import page_model

    store, now = seeded
    model = page_model(terminal_statistics(store, until=now, days=2), {PP: "公共场所卫生许可"})
    steps = [row["step"] for row in model["funnel"]]
    assert steps[:3] == ["card", "form", "prereview"] and "card_swap" not in steps and "capture" not in steps
    assert model["dayMax"] == 3 and model["items"][0]["title"] == "公共场所卫生许可"
    assert "平均 3.50 星" in model["average"]


def test_an_item_gone_from_the_catalog_shows_its_title_never_its_id(seeded):
    """business-licence is in no catalog here: the page names it by the title its application's hall event
    carried, marked 已停用事项; an item with no stored event is 已停用事项 with its id, never the bare id."""
    from kiosk.services.statistics import RETIRED_ITEM, page_model, report_titles
    from kiosk.sync.outbox import add_event

    store, now = seeded
    catalog = {PP: type("Spec", (), {"short_title": "卫生许可新办", "title": "公共场所卫生许可（新办）"})()}
    report = terminal_statistics(store, until=now, days=2)

    def shown() -> dict[str, str]:
        model = page_model(report, report_titles(report, catalog, store))
        return {row["service"]: row["title"] for row in model["items"]}

    untitled = shown()
    assert untitled == {PP: "卫生许可新办", BL: f"{RETIRED_ITEM}（{BL}）"}

    [bl] = store.select("SELECT id FROM applications WHERE service = ?", (BL,))
    add_event(store, "application", {"number": "R3", "service": BL, "service_title": "个体工商户营业执照"},
              at=now.isoformat(), application_id=bl["id"])
    assert shown()[BL] == f"个体工商户营业执照（{RETIRED_ITEM}）"
