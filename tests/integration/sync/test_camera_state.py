"""The heartbeat's `modules.camera` (wire contract: ok / fault / absent) comes from what the kiosk's own
camera code saw (kiosk.camera.health), sent to a real hall endpoint on a port: a configured camera not
seen failing is ok; one that cannot be opened is a fault until it gives a frame; a fault of an old
address does not stick to the address a technician saved; `none` (no camera) is absent. The heartbeat
never opens the camera itself."""

from __future__ import annotations

import dataclasses
import shutil

import pytest

from assets import asset_path
from kiosk.app import Kiosk
from kiosk.camera.url import CameraError
from kiosk.config import DeviceSettings, SyncConfig, demo_config
from kiosk.sync import replies


def build(tmp_path, hall, kit, camera: str) -> Kiosk:
    config = demo_config(tmp_path / "k")
    devices = DeviceSettings(reader="sim://", printer="sim://", camera=camera)
    return Kiosk.build(config.model_copy(update={"sync": SyncConfig(url=hall.url, token=kit.TOKEN),
                                                 "devices": devices}))


def beat_camera(kiosk: Kiosk, hall) -> str:
    kiosk.uploader().heartbeat()
    return hall.heartbeats[-1]["modules"]["camera"]


def test_the_heartbeat_reports_the_camera_as_the_kiosk_saw_it(tmp_path, hall, kit):
    broken = tmp_path / "broken.mp4"
    broken.write_bytes(b"not a video")  # a file where a USB camera should be: it does not open
    with build(tmp_path, hall, kit, str(broken)) as kiosk:
        assert beat_camera(kiosk, hall) == "ok", "configured and never seen failing"
        with pytest.raises(CameraError):
            kiosk.open_camera()  # the applicant's capture screen tried it
        assert beat_camera(kiosk, hall) == "fault"
        assert "打不开" in kiosk.camera_health.fault(str(broken))
        assert replies.last_modules(kiosk.store)["camera"] == "fault", "kept for `kiosk sync` run beside it"
        kiosk.open_camera(url="sim://").close()  # the panel trying another address does not clear it
        assert beat_camera(kiosk, hall) == "fault"

        photos = tmp_path / "photos"
        photos.mkdir()
        shutil.copy(asset_path("camera", "01-floor-plan.jpg"), photos)
        kiosk.devices = dataclasses.replace(kiosk.devices, camera_url=str(photos))  # as the panel's 保存 does
        assert beat_camera(kiosk, hall) == "ok", "the old address's fault does not stick to the new one"
        source = kiosk.open_camera()
        try:
            assert source.read() is not None
        finally:
            source.close()
        assert beat_camera(kiosk, hall) == "ok"

        kiosk.devices = dataclasses.replace(kiosk.devices, camera_url=str(broken))
        with pytest.raises(CameraError):
            kiosk.open_camera()
        broken.unlink()
        shutil.copytree(photos, broken)  # the technician fixed it: the same address now gives frames
        source = kiosk.open_camera()
        try:
            assert source.read() is not None
        finally:
            source.close()
        assert beat_camera(kiosk, hall) == "ok", "a frame clears the fault"


def test_no_camera_configured_is_absent(tmp_path, hall, kit):
    with build(tmp_path, hall, kit, "none") as kiosk:
        assert beat_camera(kiosk, hall) == "absent"
        with pytest.raises(CameraError, match="没有配置拍摄仪"):
            kiosk.open_camera()
        assert beat_camera(kiosk, hall) == "absent"
