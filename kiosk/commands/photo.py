"""Reading a photo file for `kiosk capture` and `kiosk scan`: refused from its header when it is too
large (kiosk.credentials.qr.MAX_IMAGE_PIXELS), decoded to OpenCV's BGR otherwise."""

from __future__ import annotations

from pathlib import Path

from kiosk.credentials.qr import MAX_IMAGE_PIXELS


class PhotoError(Exception):
    """The photo cannot be used; the message names the file and why."""


def read_photo(path: Path, max_pixels: int = MAX_IMAGE_PIXELS):
    """The photo as a BGR numpy array (PhotoError when missing, unreadable or too large)."""
    import warnings

    import numpy as np
    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                if image.width * image.height > max_pixels:
                    raise PhotoError(f"{path}: the photo is {image.width}x{image.height} pixels, over the "
                                     f"{max_pixels // 1_000_000} megapixel limit; scale it down")
                rgb = np.asarray(image.convert("RGB"))
    except FileNotFoundError:
        raise PhotoError(f"{path}: no such file") from None
    except (Image.DecompressionBombError, OSError, UnidentifiedImageError, ValueError, SyntaxError, EOFError) as exc:
        raise PhotoError(f"{path}: not a readable photo: {exc}") from None
    return np.ascontiguousarray(rgb[:, :, ::-1])
