"""The technician panel's camera page offscreen: the sim:// camera's live preview with the page outline,
a capture test that flattens the frame and says its size and confidence, another address tried (an
image folder with no page, and one that does not exist: a fault in plain words), and closing it
releases the camera."""

from __future__ import annotations

import os
from pathlib import Path

import cv2
from ui.test_technician import unlock

from kiosk.camera.synthetic import desk


def test_the_panels_camera_page_previews_tests_and_reports_faults(kiosk_ui, tmp_path):
    ui = kiosk_ui
    unlock(ui)
    ui.click("techCamera")
    ui.item("techCameraPage")
    cam = ui.ui.camera.tech
    ui.wait_until(lambda: cam.liveRevision > 0 and cam.found, what="the sim camera's frames with a page")
    assert "sim://" in cam.devices and cam.url == "sim://"
    assert "正常 OK" in ui.text("camStatus") and "1920x1080" in ui.text("camStatus")
    ui.click("camCaptureTest")
    ui.wait_until(lambda: cam.testRevision > 0, what="the capture test")
    assert "材料页 Page" in cam.result and "可信度 confidence" in cam.result
    ui.settle()
    ui.grab(str(tmp_path / "tech-camera.png"))
    shots = os.environ.get("KIOSK_SHOTS")
    if shots:
        ui.grab(str(Path(shots) / "tech-camera.png"))

    empty = tmp_path / "desk"
    empty.mkdir()
    cv2.imwrite(str(empty / "desk.png"), desk(seed=2))
    ui.item("camAddress").setProperty("text", str(empty))
    ui.click("camTry")
    ui.wait_until(lambda: cam.url == str(empty) and "no page" in cam.status, what="the folder's frames")
    ui.click("camCaptureTest")
    ui.wait_until(lambda: "未找到材料页" in cam.result, what="the capture test's reason")
    assert "四条边" in cam.result

    ui.item("camAddress").setProperty("text", str(tmp_path / "missing.mp4"))
    ui.click("camTry")
    ui.wait_until(lambda: "故障 Fault" in cam.status, what="the fault")
    assert "不存在" in cam.status

    ui.click("camClose")
    ui.wait_until(lambda: not ui.exists("techCameraPage"), what="the page closed")
    assert not cam.running
