"""Frame sources: where the document camera's frames come from (BGR numpy arrays, OpenCV's order).

- `CaptureSource`: an OpenCV VideoCapture over a device index (asks for 1920x1080) or a video file
  (played in a loop).
- `PhotoSource`: a folder of photos (or one photo) shown one at a time; `next_photo()` moves on
  (the `sim://` camera is a PhotoSource over assets/camera, made by kiosk.devices).

`read()` blocks for at most one frame time on a device and returns None when no frame came; callers
run it on a worker thread (never the GUI thread). `close()` releases the device. Errors are
CameraError with a plain-Chinese message.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Protocol

import cv2
import numpy as np

from kiosk.camera.url import IMAGE_SUFFIXES, CameraError, CameraUrl

#: The frame size asked of a real camera (a 高拍仪 usually gives 1920x1080 or more).
DEVICE_FRAME_SIZE = (1920, 1080)


class FrameSource(Protocol):
    name: str

    def read(self) -> np.ndarray | None: ...

    def next_photo(self) -> None: ...

    def close(self) -> None: ...


class CaptureSource:
    """Frames from an OpenCV VideoCapture: a camera device index or a video file (looped)."""

    def __init__(self, url: CameraUrl) -> None:
        self.name = url.text
        self._loop = url.kind == "video"
        target: int | str = url.index if url.index is not None else str(url.path)
        if url.kind == "video" and not Path(str(target)).is_file():
            raise CameraError(f"拍摄仪视频文件不存在：{target}（请技术人员在维护面板改正拍摄仪地址）")
        self._capture = cv2.VideoCapture(target)
        if not self._capture.isOpened():
            raise CameraError(f"拍摄仪打不开（{url.text}）：请检查拍摄仪的连接线和电源，或在维护面板换一个设备编号")
        if url.kind == "device":
            self._capture.set(cv2.CAP_PROP_FRAME_WIDTH, DEVICE_FRAME_SIZE[0])
            self._capture.set(cv2.CAP_PROP_FRAME_HEIGHT, DEVICE_FRAME_SIZE[1])
        self._lock = threading.Lock()

    def read(self) -> np.ndarray | None:
        with self._lock:
            ok, frame = self._capture.read()
            if not ok and self._loop:
                self._capture.set(cv2.CAP_PROP_POS_FRAMES, 0)
                ok, frame = self._capture.read()
        return frame if ok else None

    def next_photo(self) -> None:
        """A live camera has no next photo: the applicant moves the page."""

    def close(self) -> None:
        with self._lock:
            self._capture.release()


class PhotoSource:
    """Photos from a folder (sorted by name) or one photo file, one at a time."""

    def __init__(self, path: Path, name: str | None = None) -> None:
        self.name = name or str(path)
        path = Path(path)
        if path.is_dir():
            self._files = sorted(p for p in path.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES)
        else:
            self._files = [path] if path.is_file() else []
        if not self._files:
            raise CameraError(f"拍摄仪图片文件夹里没有照片：{path}（请技术人员在维护面板改正拍摄仪地址）")
        self._index = 0
        self._cache: dict[int, np.ndarray] = {}
        self._lock = threading.Lock()

    @property
    def photo_count(self) -> int:
        return len(self._files)

    def read(self) -> np.ndarray | None:
        with self._lock:
            index = self._index
            if index not in self._cache:
                frame = cv2.imread(str(self._files[index]), cv2.IMREAD_COLOR)
                if frame is None:
                    return None
                self._cache = {index: frame}  # one decoded photo at a time
            return self._cache[index]

    def next_photo(self) -> None:
        with self._lock:
            self._index = (self._index + 1) % len(self._files)

    def close(self) -> None:
        with self._lock:
            self._cache.clear()


def open_source(url: CameraUrl) -> FrameSource:
    """The source for a real address (a device, video, folder or image). `sim://` is kiosk.devices' to
    make (it knows where the demo photos are)."""
    if url.simulated:
        raise CameraError("sim:// 拍摄仪由 kiosk.devices 创建")
    if url.kind in ("folder", "image"):
        assert url.path is not None
        return PhotoSource(url.path, url.text)
    return CaptureSource(url)


def detected_devices(dev: Path = Path("/dev")) -> list[str]:
    """The camera device indices this machine shows (`/dev/video0` -> "0"), sorted; empty elsewhere."""
    indices = sorted(int(p.name[5:]) for p in dev.glob("video*") if p.name[5:].isdigit())
    return [str(index) for index in indices]
