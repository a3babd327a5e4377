"""What the applicant screens say after a printer fault, on the 受理 result screen and in English, walked
on the real QML app offscreen (reader simulator, printer emulator): nothing claims a slip printed when it
did not, staff notified when only this kiosk signalled, or an original to collect before staff approved it.
Each walk saves screenshots (KIOSK_SHOTS=DIR keeps them; else a temporary dir)."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from kiosk.ui.player import fill_health_form, lay_card, open_service


@pytest.fixture
def shots(tmp_path) -> Path:
    folder = Path(os.environ.get("KIOSK_SHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def to_materials(ui, accepted: bool = False) -> None:
    open_service(ui)
    lay_card(ui, "adult")
    if accepted:
        ui.click("option_is_legal_rep_1")  # 否: applying for someone else -> staff review (受理)
    fill_health_form(ui)
    ui.click("btnNext")
    ui.wait_page("prereview")
    ui.click("btnNext")
    ui.wait_page("materials")


def to_result(ui, accepted: bool = False) -> None:
    to_materials(ui, accepted)
    if accepted:
        names = [row["name"] for row in ui.bridge.view["materials_info"]]
        ui.click(f"promise_{names.index('授权委托书')}")
    ui.click("btnMaterialsOk")
    ui.click("btnAgree")
    ui.wait_page("result")


def due_date(ui, services) -> str:
    days = services.catalog["public-place-health-permit"].processing_days
    return f"{ui.bridge.session.today() + dt.timedelta(days=days):%Y年%m月%d日}"  # as the clock writes dates


def test_skipping_a_paper_out_print_says_nothing_printed_and_where_to_get_it(kiosk_ui, services, shots):
    ui = kiosk_ui
    to_result(ui)
    services.demo_action("paper_out")
    ui.click("btnConfirm")
    ui.wait_page("print_failed", timeout=20)
    number = ui.bridge.view["licence_no"]
    ui.click("btnSkipPrint")
    ui.wait_page("rating")
    said = ui.text("takeSlip")
    assert "没有打印" in said and "请取走" not in said and "公共场所卫生许可证" in said
    assert number in ui.text("ratingNumber")
    to_do = ui.text("notPrintedLine")
    assert "记下" in to_do and "1号发证窗口" in to_do and "扫码查询" in to_do and "身份证" in to_do
    assert "自动打印" not in to_do
    ui.grab(str(shots / "wording-skipped-print.png"))
    assert services.printer.jobs_printed == 0


def test_the_paper_out_notice_says_how_the_staff_call_really_stands(kiosk_ui, services, shots):
    ui = kiosk_ui
    to_result(ui)
    services.demo_action("paper_out")
    ui.click("btnConfirm")
    ui.wait_page("print_failed", timeout=20)
    ui.wait_until(lambda: "本机" in ui.text("staffCalledText"), what="the footer's honest line (no hall here)")
    ui.wait_until(lambda: "本机" in ui.text("noticeStaff"), what="the notice's own line on the call")
    staff = ui.text("noticeStaff")
    assert "招手" in staff and "打印机" in staff
    for said in (staff, ui.text("noticeToDo")):
        assert "已通知" not in said, said
    assert "自动打印" in ui.text("noticeToDo")
    assert not ui.exists("btnRetry"), "重新打印 beside 会自动打印 would only confuse"
    assert ui.text("btnSkipPrint") == "不等了，记下编号先走" and "等打印机" in ui.text("printingTitle")
    ui.grab(str(shots / "wording-paper-out-local-call.png"))


def test_an_accepted_slip_on_paper_out_says_the_decision_comes_later(kiosk_ui, services, shots):
    ui = kiosk_ui
    to_result(ui, accepted=True)
    ui.click("delivery_pickup")
    ui.wait_until(lambda: (ui.bridge.view["delivery"] or {}).get("method") == "pickup")
    services.demo_action("paper_out")
    ui.click("btnConfirm")
    ui.wait_page("print_failed", timeout=20)
    due = due_date(ui, services)
    to_do = ui.text("noticeToDo")
    assert "发证窗口领取" not in to_do and due in to_do and "扫码查询" in to_do and "还不能领取" in to_do
    ui.grab(str(shots / "wording-accepted-paper-out.png"))
    ui.click("btnSkipPrint")
    ui.wait_page("rating")
    assert "受理回执" in ui.text("takeSlip") and "没有打印" in ui.text("takeSlip")
    assert "发证窗口" not in ui.text("notPrintedLine") and "扫码查询" in ui.text("notPrintedLine")
    assert ui.text("ratingPickup").startswith("➜ 审核通过后")
    decision = ui.text("decisionLine")
    assert due in decision and "扫码查询" in decision and "还不能领取" in decision
    ui.grab(str(shots / "wording-accepted-rating.png"))


def test_the_accepted_result_screen_asks_before_it_says_where_the_original_goes(kiosk_ui, services, shots):
    ui = kiosk_ui
    to_result(ui, accepted=True)
    assert ui.bridge.view["pickup_line"] == ""
    assert not ui.exists("pickupLine") and not ui.exists("mailAddress")
    ui.grab(str(shots / "wording-result-unchosen.png"))
    ui.click("delivery_pickup")
    ui.wait_until(lambda: ui.exists("pickupLine"), what="the pickup line once pickup is chosen")
    assert "1号发证窗口" in ui.text("pickupLine") and "审核通过后" in ui.text("pickupLine")
    assert not ui.exists("mailAddress")
    ui.click("delivery_mail")
    ui.wait_until(lambda: ui.exists("mailAddress"), what="the address field once mail is chosen")
    assert ui.text("mailAddress") == ui.bridge.session.state.card.address
    assert "邮寄" in ui.text("pickupLine")
    ui.grab(str(shots / "wording-result-mail.png"))


def test_english_promise_button_is_an_act_and_the_number_uses_an_english_colon(kiosk_ui, services, shots):
    ui = kiosk_ui
    ui.click("langButton")
    ui.wait_until(lambda: ui.bridge.view["language"] == "en")
    to_materials(ui)
    rows = ui.bridge.view["materials_info"]
    index = next(i for i, row in enumerate(rows) if row["promisable"])
    button = f"promise_{index}"
    assert ui.text(button) == "Promise to bring it later"
    ui.click(button)
    ui.wait_until(lambda: ui.bridge.view["materials_promised"], what="the promise recorded")
    ui.wait_until(lambda: "Promised for later" in ui.text(button), what="the button showing the state")
    ui.grab(str(shots / "wording-english-materials.png"))
    ui.click("btnMaterialsOk")
    ui.click("btnAgree")
    ui.wait_page("result")
    services.demo_action("paper_out")
    ui.click("btnConfirm")
    ui.wait_page("print_failed", timeout=20)
    shown = ui.text("printedNumber")
    assert "：" not in shown and "no.: " in shown
    ui.grab(str(shots / "wording-english-print-failed.png"))
