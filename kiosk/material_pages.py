"""An application's photographed material pages: written as registered files after the decision is
committed, and appended to the application's PDF (申请表), after its own pages, one page each.

    attach_pages(store, application_id, folder, draft.material_pages)   # PNGs + material_pages rows
    files = with_material_pages(store, application_id, files)           # the 申请表 PDF with them

The PNGs go through kiosk.paperfiles (registered before written, 0600, purged with the application);
`with_material_pages` reads them back, so a PDF made again (`kiosk documents`, the repair at start)
carries them too. The PDF pages are A4 with the material's name above the photo (reportlab, the
shipped CJK font), merged with pypdf.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Sequence
from pathlib import Path

from kiosk.paperfiles import Stage, write_registered
from kiosk.session.state import MaterialPage
from kiosk.store import Store
from kiosk.store.material_pages import (
    MATERIAL_PAGE_KIND,
    StoredPage,
    add_material_pages,
    material_pages_for,
)

#: The document kind whose PDF the pages are appended to (forms.documents.DocumentKind.APPLICATION).
APPLICATION_KIND = "application"
log = logging.getLogger(__name__)


def attach_pages(store: Store, application_id: int, folder: Path, pages: Sequence[MaterialPage],
                 on_stage: Stage | None = None) -> list[Path]:
    """Write each page's PNG into `folder` (registered first) and record it; returns the paths."""
    if not pages:
        return []
    files = [(MATERIAL_PAGE_KIND, f"material-{index:02d}.png", page.png) for index, page in enumerate(pages, 1)]
    paths = write_registered(store, application_id, folder, files, on_stage)
    by_path = {d.path: d.id for d in store.documents_for(application_id) if d.kind == MATERIAL_PAGE_KIND}
    add_material_pages(store, application_id, [
        (page.material, by_path[str(path)], page.width, page.height) for page, path in zip(pages, paths, strict=True)])
    log.info("application %s: %d material page(s) attached", application_id, len(pages))
    return paths


def with_material_pages(store: Store, application_id: int,
                        files: list[tuple[str, str, bytes]]) -> list[tuple[str, str, bytes]]:
    """`files` (kind, name, PDF bytes) with the application's photographed pages appended to its 申请表."""
    if not any(kind == APPLICATION_KIND for kind, _, _ in files):
        return files
    pages = [(page, page.png()) for page in material_pages_for(store, application_id)]
    pages = [(page, data) for page, data in pages if data is not None]
    if not pages:
        return files
    return [(kind, name, append_pages(data, pages) if kind == APPLICATION_KIND else data)
            for kind, name, data in files]


def append_pages(pdf: bytes, pages: Sequence[tuple[StoredPage | MaterialPage, bytes]]) -> bytes:
    """`pdf` followed by one A4 page per photographed page: 附件：<material> above the photo."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(pdf)))
    writer.append(PdfReader(io.BytesIO(_pages_pdf(pages))))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _pages_pdf(pages: Sequence[tuple[StoredPage | MaterialPage, bytes]]) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    from assets import CJK_FONT_SUBFONT_INDEX, cjk_font_path

    font = "KioskCJK"
    if font not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(font, str(cjk_font_path()), subfontIndex=CJK_FONT_SUBFONT_INDEX))
    buffer = io.BytesIO()
    sheet = canvas.Canvas(buffer, pagesize=A4)
    width, height = A4
    margin, caption = 36, 28
    for page, data in pages:
        sheet.setFont(font, 14)
        sheet.drawString(margin, height - margin - 14, f"附件：{page.material}（材料拍摄仪拍照）")
        image = ImageReader(io.BytesIO(data))
        img_w, img_h = image.getSize()
        box_w, box_h = width - 2 * margin, height - 2 * margin - caption
        scale = min(box_w / img_w, box_h / img_h)
        draw_w, draw_h = img_w * scale, img_h * scale
        sheet.drawImage(image, (width - draw_w) / 2, margin + (box_h - draw_h) / 2, draw_w, draw_h)
        sheet.showPage()
    sheet.save()
    return buffer.getvalue()
