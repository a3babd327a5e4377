"""QR codes for credentials: make one (segno, ECC M, alphanumeric mode) and read one from an image.

Reading uses zxing-cpp first and OpenCV's `cv2.QRCodeDetector` as the fallback. Measured
(specs/printing-pdf-qr.md §7, and `bench/bench_store.py --qr` on our own licence codes): zxing-cpp
reads about twice as many degraded camera-like images (blur, low resolution) and is ~15x faster;
OpenCV still reads a few that zxing-cpp misses (faded print plus noise), hence the fallback.
"""

from __future__ import annotations

from pathlib import Path

import segno

from kiosk.credentials.errors import QrDecodeError

#: The largest QR version a licence code may need (ECC M); checked by the tests.
MAX_LICENCE_VERSION = 10


def make_qr(text: str) -> segno.QRCode:
    """A full QR code (never Micro QR) at ECC level M, exactly M (no boosting)."""
    return segno.make_qr(text, error="m", boost_error=False)


def _load_gray(path: Path):
    import numpy as np
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as image:
            return np.asarray(image.convert("L"))
    except FileNotFoundError:
        raise QrDecodeError(f"{path}: no such file") from None
    except (OSError, UnidentifiedImageError) as exc:
        raise QrDecodeError(f"{path}: not a readable image: {exc}") from None


def decode_with_zxing(gray) -> list[str]:
    import zxingcpp

    return [result.text for result in zxingcpp.read_barcodes(gray, formats=zxingcpp.BarcodeFormat.QRCode)
            if result.valid and result.text]


def decode_with_opencv(gray) -> list[str]:
    import cv2

    text, _points, _straight = cv2.QRCodeDetector().detectAndDecode(gray)
    return [text] if text else []


def decode_qr_image(path: Path) -> list[str]:
    """Texts of the QR codes found in an image file (zxing-cpp, then OpenCV). Raises QrDecodeError."""
    gray = _load_gray(Path(path))
    texts = decode_with_zxing(gray) or decode_with_opencv(gray)
    if not texts:
        raise QrDecodeError(f"{path}: no QR code could be read from this image")
    return texts
