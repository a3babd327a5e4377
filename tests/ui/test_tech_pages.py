"""The technician panel's pages in the real QML app offscreen, over a kiosk built from a configuration FILE
(so saving writes it): devices (读卡测试 on the reader simulator, the printer URL built and switched, the
speaker), the catalog switches and the next applicant's catalog, the settings page (validated, saved with
the old file kept, reloaded and applied), cancelling a print job, and a job that may have printed asking
before it prints again. Screenshots of every page go to /tmp/panel-shots/."""

from __future__ import annotations

import json
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPointF
from PySide6.QtGui import QGuiApplication
from ui.test_technician import PRINT_WAIT, unlock, wait_idle

from idreader import demo_cards
from kiosk.config import load_config
from kiosk.config_writer import backup_path
from kiosk.services.app_services import AppServices
from kiosk.session import ApplicantSession
from kiosk.ui.driver import UiDriver
from kiosk.ui.techbridge import SPEAK_TEST_TEXT
from kiosk.ui.views.screen import pickup_window_of
from printers.emulator import EmulatedPrinter, EmulatorServer

SHOTS = Path("/tmp/panel-shots")
CONFIG_TEXT = """# the hall's kiosk (a technician's comment that must survive the panel's edits)
demo = true
language = "zh"

[hall]
name = "铜梁区政务服务中心"

[devices]
reader = "sim://"
printer = "sim://"
camera = "sim://"
"""


@pytest.fixture
def config_file(tmp_path) -> Path:
    path = tmp_path / "kiosk.toml"
    path.write_text(CONFIG_TEXT, encoding="utf-8")
    return path


@pytest.fixture
def file_services(tmp_path, clock, kiosk_calendar, config_file) -> Iterator[AppServices]:
    built = AppServices(load_config(config_file), tmp_path / "data", print_timeout=20.0, config_path=config_file,
                        **kiosk_calendar(clock))
    yield built
    built.close()


@pytest.fixture
def panel_ui(qtbot, file_services, clock) -> Iterator[UiDriver]:
    from kiosk.ui.app import build_ui

    session = ApplicantSession(file_services.directory, clock)
    ui = build_ui(file_services, session=session, orientation="portrait", demo=True, tick_interval=None)
    driver = UiDriver(ui, file_services, clock, qtbot)
    yield driver
    QGuiApplication.inputMethod().hide()  # the input method is the process's: the next test's window starts closed
    ui.close()


def open_page(ui, key: str, name: str) -> None:
    ui.click(f"techTab_{key}")
    ui.item(name)
    wait_idle(ui)


def shot(ui, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    ui.grab(str(SHOTS / f"{name}.png"))


def test_every_page_opens_and_is_photographed(panel_ui):
    ui = panel_ui
    unlock(ui)
    shot(ui, "1-status")
    for key, name in (("devices", "techDevicesPage"), ("catalog", "techCatalogPage"),
                      ("settings", "techSettingsPage")):
        open_page(ui, key, name)
        shot(ui, f"2-{key}")
    ui.click("techTab_camera")
    ui.item("techCameraPage")
    ui.click("camClose")
    ui.item("techStatusPage")


def set_text(ui, name: str, text: str) -> None:
    ui.item(name).setProperty("text", text)


def audit_events(services) -> list[dict[str, Any]]:
    """The configuration's audit rows, their detail decoded."""
    return [{**row, "detail": json.loads(row["detail"]) if isinstance(row["detail"], str) else row["detail"]}
            for row in services.store.audit_rows() if row["event"].startswith("config.")]


def test_read_test_shows_the_card_masked_from_the_reader_the_app_holds(panel_ui, file_services):
    ui, services = panel_ui, file_services
    reader = services.reader
    unlock(ui)
    open_page(ui, "devices", "techDevicesPage")
    card = demo_cards.load("adult")
    services.simulator.place_card(card)
    ui.click("techReadTest")
    wait_idle(ui)
    result = ui.text("techResult")
    assert "读卡成功" in result and card.masked_id_number in result and card.display_name in result
    assert card.id_number not in result, "the number is masked"
    assert "SAM ID" in result and "0x90" in result
    shot(ui, "3-read-test")
    assert services.reader is reader, "the app's own reader: the port was not opened a second time"
    events: list[Any] = []
    services.start_reading(events.append)
    services.stop_reading()
    assert events == [], "the technician's test card is not handed to the next applicant"
    audit = [row for row in services.store.audit_rows() if row["event"] == "technician.read_test"]
    assert audit and card.id_number not in str(audit[-1]["detail"])


def test_read_test_without_a_card_says_so(panel_ui, file_services):
    ui = panel_ui
    unlock(ui)
    open_page(ui, "devices", "techDevicesPage")
    ui.tech.read_test_seconds = 0.3
    ui.click("techReadTest")
    wait_idle(ui)
    assert "没有读到卡" in ui.text("techResult")


def test_a_bad_reader_address_is_refused_and_the_file_is_untouched(panel_ui, file_services, config_file):
    ui, services = panel_ui, file_services
    before = config_file.read_bytes()
    unlock(ui)
    open_page(ui, "devices", "techDevicesPage")
    set_text(ui, "readerPort", "sim://?card=nobody")
    ui.click("techSaveReader")
    wait_idle(ui)
    result = ui.text("techResult")
    assert "未保存" in result and "devices.reader" in result and "nobody" in result
    assert config_file.read_bytes() == before and not backup_path(config_file).exists()
    assert services.kiosk.config.devices.reader == "sim://"
    assert [row["event"] for row in audit_events(services)] == ["config.refused"]
    shot(ui, "4-refused")


def test_the_reader_saved_is_reopened_at_its_new_address(panel_ui, file_services, config_file):
    ui, services = panel_ui, file_services
    old_reader = services.reader
    unlock(ui)
    open_page(ui, "devices", "techDevicesPage")
    set_text(ui, "readerPort", "sim://?card=elderly")
    ui.click("readerBaud_1")  # 57600
    ui.click("techSaveReader")
    wait_idle(ui)
    assert "读卡器已按新地址重新打开" in ui.text("techResult")
    saved = tomllib.loads(config_file.read_text(encoding="utf-8"))
    assert saved["devices"]["reader"] == "sim://?card=elderly&baudrate=57600"
    assert "a technician's comment that must survive" in config_file.read_text(encoding="utf-8")
    assert backup_path(config_file).read_text(encoding="utf-8") == CONFIG_TEXT, "the old file is kept"
    assert load_config(config_file).devices.reader == saved["devices"]["reader"], "it loads again"
    assert services.reader is not old_reader and services.reader.url == saved["devices"]["reader"]
    ui.click("techReadTest")  # the new reader's deck has the elderly card on it
    wait_idle(ui)
    assert demo_cards.load("elderly").masked_id_number in ui.text("techResult")
    changed = audit_events(services)[-1]
    assert changed["event"] == "config.changed"
    assert changed["detail"]["changes"]["devices.reader"]["to"] == saved["devices"]["reader"]


def test_the_printer_built_from_fields_is_saved_switched_and_prints_a_test_page(panel_ui, file_services, config_file,
                                                                                tmp_path):
    ui, services = panel_ui, file_services
    printer = EmulatedPrinter()
    with EmulatorServer(printer) as server:
        host, port = server.url.removeprefix("tcp://").split(":")
        unlock(ui)
        open_page(ui, "devices", "techDevicesPage")
        ui.click("printerKind_0")  # 网络 TCP
        ui.type_into("printerHost", host)  # on the docked keyboard, over the panel
        assert ui.item("inputPanel").property("active"), "the keyboard opens over the panel's fields"
        shot(ui, "5-printer-keyboard")
        set_text(ui, "printerPort", "99999")
        ui.click("techSavePrinter")
        assert "端口 99999 不对" in ui.text("techResult") and not backup_path(config_file).exists()
        set_text(ui, "printerPort", port)
        ui.click("printerProfile_4")  # generic-80 (sorted: "", epson, generic-58, generic-58-raster, generic-80)
        ui.click("printerMode_2")  # raster
        shot(ui, "5-printer-tcp")
        ui.click("techSavePrinter")
        wait_idle(ui)
        url = f"tcp://{host}:{port}?profile=generic-80&mode=raster"
        assert "打印机已切换" in ui.text("techResult")
        assert tomllib.loads(config_file.read_text(encoding="utf-8"))["devices"]["printer"] == url
        assert services.kiosk.printer_url == url and services.kiosk.config.devices.printer == url
        ui.click("techDevTestPage")
        wait_idle(ui)
        assert "测试页已打印" in ui.text("techResult")
        assert printer.wait_for_jobs(1, PRINT_WAIT), "the test page went to the new printer, no restart"
        ui.wait_until(lambda: "就绪" in ui.text("printerLive") or "ready" in ui.text("printerLive"),
                      timeout=PRINT_WAIT, what="the live status of the new printer")


def test_the_speaker_speaks_the_test_sentence_and_the_volume_is_saved(panel_ui, file_services, config_file):
    ui = panel_ui
    unlock(ui)
    open_page(ui, "devices", "techDevicesPage")
    ui.item("speakerVolume").setProperty("value", 40)
    ui.click("techSpeakTest")
    assert ui.bridge.voice.said[-1] == (SPEAK_TEST_TEXT, "zh") and ui.bridge.voice.volume == 40
    assert "音量 40" in ui.text("techResult")
    ui.click("techSaveVolume")
    wait_idle(ui)
    assert tomllib.loads(config_file.read_text(encoding="utf-8"))["speaker"]["volume"] == 40
    assert file_services.kiosk.config.speaker.volume == 40


def catalog_keys(ui) -> list[str]:
    """The rows the applicant's catalog page lists (no audience chosen, no search)."""
    ui.bridge.start.searchCatalog("")
    return [row["key"] for row in ui.bridge.start.catalog_model.rows()]


def test_disabling_an_item_hides_it_from_the_next_applicant_and_enabling_brings_it_back(panel_ui, file_services,
                                                                                        config_file):
    ui, services = panel_ui, file_services
    item = sorted(services.catalog)[0]
    assert item in catalog_keys(ui)
    unlock(ui)
    open_page(ui, "catalog", "techCatalogPage")
    ui.click(f"catalogSwitch_{item}")
    wait_idle(ui)
    assert tomllib.loads(config_file.read_text(encoding="utf-8"))["catalog"]["disabled"] == [item]
    assert "已停用" in ui.text(f"catalogSwitch_{item}")
    shot(ui, "6-catalog-off")
    assert audit_events(services)[-1]["detail"]["changes"]["catalog.disabled"] == {"from": [], "to": [item]}
    ui.click("techBack")
    ui.wait_until(lambda: not ui.exists("techPanel"), what="the panel to close")
    assert item not in catalog_keys(ui), "the next applicant does not see it"
    assert len(catalog_keys(ui)) == len(services.catalog) - 1
    unlock(ui)
    open_page(ui, "catalog", "techCatalogPage")
    ui.click(f"catalogSwitch_{item}")
    wait_idle(ui)
    assert item in catalog_keys(ui)
    assert tomllib.loads(config_file.read_text(encoding="utf-8"))["catalog"]["disabled"] == []


def test_settings_are_validated_saved_reloaded_and_applied(panel_ui, file_services, config_file):
    ui, services = panel_ui, file_services
    unlock(ui)
    open_page(ui, "settings", "techSettingsPage")
    before = config_file.read_bytes()
    set_text(ui, "setting_formIdle", "abc")
    ui.click("techSaveSettings")
    assert "不是数字" in ui.text("techResult") and "Form idle" in ui.text("techResult")
    set_text(ui, "setting_formIdle", "120")
    set_text(ui, "setting_hallName", "  ")
    ui.click("techSaveSettings")
    assert "大厅名称 Hall name 不能为空" in ui.text("techResult")
    set_text(ui, "setting_countdown", "2")
    set_text(ui, "setting_hallName", "渝北区政务服务中心")
    ui.click("techSaveSettings")
    assert "超出范围" in ui.text("techResult")
    assert config_file.read_bytes() == before, "nothing written for a refused value"
    set_text(ui, "setting_countdown", "15")
    set_text(ui, "setting_retentionDays", "90")
    set_text(ui, "setting_pickupWindow", "3")
    ui.click("settingLanguage_1")  # English
    ui.click("settingElder_1")  # on
    ui.click("settingOrientation_1")  # landscape: after a restart
    shot(ui, "7-settings-edited")
    ui.click("techSaveSettings")
    wait_idle(ui)
    result = ui.text("techResult")
    assert "已保存" in result and "display.orientation" in result, result
    reloaded = load_config(config_file)
    assert reloaded.hall.name == "渝北区政务服务中心" and reloaded.timeouts.form_idle_s == 120
    assert reloaded.timeouts.countdown_s == 15 and reloaded.retention_days == 90
    assert reloaded.language == "en" and reloaded.display.elder_mode_default
    assert reloaded.display.orientation == "landscape"
    assert backup_path(config_file).read_bytes() == before
    assert services.kiosk.config == reloaded, "in force in the running kiosk"
    assert ui.bridge.hallName == "渝北区政务服务中心"
    assert pickup_window_of(services) == "3", "the next applicant is told 请到3号发证窗口领取"
    settings = ui.bridge.session.settings
    assert settings.form_seconds == 120 and settings.countdown_seconds == 15
    assert settings.language == "en" and settings.elder_mode, "the next visit starts in them"
    shot(ui, "8-settings-saved")


def test_a_queued_job_is_cancelled_and_never_prints(panel_ui, file_services):
    ui, services = panel_ui, file_services
    printer, queue = services.printer, services.kiosk.queue
    printer.set_paper_out(True)
    job = queue.submit(services.kiosk.printer_url, b"\x1b@cancel me\n", kind="test", reference="T-9")
    services.store.append_audit("print.test_page", f"job:{job}", {"job": job}, records=[f"print_job:{job}"])
    unlock(ui)
    assert ui.exists(f"jobCancel_{job}")
    shot(ui, "9-jobs-cancel")
    ui.click(f"jobCancel_{job}")
    wait_idle(ui)
    assert "已取消" in ui.text("techResult")
    assert queue.get(job).state == "cancelled" and not ui.exists(f"job_{job}")
    before = printer.jobs_printed
    printer.set_paper_out(False)
    queue.retry_now()
    probe = queue.submit(services.kiosk.printer_url, b"\x1b@after\n", kind="test", reference="T-10")
    services.store.append_audit("print.test_page", f"job:{probe}", {"job": probe}, records=[f"print_job:{probe}"])
    assert queue.wait(probe, PRINT_WAIT).state == "done"
    assert printer.wait_for_jobs(before + 1, PRINT_WAIT)  # the emulator counts a job on its own thread
    assert printer.jobs_printed == before + 1, "only the next job printed, not the cancelled one"
    rows = [row for row in services.store.audit_rows() if row["event"] == "print.cancelled"]
    assert rows and json.loads(rows[-1]["detail"])["job"] == job
    assert f"print_job:{job}" in str(rows[-1]["digests"]), "the job is named in the log's record digests"
    assert services.store.verify_audit().ok


def test_a_job_that_may_have_printed_asks_before_it_prints_again(panel_ui, file_services):
    ui, services = panel_ui, file_services
    printer, queue = services.printer, services.kiosk.queue
    payload = b"\x1b@maybe printed\n\x1dV\x00"
    printer.stall_next_job(after_bytes=len(payload))  # every byte in, then silence: uncertain
    job = queue.submit(services.kiosk.printer_url, payload, kind="test", reference="T-11")
    assert queue.wait(job, PRINT_WAIT).state == "uncertain"
    printer.set_stalled(False)
    before = printer.jobs_printed
    unlock(ui)
    assert "可能已打印" in ui.text(f"jobText_{job}")
    ui.click(f"jobReprint_{job}")
    assert "可能已经打印过" in ui.text("techResult") and not ui.tech.techBusy
    assert queue.get(job).state == "uncertain" and printer.jobs_printed == before, "nothing printed on the first tap"
    ui.click(f"jobReprint_{job}")
    wait_idle(ui)
    assert printer.wait_for_jobs(before + 1, PRINT_WAIT)
    assert "已打印" in ui.text("techResult")


def test_the_demo_without_a_configuration_file_applies_for_this_run_only(kiosk_ui, services):
    ui = kiosk_ui
    assert services.config_path is None
    item = sorted(services.catalog)[-1]
    unlock(ui)
    open_page(ui, "catalog", "techCatalogPage")
    ui.click(f"catalogSwitch_{item}")
    wait_idle(ui)
    assert "演示模式没有配置文件：本次运行有效" in ui.text("techResult")
    assert item not in catalog_keys(ui) and services.kiosk.config.catalog.disabled == (item,)


def test_a_read_test_left_waiting_when_the_panel_closes_takes_no_applicant_card(panel_ui, file_services):
    ui, services = panel_ui, file_services
    unlock(ui)
    open_page(ui, "devices", "techDevicesPage")
    ui.click("techReadTest")
    ui.wait_until(lambda: bool(services._test_reads), what="the read test to wait for a card")
    ui.click("techBack")
    ui.wait_until(lambda: not services._test_reads, what="the waiting read test to end")
    card = demo_cards.load("adult")
    services.simulator.place_card(card)  # an applicant lays a card on the start screen
    events: list[Any] = []

    def handed_to_the_visit() -> bool:  # the card screen opening: the card read meanwhile is handed over
        services.start_reading(events.append)
        services.stop_reading()
        return any(getattr(getattr(event, "card", None), "id_number", None) == card.id_number for event in events)

    ui.wait_until(handed_to_the_visit, timeout=PRINT_WAIT, what="the applicant's card to reach the visit")


def test_the_pages_in_landscape_are_photographed(kiosk_ui_landscape):
    ui = kiosk_ui_landscape
    unlock(ui)
    shot(ui, "L1-status")
    for key, name in (("devices", "techDevicesPage"), ("catalog", "techCatalogPage"),
                      ("settings", "techSettingsPage")):
        open_page(ui, key, name)
        shot(ui, f"L2-{key}")
    small = [button.objectName() for button in ui.items("techTab_devices") if button.height() < 64]
    assert small == [], "touch targets of at least 64 px"


def test_the_camera_address_is_saved_through_the_config_desk(panel_ui, file_services, config_file, tmp_path):
    ui, services = panel_ui, file_services
    unlock(ui)
    open_page(ui, "camera", "techCameraPage")
    assert "sim://" in ui.text("camConfigured")
    before = config_file.read_bytes()
    set_text(ui, "camAddress", str(tmp_path / "no-such-folder"))
    ui.click("camSave")
    wait_idle(ui)
    result = ui.text("techResult")
    assert "未保存" in result and "devices.camera" in result and "no such video file" in result
    assert config_file.read_bytes() == before and not backup_path(config_file).exists()
    photos = tmp_path / "photos"
    photos.mkdir()
    set_text(ui, "camAddress", str(photos))
    ui.click("camSave")
    wait_idle(ui)
    assert "未保存" not in ui.text("techResult")
    saved = tomllib.loads(config_file.read_text(encoding="utf-8"))
    assert saved["devices"]["camera"] == str(photos)
    assert backup_path(config_file).read_text(encoding="utf-8") == CONFIG_TEXT, "the old file is kept"
    assert load_config(config_file).devices.camera == str(photos)
    assert services.kiosk.config.devices.camera == str(photos) == services.kiosk.devices.camera_url, "applied"
    assert str(photos) in ui.text("camConfigured"), "the page shows the saved camera"
    assert audit_events(services)[-1]["detail"]["changes"]["devices.camera"]["to"] == str(photos)
    shot(ui, "5-camera-saved")
    set_text(ui, "camAddress", "")
    ui.click("camDevice_0")  # sim://: the one previewed is saved when nothing is typed
    ui.click("camSave")
    wait_idle(ui)
    assert tomllib.loads(config_file.read_text(encoding="utf-8"))["devices"]["camera"] == "sim://"


def test_the_tabs_stay_one_row_in_portrait_and_the_last_is_reached_by_swiping(kiosk_ui):
    """Eight tabs do not fit 1080 px: they stay one row (never wrapping onto a second), each a large
    target, and a tab off the edge is reached by swiping the row (the driver scrolls it as a finger would)."""
    ui = kiosk_ui
    unlock(ui)
    tabs = [ui.item(f"techTab_{key}") for key in ("status", "devices", "catalog", "settings", "camera", "stats",
                                                  "audit", "doctor")]
    assert len({round(tab.mapToScene(QPointF(0, 0)).y()) for tab in tabs}) == 1, "one row"
    assert min(tab.height() for tab in tabs) >= 80 and min(tab.width() for tab in tabs) >= 120
    row = ui.item("techTabs")
    assert row.property("contentWidth") > row.width(), "more tabs than fit: the row scrolls"
    shot(ui, "P1-tabs-start")
    open_page(ui, "doctor", "techDoctorPage")
    assert row.property("contentX") > 0
    shot(ui, "P2-tabs-swiped")
    open_page(ui, "status", "techStatusPage")
