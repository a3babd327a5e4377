"""Rare name characters on the slip: no printer font holds Extension B and GBK cannot encode 䶮, so
such a line is printed as a raster drawn with the kiosk's font chain, and the glyphs are the real
ones (from HanaMinA/B), not the missing-glyph box WenQuanYi Micro Hei drew before.
"""

from __future__ import annotations

import pytest
from PIL import Image, ImageChops, ImageDraw, ImageFont

from assets.fontchain import HANA_MIN_A, HANA_MIN_B
from printers.escpos_interpreter import parse
from printers.escpos_render import render_escpos
from printers.lines import TextLine
from printers.model import Receipt, Text
from printers.profiles import get_profile
from printers.raster import chain_font_for, glyph, missing_glyphs, text_line_image, to_bitmap, trim_right

P80 = get_profile("xprinter-80")
GS_V0 = b"\x1dv0"
#: A private-use code point no font maps: what a missing glyph looks like (the body font's box).
NOT_A_CHARACTER = "\U000f0000"
LINE = "申请人：叶䶮 𠮷田 𠀀𠀁 阿依古丽·买买提"


def ink_crop(mask: Image.Image) -> Image.Image:
    box = mask.getbbox()
    assert box is not None, "no ink"
    return mask.crop(box)


def black_and_white(mask: Image.Image) -> Image.Image:
    """An ink mask (255 = ink) thresholded as the printer does (to_bitmap)."""
    return mask.point(lambda value: 255 if value >= 128 else 0, mode="1")


def strokes(bitmap: Image.Image) -> int:
    """Connected pieces of ink (8-neighbour): a character whose hairlines broke has more than its own."""
    width, height = bitmap.size
    ink = {(x, y) for y in range(height) for x in range(width) if bitmap.getpixel((x, y))}
    pieces = 0
    while ink:
        pieces += 1
        stack = [ink.pop()]
        while stack:
            x, y = stack.pop()
            for near in ((x + dx, y + dy) for dx in (-1, 0, 1) for dy in (-1, 0, 1)):
                if near in ink:
                    ink.remove(near)
                    stack.append(near)
    return pieces


def reference(ch: str, path, px: int = 200) -> Image.Image:
    """``ch`` drawn large, straight from one font file: its true pieces of ink."""
    font = ImageFont.truetype(str(path), px)
    canvas = Image.new("L", (px * 2, px * 2), 0)
    ImageDraw.Draw(canvas).text((px // 2, px // 2), ch, font=font, fill=255)
    return black_and_white(ink_crop(canvas))


def difference(a: Image.Image, b: Image.Image) -> float:
    if a.size != b.size:
        b = b.resize(a.size)
    histogram = ImageChops.difference(a, b).histogram()
    return sum(value * count for value, count in enumerate(histogram)) / (255 * a.width * a.height)


@pytest.mark.parametrize(("ch", "font"), [("䶮", HANA_MIN_A), ("𠮷", HANA_MIN_A), ("𠀀", HANA_MIN_A),
                                          ("𠀁", HANA_MIN_B)])
def test_rare_characters_are_drawn_from_hanazono_not_as_the_missing_glyph_box(ch, font):
    assert chain_font_for(ch) == [None, HANA_MIN_A, HANA_MIN_B].index(font)
    drawn = ink_crop(glyph(ch))
    box = ink_crop(glyph(NOT_A_CHARACTER))
    assert drawn.size != box.size or difference(drawn, box) > 0.1
    # Legible on the printer: after the black-and-white threshold the 24-dot glyph has the same
    # pieces of ink as the character drawn large from HanaMin (thin hairlines did break apart).
    assert strokes(black_and_white(glyph(ch))) == strokes(reference(ch, font.locate()))


def test_only_characters_no_font_has_are_missing():
    assert missing_glyphs("张三 䶮𠮷𠀀𠀁 阿依古丽·买买提") == []
    assert missing_glyphs("吉😀") == ["😀"]  # the fallbacks serve ideographs, not emoji


def test_a_line_gbk_cannot_carry_prints_as_a_legible_raster_of_about_3_kb():
    data = render_escpos(Receipt((Text(LINE), Text("普通行"))), P80, "text")
    assert data.count(GS_V0) == 1
    raster = data[data.index(GS_V0):data.index("普通行".encode("gbk"))]
    assert 1_000 < len(raster) < 3_000  # 576 dots x 30 rows at most: 2,160 bytes plus the header
    printed = parse(data, P80.width_dots)
    assert printed.text_lines == ["普通行"] and printed.raster_images == 1
    expected = to_bitmap(trim_right(text_line_image(TextLine(LINE), P80.width_dots))).convert("L")
    strip = printed.image.crop((0, 0, expected.width, expected.height))
    assert ImageChops.difference(strip, expected).getbbox() is None  # exactly the chain's drawing


def test_variation_selectors_take_no_cell():
    plain = text_line_image(TextLine("葛明"), 576)
    with_ivs = text_line_image(TextLine("葛\U000e0100明"), 576)
    assert ImageChops.difference(plain, with_ivs).getbbox() is None
