"""The capture screen's view model (QML: `camera.capture`, kiosk.ui.views.cameras).

`CaptureView` drives CapturePage.qml, the `capture` screen the session shows over the materials step while
`view.capturing` names a material: a live preview (kiosk.ui.views.camerafeed: frames on their own thread) with the
page outline found on every frame (kiosk.camera.page.find_page), 拍照 flattens the latest frame on a worker
(flatten_page), the applicant sees the flat page and confirms it (`PageCaptured`, the session keeps it) or retakes.
It runs while the capture screen shows (`follow(view)`, on every view).

Images go to the in-memory image provider (`image://kiosk/camera/...`), never to disk. Words come from
kiosk.ui.strings (`capture_<code>` for the reasons kiosk.camera.reasons names).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Property, QObject, Signal, Slot
from PySide6.QtGui import QImage

from kiosk.session import PageCaptured
from kiosk.ui.images import MemoryImages
from kiosk.ui.strings import word
from kiosk.ui.views.camerafeed import CameraFeed, to_qimage

if TYPE_CHECKING:  # numpy loads with the first camera frame, not before the start screen's first frame
    import numpy as np

LIVE_IMAGE = "camera/live"
PAGE_IMAGE = "camera/page"
#: The flattened page is shown this wide for the applicant to check.
PAGE_PREVIEW_WIDTH = 1200

Submit = Callable[[Callable[[], Any], Callable[[Any], None]], None]


def find_outline(frame: np.ndarray) -> dict[str, Any]:
    """The page outline in a frame for the preview: found, code, corners as fractions of the frame."""
    from kiosk.camera.page import find_page, order_corners

    result = find_page(frame)
    corners: list[float] = []
    if result.corners is not None:
        height, width = frame.shape[:2]
        corners = [float(v) for x, y in order_corners(result.corners) for v in (x / width, y / height)]
    return {"found": result.found, "code": result.code or "", "corners": corners}


def flatten(frame: np.ndarray) -> dict[str, Any]:
    """The flattened page of a frame as PNG and a preview image, or the reason's code (worker thread)."""
    import cv2

    from kiosk.camera.page import flatten_page

    result = flatten_page(frame)
    if not result.found or result.page is None:
        return {"found": False, "code": result.code or "no_page"}
    ok, png = cv2.imencode(".png", result.page)
    height, width = result.page.shape[:2]
    return {"found": bool(ok), "code": "" if ok else "no_page", "png": png.tobytes(), "width": width,
            "height": height, "preview": to_qimage(result.page, PAGE_PREVIEW_WIDTH)}


class CaptureView(QObject):
    changed = Signal()
    liveChanged = Signal()

    def __init__(self, images: MemoryImages, submit: Submit, services: Callable[[], Any],
                 send: Callable[[Any], None], language: Callable[[], str], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._images, self._submit, self._services, self._send = images, submit, services, send
        self._language = language
        self._feed = CameraFeed(self)
        self._material = ""
        self._state = "idle"  # idle | live | processing | review | fault
        self._found = False
        self._hint = ""
        self._corners: list[float] = []
        self._live_revision = 0
        self._page_revision = 0
        self._frame: np.ndarray | None = None
        self._page: dict[str, Any] | None = None
        self._run = 0

    state = Property(str, lambda self: self._state, notify=changed)
    material = Property(str, lambda self: self._material, notify=changed)
    found = Property(bool, lambda self: self._found, notify=liveChanged)
    hint = Property(str, lambda self: self._hint, notify=liveChanged)
    corners = Property("QVariantList", lambda self: self._corners, notify=liveChanged)
    liveRevision = Property(int, lambda self: self._live_revision, notify=liveChanged)
    pageRevision = Property(int, lambda self: self._page_revision, notify=changed)

    # --- the bridge -------------------------------------------------------------------------------------

    def follow(self, view: dict[str, Any]) -> None:
        """Start the camera when the capture screen opens, stop it when it closes (GUI thread)."""
        material = view.get("capturing") or ""
        if view.get("page") == "capture" and material:
            if material != self._material or self._state == "idle":
                self._open(material)
        elif self._state != "idle":
            self.close()

    def close(self) -> None:
        self._feed.stop()
        self._run += 1
        self._material, self._state, self._frame, self._page = "", "idle", None, None
        self._found, self._hint, self._corners = False, "", []
        self._images.put(LIVE_IMAGE, QImage())
        self._images.put(PAGE_IMAGE, QImage())
        self.changed.emit()
        self.liveChanged.emit()

    wipe = close

    # --- slots QML calls ----------------------------------------------------------------------------------

    @Slot()
    def take(self) -> None:
        """拍照: flatten the latest frame on a worker."""
        if self._state != "live" or self._frame is None:
            return
        self._state = "processing"
        self._set_hint(word(self._language(), "captureWorking"))
        self.changed.emit()
        frame, run = self._frame, self._run
        self._submit(lambda: flatten(frame), lambda result: self._flattened(run, result))

    @Slot()
    def use(self) -> None:
        """使用这张: the session keeps the page (and closes the capture screen)."""
        if self._state != "review" or self._page is None:
            return
        page, material = self._page, self._material
        self._feed.stop()
        self._send(PageCaptured(material, page["png"], page["width"], page["height"]))

    @Slot()
    def retake(self) -> None:
        """重拍: back to the live preview (a sim:// camera shows its next photo)."""
        if self._state not in ("review", "fault"):
            return
        if self._state == "fault" or not self._feed.running:
            self._open(self._material)
            return
        self._page = None
        self._state = "live"
        self._feed.next_photo()
        self.changed.emit()

    # --- internals ------------------------------------------------------------------------------------------

    def _open(self, material: str) -> None:
        self._run += 1
        self._material, self._state, self._page, self._frame = material, "live", None, None
        self._found, self._corners = False, []
        self._set_hint(word(self._language(), "captureLooking"))
        self.changed.emit()
        services = self._services()
        self._feed.start(services.open_camera, find_outline, self._on_frame, self._on_fault)

    def _on_frame(self, frame: np.ndarray, image: QImage, outline: Any) -> None:
        if self._state not in ("live", "processing"):
            return
        self._frame = frame
        self._images.put(LIVE_IMAGE, image)
        self._live_revision += 1
        if outline is not None:
            self._found = bool(outline["found"])
            self._corners = list(outline["corners"])
            if self._state == "live":
                key = "captureFound" if self._found else f"capture_{outline['code'] or 'no_page'}"
                self._hint = word(self._language(), key) or word(self._language(), "capture_no_page")
        self.liveChanged.emit()

    def _on_fault(self, message: str) -> None:
        self._state = "fault"
        self._found = False
        self._set_hint(word(self._language(), "captureFault") + message)
        self.changed.emit()

    def _flattened(self, run: int, result: dict[str, Any]) -> None:
        if run != self._run or self._state != "processing":
            return
        if not result.get("found"):
            self._state = "live"
            self._set_hint(word(self._language(), f"capture_{result.get('code') or 'no_page'}"))
            self.changed.emit()
            return
        self._page = result
        self._images.put(PAGE_IMAGE, result["preview"])
        self._page_revision += 1
        self._state = "review"
        self._set_hint(word(self._language(), "captureCheck"))
        self.changed.emit()

    def _set_hint(self, text: str) -> None:
        self._hint = text
        self.liveChanged.emit()
