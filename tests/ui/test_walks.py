"""The applicant's whole walk through the real QML app offscreen, with the reader simulator and the
printer emulator behind it, driven by taps and typing on objectName-ed items."""

from __future__ import annotations

import datetime as dt

from kiosk.session import Step
from kiosk.ui.player import fill_health_form, lay_card, open_service


def confirm_materials_and_commit(ui) -> None:
    ui.wait_page("materials")
    ui.click("btnMaterialsOk")
    ui.click("btnAgree")  # the last act of the materials screen goes on by itself
    ui.wait_page("result")
    assert ui.bridge.view["commitment"] == "agree"


def test_approved_walk_prints_a_licence_and_wipes(kiosk_ui, services, clock):
    ui = kiosk_ui
    open_service(ui)
    lay_card(ui, "adult")
    assert "来自身份证" in ui.text("locked_applicant_name")
    fill_health_form(ui)
    assert ui.bridge.view["fields"][-1]["key"] == "hygiene_report_result"
    ui.click("btnNext")
    ui.wait_page("prereview")
    assert "秒批" in ui.text("prereviewOutcome")
    ui.click("btnNext")
    confirm_materials_and_commit(ui)
    assert ui.bridge.view["outcome"] == "approved"
    ui.click("btnConfirm")
    ui.wait_page("rating", timeout=20)
    record = services.store.find_application(ui.bridge.view["licence_no"])
    assert record is not None and record.decision == "approved"
    assert record.answers["staff_count"] == 3 and record.answers["hygiene_manager"] == "张伟"
    assert services.printer.jobs, "the licence slip reached the printer"
    ui.wait_until(lambda: ui.bridge.slipCount == 1, what="the slip preview")
    ui.click("face_5")
    ui.click("btnRate")
    ui.wait_page("thanks")
    assert ui.bridge.slipCount == 0 and not ui.bridge.session.state.has_personal_data
    clock.advance(services and 6)
    ui.bridge.tick()
    ui.wait_page("home")
    assert ui.bridge.session.state.step is Step.START


def test_accepted_walk_with_mail_delivery(kiosk_ui, services):
    ui = kiosk_ui
    open_service(ui)
    lay_card(ui, "adult")
    ui.click("option_is_legal_rep_1")  # 否: applying for someone else -> staff review
    ui.wait_until(lambda: "需要工作人员再看一下" in ui.bridge.field_model.rows()[3]["message"])
    assert "授权委托书" in ui.text("messageText_is_legal_rep")
    fill_health_form(ui)
    ui.click("btnNext")
    ui.wait_page("prereview")
    assert "受理" in ui.text("prereviewOutcome")
    ui.click("btnNext")
    ui.wait_page("materials")
    names = [row["name"] for row in ui.bridge.view["materials_info"]]
    promise = f"promise_{names.index('授权委托书')}"
    ui.click(promise)
    confirm_materials_and_commit(ui)
    # the floor plan was not photographed: confirming promises it (its row shows 已承诺后补)
    assert ui.bridge.view["materials_promised"] == ["平面图及卫生设施布局图", "授权委托书"]
    card_address = services.story_address = ui.bridge.session.state.card.address
    assert not ui.exists("mailAddress"), "the address field waits for 邮寄"
    # the result screen names the same completion date the 受理回执 will print (the spec's processing_days)
    due = ui.bridge.session.today() + dt.timedelta(days=services.catalog["public-place-health-permit"].processing_days)
    assert f"{due.year}年{due.month:02d}月{due.day:02d}日" in ui.bridge.view["outcome_line"]  # as the clock writes it
    ui.click("btnConfirm")
    ui.wait_until(lambda: ui.bridge.view["notice"] is not None, what="the delivery-missing notice")
    assert "领取方式" in ui.text("noticeWhat")
    ui.click("delivery_mail")
    ui.wait_until(lambda: (ui.bridge.view["delivery"] or {}).get("method") == "mail")
    assert ui.text("mailAddress") == card_address
    ui.click("btnConfirm")
    ui.wait_page("rating", timeout=20)
    number = ui.bridge.view["number"]
    record = services.store.find_application(number)
    assert record.decision == "accepted" and record.licence_no is None
    assert record.delivery == {"method": "mail", "address": card_address}
    assert len(services.printer.jobs) == 1


def test_blocked_then_fixed_on_the_form_then_approved(kiosk_ui):
    ui = kiosk_ui
    open_service(ui)
    lay_card(ui, "adult")
    fill_health_form(ui, staff="3", certified="2")
    assert "健康合格证明" in ui.text("messageText_staff_health_certified")
    ui.click("btnNext")
    ui.wait_until(lambda: ui.bridge.view["show_fixes"], what="the list of what to fix")
    assert ui.bridge.page == "form" and ui.bridge.view["outcome"] == "blocked"
    assert ui.exists("fixList") and ui.exists("fix_staff_health_certified")
    ui.click("fix_staff_health_certified")
    ui.clear_field("field_staff_health_certified")
    ui.type_into("field_staff_health_certified", "3")
    ui.wait_until(lambda: not ui.exists("message_staff_health_certified"), what="the message to go")
    ui.click("btnNext")
    ui.wait_page("prereview")
    assert ui.bridge.view["outcome"] == "approved"
    ui.click("btnBack")
    ui.wait_page("form")
    assert ui.text("field_staff_health_certified") == "3", "Back keeps every answer"


def test_expired_card_says_where_to_renew(kiosk_ui):
    ui = kiosk_ui
    open_service(ui)
    ui.services.demo_action("place_card", "expired")
    ui.wait_until(lambda: ui.bridge.view["notice"] is not None, what="the expired-card notice")
    assert ui.bridge.page == "card"
    assert "过有效期" in ui.text("noticeWhat")
    assert "户政窗口" in ui.text("noticeToDo")
    assert not ui.exists("btnCardNext")


def test_reader_fault_is_told_in_words(kiosk_ui):
    ui = kiosk_ui
    open_service(ui)
    ui.services.demo_action("reader_fault", "bad_checksum")  # one spoilt reply: read again, no notice
    ui.services.demo_action("place_card", "adult")
    ui.wait_page("form")
    assert ui.bridge.view["notice"] is None
    ui.click("btnBack")
    ui.wait_page("card")
    ui.services.simulator.inject_fault("bad_checksum", count=2, on="read")  # the retry fails too
    ui.services.demo_action("place_card", "minor")
    ui.wait_until(lambda: ui.bridge.view["notice"] is not None, what="the read-failed notice")
    assert ui.bridge.view["notice"]["code"] == "read_failed"
    assert "读卡失败，请重新放置" in ui.text("noticeWhat") and "平放" in ui.text("noticeToDo")
    ui.services.demo_action("place_card", "adult")  # laid again: read this time
    ui.wait_page("form")


def test_a_reader_that_stays_silent_is_told_then_reads_again(kiosk_ui):
    ui = kiosk_ui
    open_service(ui)
    ui.services.demo_action("reader_fault", "silence")  # the drawer's 无应答: silent for two polls
    ui.wait_until(lambda: (ui.bridge.view["notice"] or {}).get("code") == "no_response", what="the no-answer notice")
    assert "没有应答" in ui.text("noticeWhat")
    ui.services.demo_action("place_card", "adult")  # the reader answers again: the card is read
    ui.wait_page("form")


def test_idle_countdown_then_wipe_with_a_fake_clock(kiosk_ui, clock):
    ui = kiosk_ui
    open_service(ui)
    lay_card(ui, "adult")
    ui.type_into("field_staff_count", "3")
    settings = ui.bridge.session.settings
    clock.advance(settings.form_seconds + 1)
    ui.bridge.tick()
    ui.wait_until(lambda: ui.bridge.countingDown, what="the countdown")
    assert ui.text("countdownNumber") == str(settings.countdown_seconds)
    ui.click("btnContinue")  # one touch continues, answers kept
    ui.wait_until(lambda: not ui.bridge.countingDown)
    assert ui.bridge.session.state.values()["staff_count"] == "3"
    clock.advance(settings.form_seconds + 1)
    ui.bridge.tick()
    ui.wait_until(lambda: ui.bridge.countingDown)
    clock.advance(5)
    ui.bridge.tick()
    ui.wait_until(lambda: ui.text("countdownNumber") == str(settings.countdown_seconds - 5))
    clock.advance(settings.countdown_seconds)
    ui.bridge.tick()
    ui.wait_page("home")
    assert not ui.bridge.countingDown and not ui.bridge.session.state.has_personal_data
    assert ui.bridge.field_model.rows() == []


def test_paper_out_then_reprint_prints_exactly_once(kiosk_ui, services):
    ui = kiosk_ui
    open_service(ui)
    lay_card(ui, "adult")
    fill_health_form(ui)
    ui.click("btnNext")
    ui.wait_page("prereview")
    ui.click("btnNext")
    confirm_materials_and_commit(ui)
    services.demo_action("paper_out")
    ui.click("btnConfirm")
    ui.wait_page("print_failed", timeout=20)
    number = ui.bridge.view["licence_no"]
    assert services.store.find_application(number) is not None, "saved before printing"
    assert "纸用完" in ui.text("noticeWhat")
    assert number in ui.text("printedNumber") and ui.exists("numberQr")
    assert "kiosk" not in ui.text("noticeToDo"), "commands are for technicians"
    assert not services.printer.jobs
    services.demo_action("paper_in")  # staff load paper: the waiting slip prints by itself
    ui.wait_page("rating", timeout=20)
    ui.wait_until(lambda: services.printer.jobs_printed >= 1)
    assert services.printer.jobs_printed == 1, "the waiting job printed once; no second copy"


def test_elder_mode_scales_and_speaks(kiosk_ui):
    ui = kiosk_ui
    normal = ui.item("btnBusiness").height(), ui.item("callStaff").height()
    ui.click("elderSwitch")
    ui.wait_until(lambda: ui.bridge.theme["elder"])
    ui.settle()
    assert ui.item("callStaff").height() >= 84 and ui.item("callStaff").height() > normal[1]
    open_service(ui)
    said = [text for text, _ in ui.bridge.voice.said]
    assert any("身份证放在读卡区" in text and "读卡器在屏幕下方" in text for text in said), said
    assert ui.text("readerWhere") == "↓ 读卡器在屏幕下方"
    ui.services.demo_action("place_card", "expired")
    ui.wait_until(lambda: ui.bridge.view["notice"] is not None)
    assert any("户政窗口" in text for text, _ in ui.bridge.voice.said), "errors are read aloud"
    for name in ("btnBack", "btnHome", "callStaff"):
        assert ui.item(name).height() >= 84, name
