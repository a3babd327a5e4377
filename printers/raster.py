"""Draw printed lines as a bitmap the way a thermal printer would (Pillow, the kiosk's CJK font chain).

Shared by the PNG preview, the full-raster ESC/POS mode, the per-line raster fallback for characters
outside the printer's font (a rare name character such as 䶮 or 𠮷: no printer holds Extension B
glyphs and GBK cannot encode them), and the ESC/POS interpreter. Text is drawn on the printer's grid:
a half-width character in a 12x24-dot cell, a two-byte character in 24x24, both scaled by the size;
glyphs wider than their cell are squeezed into it. Each character is drawn with the first font of
`assets.fontchain.FONT_CHAIN` that maps it (WenQuanYi Micro Hei, then HanaMinA, then HanaMinB), the
same chain as the PDFs and the screen. Fonts are opened on first use, never at import, and Pillow's
ImageDraw and ImageFont are imported only to draw a cell the glyph cache does not hold: a warm
`kiosk apply` draws none (~5-15 ms of imports).
Images are mode "L" (0 = black ink, 255 = paper); :func:`to_bitmap` thresholds to mode "1".
"""

from __future__ import annotations

import threading
from functools import lru_cache
from typing import TYPE_CHECKING

from PIL import Image

from assets.fontchain import Coverage, LoadedFont, available_fonts, chain_coverages, font_index
from printers.glyphcache import GlyphStore
from printers.lines import (
    CELL_DOTS,
    QR_QUIET_MODULES,
    CutPaper,
    FeedLines,
    PrintLine,
    QrLine,
    TextLine,
    qr_matrix,
    text_line_height,
    text_line_x,
)
from printers.profiles import HALF_CELL_DOTS
from printers.textwidth import char_width

if TYPE_CHECKING:
    from PIL import ImageFont

PAPER = 255
INK = 0
#: Share of the cell height the font size takes, and where the baseline sits in the cell.
FONT_SCALE = 0.92
BASELINE_SHARE = 0.84
#: Glyph cache size: distinct (character, size, bold) triples kept drawn.
GLYPH_CACHE = 8192
#: How a cut shows in a preview: a dashed grey line this many dots high.
CUT_MARK_DOTS = 12
CUT_MARK_GREY = 160


@lru_cache(maxsize=1)
def _chain() -> tuple[tuple[LoadedFont, ...], tuple[Coverage, ...]]:
    fonts = tuple(available_fonts())
    return fonts, chain_coverages(fonts)


@lru_cache(maxsize=24)
def _font(px: int, index: int = 0) -> ImageFont.FreeTypeFont:
    from PIL import ImageFont

    loaded = _chain()[0][index]
    return ImageFont.truetype(str(loaded.path), px, index=loaded.font.subfont_index)


def chain_font_for(ch: str) -> int | None:
    """Index in the loaded font chain of the font that draws ``ch``, or None when none has it."""
    return font_index(ch, _chain()[1])


_store: GlyphStore | None = None
_store_lock = threading.Lock()


def _kept() -> GlyphStore:
    """The cells drawn by earlier processes (printers.glyphcache), opened on first use."""
    global _store
    if _store is None:
        with _store_lock:
            if _store is None:
                _store = GlyphStore.open(font.path for font in _chain()[0])
    return _store


def keep_glyphs() -> None:
    """Write the cells drawn in this process for the next ones (only when some were new)."""
    if _store is not None:
        _store.save()


@lru_cache(maxsize=GLYPH_CACHE)
def glyph(ch: str, size: int = 1, bold: bool = False) -> Image.Image:
    """Return the ink mask (mode "L", 255 = ink) of one character in its printer cell, drawn with the
    first font of the chain that has it (the body font's missing-glyph box when none has); a cell an
    earlier process drew comes from the glyph cache (printers.glyphcache), the same bytes."""
    kept = _kept()
    stored = kept.get((ch, size, bold))
    if stored is not None:
        return Image.frombytes("L", *stored)
    cell = _draw_glyph(ch, size, bold)
    kept.add((ch, size, bold), cell.size, cell.tobytes())
    return cell


def _draw_glyph(ch: str, size: int, bold: bool) -> Image.Image:
    from PIL import ImageDraw

    cell_w = max(char_width(ch), 1) * HALF_CELL_DOTS * size
    cell_h = CELL_DOTS * size
    index = chain_font_for(ch) or 0
    font = _font(round(cell_h * FONT_SCALE), index)
    baseline = round(cell_h * BASELINE_SHARE)
    advance = max(1, round(font.getlength(ch)))
    scratch = Image.new("L", (advance + 4, cell_h), 0)
    draw = ImageDraw.Draw(scratch)
    # The fallback fonts are a thin Mincho: one extra pass a dot to the right keeps their hairlines
    # from vanishing when the printer's black-and-white threshold is applied (𠮷 fell into 5 pieces).
    for offset in range(1 + int(bold) + int(index > 0)):
        draw.text((2 + offset, baseline), ch, font=font, fill=255, anchor="ls")
    box = scratch.getbbox()
    cell = Image.new("L", (cell_w, cell_h), 0)
    if box is None:
        return cell
    ink = scratch.crop((box[0], 0, box[2], cell_h))
    if ink.width > cell_w:
        ink = ink.resize((cell_w, cell_h), Image.Resampling.LANCZOS)
    cell.paste(ink, ((cell_w - ink.width) // 2, 0))
    return cell


def font_has(ch: str) -> bool:
    """Whether some font of the chain can draw ``ch`` (spaces and control characters count as drawable)."""
    if ch.isspace() or not ch.isprintable():
        return True
    return chain_font_for(ch) is not None


def missing_glyphs(text: str) -> list[str]:
    """Return the distinct characters of ``text`` no font of the chain can draw (they would print as a
    box even on a raster line), in order of appearance: e.g. an emoji, or 𠮷 on a machine without
    fonts-hanazono. The kiosk can use this to ask staff to check a name by hand."""
    seen: dict[str, None] = {}
    for ch in text:
        if ch not in seen and not font_has(ch):
            seen[ch] = None
    return list(seen)


def draw_text(canvas: Image.Image, x: int, y: int, text: str, size: int = 1, bold: bool = False) -> int:
    """Draw ``text`` on ``canvas`` with its top-left cell at (x, y); return the x after it."""
    for ch in text:
        if char_width(ch) == 0:  # a variation selector or combining mark: no cell of its own
            continue
        mask = glyph(ch, size, bold)
        if ch != " ":
            canvas.paste(INK, (x, y), mask)
        x += mask.width
    return x


def text_line_image(line: TextLine, width_dots: int) -> Image.Image:
    """Return one text line drawn across the paper width, aligned as the printer would."""
    image = Image.new("L", (width_dots, text_line_height(line)), PAPER)
    draw_text(image, text_line_x(line, width_dots), 0, line.text, line.size, line.bold)
    return image


def qr_image(data: str, module: int, quiet: int = QR_QUIET_MODULES) -> Image.Image:
    """Return the QR code for ``data`` (ECC M) at ``module`` dots per module with a quiet zone."""
    matrix = qr_matrix(data)
    size = len(matrix)
    code = Image.new("L", (size, size), PAPER)
    code.putdata([INK if dark else PAPER for row in matrix for dark in row])
    image = Image.new("L", (size + 2 * quiet, size + 2 * quiet), PAPER)
    image.paste(code, (quiet, quiet))
    return image.resize((image.width * module, image.height * module), Image.Resampling.NEAREST)


def qr_line_image(line: QrLine, width_dots: int) -> Image.Image:
    """Return a QR line: the code centred across the paper width."""
    code = qr_image(line.data, line.module)
    image = Image.new("L", (width_dots, code.height), PAPER)
    image.paste(code, (max(0, (width_dots - code.width) // 2), 0))
    return image


def feed_image(lines: int, width_dots: int) -> Image.Image:
    """Return blank paper for ``lines`` text lines."""
    return Image.new("L", (width_dots, lines * text_line_height(TextLine(""))), PAPER)


def cut_mark_image(width_dots: int) -> Image.Image:
    """Return the dashed line a preview shows where the printer cuts."""
    image = Image.new("L", (width_dots, CUT_MARK_DOTS), PAPER)
    for x in range(0, width_dots, 16):  # the pixels of ImageDraw's 2-dot line from x to x + 8 (a test holds
        image.paste(CUT_MARK_GREY, (x, CUT_MARK_DOTS // 2, min(x + 9, width_dots), CUT_MARK_DOTS // 2 + 2))
    return image  # them equal), without importing ImageDraw and ImageFont: the emulator cuts every slip


def stack(strips: list[Image.Image], width_dots: int) -> Image.Image:
    """Return the strips one under the other (an empty list gives a 1-dot strip of paper)."""
    height = sum(strip.height for strip in strips) or 1
    page = Image.new("L", (width_dots, height), PAPER)
    y = 0
    for strip in strips:
        page.paste(strip, (0, y))
        y += strip.height
    return page


def split_at_cuts(lines: list[PrintLine]) -> list[tuple[list[PrintLine], CutPaper | None]]:
    """Split printed lines into pieces of paper, each with the cut that ends it (None for the last)."""
    pieces: list[tuple[list[PrintLine], CutPaper | None]] = []
    current: list[PrintLine] = []
    for line in lines:
        if isinstance(line, CutPaper):
            pieces.append((current, line))
            current = []
        else:
            current.append(line)
    if current or not pieces:
        pieces.append((current, None))
    return pieces


def lines_image(lines: list[PrintLine], width_dots: int, feed_before_cut: int = 0,
                show_cuts: bool = True) -> Image.Image:
    """Draw printed lines as the paper would come out (cuts shown as dashed lines)."""
    strips: list[Image.Image] = []
    for line in lines:
        if isinstance(line, TextLine):
            strips.append(text_line_image(line, width_dots))
        elif isinstance(line, QrLine):
            strips.append(qr_line_image(line, width_dots))
        elif isinstance(line, FeedLines):
            strips.append(feed_image(line.lines, width_dots))
        elif isinstance(line, CutPaper):
            if feed_before_cut:
                strips.append(feed_image(feed_before_cut, width_dots))
            if show_cuts:
                strips.append(cut_mark_image(width_dots))
    keep_glyphs()
    return stack(strips, width_dots)


def to_bitmap(image: Image.Image) -> Image.Image:
    """Threshold a grey image to the printer's black and white (mode "1", no dithering)."""
    return image.convert("L").point(lambda value: 255 if value >= 128 else 0, mode="1")


def trim_right(image: Image.Image) -> Image.Image:
    """Crop blank paper off the right edge (keeps at least 8 dots), to send fewer raster bytes."""
    inverted = image.convert("L").point(lambda value: 255 - value)
    box = inverted.getbbox()
    right = 8 if box is None else max(8, box[2])
    return image.crop((0, 0, min(image.width, -(-right // 8) * 8), image.height))
