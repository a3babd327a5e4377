"""The configured camera's state for the hall's heartbeat (`modules.camera`: ok / fault / absent), from
what the camera code already saw; the camera is never opened just to report it (a probe every 30 s would
fight the applicant's capture screen for the device).

`CameraHealth.track(url, open_source)` opens a source the way every screen does (kiosk.app.Kiosk.open_camera)
and wraps it: a failed open, a read that raises CameraError, or MISSED_FRAMES_FAULT reads in a row without
a frame mark `url` as faulty; the next frame marks it ok again. `state(url)`: "absent" when no camera is
configured (`none`), "fault" when the last thing seen of THAT address was a failure (a fault of an old
address does not stick to a new one), else "ok" (configured and not seen failing). Thread-safe: the
frames are read on the camera feed's thread, the heartbeat asks from the uploader's.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from kiosk.camera.url import NO_CAMERA, CameraError

#: As the camera feed (kiosk.ui.views.camerafeed.MAX_MISSED_FRAMES): this many reads in a row without a
#: picture is a camera that stopped giving frames.
MISSED_FRAMES_FAULT = 20


class CameraHealth:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._fault: tuple[str, str] | None = None  # (address, what failed)

    def state(self, url: str) -> str:
        if url.strip() == NO_CAMERA:
            return "absent"
        with self._lock:
            return "fault" if self._fault is not None and self._fault[0] == url else "ok"

    def fault(self, url: str) -> str | None:
        """What last failed at `url` (None when it did not)."""
        with self._lock:
            return self._fault[1] if self._fault is not None and self._fault[0] == url else None

    def failed(self, url: str, message: str) -> None:
        with self._lock:
            self._fault = (url, message)

    def worked(self, url: str) -> None:
        with self._lock:
            if self._fault is not None and self._fault[0] == url:
                self._fault = None

    def track(self, url: str, open_source: Callable[[], Any]) -> Any:
        """`open_source()` wrapped so that its opening and its frames are recorded against `url`."""
        try:
            source = open_source()
        except CameraError as exc:
            self.failed(url, str(exc))
            raise
        return TrackedSource(source, url, self)


class TrackedSource:
    """A frame source whose reads are recorded in a CameraHealth; everything else is the source's."""

    def __init__(self, source: Any, url: str, health: CameraHealth) -> None:
        self._source, self._url, self._health = source, url, health
        self._missed = 0

    def read(self) -> Any:
        try:
            frame = self._source.read()
        except CameraError as exc:
            self._health.failed(self._url, str(exc))
            raise
        if frame is None:
            self._missed += 1
            if self._missed == MISSED_FRAMES_FAULT:
                self._health.failed(self._url, f"no frame in {MISSED_FRAMES_FAULT} reads")
        else:
            self._missed = 0
            self._health.worked(self._url)
        return frame

    def __getattr__(self, name: str) -> Any:  # close(), next_photo(), name, ...
        return getattr(self._source, name)
