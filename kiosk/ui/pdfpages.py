"""PDF pages as images for the materials screen (QtPdf), rendered on a worker thread, kept in memory.

`render_pages(pdf_bytes, width_px)` loads the document from memory (never from disk: the application
form carries personal data) and returns one QImage per page, at most `MAX_PAGES`.

QtPdf initialises PDFium when its first `QPdfDocument` is made and tears it down when the last one goes.
PDFium's allocator (PartitionAlloc) never gives back the memory of a torn-down library: each preview
left two 2 MiB "super pages" (16 KB resident) behind, and the soak's touchscreen grew with every visit
that reached the materials screen. One document is kept for the life of the process (`_LIBRARY`), so
PDFium is initialised once.
"""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize
from PySide6.QtGui import QImage
from PySide6.QtPdf import QPdfDocument

MAX_PAGES = 4

_LIBRARY = QPdfDocument()  # keeps PDFium initialised between previews (above); holds no document


class PdfPagesError(RuntimeError):
    """The PDF could not be read."""


def render_pages(pdf: bytes, width_px: int = 900) -> list[QImage]:
    buffer = QBuffer()
    buffer.setData(QByteArray(pdf))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document = QPdfDocument()
    document.load(buffer)
    if document.status() != QPdfDocument.Status.Ready:
        raise PdfPagesError(f"the PDF could not be read ({document.error()})")
    pages = []
    for page in range(min(document.pageCount(), MAX_PAGES)):
        size = document.pagePointSize(page)
        height = round(width_px * size.height() / size.width()) if size.width() else round(width_px * 1.414)
        image = document.render(page, QSize(width_px, height), fillColor="white")
        pages.append(image.convertToFormat(QImage.Format.Format_RGB32))
    document.close()
    buffer.close()
    return pages
