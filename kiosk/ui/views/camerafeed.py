"""`CameraFeed`: frames from the document camera on a thread of their own, handed to the GUI thread.

The thread opens the source (`open_source()`, e.g. services.open_camera: kiosk.devices decides real or
sim://), reads a frame, runs `analyse(frame)` on it (page outline or QR codes: kiosk.camera, pure),
makes the preview QImage, and posts (frame, preview, analysis) to the GUI thread as a queued signal,
at most FRAME_INTERVAL_S apart and only once the previous one was taken (a slow GUI never builds a
backlog). Nothing here blocks the GUI thread: opening a device, reading and analysing all happen on
the feed's thread. A source that cannot be opened or stops giving frames is reported through
`on_fault(message)` (plain Chinese) on the GUI thread.

`stop()` ends the thread and releases the device (the thread closes it); frames already posted by a
stopped run are dropped (each run has a generation number).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QImage

if TYPE_CHECKING:  # numpy (and OpenCV behind it) load with the first camera frame, not before the
    import numpy as np  # start screen's first frame

#: Time between two frames of the live preview (the camera's own rate may be lower).
FRAME_INTERVAL_S = 0.12
#: Width of the preview image shown on screen (the analysis sees the full frame).
PREVIEW_WIDTH = 960
#: After this many frames in a row without a picture the camera is reported as failing.
MAX_MISSED_FRAMES = 20
_log = logging.getLogger(__name__)


def to_qimage(bgr: np.ndarray, max_width: int = PREVIEW_WIDTH) -> QImage:
    """A BGR (or grey) numpy image as a QImage owning its pixels, scaled down to `max_width`."""
    import cv2
    import numpy as np

    if bgr.ndim == 2:
        bgr = cv2.cvtColor(bgr, cv2.COLOR_GRAY2BGR)
    height, width = bgr.shape[:2]
    if width > max_width:
        bgr = cv2.resize(bgr, (max_width, round(height * max_width / width)), interpolation=cv2.INTER_AREA)
        height, width = bgr.shape[:2]
    rgb = np.ascontiguousarray(bgr[:, :, ::-1])
    return QImage(rgb.data, width, height, 3 * width, QImage.Format.Format_RGB888).copy()


class CameraFeed(QObject):
    _posted = Signal(int, object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._generation = 0
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()
        self._taken = threading.Event()
        self._source: Any = None
        self._lock = threading.Lock()
        self._on_frame: Callable[[np.ndarray, QImage, Any], None] | None = None
        self._on_fault: Callable[[str], None] | None = None
        self._posted.connect(self._deliver)

    @property
    def running(self) -> bool:
        return self._thread is not None

    def start(self, open_source: Callable[[], Any], analyse: Callable[[np.ndarray], Any],
              on_frame: Callable[[np.ndarray, QImage, Any], None], on_fault: Callable[[str], None]) -> None:
        """Start reading (GUI thread); a running feed is stopped first."""
        self.stop()
        self._generation += 1
        self._on_frame, self._on_fault = on_frame, on_fault
        self._stop = threading.Event()
        self._taken = threading.Event()
        self._taken.set()
        self._thread = threading.Thread(target=self._run, name="kiosk-camera",
                                        args=(self._generation, self._stop, self._taken, open_source, analyse),
                                        daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop reading; the feed's thread closes the device as it ends (never waited for here)."""
        if self._thread is None:
            return
        self._stop.set()
        self._generation += 1
        self._thread = None

    def next_photo(self) -> None:
        """A sim:// or folder camera moves on to its next photo (a live camera ignores it)."""
        with self._lock:
            source = self._source
        if source is not None:
            source.next_photo()

    def _run(self, generation: int, stop: threading.Event, taken: threading.Event,
             open_source: Callable[[], Any], analyse: Callable[[np.ndarray], Any]) -> None:
        try:
            source = open_source()
        except Exception as exc:  # CameraError (plain Chinese) or a device fault
            self._posted.emit(generation, ("fault", str(exc)))
            return
        with self._lock:
            self._source = source
        missed = 0
        try:
            while not stop.is_set():
                if not taken.wait(FRAME_INTERVAL_S):
                    continue
                frame = source.read()
                if frame is None:
                    missed += 1
                    if missed == MAX_MISSED_FRAMES:
                        self._posted.emit(generation, ("fault", "拍摄仪没有画面：请工作人员检查拍摄仪是否连接好"))
                    stop.wait(FRAME_INTERVAL_S)
                    continue
                missed = 0
                try:
                    analysis = analyse(frame)
                except Exception:
                    _log.exception("camera: analysing a frame failed")
                    analysis = None
                taken.clear()
                self._posted.emit(generation, ("frame", frame, to_qimage(frame), analysis))
                stop.wait(FRAME_INTERVAL_S)
        finally:
            with self._lock:
                if self._source is source:
                    self._source = None
            source.close()

    def _deliver(self, generation: int, item: tuple) -> None:  # GUI thread
        if generation != self._generation:
            return
        if item[0] == "fault":
            if self._on_fault is not None:
                self._on_fault(item[1])
            return
        _, frame, image, analysis = item
        try:
            if self._on_frame is not None:
                self._on_frame(frame, image, analysis)
        finally:
            self._taken.set()
