"""PNG preview of a receipt: the same model drawn at the printer's width with the shipped CJK font.

This is what the demo shows on screen and what tests decode QR codes from. It uses the same line
layout as the ESC/POS renderer (``printers.lines``), so wrapping and alignment match the paper.
"""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image

from printers.lines import lay_out
from printers.model import Receipt
from printers.profiles import PrinterProfile
from printers.raster import lines_image

#: Blank paper added above and below the preview so it reads as a slip on screen.
MARGIN_DOTS = 16
#: zlib level for preview PNGs: 3 is about twice as fast as the default 6 for a file ~12 % larger.
PNG_COMPRESS_LEVEL = 3


def render_preview(receipt: Receipt, profile: PrinterProfile, show_cuts: bool = True) -> Image.Image:
    """Return the receipt as the printer would print it: a mode "L" image ``profile.width_dots`` wide."""
    body = lines_image(lay_out(receipt, profile), profile.width_dots,
                       feed_before_cut=profile.feed_before_cut,
                       show_cuts=show_cuts)
    page = Image.new("L", (body.width, body.height + 2 * MARGIN_DOTS), 255)
    page.paste(body, (0, MARGIN_DOTS))
    return page


def preview_png(receipt: Receipt, profile: PrinterProfile) -> bytes:
    """Render the preview and return it as PNG file bytes (for a screen, or a ``sim://`` printer)."""
    buffer = io.BytesIO()
    render_preview(receipt, profile).save(buffer, format="PNG", compress_level=PNG_COMPRESS_LEVEL)
    return buffer.getvalue()


def save_preview(receipt: Receipt, profile: PrinterProfile, path: str | Path) -> Path:
    """Render the preview and write it as a PNG file; return the path."""
    path = Path(path)
    render_preview(receipt, profile).save(path, format="PNG", compress_level=PNG_COMPRESS_LEVEL)
    return path
