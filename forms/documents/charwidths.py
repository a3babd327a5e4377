"""reportlab's per-character widths for CJK line wrapping, remembered per font and size (issue 17).

With ``wordWrap="CJK"`` (every style of the documents) reportlab breaks a one-font paragraph with
`reportlab.lib.textsplit.wordSplit`, which measures each character with a full `stringWidth` call
(font lookup, encoding, the C width routine): ~3,500 calls for `kiosk apply`'s three PDFs, many of them
the same characters again (tables wrap a cell more than once). `char_widths` is `getCharWidths` with
each (font, size, character) measured once, by the very same `stringWidth`, so every width is the float
reportlab computes and the lines break exactly where they did.

`install()` puts it in place of `textsplit.getCharWidths` (the name `wordSplit` looks up at each call);
forms.documents.fonts does it when the fonts are first registered, never at import time. A font
registered again under the same name gets new widths (the remembered ones belong to the font object).
"""

from __future__ import annotations

from reportlab.lib import textsplit
from reportlab.pdfbase.pdfmetrics import getFont, stringWidth

#: (font name, size) -> (the font object measured, {character: width})
_widths: dict[tuple[str, float], tuple[object, dict[str, float]]] = {}
_LIMIT = 64  # (font, size) pairs remembered; the documents use about a dozen


def char_widths(word: str, fontName: str, fontSize: float) -> list[float]:
    """`[stringWidth(ch, fontName, fontSize) for ch in word]`, each character measured once."""
    font = getFont(fontName)
    entry = _widths.get((fontName, fontSize))
    if entry is None or entry[0] is not font:
        if len(_widths) >= _LIMIT:
            _widths.clear()
        entry = _widths[fontName, fontSize] = (font, {})
    known = entry[1]
    try:
        return [known[ch] for ch in word]
    except KeyError:
        pass
    for ch in set(word).difference(known):
        known[ch] = stringWidth(ch, fontName, fontSize)
    return [known[ch] for ch in word]


def install() -> None:
    """Make reportlab's CJK wrapping (`textsplit.wordSplit`) measure with `char_widths`."""
    textsplit.getCharWidths = char_widths
