"""Camera addresses (DESIGN.md, contract): a device index `0`, a video file, an image folder, or
`sim://` (the demo photos under assets/camera); `none` says this kiosk has no camera. One parser;
kiosk.device_check refuses bad ones when the configuration is loaded, kiosk.devices decides from
`simulated` which source to open.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

#: The address of a kiosk with no document camera (the heartbeat reports it `absent`).
NO_CAMERA = "none"
#: Files taken as one photo; any other file is opened as a video (OpenCV's FFmpeg backend).
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".bmp", ".webp")


class CameraError(Exception):
    """The camera cannot give frames; the message says what happened and what staff do (plain Chinese)."""


@dataclass(frozen=True)
class CameraUrl:
    """A parsed camera address: `kind` is `sim`, `device`, `folder`, `video`, `image`, or `none` (no camera)."""

    text: str
    kind: str
    index: int | None = None
    path: Path | None = None

    @property
    def simulated(self) -> bool:
        return self.kind == "sim"


def parse_camera_url(text: str) -> CameraUrl:
    """The address `text` parsed; CameraError for something that is none of the four forms."""
    value = text.strip()
    if value == "sim://" or value.startswith("sim://"):
        return CameraUrl(value, "sim")
    if value == NO_CAMERA:
        return CameraUrl(value, "none")
    if value.isascii() and value.isdigit():
        return CameraUrl(value, "device", index=int(value))
    if "://" in value or not value:
        raise CameraError(f"{value!r} 不是拍摄仪地址：请填设备编号（如 0）、视频文件、图片文件夹或 sim://")
    path = Path(value).expanduser()
    if path.is_dir():
        return CameraUrl(value, "folder", path=path)
    if path.suffix.lower() in IMAGE_SUFFIXES:
        return CameraUrl(value, "image", path=path)
    return CameraUrl(value, "video", path=path)
