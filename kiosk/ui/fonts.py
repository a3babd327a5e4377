"""Registering the kiosk's CJK font chain with Qt, so Chinese and rare name characters render (not tofu).

`register_font_chain()` adds every available font of `assets.fontchain.FONT_CHAIN` to QFontDatabase
(WenQuanYi Micro Hei, shipped; HanaMinA and HanaMinB from fonts-hanazono, for Extension A/B name
characters such as 䶮 and 𠮷) once, and returns their family names in chain order. `app_font()` is a
QFont with that family list: `create_qt_app` makes it the application font. QML has no
``font.families``, and assigning ``font.family`` collapses the list to one family, so QML must not set
a family: items take the application font and may change only its size or weight. Qt falls back per
character, non-BMP included, in the order of the list. Right after the body font comes the shipped
symbol font (`assets.fontchain.UI_SYMBOLS`, DejaVu Sans: ⚠ ➜ ⌂ ✉ that WenQuanYi lacks; it has no
ideographs, so the Hanazono fonts still draw the rare name characters). A missing Hanazono file is
logged with what to install; the kiosk still starts. Call after the QGuiApplication exists; nothing happens at import.

`body_font()` registers the shipped font only (the chain's families named all the same): the start
screen's first frame (kiosk.ui.app.launch) needs no rare character, and the Hanazono files are
registered with `app_font()` right after it (~8 ms of parsing moved off the first frame).
"""

from __future__ import annotations

import logging

from PySide6.QtGui import QFont, QFontDatabase

from assets.fontchain import FONT_CHAIN, UI_SYMBOLS, available_fonts, missing_fonts

CJK_FAMILY = FONT_CHAIN[0].family
_log = logging.getLogger(__name__)
_registered: list[str] = []


class FontError(RuntimeError):
    """The shipped CJK font could not be registered (missing or unreadable file)."""


_added: dict[str, str | None] = {}  # font file -> the family Qt registered it as (None: Qt refused it)


def _add(loaded) -> str | None:
    key = str(loaded.path)
    if key not in _added:
        font_id = QFontDatabase.addApplicationFont(key)
        if font_id < 0:
            _added[key] = None
        else:
            loaded_families = QFontDatabase.applicationFontFamilies(font_id)
            _added[key] = loaded.font.family if loaded.font.family in loaded_families else loaded_families[0]
            _log.debug("registered %s as %s", loaded.path, loaded_families)
    return _added[key]


def _after_body() -> list:
    """The fonts Qt falls back to after the body font, in order: the symbols' (before Hanazono, which maps
    Japanese-style symbols too: Qt knows nothing of the chain's `serves`), then the rest of the chain."""
    return available_fonts((UI_SYMBOLS, *FONT_CHAIN[1:]))


def register_body_font() -> str:
    """Register the shipped CJK font only (idempotent); return its family."""
    shipped = available_fonts(FONT_CHAIN[:1])
    if not shipped:
        raise FontError(f"the CJK font {FONT_CHAIN[0].file_name} is missing from assets/fonts")
    family = _add(shipped[0])
    if family is None:
        raise FontError(f"Qt could not load the CJK font {shipped[0].path}")
    return family


def register_font_chain() -> list[str]:
    """Register the chain's font files (idempotent); return their family names in chain order."""
    if _registered:
        return list(_registered)
    families: list[str] = [register_body_font()]
    for loaded in _after_body():
        family = _add(loaded)
        if family is None:
            _log.warning("Qt could not load %s: its characters may show as boxes", loaded.path)
            continue
        families.append(family)
    if families[0] != CJK_FAMILY:
        raise FontError(f"the CJK font {FONT_CHAIN[0].file_name} is missing from assets/fonts")
    for line in missing_fonts((*FONT_CHAIN, UI_SYMBOLS)):
        _log.warning("%s", line)
    _registered[:] = families
    return families


def register_cjk_font() -> str:
    """Register the font chain (idempotent); return the first family (the body font)."""
    return register_font_chain()[0]


def app_font(pixel_size: int = 26) -> QFont:
    """A QFont over the whole chain (registered first if needed) at ``pixel_size``."""
    font = QFont()
    font.setFamilies(register_font_chain())
    font.setPixelSize(pixel_size)
    return font


def body_font(pixel_size: int = 26) -> QFont:
    """`app_font` with only the shipped font registered yet: the same family list (the Hanazono families
    named, their files registered later by `register_font_chain`, which refreshes Qt's font database),
    so every item created meanwhile keeps the whole chain."""
    font = QFont()
    font.setFamilies([register_body_font(), *(loaded.font.family for loaded in _after_body())])
    font.setPixelSize(pixel_size)
    return font
