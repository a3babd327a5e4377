"""The document camera (高拍仪): find a page in a photo, flatten it, and read frames from a camera.

- `kiosk.camera.page`: the pure image pipeline (numpy in, numpy out, no I/O): the page outline found
  automatically, perspective corrected, deskewed, contrast and white balance normalised; a
  `PageResult` with a confidence, or the reason (code + plain Chinese) when no page is found.
- `kiosk.camera.url`: the camera address (DESIGN.md): a device index `0`, a video file, an image
  folder, or `sim://`.
- `kiosk.camera.sources`: frame sources over those addresses (OpenCV capture, a folder of photos).
  Which one a kiosk uses, real or simulated, is decided only by `kiosk.devices`.

No Qt here; the UI reads frames on a worker thread (kiosk.ui.views.capture).
"""

from kiosk.camera.page import PageResult, find_page, flatten_page

__all__ = ["PageResult", "find_page", "flatten_page"]
