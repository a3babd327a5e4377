"""A reportlab flowable that draws a QR code as vector paths from its module matrix.

The text is encoded by `assets.qrcodes.make(text, "m")` (zxing-cpp): numeric or alphanumeric where the
text allows it, otherwise byte mode with UTF-8 and no ECI, never Kanji mode (which reportlab's own
widget picks silently for some Chinese). Never a Micro QR. The quiet zone is the standard 4 modules.
Dark modules are merged into horizontal runs and drawn as one filled path in module units (a scaled
coordinate system, integer operands written with `Canvas.addLiteral`: reportlab's own path API
formats every float in pure Python, ~11 ms for a V10 code against 0.6 ms), so the code stays sharp at any
zoom and adds only a few kilobytes.

zxing-cpp (the encoder, ~6 ms to import) is imported with this module, i.e. with the renderers that
draw QR codes (licence, receipts): `kiosk apply`'s PDF child imports those while it waits for its
request (forms.documents.worker), so the licence's render does not pay the import (issue 17). Nothing
else imports this module: `kiosk` commands and the window import the renderers on their first document.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import zxingcpp  # noqa: F401 (loaded now for assets.qrcodes.make, which imports it on first use)
from reportlab.lib.colors import black, white
from reportlab.platypus import Flowable

from assets import qrcodes
from forms.documents.errors import DocumentInputError

QUIET_ZONE_MODULES = 4
QR_ERROR_LEVEL = "m"


@lru_cache(maxsize=32)
def qr_matrix(text: str) -> tuple[tuple[bool, ...], ...]:
    """The QR symbol for `text` as rows of booleans (True = dark), quiet zone included.

    Cached: the licence, the receipt and a reprint of one application share one QR text.
    """
    if not text:
        raise DocumentInputError("二维码内容为空")
    try:
        code = qrcodes.make(text, QR_ERROR_LEVEL)
    except qrcodes.QrEncodeError as exc:
        raise DocumentInputError(f"二维码内容过长或无法编码（{len(text)} 个字符）: {exc}") from exc
    return tuple(code.matrix_iter(border=QUIET_ZONE_MODULES))


def run_path_operators(runs: list[tuple[int, int, int]]) -> str:
    """PDF path operators (``x y w h re`` per run, then ``f`` to fill) in module units, row 0 at y=0."""
    return "\n".join(f"{x} {y} {length} 1 re" for y, x, length in runs) + "\nf"


def dark_runs(matrix: Sequence[Sequence[bool]]) -> list[tuple[int, int, int]]:
    """Horizontal runs of dark modules as (row, first column, length)."""
    runs: list[tuple[int, int, int]] = []
    for y, row in enumerate(matrix):
        x = 0
        width = len(row)
        while x < width:
            if row[x]:
                start = x
                while x < width and row[x]:
                    x += 1
                runs.append((y, start, x - start))
            else:
                x += 1
    return runs


class QrFlowable(Flowable):
    """A square QR code of `size` points (quiet zone included), drawn on a white background."""

    def __init__(self, text: str, size: float) -> None:
        super().__init__()
        self.size = size
        self._matrix = qr_matrix(text)  # fail early (at story build), not at draw time

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.size, self.size

    def draw(self) -> None:
        matrix = self._matrix
        count = len(matrix)
        module = self.size / count
        canvas = self.canv
        canvas.saveState()
        canvas.setFillColor(white)
        canvas.rect(0, 0, self.size, self.size, stroke=0, fill=1)
        canvas.setFillColor(black)
        # Module units with y growing downwards, so row 0 is the top of the symbol.
        canvas.translate(0, self.size)
        canvas.scale(module, -module)
        canvas.addLiteral(run_path_operators(dark_runs(matrix)))
        canvas.restoreState()
