"""forms.documents.subset builds each TrueType subset byte for byte as reportlab's own makeSubset does
(composite glyphs, their components and the long loca format included), from a parsed font and from one
read back from the font cache; the fonts the documents register use it."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont, TTFontFace

from assets.fontchain import ASSETS_DIR, FONT_CHAIN
from forms.documents.fontcache import load_font
from forms.documents.subset import FastSubsetFace, FastWidthsFont, formatted_numbers, make_subset, use_fast_subsets

BODY = FONT_CHAIN[0]
DEJAVU = ASSETS_DIR / "fonts" / "DejaVuSans.ttf"
#: Text like the documents' (the hygiene rules' first article), so the subsets hold what they hold.
TEXT = ("为加强本单位的卫生管理，预防疾病，保障顾客健康，依据《公共场所卫生管理条例》及其实施细则，"
        "结合本单位经营实际，制定本制度。铜梁区政务服务中心 No. 500151-20261204-K01-0001 □")


def composites(face: TTFontFace, subset: list[int]) -> int:
    """How many glyphs of `subset` are composite glyphs (numberOfContours < 0)."""
    glyf = face.get_table_pos("glyf")[0]
    count = 0
    for code in subset:
        gid = face.charToGlyph.get(code, 0)
        start, end = face.glyphPos[gid], face.glyphPos[gid + 1]
        count += end > start and face._ttf_data[glyf + start] >= 0x80
    return count


def subsets(face: TTFontFace, seed: int, count: int = 6) -> list[list[int]]:
    """Subsets as reportlab makes them (up to 256 code points, in first-use order): the text's, then
    random ones of the font's code points."""
    codes = sorted(face.charToGlyph)
    chosen = [list(dict.fromkeys(map(ord, TEXT)))]
    rng = random.Random(seed)
    chosen += [rng.sample(codes, min(256, len(codes))) for _ in range(count)]
    chosen.append([0x10FFFF, 0x41])  # a code point the font lacks maps to glyph 0
    return chosen


def assert_same_subsets(face: TTFontFace, seed: int) -> None:
    made = subsets(face, seed)
    for subset in made:
        assert make_subset(face, subset) == TTFontFace.makeSubset(face, subset), subset[:5]
    assert sum(composites(face, subset) for subset in made) > 0  # the component rewriting was exercised


def test_body_font_subsets_are_reportlabs_bytes_parsed_and_cached(tmp_path: Path) -> None:
    path = BODY.locate()
    assert path is not None
    parsed = load_font("SubsetTestParsed", path, BODY.subfont_index, cache_dir=tmp_path)  # parses, writes
    cached = load_font("SubsetTestCached", path, BODY.subfont_index, cache_dir=tmp_path)
    assert type(cached.face.hmetrics) is not list  # the cache's packed rows (read by column)
    for font in (parsed, cached):
        assert_same_subsets(font.face, seed=17)


def test_latin_font_with_composite_accents_gives_reportlabs_bytes() -> None:
    face = TTFont("SubsetTestDejaVu", str(DEJAVU)).face
    assert_same_subsets(face, seed=3)
    accented = [ord(ch) for ch in "ÀÁÂÃÄÅàáâãäåÇçÈÉÊËèéêëǺǻ"]
    assert composites(face, accented) > 10
    assert make_subset(face, accented) == TTFontFace.makeSubset(face, accented)


@pytest.mark.parametrize("font", FONT_CHAIN[1:], ids=lambda font: font.key)
def test_fallback_font_subsets_are_reportlabs_bytes(font, tmp_path: Path) -> None:
    path = font.locate()
    if path is None:
        pytest.skip(f"{font.file_name} is not installed")
    face = load_font(f"SubsetTest{font.key}", path, font.subfont_index, cache_dir=tmp_path).face
    positions = face.glyphPos
    size = {code: positions[gid + 1] - positions[gid] for code, gid in face.charToGlyph.items()}
    largest = sorted(size, key=size.__getitem__, reverse=True)[:256]  # over 128 KB: the long loca format
    assert sum(size[code] for code in largest) > 2 * 0xFFFF
    for subset in [*subsets(face, seed=5, count=2), largest]:
        assert make_subset(face, subset) == TTFontFace.makeSubset(face, subset)


def test_a_font_switched_twice_or_of_another_class_is_left_alone() -> None:
    font = TTFont("SubsetTestSwitch", str(DEJAVU))
    assert use_fast_subsets(font) is font and type(font) is FastWidthsFont and type(font.face) is FastSubsetFace
    use_fast_subsets(font)
    assert type(font) is FastWidthsFont and type(font.face) is FastSubsetFace
    assert font.face.makeSubset([0x41, 0x42]) == TTFontFace.makeSubset(font.face, [0x41, 0x42])

    class OtherFont(TTFont):
        pass

    class OtherFace(TTFontFace):
        pass

    other = TTFont("SubsetTestOther", str(DEJAVU))
    other.__class__, other.face.__class__ = OtherFont, OtherFace
    use_fast_subsets(other)
    assert type(other) is OtherFont and type(other.face) is OtherFace


@pytest.mark.parametrize("multiline", [0, 1])
def test_formatted_widths_are_what_reportlab_writes(multiline: int, monkeypatch: pytest.MonkeyPatch) -> None:
    from reportlab import rl_config
    from reportlab.pdfbase import pdfdoc

    monkeypatch.setattr(rl_config, "pdfMultiLine", multiline)  # its line breaks: every 10 elements, or each
    numbers = [1000, 1000, 500.0, 332.5, 611, 0, -12.25, 1e-7, 1000.0, 1000, "x", 7, *range(300, 320)]
    document = pdfdoc.PDFDocument()
    fast = pdfdoc.PDFArray(formatted_numbers(numbers)).format(document)
    assert fast == pdfdoc.PDFArray(numbers).format(document)
    assert b"\n" in fast


def test_the_registered_document_fonts_use_the_fast_subsets() -> None:
    from forms.documents.fonts import register_fonts

    chain = register_fonts()
    font = pdfmetrics.getFont(chain[0].name)
    assert isinstance(font, FastWidthsFont) and isinstance(font.face, FastSubsetFace)


def test_font_files_are_compressed_at_the_font_file_level_and_decode_to_the_subsets() -> None:
    import io
    import zlib

    from pypdf import PdfReader
    from reportlab.pdfgen.canvas import Canvas

    from forms.documents.fonts import FONT_NAME, register_fonts
    from forms.documents.subset import FONT_FILE_LEVEL

    register_fonts()
    out = io.BytesIO()
    canvas = Canvas(out, invariant=1)
    canvas.setFont(FONT_NAME, 12)
    canvas.drawString(40, 700, TEXT)
    canvas.drawString(40, 600, "".join(chr(code) for code in range(0x4E00, 0x4E00 + 300)))  # two subsets
    canvas.save()
    reader = PdfReader(io.BytesIO(out.getvalue()))
    fonts = reader.pages[0]["/Resources"]["/Font"]
    font_files = [fonts[name].get_object()["/FontDescriptor"].get_object()["/FontFile2"].get_object()
                  for name in fonts if "/FontDescriptor" in fonts[name].get_object()]  # not the default Helvetica
    assert len(font_files) == 2
    for stream in font_files:
        data = stream.get_data()
        assert data[:4] == b"\x00\x01\x00\x00" and stream["/Length1"] == len(data)
        assert list(stream["/Filter"]) == ["/FlateDecode"]
        assert stream._data == zlib.compress(data, FONT_FILE_LEVEL)
