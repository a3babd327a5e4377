"""The document camera (高拍仪): find a page in a photo, flatten it, and read frames from a camera.

- `kiosk.camera.page`: the pure image pipeline (numpy in, numpy out, no I/O): the page outline found
  automatically, perspective corrected, deskewed, contrast and white balance normalised; a
  `PageResult` with a confidence, or the reason (code + plain Chinese) when no page is found.
- `kiosk.camera.url`: the camera address (DESIGN.md): a device index `0`, a video file, an image
  folder, or `sim://`.
- `kiosk.camera.sources`: frame sources over those addresses (OpenCV capture, a folder of photos).
  Which one a kiosk uses, real or simulated, is decided only by `kiosk.devices`.

No Qt here; the UI reads frames on a worker thread (kiosk.ui.views.capture). The names below load
`kiosk.camera.page` (numpy and OpenCV, ~0.2 s) on first use, so importing `kiosk.camera.reasons` or
`kiosk.camera.url` does not.
"""

from typing import Any

__all__ = ["PageResult", "find_page", "flatten_page"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from kiosk.camera import page

        return getattr(page, name)
    raise AttributeError(f"module 'kiosk.camera' has no attribute {name!r}")
