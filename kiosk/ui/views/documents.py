"""Pictures of the visit's paper (QML: `bridge.docs`): the application form previewed as page images on
the materials screen, the slips the printer printed, and the number's QR code. They live in the image
provider (`MemoryImages`, QML `image://kiosk/...`) and are dropped on every wipe."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Property, QObject, Signal
from PySide6.QtGui import QImage

from kiosk.ui.images import MemoryImages
from kiosk.ui.listmodel import RowsModel
from kiosk.ui.views.worker import Worker

PREVIEW_WIDTH_PX = 900
ELDER_PREVIEW_RENDER = 2.0  # elder mode shows the page 2,300 px wide (theme.previewWidth)
NOT_PREVIEWED = "-"


def qr_image(text: str, scale: int = 8) -> QImage:
    """A QR code of `text` as a QImage (assets.qrcodes: ECC M, border 2)."""
    from assets import qrcodes  # imported on first use: not needed for the start screen

    buffer = io.BytesIO()
    qrcodes.make(text, "m").save(buffer, kind="png", scale=scale, border=2)
    return QImage.fromData(buffer.getvalue(), "PNG")


class Documents(QObject):
    pagesChanged = Signal()
    slipsChanged = Signal()

    def __init__(self, images: MemoryImages, worker: Worker, services: Callable[[], Any],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.images = images
        self._worker = worker
        self._services = services
        self._page_count = 0
        self._page_revision = 0
        self._slip_count = 0
        self._preview_of: str | None = NOT_PREVIEWED
        self.slip_model = RowsModel(["source"], self)

    pageCount = Property(int, lambda self: self._page_count, notify=pagesChanged)
    pageRevision = Property(int, lambda self: self._page_revision, notify=pagesChanged)
    slipCount = Property(int, lambda self: self._slip_count, notify=slipsChanged)
    slipModel = Property(QObject, lambda self: self.slip_model, constant=True)

    def render(self, state: Any, view: dict[str, Any], entering_materials: bool) -> None:
        """The QR of the number, and a fresh preview when the materials screen opens or the commitment
        changed (the form shows how it was signed)."""
        if view.get("number"):
            self.images.put(f"qr/{view['number']}", qr_image(view["number"]))
        if view["screen"] == "materials" and (entering_materials or view["commitment"] != self._preview_of):
            self._preview(state)

    def _preview(self, state: Any) -> None:
        """Render the 申请表 as it stands into page images (worker), shown on the materials screen."""
        self._preview_of = state.commitment.method if state.commitment else None
        zoom = ELDER_PREVIEW_RENDER if state.elder_mode else 1.0   # shown wider in elder mode: kept sharp

        def work() -> list[QImage]:
            from kiosk.ui.pdfpages import render_pages

            pdf = self._services().preview_application(state)
            return render_pages(pdf, round(PREVIEW_WIDTH_PX * zoom)) if pdf else []

        self._worker.submit(work, self._set_pages)

    def _set_pages(self, pages: list[QImage]) -> None:
        for index, image in enumerate(pages):
            self.images.put(f"page/{index}", image)
        self._page_count = len(pages)
        self._page_revision += 1
        self.pagesChanged.emit()

    def add_slip(self, png: bytes) -> None:
        self._slip_count += 1
        name = f"slip/{self._worker.generation}-{self._slip_count}"
        self.images.put(name, QImage.fromData(png, "PNG"))
        self.slip_model.set_rows([*self.slip_model.rows(), {"key": name, "source": f"image://kiosk/{name}"}])
        self.slipsChanged.emit()

    def wipe(self) -> None:
        self.images.clear()
        self.slip_model.set_rows([])
        self._slip_count = 0
        self._page_count = 0
        self._preview_of = NOT_PREVIEWED
        self.slipsChanged.emit()
        self.pagesChanged.emit()
