"""Shared page furniture and helpers for the documents: styles, tables, header/footer, build to bytes.

Every document is an A4 platypus story built by `build_pdf`, with a header line (hall and receipt
number), a footer (``第 1 页 共 2 页`` and the kiosk id) and optional extra drawing per page (the
licence border). Styles use the embedded CJK font with CJK line wrapping. Paragraph helpers take plain
values and escape them (see `forms.documents.text`), so values never act as markup.
"""

from __future__ import annotations

import io
import os
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Table, TableStyle
from reportlab.platypus.doctemplate import LayoutError

from forms.atomicfile import write_private_file
from forms.documents.errors import DocumentRenderError
from forms.documents.fonts import body_code_points, cjk_font, covered_code_points, fallback_fonts
from forms.documents.paragraphs import plain_paragraph
from forms.documents.text import printable, to_markup

PAGE_SIZE = A4
#: reportlab keeps per-document state on shared font objects; one build at a time is the safe choice.
_build_lock = threading.Lock()
GRID_COLOR = colors.HexColor("#333333")
SHADE_COLOR = colors.HexColor("#EEEEEE")
PDF_CREATOR = "秒办自助终端"
#: Values longer than this are laid out as several paragraphs (see `value_paras`).
LONG_VALUE_CHUNK = 300


@dataclass(frozen=True)
class Styles:
    """The paragraph styles of the documents."""

    title: ParagraphStyle
    subtitle: ParagraphStyle
    heading: ParagraphStyle
    body: ParagraphStyle
    cell: ParagraphStyle
    cell_label: ParagraphStyle
    cell_center: ParagraphStyle
    small: ParagraphStyle
    right: ParagraphStyle
    licence_title: ParagraphStyle
    licence_number: ParagraphStyle
    licence_label: ParagraphStyle
    licence_value: ParagraphStyle


@lru_cache(maxsize=1)
def styles() -> Styles:
    """Paragraph styles on the embedded CJK font (built on first use)."""
    font = cjk_font()

    def style(name: str, size: float, leading: float, **extra: object) -> ParagraphStyle:
        return ParagraphStyle(name, fontName=font, fontSize=size, leading=leading, wordWrap="CJK", **extra)

    return Styles(
        title=style("title", 20, 28, alignment=TA_CENTER, spaceAfter=4),
        subtitle=style("subtitle", 10.5, 15, alignment=TA_CENTER, textColor=colors.HexColor("#444444")),
        heading=style("heading", 13, 19, spaceBefore=8, spaceAfter=4),
        body=style("body", 10.5, 17, alignment=TA_LEFT, firstLineIndent=21),
        cell=style("cell", 10, 14),
        cell_label=style("cell_label", 10, 14),
        cell_center=style("cell_center", 10, 14, alignment=TA_CENTER),
        small=style("small", 8.5, 12, spaceBefore=3, textColor=colors.HexColor("#444444")),
        right=style("right", 10.5, 17, alignment=TA_RIGHT),
        licence_title=style(
            "licence_title", 30, 40, alignment=TA_CENTER, textColor=colors.HexColor("#8B1A1A")
        ),
        licence_number=style("licence_number", 12.5, 18, alignment=TA_CENTER),
        licence_label=style("licence_label", 13, 19),
        licence_value=style("licence_value", 13, 19),
    )


def para(value: object, style: ParagraphStyle) -> Paragraph:
    """A Paragraph that prints `value` literally (escaped; rare characters in fallback-font runs;
    characters no font has replaced)."""
    return plain_paragraph(to_markup(value, body_code_points(), fallback_fonts()), style)


def value_paras(value: object, style: ParagraphStyle) -> list[Paragraph]:
    """Like `para`, but a very long value becomes several paragraphs of at most `LONG_VALUE_CHUNK` chars.

    reportlab re-wraps a whole cell each time a table row is split across pages, which is quadratic
    in its length; `expand_long_rows` turns the chunks into continuation rows instead, so a
    10,000-character value costs one wrap. Values up to the chunk size (all real ones) stay one paragraph.
    """
    text = "" if value is None else str(value)
    if len(text) <= LONG_VALUE_CHUNK:
        return [para(text, style)]
    chunks: list[str] = []
    for line in text.split("\n"):
        chunks += [
            line[start : start + LONG_VALUE_CHUNK] for start in range(0, len(line), LONG_VALUE_CHUNK)
        ] or [""]
    return [para(chunk, style) for chunk in chunks]


def markup_para(template: str, style: ParagraphStyle, **values: object) -> Paragraph:
    """A Paragraph from trusted markup `template` (``{name}`` slots) with each value escaped."""
    drawable, fallbacks = body_code_points(), fallback_fonts()
    return plain_paragraph(template.format(**{k: to_markup(v, drawable, fallbacks) for k, v in values.items()}),
                           style)


def cjk_table_style(commands: Sequence[tuple]) -> TableStyle:
    """A TableStyle on the CJK font (reportlab's default cell font, Helvetica, would not be embedded)."""
    return TableStyle([("FONTNAME", (0, 0), (-1, -1), cjk_font()), *commands])


def expand_long_rows(rows: Sequence[Sequence[object]]) -> list[list[object]]:
    """Spread cells holding several chunk paragraphs (from `value_paras`) over continuation rows.

    Row k of a spread row holds the k-th chunk of each chunked cell and blanks elsewhere, so the
    table splits between rows (cheap) instead of inside one huge row.
    """
    expanded: list[list[object]] = []
    for row in rows:
        height = max((len(cell) for cell in row if isinstance(cell, list)), default=1)
        for k in range(height):
            expanded.append(
                [
                    (cell[k] if k < len(cell) else "") if isinstance(cell, list) else (cell if k == 0 else "")
                    for cell in row
                ]
            )
    return expanded


def ruled_table(
    rows: Sequence[Sequence[object]],
    col_widths: Sequence[float],
    *,
    header: bool = False,
    label_column: bool = False,
) -> Table:
    """A fully ruled table (like a paper form). Cells must already be flowables or plain strings.

    Long values become continuation rows (`expand_long_rows`), and a row still taller than a page is
    split inside the row (`splitInRow`), so a 10,000-character value flows on to the next pages instead
    of failing the layout. A header row repeats on every page.
    """
    commands: list[tuple] = [
        ("GRID", (0, 0), (-1, -1), 0.6, GRID_COLOR),
        ("BOX", (0, 0), (-1, -1), 1.2, GRID_COLOR),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]
    if header:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), SHADE_COLOR))
    if label_column:
        commands.append(("BACKGROUND", (0, 0), (0, -1), SHADE_COLOR))
    return Table(
        expand_long_rows(rows),
        colWidths=list(col_widths),
        style=cjk_table_style(commands),
        repeatRows=1 if header else 0,
        splitInRow=0 if header else 1,  # reportlab repeats the header mid-page when both are on
        hAlign="CENTER",
    )


def _numbered_canvas(header: str, footer: str) -> type[Canvas]:
    """A canvas class that draws the header and ``第 N 页 共 M 页`` once the page count is known."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, **kwargs)
            self._saved_pages: list[dict] = []

        def showPage(self) -> None:
            self._saved_pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._saved_pages)
            for state in self._saved_pages:
                self.__dict__.update(state)
                self._draw_furniture(total)
                super().showPage()
            super().save()

        def _draw_furniture(self, total: int) -> None:
            width, height = self._pagesize
            font = cjk_font()
            self.saveState()
            self.setFont(font, 8.5)
            self.setFillColor(colors.HexColor("#555555"))
            if header:
                self.drawRightString(width - 18 * mm, height - 12 * mm, header)
            page_text = f"第 {self._pageNumber} 页  共 {total} 页"
            self.drawCentredString(width / 2, 9 * mm, page_text)
            if footer:
                self.drawRightString(width - 18 * mm, 9 * mm, footer)
            self.restoreState()

    return NumberedCanvas


PageDecorator = Callable[[Canvas, SimpleDocTemplate], None]


def build_pdf(
    story: list[Flowable],
    *,
    title: str,
    author: str,
    header: str = "",
    footer: str = "",
    on_page: PageDecorator | None = None,
    margins_mm: tuple[float, float, float, float] = (20, 18, 18, 18),  # top, right, bottom, left
) -> bytes:
    """Lay out `story` on A4 pages and return the PDF bytes.

    `header`/`footer` are plain strings drawn on every page (filtered for drawable characters).
    Builds are serialised by a lock (safe from any worker thread). Raises DocumentRenderError when
    reportlab cannot place a flowable.
    """
    drawable = covered_code_points()
    top, right, bottom, left = margins_mm
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=PAGE_SIZE,
        topMargin=top * mm,
        rightMargin=right * mm,
        bottomMargin=bottom * mm,
        leftMargin=left * mm,
        title=printable(title, drawable),
        author=printable(author, drawable),
        creator=PDF_CREATOR,
        initialFontName=cjk_font(),  # else the canvas references (unembedded) Helvetica
    )
    body = body_code_points()  # header and footer are drawn straight on the canvas in the body font
    canvas_class = _numbered_canvas(printable(header, body), printable(footer, body))
    decorate = on_page or (lambda canvas, document: None)
    try:
        with _build_lock:
            doc.build(story, onFirstPage=decorate, onLaterPages=decorate, canvasmaker=canvas_class)
    except LayoutError as exc:
        raise DocumentRenderError(f"文档排版失败: {exc}") from exc
    return buffer.getvalue()


def write_pdf(data: bytes, path: str | os.PathLike[str]) -> Path:
    """Write PDF bytes to `path` atomically (temp file in the same folder, fsync, rename)."""
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        write_private_file(target, data)
    except OSError as exc:
        raise DocumentRenderError(f"无法写入文档 {target}: {exc}") from exc
    return target
