"""Turns untrusted values into safe reportlab Paragraph markup, one font run per font of the chain.

Values (business names, addresses, anything typed on the kiosk) are never parsed as markup: `<`, `>`
and `&` are escaped, so `<b>张伟&理发</b>` prints literally. Control characters are dropped, newlines
become line breaks, and characters no font can draw (emoji) are replaced by a visible placeholder
instead of printing as blank boxes or crashing the layout. reportlab draws a string with one font, so
characters the body font lacks (a rare name character such as 䶮 or 𠮷) are wrapped in
``<font name="…">`` runs of the first fallback font that has them. Variation selectors are dropped:
reportlab cannot choose glyph variants, and the base character prints as its default glyph.
Pure functions: the code points each font can draw are passed in. `escape` and `quoteattr` are the
standard library's (xml.sax.saxutils), written out: that module imports urllib.request (http.client,
email, ssl: ~35 ms of CPU) at the start of `kiosk apply`'s PDF child, on the command's critical path.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Container, Sequence


def escape(data: str) -> str:
    """`xml.sax.saxutils.escape(data)`: &, > and < as entities."""
    return data.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")


def quoteattr(data: str) -> str:
    """`xml.sax.saxutils.quoteattr(data)`: escaped, newline/return/tab as character references, quoted
    with the quote it does not contain ("&quot;" when it contains both)."""
    data = escape(data).replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")
    if '"' in data:
        if "'" in data:
            return '"' + data.replace('"', "&quot;") + '"'
        return "'" + data + "'"
    return '"' + data + '"'


#: Printed in place of a character no font has (U+25A1 WHITE SQUARE, present in the CJK font).
PLACEHOLDER = "□"
_KEPT_CONTROLS = {"\n", "\t"}
#: (reportlab font name, code points it draws) of a fallback font.
Fallback = tuple[str, Container[int]]


def is_variation_selector(ch: str) -> bool:
    """U+FE00–FE0F (standardised and emoji variation) or U+E0100–E01EF (ideographic variation)."""
    code = ord(ch)
    return 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF


class _AnyOf:
    """A container holding what any of several containers hold (no union is built)."""

    def __init__(self, parts: Sequence[Container[int]]) -> None:
        self._parts = parts

    def __contains__(self, code: object) -> bool:
        return any(code in part for part in self._parts)


def printable(value: str, drawable: Container[int], placeholder: str = PLACEHOLDER) -> str:
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
        if category == "Cf" or is_variation_selector(ch):
            continue
        out.append(ch if ord(ch) in drawable or ch == " " else placeholder)
    return "".join(out)


def _font_of(ch: str, drawable: Container[int], fallbacks: Sequence[Fallback]) -> str | None:
    if ch in "\n " or ord(ch) in drawable:
        return None
    for name, covered in fallbacks:
        if ord(ch) in covered:
            return name
    return None


#: Per `drawable` container (kept alive here, so its id is not reused): characters known to print as
#: themselves in that font (drawable, not a control, format character or variation selector).
_PLAIN: dict[int, tuple[Container[int], set[str]]] = {}
_PLAIN_LIMIT = 8  # containers remembered (a process has one or two: the body font's)


def _all_plain(text: str, drawable: Container[int]) -> bool:
    """True when every character of `text` is a newline or prints as itself in the `drawable` font: then
    `to_markup` is only escaping (a document's few hundred values, ~8,000 characters, went through three
    Python loops per character: a fifth of the PDF child's render time)."""
    entry = _PLAIN.get(id(drawable))
    if entry is None or entry[0] is not drawable:
        if len(_PLAIN) >= _PLAIN_LIMIT:
            _PLAIN.clear()
        entry = _PLAIN[id(drawable)] = (drawable, set())
    known = entry[1]
    for ch in set(text).difference(known):
        if ch != "\n" and (unicodedata.category(ch) in ("Cc", "Cs", "Cf") or is_variation_selector(ch)
                           or ord(ch) not in drawable):
            return False
        known.add(ch)
    return True


def to_markup(value: object, drawable: Container[int], fallbacks: Sequence[Fallback] = ()) -> str:
    """Return `value` (any object, shown with `str`) as Paragraph markup that prints it literally.

    `drawable` is what the paragraph's own font draws; a character only a fallback font has goes into
    a ``<font name="…">`` run of the first such font; one no font has becomes the placeholder.
    """
    text = "" if value is None else str(value)
    if _all_plain(text, drawable):  # the common case, the same result without the loops below
        return escape(text).replace("\n", "<br/>")
    text = printable(text, _AnyOf([drawable, *(c for _, c in fallbacks)]))
    out: list[str] = []
    current: str | None = None
    run: list[str] = []

    def flush() -> None:
        chunk = escape("".join(run)).replace("\n", "<br/>")
        out.append(chunk if current is None else f"<font name={quoteattr(current)}>{chunk}</font>")
        run.clear()

    for ch in text:
        font = _font_of(ch, drawable, fallbacks)
        if font != current and run:
            flush()
        current = font
        run.append(ch)
    if run:
        flush()
    return "".join(out)
