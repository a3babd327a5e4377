"""Registering the shipped CJK font with Qt, so Chinese renders (not tofu boxes) on any machine.

`register_cjk_font()` adds `assets.cjk_font_path()` (WenQuanYi Micro Hei, face 0 of the .ttc) to
QFontDatabase once and returns the family name to use as the application font. Call it after the
QGuiApplication exists; nothing happens at import time.
"""

from __future__ import annotations

import logging

from PySide6.QtGui import QFontDatabase

import assets

CJK_FAMILY = "WenQuanYi Micro Hei"
_log = logging.getLogger(__name__)


class FontError(RuntimeError):
    """The shipped CJK font could not be registered (missing or unreadable file)."""


def register_cjk_font() -> str:
    """Register the shipped font (idempotent); return its family name."""
    if CJK_FAMILY in QFontDatabase.families():
        return CJK_FAMILY
    path = assets.cjk_font_path()
    font_id = QFontDatabase.addApplicationFont(str(path))
    if font_id < 0:
        raise FontError(f"Qt could not load the CJK font {path}")
    families = QFontDatabase.applicationFontFamilies(font_id)
    _log.debug("registered %s as %s", path, families)
    return CJK_FAMILY if CJK_FAMILY in families else families[0]
