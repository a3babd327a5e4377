"""Registers the CJK font chain with reportlab, once and lazily, and says which characters each font has.

The chain is `assets.fontchain.FONT_CHAIN`: WenQuanYi Micro Hei (shipped), then Debian's HanaMinA and
HanaMinB for rare name characters (Extension A, B and beyond). All are TrueType and embedded as
subsets in every PDF; STSong-Light is never used (not embedded, prints blank on machines without CJK
fonts). A Hanazono file that is missing shortens the chain (rare characters then print as □) and is
logged once with what to install. Paragraph text is split into runs by the first font that has each
character (`forms.documents.text.to_markup`), because reportlab draws each string with one font.

reportlab (4.x and 5.x) writes a wrong ToUnicode CMap for characters above U+FFFF (``<20BB7>`` where
PDF wants the UTF-16BE ``<D842DFB7>``): the page looks right, but copying or extracting 𠮷 gives ₻.
`register_fonts` replaces ``reportlab.pdfbase.ttfonts.makeToUnicodeCMap`` with
`make_to_unicode_cmap` the first time fonts are registered (never at import time); then too, CJK line
wrapping starts remembering character widths (`forms.documents.charwidths`), and each registered face
builds its subsets with `forms.documents.subset` (both give reportlab's own results, for less CPU).

Nothing happens at import time; the first document pays the parse of the body font (~0.3 s), and the
first document with a rare character the parse of the Hanazono file it needs (about a second each) —
once per font file: the parsed state is kept in the compiled cache (`forms.documents.fontcache`), so
later processes read it back in milliseconds.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Container

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from assets.fontchain import FONT_CHAIN, LoadedFont, available_fonts, chain_coverages, missing_fonts
from forms.documents import charwidths
from forms.documents.errors import DocumentRenderError
from forms.documents.fontcache import load_font
from forms.documents.subset import use_fast_subsets

#: reportlab's name of the first (body) font; also used for the bold and italic slots: no face has them.
FONT_NAME = FONT_CHAIN[0].key

_lock = threading.Lock()
_log = logging.getLogger(__name__)


class PdfFont:
    """A font of the chain: its reportlab name and the code points the chain draws with it.

    The body font is registered with reportlab up front. A fallback font (51 MB of Hanazono, about a
    second each to parse) is registered the first time a character it draws is looked up in it
    (``code in font``), i.e. only by documents that hold a rare character.
    """

    def __init__(self, loaded: LoadedFont, covered: Container[int], registered: bool) -> None:
        self.loaded = loaded
        self.name = loaded.font.key
        self.covered = covered
        self._registered = registered
        self._usable = True

    def __contains__(self, code: object) -> bool:
        if code not in self.covered:
            return False
        if not self._registered:
            with _lock:
                if not self._registered:
                    self._usable = _register(self.loaded, required=False) is not None
                    self._registered = True
        return self._usable


_chain: tuple[PdfFont, ...] | None = None


class _AnyCovered(Container[int]):
    """The code points some font of the chain draws (`code in font.covered` for any font: no union of
    the fonts' sets is built, and a fallback's cmap is read only for a code point in its ranges)."""

    def __init__(self, chain: tuple[PdfFont, ...]) -> None:
        self._chain = chain

    def __contains__(self, code: object) -> bool:
        return any(code in font.covered for font in self._chain)


_union: Container[int] = frozenset()


#: "<00> <" ... "<FF> <": the start of each line of a ToUnicode CMap (a subset has at most 256 codes)
_SOURCES = tuple(f"<{i:02X}> <" for i in range(256))


def make_to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """A ToUnicode CMap for one font subset (byte i -> subset[i]) with each target in UTF-16BE, so
    characters above U+FFFF become surrogate pairs (PDF 32000-1 §9.10.3). Same layout as reportlab's."""
    if all(code < 0x10000 for code in subset):  # all of a subset but a rare name's: one encode, 4 digits each
        hexed = "".join(map(chr, subset)).encode("utf-16-be").hex().upper()
        chars = [f"{source}{hexed[4 * i:4 * i + 4]}>" for i, source in enumerate(_SOURCES[:len(subset)])]
    else:
        chars = [f"<{i:02X}> <{chr(code).encode('utf-16-be').hex().upper()}>" for i, code in enumerate(subset)]
    return "\n".join([
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo",
        f"<< /Registry ({fontname})",
        f"/Ordering ({fontname})",
        "/Supplement 0",
        ">> def",
        f"/CMapName /{fontname} def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        f"<00> <{len(subset) - 1:02X}>",
        "endcodespacerange",
        f"{len(subset)} beginbfchar",
        *chars,
        "endbfchar",
        "endcmap",
        "CMapName currentdict /CMap defineresource pop",
        "end",
        "end",
    ])


def _fix_to_unicode() -> None:
    if not hasattr(ttfonts, "makeToUnicodeCMap"):
        raise DocumentRenderError("this reportlab has no ttfonts.makeToUnicodeCMap: rare characters would "
                                  "not extract from PDFs; pin reportlab to a 4.x or 5.x release")
    ttfonts.makeToUnicodeCMap = make_to_unicode_cmap


def _register(entry: LoadedFont, required: bool) -> TTFont | None:
    """Register one font file with reportlab (bold and italic map to itself: no face has them)."""
    try:
        font = load_font(entry.font.key, entry.path, entry.font.subfont_index)
    except (OSError, TTFError) as exc:
        if required:
            raise DocumentRenderError(f"无法加载中文字体 {entry.path}: {exc}") from exc
        _log.warning("font %s cannot be used (%s): rare name characters will print as □", entry.path, exc)
        return None
    pdfmetrics.registerFont(font)
    # the same subsets and font objects as reportlab's, for less CPU; switched once registered, as reportlab
    # draws a face with the first font object registered for it (maybe under another name)
    use_fast_subsets(pdfmetrics.getFont(entry.font.key))
    for bold in (0, 1):
        for italic in (0, 1):
            addMapping(entry.font.key, bold, italic, entry.font.key)
    return font


def register_fonts() -> tuple[PdfFont, ...]:
    """Register the body font and find the fallbacks (thread-safe, once); return the chain in order."""
    global _chain, _union
    if _chain is not None:
        return _chain
    with _lock:
        if _chain is None:
            loaded = available_fonts()
            if not loaded or loaded[0].font is not FONT_CHAIN[0]:
                raise DocumentRenderError(f"无法加载中文字体: {FONT_CHAIN[0].file_name} is missing from assets/fonts")
            _fix_to_unicode()
            charwidths.install()  # CJK wrapping measures each character once (the same widths)
            body = _register(loaded[0], required=True)
            assert body is not None
            chain = [PdfFont(loaded[0], loaded[0].font.usable(body.face.charToGlyph), registered=True)]
            for entry, covered in zip(loaded[1:], chain_coverages(loaded[1:]), strict=True):
                chain.append(PdfFont(entry, covered, registered=False))
            for line in missing_fonts():
                _log.warning("%s", line)
            _union = _AnyCovered(tuple(chain))
            _chain = tuple(chain)
    return _chain


def cjk_font() -> str:
    """Register the font chain on first use (thread-safe) and return the body font's reportlab name."""
    register_fonts()
    return FONT_NAME


def covered_code_points() -> Container[int]:
    """The code points some font of the chain can draw (registers the fonts if needed)."""
    register_fonts()
    return _union


def body_code_points() -> Container[int]:
    """The code points the body font alone can draw (for strings drawn straight on the canvas)."""
    return register_fonts()[0].covered


def fallback_fonts() -> tuple[tuple[str, PdfFont], ...]:
    """(reportlab name, font) of each font after the body font, in chain order; looking a code point
    up in the font registers it with reportlab when it draws that code point."""
    return tuple((font.name, font) for font in register_fonts()[1:])
