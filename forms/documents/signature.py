"""Turns the finger-drawn signature (PNG bytes, kept in memory) into a reportlab image flowable.

The PNG is checked with Pillow first so a corrupt image is a clear `DocumentInputError`, and it is
scaled to fit the signature line while keeping its aspect ratio. Nothing is written to disk.
"""

from __future__ import annotations

import io

from PIL import Image as PILImage
from PIL import UnidentifiedImageError
from reportlab.platypus import Image

from forms.documents.errors import DocumentInputError

MAX_SIGNATURE_PIXELS = 4000 * 4000


def signature_flowable(png: bytes, max_width: float, max_height: float) -> Image:
    """An Image flowable of the signature, at most `max_width` x `max_height` points."""
    try:
        with PILImage.open(io.BytesIO(png)) as probe:
            width, height = probe.size
            probe.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise DocumentInputError(f"签名图片无法读取: {exc}") from exc
    if width <= 0 or height <= 0 or width * height > MAX_SIGNATURE_PIXELS:
        raise DocumentInputError(f"签名图片尺寸不合理: {width}x{height}")
    scale = min(max_width / width, max_height / height)
    image = Image(io.BytesIO(png), width=width * scale, height=height * scale, mask="auto")
    image.hAlign = "LEFT"
    return image
