"""The session is the one navigator and the only keeper of state; QML renders its view. These walks
show what QML used to decide or keep itself, and lost or got wrong: the promise marks on the materials
screen (a QML map, lost when the applicant went Back and came again), the date picker's 今天 (the
machine's clock, not the kiosk's), and the footer's buttons (rules re-encoded in Footer.qml)."""

from __future__ import annotations

import datetime as dt

import pytest

from kiosk.session import FakeClock
from kiosk.ui.player import fill_health_form, lay_card, open_service

SESSION_DAY = dt.date(2026, 3, 14)
"""The kiosk's day in these tests: far from the day the tests run, so the machine's clock shows."""


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(SESSION_DAY)


def field_value(ui, key: str):
    return next(f["value"] for f in ui.bridge.view["fields"] if f["key"] == key)


def to_materials(ui) -> None:
    open_service(ui)
    lay_card(ui, "adult")
    ui.click("option_is_legal_rep_1")  # 否: someone else applies -> 授权委托书 may be promised
    fill_health_form(ui)
    ui.click("btnNext")
    ui.wait_page("prereview")
    ui.click("btnNext")
    ui.wait_page("materials")


def test_date_pickers_today_is_the_session_clocks_day(kiosk_ui):
    ui = kiosk_ui
    open_service(ui)
    lay_card(ui, "adult")
    ui.click("date_hygiene_report_date_today")
    ui.wait_until(lambda: field_value(ui, "hygiene_report_date") == "2026-03-14", what="the session's today")
    ui.click("date_hygiene_report_date_day_minus")
    ui.wait_until(lambda: field_value(ui, "hygiene_report_date") == "2026-03-13", what="a day before")


def test_promise_marks_survive_leaving_the_materials_screen(kiosk_ui):
    ui = kiosk_ui
    to_materials(ui)
    names = [row["name"] for row in ui.bridge.view["materials_info"]]
    promise = f"promise_{names.index('授权委托书')}"
    ui.click(promise)
    ui.wait_until(lambda: ui.bridge.view["materials_promised"] == ["授权委托书"], what="the mark in the session")
    ui.click("btnBack")
    ui.wait_page("prereview")
    ui.click("btnNext")
    ui.wait_page("materials")
    ui.wait_until(lambda: ui.item(promise).property("selected") is True, what="the mark shown again")
    ui.click("btnMaterialsOk")
    ui.wait_until(lambda: ui.bridge.view["materials_confirmed"])
    # the floor plan, not photographed, is promised by the confirmation (its row shows it)
    assert ui.bridge.session.state.materials_promised == ("平面图及卫生设施布局图", "授权委托书")
    ui.click(promise)  # unmark: the session forgets it at once
    ui.wait_until(lambda: ui.bridge.view["materials_promised"] == ["平面图及卫生设施布局图"],
                  what="the mark removed")


def test_footer_shows_what_the_session_allows(kiosk_ui):
    ui = kiosk_ui
    assert not ui.exists("btnBack") and not ui.exists("btnHome")
    ui.click("btnBusiness")
    ui.wait_page("catalog")
    ui.wait_until(lambda: ui.exists("btnBack") and ui.exists("btnHome"), what="返回 and 首页")
    assert ui.text("btnHome").endswith("首页")
    ui.click("btnBack")
    ui.wait_page("home")
    open_service(ui)
    ui.wait_until(lambda: ui.text("btnHome").endswith("取消办理"), what="取消办理 during a visit")
    ui.click("btnBack")
    ui.wait_page("home")  # back from the card step: the start screen's home page, as before
