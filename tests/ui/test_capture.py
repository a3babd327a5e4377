"""The capture screen offscreen over the real app and the sim:// document camera (the demo photos in
assets/camera): 拍照 on a material opens the live preview with the page outline, 拍照 flattens the
frame, 使用这张 attaches the page (已拍照 on the materials screen), 重拍 shows the next photo, 返回 keeps
nothing; the saved application has its page. Camera frames are read on the feed's thread, never the
GUI thread. Screenshots go to $KIOSK_SHOTS when it is set."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path

import cv2
import pytest
from ui.test_lookup import applied, open_lookup, page_texts, tap
from unit.kiosk.camera.test_codes import CLAIMS, slip

from kiosk.camera.synthetic import Shot, photograph
from kiosk.config import demo_config
from kiosk.credentials import issue_credential, load_or_create_signing_key
from kiosk.reprint_policy import Code, lookup_text
from kiosk.services.app_services import AppServices
from kiosk.session import ApplicantSession
from kiosk.store.material_pages import material_pages_for
from kiosk.ui.player import fill_health_form, lay_card, open_service

PLAN = "平面图及卫生设施布局图"


def shot(ui, name: str) -> None:
    folder = os.environ.get("KIOSK_SHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        ui.settle()
        ui.grab(str(Path(folder) / f"{name}.png"))


def to_materials(ui) -> None:
    open_service(ui)
    lay_card(ui, "adult")
    fill_health_form(ui)
    ui.click("btnNext")
    ui.wait_page("prereview")
    ui.click("btnNext")
    ui.wait_page("materials")


def press(ui, name: str) -> None:
    """Click `name` once the layout that the last change moved has been drawn (the capture screen swaps
    拍照 for 重拍 and 使用这张 in one row: a click on stale geometry would hit the neighbour)."""
    ui.settle()
    ui.click(name)


def open_capture(ui) -> None:
    names = [row["name"] for row in ui.bridge.view["materials_info"]]
    ui.click(f"photograph_{names.index(PLAN)}")
    ui.wait_page("capture")
    ui.wait_until(lambda: ui.ui.camera.capture.found, what="the page outline on a live frame")


def test_a_material_is_photographed_confirmed_and_saved_with_the_application(kiosk_ui, services):
    ui = kiosk_ui
    to_materials(ui)
    open_capture(ui)
    assert PLAN in ui.text("captureTitle")
    assert len(ui.ui.camera.capture.corners) == 8
    assert ui.item("captureOutline").property("visible") is True
    assert ui.item("btnCaptureTake").property("enabled") is True
    shot(ui, "capture-live")
    press(ui, "btnCaptureTake")
    ui.wait_until(lambda: ui.ui.camera.capture.state == "review", what="the flattened page")
    assert ui.bridge.images.get("camera/page").height() > ui.bridge.images.get("camera/page").width()
    shot(ui, "capture-review")
    press(ui, "btnCaptureUse")
    ui.wait_page("materials")
    assert ui.bridge.view["materials_captured"] == [PLAN]
    row = next(r for r in ui.bridge.view["materials_info"] if r["name"] == PLAN)
    assert row["captured"] and "已拍照" in row["status"] and not row["promisable"]
    assert not ui.ui.camera.capture_view._feed.running  # the camera is released once the screen closed
    shot(ui, "capture-materials")
    page = ui.bridge.session.state.material_pages[0]
    assert page.png.startswith(b"\x89PNG") and page.height > page.width

    ui.click("btnMaterialsOk")
    ui.click("btnAgree")
    ui.wait_page("result")
    ui.click("btnConfirm")
    ui.wait_until(lambda: ui.bridge.view["number"], what="the saved application")
    record = services.store.find_application(ui.bridge.view["number"])
    pages = material_pages_for(services.store, record.id)
    assert [(p.material, p.png()) for p in pages] == [(PLAN, page.png)]


def test_retake_shows_the_next_photo_and_back_keeps_nothing(kiosk_ui):
    ui = kiosk_ui
    to_materials(ui)
    open_capture(ui)
    press(ui, "btnCaptureTake")
    ui.wait_until(lambda: ui.ui.camera.capture.state == "review", what="the flattened page")
    first = ui.ui.camera.capture_view._page["png"]
    press(ui, "btnCaptureRetake")
    ui.wait_until(lambda: ui.ui.camera.capture.state == "live")
    revision = ui.ui.camera.capture.liveRevision
    ui.wait_until(lambda: ui.ui.camera.capture.liveRevision > revision + 1 and ui.ui.camera.capture.found,
                  what="frames of the next photo")
    press(ui, "btnCaptureTake")
    ui.wait_until(lambda: ui.ui.camera.capture.state == "review", what="the second page")
    assert ui.ui.camera.capture_view._page["png"] != first
    press(ui, "btnBack")
    ui.wait_page("materials")
    assert ui.bridge.view["materials_captured"] == [] and ui.bridge.session.state.material_pages == ()
    assert ui.ui.camera.capture.state == "idle"


def test_frames_are_read_off_the_gui_thread(kiosk_ui, services):
    ui = kiosk_ui
    readers: list[threading.Thread] = []
    real = services.open_camera

    def recording_open(url=None):
        source = real(url)
        read = source.read

        def recorded_read():
            readers.append(threading.current_thread())
            return read()

        source.read = recorded_read
        return source

    services.open_camera = recording_open
    to_materials(ui)
    open_capture(ui)
    assert readers and all(thread is not threading.main_thread() for thread in readers)


# --- 扫码查询·补打 by camera -------------------------------------------------------------------------------

@pytest.fixture
def slip_camera(tmp_path, clock, kiosk_calendar) -> Iterator[tuple[AppServices, Path]]:
    """Services whose camera is an image folder (a real address, DESIGN.md), empty until a test puts the
    photo of a slip there: the camera then shows that photo."""
    folder = tmp_path / "camera"
    folder.mkdir()
    config = demo_config(tmp_path / "data")
    config = config.model_copy(update={"devices": config.devices.model_copy(update={"camera": str(folder)})})
    built = AppServices(config, print_timeout=20.0, **kiosk_calendar(clock))
    yield built, folder
    built.close()


def test_the_slips_qr_shown_to_the_camera_shows_the_status_and_a_reprint_still_needs_the_card(
        qtbot, clock, slip_camera):
    from kiosk.ui.app import build_ui
    from kiosk.ui.driver import UiDriver

    services, folder = slip_camera
    mine = applied(services, clock)
    photo, _ = photograph(slip(mine["qr"]), Shot(height=0.45, rotate=20, tilt=15, blur=1.0), seed=3)
    cv2.imwrite(str(folder / "slip.png"), photo)
    ui_root = build_ui(services, session=ApplicantSession(services.directory, clock), demo=True, tick_interval=None)
    ui = UiDriver(ui_root, services, clock, qtbot)
    try:
        open_lookup(ui)
        tap(ui, "btnScanCamera")
        ui.wait_until(lambda: ui.bridge.lookupPage.status.get("number") == mine["number"],
                      what="the status of the scanned slip")
        assert not ui.ui.camera.scan.active  # one code read: the camera stops
        shown = " ".join(page_texts(ui))
        assert "张*" in shown and "5001**********" in shown and "张伟" not in shown
        assert "已办结" in ui.bridge.lookupPage.status["status"]
        shot(ui, "lookup-scanned")
        tap(ui, "btnReprint")
        ui.wait_until(lambda: ui.bridge.lookupPage.awaitingCard, what="the holder's card asked for")
    finally:
        ui_root.close()


def test_a_qr_from_another_hall_is_refused(qtbot, clock, slip_camera, tmp_path):
    from kiosk.ui.app import build_ui
    from kiosk.ui.driver import UiDriver

    services, folder = slip_camera
    foreign = issue_credential(CLAIMS, load_or_create_signing_key(tmp_path / "other-hall"))
    cv2.imwrite(str(folder / "slip.png"), photograph(slip(foreign), Shot(height=0.45), seed=1)[0])
    ui_root = build_ui(services, session=ApplicantSession(services.directory, clock), demo=True, tick_interval=None)
    ui = UiDriver(ui_root, services, clock, qtbot)
    try:
        open_lookup(ui)
        tap(ui, "btnScanCamera")
        ui.wait_until(lambda: not ui.ui.camera.scan.active and ui.bridge.lookupPage.message not in ("", "…"),
                      what="the lookup's answer")
        assert ui.bridge.lookupPage.status == {}
        assert ui.bridge.lookupPage.message == lookup_text(Code.BAD_QR, "zh")
    finally:
        ui_root.close()


# --- a kiosk without a document camera (devices.camera = "none") ----------------------------------------

@pytest.fixture
def no_camera(tmp_path, clock, kiosk_calendar) -> Iterator[AppServices]:
    config = demo_config(tmp_path / "data")
    config = config.model_copy(update={"devices": config.devices.model_copy(update={"camera": "none"})})
    built = AppServices(config, print_timeout=20.0, **kiosk_calendar(clock))
    yield built
    built.close()


def test_without_a_camera_no_material_offers_a_photo_and_each_says_what_to_do(qtbot, clock, no_camera):
    """No 拍照 that would open a capture step ending in "no camera": the material says at once to promise
    it or bring the paper copy to the window, and the visit goes on to the result."""
    from kiosk.ui.app import build_ui
    from kiosk.ui.driver import UiDriver

    services = no_camera
    ui_root = build_ui(services, session=ApplicantSession(services.directory, clock), demo=True, tick_interval=None)
    ui = UiDriver(ui_root, services, clock, qtbot)
    try:
        to_materials(ui)
        rows = {row["name"]: row for row in ui.bridge.view["materials_info"]}
        assert not any(row["photographable"] for row in rows.values())
        assert rows[PLAN]["status"].startswith("本机没有拍摄仪：请承诺后补，或带纸质件到窗口提交")
        assert rows[PLAN]["promisable"]
        assert not [item for item in ui.items(f"photograph_{list(rows).index(PLAN)}") if item.isVisible()]
        shot(ui, "materials-no-camera")
        ui.click(f"promise_{list(rows).index(PLAN)}")
        ui.click("btnMaterialsOk")
        ui.click("btnAgree")
        ui.wait_page("result")
    finally:
        ui_root.close()
