"""QR codes for credentials: make one (assets.qrcodes, ECC M, alphanumeric mode) and read one from an image.

Reading uses zxing-cpp first and OpenCV's `cv2.QRCodeDetector` as the fallback. Measured
(specs/printing-pdf-qr.md §7, and `bench/bench_store.py --qr` on our own licence codes): zxing-cpp
reads about twice as many degraded camera-like images (blur, low resolution) and is ~15x faster;
OpenCV still reads a few that zxing-cpp misses (faded print plus noise), hence the fallback.
"""

from __future__ import annotations

import warnings
from pathlib import Path

from assets import qrcodes
from kiosk.credentials.errors import ImageTooLarge, QrDecodeError

#: The largest QR version a licence code may need (ECC M); checked by the tests.
MAX_LICENCE_VERSION = 10
#: The largest QR version a 一码通行 business code is printed at (ECC M): 69x69 modules, which the
#: 58 mm slip still prints at 4 dots (0.5 mm) per module and the 80 mm slip at 6 (0.75 mm), read by
#: zxing-cpp at half resolution too; version 15 drops to 3 dots on 58 mm and failed that read
#: (bench/bench_onecode.py). Larger, the slip goes without it (the licence's own code still prints).
MAX_BUSINESS_VERSION = 13
#: The most pixels `decode_qr_image` decodes (a 48 MP phone photo scaled to half is 12 MP): 32 MP is
#: about 130 MB while decoding; a 9000x9000 image (81 MP, 900 MB) is refused from its header.
MAX_IMAGE_PIXELS = 32_000_000


def make_qr(text: str) -> qrcodes.QrSymbol:
    """A full QR code (never Micro QR) at ECC level M, exactly M (no boosting); shared with the other
    renderers of the same text in this process (assets.qrcodes). UTF-8 for a text outside QR's
    alphanumeric set (a credential is base45: alphanumeric, where encodings differ not)."""
    return qrcodes.make(text, "m")


def _load_gray(path: Path, max_pixels: int = MAX_IMAGE_PIXELS):
    """The image as 8-bit gray. Its size is read from the header and refused (ImageTooLarge) above
    `max_pixels` before any pixel is decoded, so a decompression bomb costs nothing."""
    import numpy as np
    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # our own limit is lower
            with Image.open(path) as image:
                _check_size(path, *image.size, max_pixels)
                return np.asarray(image.convert("L"))
    except FileNotFoundError:
        raise QrDecodeError(f"{path}: no such file") from None
    except Image.DecompressionBombError:  # Pillow's own limit, far above ours: refused from the header
        raise ImageTooLarge(f"{path}: the image is far too large to read (over {_megapixels(max_pixels)} "
                            "megapixels); crop it to the QR code or scale it down") from None
    except (OSError, UnidentifiedImageError, ValueError, SyntaxError, EOFError) as exc:
        raise QrDecodeError(f"{path}: not a readable image: {exc}") from None


def _check_size(path: Path, width: int, height: int, max_pixels: int) -> None:
    if width * height > max_pixels:
        raise ImageTooLarge(
            f"{path}: the image is {width}x{height} pixels ({_megapixels(width * height)} megapixels); "
            f"the limit is {_megapixels(max_pixels)} megapixels: crop it to the QR code or scale it down")


def _megapixels(pixels: int) -> str:
    return f"{pixels / 1_000_000:g}" if pixels % 100_000 == 0 else f"{pixels / 1_000_000:.1f}"


def decode_with_zxing(gray) -> list[str]:
    import zxingcpp

    return [result.text for result in zxingcpp.read_barcodes(gray, formats=zxingcpp.BarcodeFormat.QRCode)
            if result.valid and result.text]


def decode_with_opencv(gray) -> list[str]:
    """OpenCV's classic QR detector, then its ArUco-based one: the classic one misses about one clean
    code in ten (3 of 20 printed slips in the self-test), and the second reads those."""
    import cv2

    for detector in (cv2.QRCodeDetector, cv2.QRCodeDetectorAruco):
        text, _points, _straight = detector().detectAndDecode(gray)
        if text:
            return [text]
    return []


def decode_qr_image(path: Path) -> list[str]:
    """Texts of the QR codes found in an image file (zxing-cpp, then OpenCV). Raises QrDecodeError
    (ImageTooLarge for an image over MAX_IMAGE_PIXELS)."""
    gray = _load_gray(Path(path))
    texts = decode_with_zxing(gray) or decode_with_opencv(gray)
    if not texts:
        raise QrDecodeError(f"{path}: no QR code could be read from this image")
    return texts
