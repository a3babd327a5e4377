"""QR codes in a camera frame: zxing-cpp first, then OpenCV's detector (kiosk.credentials.qr has the
measurements behind that order). Pure: a numpy frame in, the texts out.

A 高拍仪 frame is large (1920x1080) and the QR on a slip held up to it is often soft: zxing-cpp is
tried on the frame as it is, then on a half-size copy (downscaling sharpens a blurred code's
modules relative to their size), then OpenCV on the gray frame.
"""

from __future__ import annotations

import cv2
import numpy as np

from kiosk.credentials.qr import decode_with_opencv, decode_with_zxing


def read_codes(frame: np.ndarray, *, fallback: bool = True) -> list[str]:
    """The texts of the QR codes found in `frame` (BGR or gray), first decoder that finds any. OpenCV's
    detector costs about 20 times zxing-cpp on a frame with no code: a live preview passes
    `fallback=False` on most frames (kiosk.ui.views.capture)."""
    gray = cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY) if frame.ndim == 3 else frame
    texts = decode_with_zxing(gray)
    if texts:
        return texts
    half = cv2.resize(gray, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
    texts = decode_with_zxing(half)
    return texts if texts or not fallback else decode_with_opencv(gray)
