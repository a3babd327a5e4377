"""forms.documents.paragraphs.plain_paragraph gives the very Paragraph reportlab's parser gives (same
text, style and fragments, attribute by attribute), and draws the same PDF; markup, entities and empty
texts still go through the parser. forms.documents.charwidths measures as reportlab does."""

from __future__ import annotations

import io

import pytest
from reportlab.lib import textsplit
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

from assets.fontchain import FONT_CHAIN
from forms.documents import charwidths, paragraphs
from forms.documents.layout import styles
from forms.documents.paragraphs import is_plain, plain_paragraph

TEXTS = ["张伟", "公共场所卫生许可（新办）", "  前后 空格  ", "多行\n  文字\n\n第三行", "tab\there", "　全角　空格　",
         "No. 500151-20261204-K01-0001", "a > b", "第12条　本制度由本单位负责解释，自2026年11月21日起施行。" * 8, "x"]
MARKUP = ["张伟&amp;理发", "两行<br/>文字", f'<font name="{FONT_CHAIN[0].key}">张</font>家', "<b>粗体</b>", "&#20320;"]


def same(a: object, b: object) -> bool:
    """Equal values of the same types, objects compared by their attributes (fragments have no __eq__)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, list | tuple):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if hasattr(a, "__dict__") and not isinstance(a, ParagraphStyle):
        return same(vars(a), vars(b))
    return a == b


def all_styles() -> list[ParagraphStyle]:
    s = styles()
    return [getattr(s, name) for name in s.__dataclass_fields__]


@pytest.mark.parametrize("text", TEXTS + MARKUP)
def test_the_paragraph_is_the_parsers(text: str) -> None:
    for style in all_styles():
        fast, parsed = plain_paragraph(text, style), Paragraph(text, style)
        assert same(vars(fast), vars(parsed)), (text, style.name)
        assert fast.style is parsed.style is style


def test_plain_paragraphs_do_not_share_fragments_or_their_lists() -> None:
    style = styles().cell
    first, second = plain_paragraph("张伟", style), plain_paragraph("李娜", style)
    assert first.frags[0] is not second.frags[0]
    assert first.frags[0].link is not second.frags[0].link
    assert first.frags[0].us_lines is not second.frags[0].us_lines


def test_markup_and_empty_texts_take_the_parser(monkeypatch: pytest.MonkeyPatch) -> None:
    assert all(not is_plain(text) for text in MARKUP)
    assert all(is_plain(text) for text in TEXTS)
    parsed: list[str] = []
    real = paragraphs.Paragraph

    def counting(text: str, style: ParagraphStyle, **kwargs: object) -> Paragraph:
        if "frags" not in kwargs:
            parsed.append(text)
        return real(text, style, **kwargs)

    style = ParagraphStyle("fresh", parent=styles().cell)  # a style not seen yet: its sample is parsed once
    monkeypatch.setattr(paragraphs, "Paragraph", counting)
    for text in ["张伟", "李娜", "", " \n ", *MARKUP]:
        plain_paragraph(text, style)
    assert parsed == [paragraphs._SAMPLE, "", " \n ", *MARKUP]


def draw(make: object) -> bytes:
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4, invariant=1)
    y = A4[1] - 40
    for text in TEXTS:
        for style in all_styles():
            paragraph = make(text, style)
            _, height = paragraph.wrap(120, 800)
            y -= height
            if y < 40:
                canvas.showPage()
                y = A4[1] - 40 - height
            paragraph.drawOn(canvas, 40, y)
    canvas.save()
    return out.getvalue()


def test_plain_paragraphs_draw_the_parsers_pdf() -> None:
    assert draw(plain_paragraph) == draw(Paragraph)


def test_char_widths_are_reportlabs_and_installed() -> None:
    from forms.documents.fonts import FONT_NAME, register_fonts

    register_fonts()
    assert textsplit.getCharWidths is charwidths.char_widths
    word = "公共场所卫生许可证 No. 12 公共"
    for size in (8.5, 10, 10.5, 13, 30):
        expected = [stringWidth(ch, FONT_NAME, size) for ch in word]
        assert charwidths.char_widths(word, FONT_NAME, size) == expected
        assert charwidths.char_widths(word, FONT_NAME, size) == expected  # remembered
    assert charwidths.char_widths("Helvetica", "Helvetica", 10) == [stringWidth(ch, "Helvetica", 10)
                                                                    for ch in "Helvetica"]
