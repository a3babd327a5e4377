"""Issue 14 (flow), walked as a person would on the real QML app offscreen, with the reader simulator and
the printer emulator behind it: 正在读取 as soon as the card is seen, a card lifted mid-read, a minor told
at the card step, the materials screen's actions in order with what is missing beside 下一步, signing on
its own pad, paper running out (told at once, staff called, the screen moving on when it prints) and
取消办理 asking first. Each walk saves screenshots (KIOSK_SHOTS=DIR keeps them; else a temporary dir)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtTest import QTest

from kiosk.session import Step
from kiosk.ui.driver import _is_flickable
from kiosk.ui.player import fill_health_form, lay_card, open_service


@pytest.fixture
def shots(tmp_path) -> Path:
    folder = Path(os.environ.get("KIOSK_SHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def to_materials(ui) -> None:
    open_service(ui)
    lay_card(ui, "adult")
    fill_health_form(ui)
    ui.click("btnNext")
    ui.wait_page("prereview")
    ui.click("btnNext")
    ui.wait_page("materials")


def inside_window(ui, name: str) -> bool:
    item = ui.item(name)
    top = item.mapToScene(QPointF(0, 0)).y()
    return top >= 0 and top + item.height() <= ui.window.height()


def draw(ui, item, points: list[tuple[float, float]]) -> None:
    """A finger stroke over `item` through `points` (item coordinates)."""
    at = [item.mapToScene(QPointF(x, y)).toPoint() for x, y in points]
    QTest.mousePress(ui.window, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, at[0])
    for point in at[1:]:
        QTest.mouseMove(ui.window, point)
    QTest.mouseRelease(ui.window, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, at[-1])
    ui.process()


def test_reading_shows_the_moment_the_card_is_seen(kiosk_ui, services, shots):
    ui = kiosk_ui
    open_service(ui)
    services.simulator.inject_fault("silence", on="read")  # the first read gets no answer: reading lasts
    services.demo_action("place_card", "adult")
    ui.wait_until(lambda: ui.exists("cardReading"), what="正在读取 on the card screen")
    assert "正在读取，请不要移动证件" in ui.text("cardReadingText")
    assert ui.bridge.page == "card" and ui.exists("cardReadingProgress")
    ui.grab(str(shots / "flow-card-reading.png"))
    ui.wait_page("form", timeout=15)  # the reader reads again by itself
    assert not ui.bridge.view["card_reading"]


def test_a_card_lifted_mid_read_asks_to_put_it_back_without_blaming_the_reader(kiosk_ui, services, shots):
    ui = kiosk_ui
    open_service(ui)
    services.demo_action("reader_fault", "lift_mid_read")
    services.demo_action("place_card", "adult")
    ui.wait_until(lambda: (ui.bridge.view["notice"] or {}).get("code") == "card_lifted", what="the lift told")
    assert "放回读卡区" in ui.text("noticeToDo")
    assert "读卡器" not in ui.text("noticeWhat") and not ui.exists("cardReading")
    ui.grab(str(shots / "flow-card-lifted.png"))
    services.demo_action("place_card", "adult")
    ui.wait_page("form")


def test_a_minor_is_told_at_the_card_step_who_can_apply_instead(kiosk_ui, services, shots):
    ui = kiosk_ui
    open_service(ui)
    services.demo_action("place_card", "minor")
    ui.wait_until(lambda: ui.bridge.view["notice"] is not None, what="the minor told")
    notice = ui.bridge.view["notice"]
    assert notice["code"] == "card_excluded" and "18" in notice["what_it_means"]
    assert "家长" in ui.text("noticeToDo") or "监护人" in ui.text("noticeToDo")
    assert ui.bridge.page == "card" and ui.bridge.view["fields"] == [], "no form for a card that cannot apply"
    ui.grab(str(shots / "flow-card-minor.png"))


@pytest.mark.parametrize("language", ["zh", "en"])
def test_a_dibao_applicant_registered_elsewhere_is_told_at_the_card_step_where_to_go(kiosk_ui, services, shots,
                                                                                        language):
    """李娜's hukou is in 成都: 低保 is applied for where the hukou is (ML-LOCAL, a rule on the shared data
    about her). Told at the card, before any form; not blamed on a field she cannot change."""
    ui = kiosk_ui
    if language == "en":
        ui.click("langButton")
        ui.wait_until(lambda: ui.bridge.view["language"] == "en", what="English")
    ui.click("btnPersonal")
    ui.wait_page("catalog")
    ui.click("category_民政")
    ui.click("service_minimum-living-allowance")
    ui.wait_page("intro")
    ui.click("btnStart")
    ui.wait_page("card")
    services.demo_action("place_card", "lina")
    ui.wait_until(lambda: ui.bridge.view["notice"] is not None, what="the card step's answer")
    notice = ui.bridge.view["notice"]
    assert notice["code"] == "records_excluded"
    assert ui.bridge.page == "card" and ui.bridge.view["fields"] == [], "no form to fill for nothing"
    if language == "zh":
        assert "户籍" in notice["what_it_means"] and "家长" not in ui.text("noticeToDo")
    else:
        assert not re.search(r"[\u4e00-\u9fff]", notice["what_it_means"]), notice["what_it_means"]
    ui.grab(str(shots / f"flow-card-dibao-elsewhere-{language}.png"))


def test_materials_actions_are_on_one_screen_in_order_and_signing_is_its_own_step(kiosk_ui, shots):
    ui = kiosk_ui
    to_materials(ui)
    for name in ("btnMaterialsOk", "btnSign", "btnAgree", "btnNext"):
        assert inside_window(ui, name), f"{name} is on the first screen, no scrolling"
    order = [ui.item(name).mapToScene(QPointF(0, 0)).y() for name in ("btnMaterialsOk", "btnSign", "btnNext")]
    assert order == sorted(order), "materials first, then the commitment, then 下一步"
    assert "确认材料" in ui.text("missingText") and "承诺书" in ui.text("missingText")
    ui.grab(str(shots / "flow-materials.png"))
    ui.click("btnNext")
    assert ui.bridge.page == "materials" and ui.bridge.view["notice"] is not None
    ui.click("btnMaterialsOk")
    ui.wait_until(lambda: "确认材料" not in ui.text("missingText"), what="the missing list to shrink")
    ui.click("btnSign")
    ui.wait_page("sign")
    area = ui.item("signatureArea")
    parent = area.parentItem()
    while parent is not None:
        assert not _is_flickable(parent), "the pad is outside any Flickable: no drag scrolls, no scroll draws"
        parent = parent.parentItem()
    draw(ui, area, [(40, 40), (45, 42)])  # a tap-like slip of the finger is not a signature
    ui.settle()
    assert not ui.item("btnSignConfirm").isEnabled() and ui.exists("signTooShort")
    ui.click("btnRewrite")
    draw(ui, area, [(40 + step * 30, 40 + (step % 3) * 25) for step in range(12)])
    ui.wait_until(lambda: ui.item("btnSignConfirm").isEnabled(), what="确认 enabled with enough ink")
    ui.grab(str(shots / "flow-sign.png"))
    ui.click("btnSignConfirm")  # the signature itself: no 使用签名 tap; it goes on to the result
    ui.wait_page("result")
    commitment = ui.bridge.session.state.commitment
    assert commitment.method == "signature" and commitment.signature_png.startswith(b"\x89PNG")
    assert "1号发证窗口" in ui.text("pickupLine")
    ui.grab(str(shots / "flow-result.png"))


def test_paper_out_is_told_at_once_and_the_screen_moves_on_when_it_prints(kiosk_ui, services, shots):
    ui = kiosk_ui
    to_materials(ui)
    ui.click("btnMaterialsOk")
    ui.click("btnAgree")
    ui.wait_page("result")
    services.demo_action("paper_out")
    ui.click("btnConfirm")
    ui.wait_page("print_failed", timeout=20)
    number = ui.bridge.view["licence_no"]
    assert "纸用完" in ui.text("noticeWhat")
    means = ui.bridge.view["notice"]["what_it_means"]
    assert number in means and "公共场所卫生许可证" in means and "办好" in means
    to_do = ui.text("noticeToDo")
    assert "已通知" not in to_do and "1号发证窗口" in to_do and "身份证" in to_do and "kiosk" not in to_do
    assert ui.bridge.view["staff_called"]
    ui.wait_until(lambda: "本机" in ui.text("staffCalledText"), what="the call's honest line (no hall here)")
    assert "公共场所卫生许可证编号" in ui.text("printedNumber")
    ui.wait_until(lambda: not ui.bridge.busy, what="the staff call recorded")
    assert any(row["event"] == "staff.called" for row in services.store.audit_rows())
    assert services.printer.jobs_printed == 0
    ui.grab(str(shots / "flow-paper-out.png"))
    services.demo_action("paper_in")  # staff load paper; nobody taps anything
    ui.wait_page("rating", timeout=20)
    assert services.printer.wait_for_jobs(1, 20) and services.printer.jobs_printed == 1
    assert "已打印" in ui.text("takeSlip") and "公共场所卫生许可证" in ui.text("takeSlip")
    ui.grab(str(shots / "flow-paper-printed.png"))


def test_cancel_asks_first_and_reminds_to_take_the_card(kiosk_ui, shots):
    ui = kiosk_ui
    open_service(ui)
    lay_card(ui, "adult")
    ui.click("btnHome")
    ui.wait_until(lambda: ui.exists("cancelDialog"), what="the cancel question")
    assert "身份证" in ui.text("cancelTakeCard")
    ui.grab(str(shots / "flow-cancel.png"))
    ui.click("cancelNo")
    ui.wait_until(lambda: not ui.exists("cancelDialog"))
    assert ui.bridge.page == "form" and ui.bridge.session.state.card is not None
    ui.click("btnHome")
    ui.click("cancelYes")
    ui.wait_page("home")
    assert ui.bridge.session.state.step is Step.START and not ui.bridge.session.state.has_personal_data


def test_staff_call_says_honestly_where_it_went(kiosk_ui, shots):
    ui = kiosk_ui
    open_service(ui)
    ui.click("callStaff")
    ui.wait_until(lambda: ui.bridge.view["staff_called"])
    ui.wait_until(lambda: "已在本机发出呼叫信号" in ui.text("staffCalledText"), what="the local call line")
    ui.grab(str(shots / "flow-call.png"))


def test_confirming_the_materials_brings_the_commitment_buttons_into_view_in_elder_mode(kiosk_ui):
    """In elder mode the 承诺书's 手写签名 / 我已阅读并同意 sat below the fold while the line beside 下一步
    said 还差：承诺书签名或同意: confirming the materials now scrolls them into view, whole."""
    ui = kiosk_ui
    ui.click("elderSwitch")
    ui.wait_until(lambda: ui.bridge.theme["elder"])
    to_materials(ui)
    ui.click("btnMaterialsOk")
    ui.wait_until(lambda: ui.bridge.view["materials_confirmed"])
    flick = ui.item("materialsFlick")

    def whole_in_view(name: str) -> bool:
        ui.process()
        button = ui.item(name)
        top = button.mapToItem(flick, QPointF(0, 0)).y()
        return top >= 0 and top + button.height() <= flick.height()

    ui.wait_until(lambda: whole_in_view("btnSign") and whole_in_view("btnAgree"),
                  what="手写签名 and 我已阅读并同意 whole in view")
