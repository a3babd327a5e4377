"""Registers the shipped CJK font with reportlab, once and lazily, and says which characters it has.

The font is WenQuanYi Micro Hei from `assets` (a TrueType collection, face 0), embedded as subsets in
every PDF. STSong-Light is never used: it is not embedded and prints blank on machines without CJK
fonts. Nothing happens at import time; the first document pays the ~0.3 s parse of the .ttc.
"""

from __future__ import annotations

import threading

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from assets import CJK_FONT_SUBFONT_INDEX, cjk_font_path
from forms.documents.errors import DocumentRenderError

#: reportlab's name of the embedded font (also used for the bold and italic slots: the face has none).
FONT_NAME = "WQYMicroHei"

_lock = threading.Lock()
_covered: frozenset[int] | None = None


def cjk_font() -> str:
    """Register the CJK font on first use (thread-safe) and return its reportlab font name."""
    global _covered
    if _covered is not None:
        return FONT_NAME
    with _lock:
        if _covered is None:
            path = cjk_font_path()
            try:
                font = TTFont(FONT_NAME, str(path), subfontIndex=CJK_FONT_SUBFONT_INDEX)
            except (OSError, TTFError) as exc:
                raise DocumentRenderError(f"无法加载中文字体 {path}: {exc}") from exc
            pdfmetrics.registerFont(font)
            for bold in (0, 1):
                for italic in (0, 1):
                    addMapping(FONT_NAME, bold, italic, FONT_NAME)
            _covered = frozenset(font.face.charToGlyph)
    return FONT_NAME


def covered_code_points() -> frozenset[int]:
    """The code points the embedded font can draw (registers the font if needed)."""
    cjk_font()
    assert _covered is not None
    return _covered
