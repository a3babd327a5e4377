"""Drawing on the printer grid with the shipped font, and finding characters the font lacks."""

from __future__ import annotations

import pytest
from PIL import ImageStat

from printers.lines import TextLine
from printers.raster import glyph, missing_glyphs, text_line_image, to_bitmap, trim_right


def test_cells_follow_the_printer_grid() -> None:
    assert glyph("A").size == (12, 24)
    assert glyph("中").size == (24, 24)
    assert glyph("中", 2).size == (48, 48)
    assert glyph("W", 3, True).size == (36, 72)


def test_bold_puts_down_more_ink() -> None:
    def ink(image) -> float:
        return ImageStat.Stat(image).sum[0]

    assert ink(glyph("中", 1, True)) > ink(glyph("中", 1, False))


def test_missing_glyphs_names_rare_characters_once() -> None:
    assert missing_glyphs("张三，王喆 ABC ￥") == []
    assert missing_glyphs("吉𠮷𠮷😀") == ["😀"]  # 𠮷 comes from HanaMinA (fonts-hanazono)


def test_text_line_is_aligned_and_trimmed() -> None:
    image = text_line_image(TextLine("中", align="right"), 384)
    assert image.size == (384, 30)
    bitmap = to_bitmap(image)
    assert bitmap.mode == "1"
    assert trim_right(text_line_image(TextLine("中"), 384)).width == 24


@pytest.mark.parametrize("width", [576, 384, 100, 17, 16, 7, 1])
def test_the_cut_mark_is_the_dashed_line_imagedraw_draws(width) -> None:
    """cut_mark_image pastes the dashes instead of importing ImageDraw (and FreeType) for them."""
    from PIL import Image, ImageDraw

    from printers.raster import CUT_MARK_DOTS, PAPER, cut_mark_image

    drawn = Image.new("L", (width, CUT_MARK_DOTS), PAPER)
    draw = ImageDraw.Draw(drawn)
    for x in range(0, width, 16):
        draw.line((x, CUT_MARK_DOTS // 2, x + 8, CUT_MARK_DOTS // 2), fill=160, width=2)
    assert cut_mark_image(width).tobytes() == drawn.tobytes()
