"""The capture screen offscreen over the real app and the sim:// document camera (the demo photos in
assets/camera): 拍照 on a material opens the live preview with the page outline, 拍照 flattens the
frame, 使用这张 attaches the page (已拍照 on the materials screen), 重拍 shows the next photo, 返回 keeps
nothing; the saved application has its page. Camera frames are read on the feed's thread, never the
GUI thread. Screenshots go to $KIOSK_SHOTS when it is set."""

from __future__ import annotations

import os
import threading
from pathlib import Path

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


def open_capture(ui) -> None:
    names = [row["name"] for row in ui.bridge.view["materials_info"]]
    ui.click(f"photograph_{names.index(PLAN)}")
    ui.wait_page("capture")
    ui.wait_until(lambda: ui.bridge.capture.found, what="the page outline on a live frame")


def test_a_material_is_photographed_confirmed_and_saved_with_the_application(kiosk_ui, services):
    ui = kiosk_ui
    to_materials(ui)
    open_capture(ui)
    assert PLAN in ui.text("captureTitle")
    assert len(ui.bridge.capture.corners) == 8
    assert ui.item("captureOutline").property("visible") is True
    assert ui.item("btnCaptureTake").property("enabled") is True
    shot(ui, "capture-live")
    ui.click("btnCaptureTake")
    ui.wait_until(lambda: ui.bridge.capture.state == "review", what="the flattened page")
    assert ui.bridge.images.get("camera/page").height() > ui.bridge.images.get("camera/page").width()
    shot(ui, "capture-review")
    ui.click("btnCaptureUse")
    ui.wait_page("materials")
    assert ui.bridge.view["materials_captured"] == [PLAN]
    row = next(r for r in ui.bridge.view["materials_info"] if r["name"] == PLAN)
    assert row["captured"] and "已拍照" in row["status"] and not row["promisable"]
    assert not ui.bridge.capture_view._feed.running  # the camera is released once the screen closed
    shot(ui, "capture-materials")
    page = ui.bridge.session.state.material_pages[0]
    assert page.png.startswith(b"\x89PNG") and page.height > page.width

    ui.click("btnMaterialsOk")
    ui.click("btnAgree")
    ui.click("btnNext")
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
    ui.click("btnCaptureTake")
    ui.wait_until(lambda: ui.bridge.capture.state == "review", what="the flattened page")
    first = ui.bridge.capture_view._page["png"]
    ui.click("btnCaptureRetake")
    ui.wait_until(lambda: ui.bridge.capture.state == "live")
    revision = ui.bridge.capture.liveRevision
    ui.wait_until(lambda: ui.bridge.capture.liveRevision > revision + 1 and ui.bridge.capture.found,
                  what="frames of the next photo")
    ui.click("btnCaptureTake")
    ui.wait_until(lambda: ui.bridge.capture.state == "review", what="the second page")
    assert ui.bridge.capture_view._page["png"] != first
    ui.click("btnBack")
    ui.wait_page("materials")
    assert ui.bridge.view["materials_captured"] == [] and ui.bridge.session.state.material_pages == ()
    assert ui.bridge.capture.state == "idle"


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
