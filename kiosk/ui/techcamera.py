"""The technician panel's camera page (TechCameraPage.qml; QML: `camera.tech`): pick a device,
watch its live preview with the page outline, and run a capture test.

The devices offered are `sim://`, the configured address and every `/dev/videoN` this machine shows
(kiosk.camera.sources.detected_devices); any other address may be typed. Frames come from a
CameraFeed thread (never the GUI thread); the capture test flattens the latest frame on a worker and
says the page size, the confidence and the time it took, or why no page was found. Choosing a device
here tests it; 保存 on the page saves it through the panel's config desk (TechBridge.saveCamera), and
`configured` follows the saved address.
The words are the panel's (bilingual, for technicians), not the applicant table.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Property, QObject, Signal, Slot
from PySide6.QtGui import QImage

from kiosk.camera.reasons import reason_text
from kiosk.ui.images import MemoryImages
from kiosk.ui.views.camerafeed import CameraFeed, to_qimage
from kiosk.ui.views.capture import find_outline

if TYPE_CHECKING:  # numpy (and OpenCV behind it) load with the first camera frame, not before the
    import numpy as np  # start screen's first frame

LIVE_IMAGE = "camera/tech"
TEST_IMAGE = "camera/techpage"
Submit = Callable[[Callable[[], Any], Callable[[Any], None]], None]


def configured_camera(services: Any) -> str:
    """The camera address of the configuration behind `services` (sim:// while they load)."""
    kiosk = getattr(services, "kiosk", None)
    return str(getattr(getattr(getattr(kiosk, "config", None), "devices", None), "camera", "sim://"))


def capture_test(frame: np.ndarray) -> dict[str, Any]:
    """The pipeline on one frame, timed (worker thread)."""
    from kiosk.camera.page import flatten_page

    started = time.perf_counter()
    result = flatten_page(frame)
    elapsed_ms = (time.perf_counter() - started) * 1000
    if not result.found or result.page is None:
        return {"found": False, "text": f"未找到材料页 No page ({result.code}): {reason_text(result.code or '')}"
                                        f" · {elapsed_ms:.0f} ms"}
    height, width = result.page.shape[:2]
    return {"found": True, "image": to_qimage(result.page, 900),
            "text": f"材料页 Page {width}x{height} · 可信度 confidence {result.confidence:.2f} · "
                    f"纠偏 skew {result.skew_deg:+.2f}° · {elapsed_ms:.0f} ms"}


class TechCamera(QObject):
    changed = Signal()

    def __init__(self, images: MemoryImages, submit: Submit, services: Callable[[], Any],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._images, self._submit, self._services = images, submit, services
        self._feed = CameraFeed(self)
        self._url = ""
        self._devices: list[str] = []
        self._status = ""
        self._result = ""
        self._corners: list[float] = []
        self._found = False
        self._live = 0
        self._test = 0
        self._frame: np.ndarray | None = None

    devices = Property("QVariantList", lambda self: self._devices, notify=changed)
    url = Property(str, lambda self: self._url, notify=changed)
    status = Property(str, lambda self: self._status, notify=changed)
    result = Property(str, lambda self: self._result, notify=changed)
    corners = Property("QVariantList", lambda self: self._corners, notify=changed)
    found = Property(bool, lambda self: self._found, notify=changed)
    liveRevision = Property(int, lambda self: self._live, notify=changed)
    testRevision = Property(int, lambda self: self._test, notify=changed)
    running = Property(bool, lambda self: self._feed.running, notify=changed)
    configured = Property(str, lambda self: configured_camera(self._services()), notify=changed)

    @Slot()
    def open(self) -> None:
        """The page opened: list the devices and start the configured camera's preview."""
        from kiosk.camera.sources import detected_devices

        configured = configured_camera(self._services())
        self._devices = list(dict.fromkeys(["sim://", configured, *detected_devices()]))
        self.choose(self._url or configured)

    @Slot(str)
    def choose(self, url: str) -> None:
        """Preview the camera at `url` (a device index, a video file or folder, or sim://)."""
        url = url.strip()
        if not url:
            return
        self._url, self._frame, self._corners, self._found, self._result = url, None, [], False, ""
        self._status = f"正在打开 Opening {url} …"
        self.changed.emit()
        services = self._services()
        self._feed.start(lambda: services.open_camera(url), find_outline, self._on_frame, self._on_fault)

    @Slot()
    def captureTest(self) -> None:
        if self._frame is None:
            self._result = "还没有画面 No frame yet"
            self.changed.emit()
            return
        self._result = "正在处理 Processing …"
        self.changed.emit()
        frame = self._frame
        self._submit(lambda: capture_test(frame), self._tested)

    @Slot()
    def stop(self) -> None:
        self._feed.stop()
        self._frame = None
        self._images.put(LIVE_IMAGE, QImage())
        self._images.put(TEST_IMAGE, QImage())
        self.changed.emit()

    def _on_frame(self, frame: np.ndarray, image: QImage, outline: Any) -> None:
        self._frame = frame
        self._images.put(LIVE_IMAGE, image)
        self._live += 1
        height, width = frame.shape[:2]
        if outline is not None:
            self._corners, self._found = list(outline["corners"]), bool(outline["found"])
            seen = "找到材料页 page found" if self._found else f"未找到材料页 no page ({outline['code']})"
        else:
            seen = ""
        self._status = f"正常 OK · {self._url} · {width}x{height} · {seen}"
        self.changed.emit()

    def _on_fault(self, message: str) -> None:
        self._status = f"故障 Fault · {self._url}: {message}"
        self.changed.emit()

    def _tested(self, result: dict[str, Any]) -> None:
        if result.get("found"):
            self._images.put(TEST_IMAGE, result["image"])
            self._test += 1
        self._result = result["text"]
        self.changed.emit()
