"""The lookup page's camera (QML: `camera.scan`, kiosk.ui.views.cameras): 扫码查询·补打 by camera.

`CameraScan` searches the document camera's frames for a QR code (kiosk.camera.codes: zxing-cpp first;
OpenCV's slower fallback on every few frames, `LiveCodes`); the first code read is handed to the lookup
page's query, which verifies its signature and shows the masked status (kiosk.lookup: a reprint still
needs the holder's ID card), and scanning stops. Frames come from a CameraFeed thread; the preview
goes to the in-memory image provider as `camera/scan`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Property, QObject, Signal, Slot
from PySide6.QtGui import QImage

from kiosk.ui.images import MemoryImages
from kiosk.ui.strings import word
from kiosk.ui.views.camerafeed import CameraFeed

if TYPE_CHECKING:  # numpy (and OpenCV behind it) load with the first camera frame, not before the
    import numpy as np  # start screen's first frame

SCAN_IMAGE = "camera/scan"


class LiveCodes:
    """`read_codes` for a live preview: zxing-cpp on every frame, OpenCV's slower fallback on every
    FALLBACK_EVERY-th (a code it alone reads stays in view for many frames)."""

    FALLBACK_EVERY = 5

    def __init__(self) -> None:
        self._count = 0

    def __call__(self, frame: np.ndarray) -> list[str]:
        from kiosk.camera.codes import read_codes

        self._count += 1
        return read_codes(frame, fallback=self._count % self.FALLBACK_EVERY == 0)


class CameraScan(QObject):
    """The lookup page's camera: finds a QR code in the frames and hands its text to `on_code`."""

    changed = Signal()

    def __init__(self, images: MemoryImages, services: Callable[[], Any], on_code: Callable[[str], None],
                 language: Callable[[], str], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._images, self._services, self._on_code, self._language = images, services, on_code, language
        self._feed = CameraFeed(self)
        self._active = False
        self._hint = ""
        self._revision = 0

    active = Property(bool, lambda self: self._active, notify=changed)
    hint = Property(str, lambda self: self._hint, notify=changed)
    liveRevision = Property(int, lambda self: self._revision, notify=changed)

    @Slot()
    def start(self) -> None:
        self._active = True
        self._hint = word(self._language(), "scanHint")
        self.changed.emit()
        self._feed.start(self._services().open_camera, LiveCodes(), self._on_frame, self._on_fault)

    @Slot()
    def stop(self) -> None:
        self._feed.stop()
        if self._active:
            self._active = False
            self._images.put(SCAN_IMAGE, QImage())
            self.changed.emit()

    def _on_frame(self, frame: np.ndarray, image: QImage, codes: Any) -> None:
        if not self._active:
            return
        self._images.put(SCAN_IMAGE, image)
        self._revision += 1
        self.changed.emit()
        if codes:
            self.stop()
            self._on_code(str(codes[0]))

    def _on_fault(self, message: str) -> None:
        self._feed.stop()
        self._hint = word(self._language(), "captureFault") + message
        self.changed.emit()
