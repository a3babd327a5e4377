"""Rare name characters (Extension A 䶮, Extension B 𠮷 𠀀 𠀁, a middle dot) in real PDFs, read back
with poppler: the extracted text is the name exactly, and every font in the file is embedded.

Before the fix they printed as □ (the body font, WenQuanYi Micro Hei, lacks them), and reportlab's
ToUnicode map made 𠮷 extract as ₻ even once drawn with a font that has it.
"""

from __future__ import annotations

import dataclasses
import re
import subprocess
from pathlib import Path

import pytest

from forms.documents import DocumentKind, write_document
from forms.documents.fonts import make_to_unicode_cmap
from forms.documents.model import Applicant
from forms.documents.text import PLACEHOLDER

TOOL_TIMEOUT_S = 30.0
#: 䶮 only HanaMinA has; 𠮷 and 𠀀 are in both Hanazono fonts; 𠀁 only HanaMinB has.
RARE_NAMES = ["叶䶮", "𠮷田", "𠀀𠀁", "阿依古丽·买买提"]
ID_NUMBER = "11010519491231002X"


def fonts_of(pdf: Path) -> list[str]:
    listing = subprocess.run(["pdffonts", str(pdf)], capture_output=True, timeout=TOOL_TIMEOUT_S, check=True)
    return [line for line in listing.stdout.decode().splitlines()[2:] if line.strip()]


def assert_every_font_embedded(pdf: Path) -> set[str]:
    """Every font row says emb/sub/uni yes; return the font names (without the subset prefix)."""
    rows = fonts_of(pdf)
    assert rows, "no fonts in the PDF"
    for row in rows:
        assert re.search(r"\byes\s+yes\s+yes\b", row), f"font not embedded/subset/unicode: {row}"
    return {row.split()[0].split("+", 1)[-1] for row in rows}


def compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_to_unicode_cmap_maps_non_bmp_characters_to_utf16_surrogate_pairs():
    cmap = make_to_unicode_cmap("AAAAAA+HanaMinA", [0x20, 0x4DAE, 0x20BB7, 0x20000])
    assert "<01> <4DAE>" in cmap
    assert "<02> <D842DFB7>" in cmap  # reportlab wrote <20BB7>, which readers take as U+20BB ₻
    assert "<03> <D840DC00>" in cmap
    assert "<00> <03>" in cmap and "4 beginbfchar" in cmap


@pytest.mark.parametrize("kind", [DocumentKind.APPLICATION, DocumentKind.RECEIPT])
def test_a_rare_applicant_name_extracts_exactly_from_embedded_fonts(samples, tmp_path, pdf_text, kind):
    for name in RARE_NAMES:
        ctx = samples.accepted(applicant=Applicant(name=name, id_number=ID_NUMBER))
        pdf = write_document(kind, ctx, tmp_path / f"{kind.value}-{len(name)}.pdf")
        text = pdf_text(pdf)
        assert name in compact(text), f"{name!r} not extracted from {kind.value}"
        assert "₻" not in text and PLACEHOLDER + "田" not in text
        fonts = assert_every_font_embedded(pdf)
        assert "WenQuanYiMicroHei-0" in fonts
        if name == "叶䶮":
            assert "HanaMinA" in fonts
        if name == "𠀀𠀁":
            assert "HanaMinB" in fonts  # 𠀁 is only in HanaMinB


def test_a_licence_holder_with_every_extension_prints_in_one_paragraph(samples, tmp_path, pdf_text):
    holder = "铜梁区𠮷田䶮𠀁理发店"
    ctx = samples.make()
    ctx = dataclasses.replace(ctx, licence=dataclasses.replace(ctx.licence, holder=holder,
                                                                legal_representative="阿依古丽·买买提"))
    pdf = write_document(DocumentKind.LICENCE, ctx, tmp_path / "licence.pdf")
    text = compact(pdf_text(pdf))
    assert holder in text and "阿依古丽·买买提" in text
    assert {"WenQuanYiMicroHei-0", "HanaMinA", "HanaMinB"} <= assert_every_font_embedded(pdf)


def test_emoji_still_print_as_the_placeholder_not_as_a_fallback_glyph(samples, tmp_path, pdf_text):
    ctx = samples.accepted(applicant=Applicant(name="张😀䶮", id_number=ID_NUMBER))
    pdf = write_document(DocumentKind.RECEIPT, ctx, tmp_path / "receipt.pdf")
    assert f"张{PLACEHOLDER}䶮" in compact(pdf_text(pdf))


def test_to_unicode_cmap_of_a_bmp_subset_is_the_per_character_one():
    """A subset of BMP characters only takes the one-encode path: the same lines as character by character."""
    subset = [0x20, 0x41, 0x4E00, 0x9FA5, 0xFF08, 0x25A1, *range(0x5000, 0x5000 + 250)]
    cmap = make_to_unicode_cmap("AAAAAA+WQY", subset)
    lines = [f"<{i:02X}> <{chr(code).encode('utf-16-be').hex().upper()}>" for i, code in enumerate(subset)]
    assert "\n".join(lines) in cmap and "<FF> <50F9>" in cmap and "256 beginbfchar" in cmap
    assert make_to_unicode_cmap("AAAAAA+WQY", [*subset[:-1], 0x20BB7]).endswith(
        "<FF> <D842DFB7>\nendbfchar\nendcmap\nCMapName currentdict /CMap defineresource pop\nend\nend")
