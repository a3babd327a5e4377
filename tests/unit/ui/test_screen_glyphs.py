"""Every character the screens can show is drawn by a font the kiosk ships (no box on a bare system).

The screens' words and symbols come from the QML files, kiosk/ui (strings and views), the session's
notices and the catalog's items. Each non-ASCII character in them must be mapped by WenQuanYi Micro
Hei, by the shipped symbol font within the ranges Qt uses it for (`assets.fontchain.UI_SYMBOLS`), or be
an ideograph the Hanazono fonts serve. ⏳, ⌕ and 🔥 were on the screens and drawn as boxes: no shipped
font has them (they showed only where the system happened to have one).
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

from assets.fontchain import FONT_CHAIN, UI_SYMBOLS, WQY_MICRO_HEI, read_cmap

ROOT = Path(__file__).resolve().parents[3]
SCREEN_SOURCES = (
    *sorted((ROOT / "kiosk/ui/qml").glob("*.qml")),
    *sorted((ROOT / "kiosk/ui").rglob("*.py")),
    *sorted((ROOT / "kiosk/session").glob("*.py")),
    *sorted((ROOT / "forms/catalog").glob("*.yaml")),
)


def drawable(code: int) -> bool:
    if code in read_cmap(WQY_MICRO_HEI.locate(), WQY_MICRO_HEI.subfont_index):
        return True
    if UI_SYMBOLS.serves_code(code) and code in read_cmap(UI_SYMBOLS.locate(), UI_SYMBOLS.subfont_index):
        return True
    return any(font.serves is not None and font.serves_code(code) for font in FONT_CHAIN[1:])


def test_every_character_on_the_screens_has_a_shipped_glyph():
    used: dict[str, set[str]] = {}
    for path in SCREEN_SOURCES:
        for char in set(path.read_text(encoding="utf-8")):
            if ord(char) > 0x7F:
                used.setdefault(char, set()).add(str(path.relative_to(ROOT)))
    assert len(used) > 500, "the sources were read"
    boxes = {f"{char} U+{ord(char):04X} {unicodedata.name(char, '?')}": sorted(files)
             for char, files in sorted(used.items()) if not drawable(ord(char))}
    assert boxes == {}


def test_the_symbol_font_is_shipped_and_has_the_screens_symbols():
    assert UI_SYMBOLS.locate() is not None and UI_SYMBOLS.package is None
    symbols = read_cmap(UI_SYMBOLS.locate(), UI_SYMBOLS.subfont_index)
    assert {ord(char) for char in "⚠➜⌂✉⚡◷⚲"} <= symbols
