"""Turns untrusted values into safe reportlab Paragraph markup.

Values (business names, addresses, anything typed on the kiosk) are never parsed as markup: `<`, `>`
and `&` are escaped, so `<b>张伟&理发</b>` prints literally. Control characters are dropped, newlines
become line breaks, and characters the embedded font cannot draw (emoji, rare CJK extensions) are
replaced by a visible placeholder instead of printing as blank boxes or crashing the layout.
Pure functions: the set of drawable code points is passed in.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Collection
from xml.sax.saxutils import escape

#: Printed in place of a character the font lacks (U+25A1 WHITE SQUARE, present in the CJK font).
PLACEHOLDER = "□"
_KEPT_CONTROLS = {"\n", "\t"}


def printable(value: str, drawable: Collection[int], placeholder: str = PLACEHOLDER) -> str:
    """Return `value` with control characters dropped and undrawable characters replaced.

    A character is drawable when its code point is in `drawable`. Tabs become spaces; newlines stay
    (CRLF and CR become LF). Variation selectors and zero-width joiners (emoji glue) are dropped.
    """
    text = value.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    out: list[str] = []
    for ch in text:
        if ch in _KEPT_CONTROLS:
            out.append(ch)
            continue
        category = unicodedata.category(ch)
        if category in ("Cc", "Cs"):
            continue
        if category == "Cf" or 0xFE00 <= ord(ch) <= 0xFE0F:
            continue
        out.append(ch if ord(ch) in drawable or ch == " " else placeholder)
    return "".join(out)


def to_markup(value: object, drawable: Collection[int]) -> str:
    """Return `value` (any object, shown with `str`) as Paragraph markup that prints it literally."""
    text = printable("" if value is None else str(value), drawable)
    return escape(text).replace("\n", "<br/>")
