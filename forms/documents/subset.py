"""reportlab's TrueType subset builder (`TTFontFile.makeSubset`), giving the same bytes in a fraction of
the time (issue 17).

reportlab cuts the CJK font into subsets of up to 256 glyphs, and builds each subset from scratch: it
copies the whole `glyf` table (3.5 MB for WenQuanYi Micro Hei, 30+ MB for a Hanazono file) and every
other table it reads out of the font file, and reads each glyph through its struct-per-call reader.
`kiosk apply`'s three PDFs embed five subsets: ~25 ms of CPU on the critical path, about half of it copying.
`FastSubsetFace.makeSubset` keeps the tables that are the same in every subset (name, OS/2, cvt, fpgm,
prep, post, hhea, maxp, head) once per face, reads the glyphs straight out of the font file's bytes
(a memoryview: no copies), and otherwise does exactly what reportlab does, in the same order, so each
subset's bytes are identical (tests/unit/forms/test_font_subset.py compares them with reportlab's own,
composite glyphs included). The font file itself (`makeStream`) is still assembled by reportlab.

The embedded font files are also compressed at zlib level `FONT_FILE_LEVEL` (1) instead of reportlab's
default (6): 7 ms less for `kiosk apply`, files ~4 % larger (the figures are at the constant).

Each subset's /Widths array is handed to reportlab with its numbers already formatted
(`FastWidthsFont`): the same text, ~0.7 ms less a subset.

`use_fast_subsets(font)` switches one font and its face (from forms.documents.fontcache) to it;
forms.documents.fonts does that for each font it registers.
"""

from __future__ import annotations

import zlib
from struct import pack
from weakref import WeakKeyDictionary

from reportlab.pdfbase import pdfdoc
from reportlab.pdfbase.ttfonts import (
    GF_ARG_1_AND_2_ARE_WORDS,
    GF_MORE_COMPONENTS,
    GF_WE_HAVE_A_SCALE,
    GF_WE_HAVE_A_TWO_BY_TWO,
    GF_WE_HAVE_AN_X_AND_Y_SCALE,
    TTFont,
    TTFontFace,
    TTFontMaker,
)

#: zlib level of the embedded font files (reportlab: zlib's default, 6). At 1 the five font files of
#: `kiosk apply` compress in ~7 ms instead of ~14 ms, and come out 5 % larger (~7.6 KB over the three
#: PDFs, +4 % of their size); page content streams keep reportlab's level.
FONT_FILE_LEVEL = 1

#: Tables copied unchanged into every subset (reportlab's list; cvt, fpgm and prep are optional).
_COPIED = ("name", "OS/2", "cvt ", "fpgm", "prep")


def _component_size(flags: int) -> int:
    """Bytes after a component's flags and glyph index: its arguments and transform (as reportlab reads)."""
    size = 4 if flags & GF_ARG_1_AND_2_ARE_WORDS else 2
    if flags & GF_WE_HAVE_A_SCALE:
        size += 2
    elif flags & GF_WE_HAVE_AN_X_AND_Y_SCALE:
        size += 4
    elif flags & GF_WE_HAVE_A_TWO_BY_TWO:
        size += 8
    return size


def _ushort(data: memoryview, at: int) -> int:
    return (data[at] << 8) | data[at + 1]


def _set_ushort(data: bytes, at: int, value: int) -> bytes:
    return data[:at] + pack(">H", value) + data[at + 2 :]


#: An empty glyph, and a simple one (no components), as `_Source.glyph` answers them.
_NO_PARTS: tuple[tuple[int, int], ...] = ()
_PADDING = (b"", b"\0", b"\0\0", b"\0\0\0")


class _Source:
    """What every subset of one face reads: the file's bytes as a memoryview, the fixed tables, and each
    glyph's place and components once it has been read (glyphs recur across subsets as components)."""

    def __init__(self, face: TTFontFace) -> None:
        self.data = memoryview(face._ttf_data)
        self.glyf = face.get_table_pos("glyf")[0]
        self.positions = face.glyphPos
        self.copied = [(tag, face.get_table(tag)) for tag in _COPIED if tag in face.table]
        self.post = b"\x00\x03\x00\x00" + face.get_table("post")[4:16] + b"\x00" * 16
        self.hhea = face.get_table("hhea")
        self.maxp = face.get_table("maxp")
        self.head = face.get_table("head")
        metrics = face.hmetrics
        columns = getattr(metrics, "columns", None)  # fontcache's packed rows: no tuple per glyph
        if columns is None:
            columns = ([row[0] for row in metrics], [row[1] for row in metrics])
        self.advances, self.bearings = columns
        self.glyphs: dict[int, tuple[int, int, tuple[tuple[int, int], ...]]] = {}

    def glyph(self, gid: int) -> tuple[int, int, tuple[tuple[int, int], ...]]:
        """(start in the file, length, ((offset of a component's glyph index in the glyph, that index),
        ...) when it is a composite glyph)."""
        start = self.glyf + self.positions[gid]
        length = self.glyf + self.positions[gid + 1] - start
        parts = _NO_PARTS
        data = self.data
        if length and data[start] & 0x80:  # numberOfContours < 0: a composite glyph
            found = []
            at = start + 10
            flags = GF_MORE_COMPONENTS
            while flags & GF_MORE_COMPONENTS:
                flags = _ushort(data, at)
                found.append((at + 2 - start, _ushort(data, at + 2)))
                at += 4 + _component_size(flags)
            parts = tuple(found)
        entry = self.glyphs[gid] = (start, length, parts)
        return entry


_sources: WeakKeyDictionary[TTFontFace, _Source] = WeakKeyDictionary()


def _source(face: TTFontFace) -> _Source:
    source = _sources.get(face)
    if source is None or source.data.obj is not face._ttf_data or source.positions is not face.glyphPos:
        source = _sources[face] = _Source(face)
    return source


def make_subset(face: TTFontFace, subset: list[int]) -> bytes:
    """The TrueType file of `subset` (code points; byte i of the PDF font is subset[i]): byte for byte
    `TTFontFile.makeSubset(face, subset)`."""
    source = _source(face)
    data, known, read = source.data, source.glyphs, source.glyph
    char_to_glyph = face.charToGlyph

    # new glyph index -> old, old -> new, code point -> new; glyph 0 ("missing character") first
    glyph_map = [0]
    glyph_set = {0: 0}
    code_to_glyph = {}
    for code in subset:
        old = char_to_glyph.get(code, 0)
        new = glyph_set.get(old)
        if new is None:
            new = glyph_set[old] = len(glyph_map)
            glyph_map.append(old)
        code_to_glyph[code] = new

    # the components of composite glyphs too (and theirs: the list grows while it is walked)
    glyphs = []
    n = 0
    while n < len(glyph_map):
        old = glyph_map[n]
        n += 1
        entry = known.get(old) or read(old)
        glyphs.append(entry)
        for _, component in entry[2]:
            if component not in glyph_set:
                glyph_set[component] = len(glyph_map)
                glyph_map.append(component)

    output = TTFontMaker()
    for tag, table in source.copied:
        output.add(tag, table)
    output.add("post", source.post)

    glyph_count = len(glyph_map)
    hmtx = [0] * (2 * glyph_count)
    hmtx[0::2] = map(int, map(source.advances.__getitem__, glyph_map))
    hmtx[1::2] = map(int, map(source.bearings.__getitem__, glyph_map))
    # full (advance, bearing) pairs up to the start of the trailing run of equal advances, then bearings
    n = len(hmtx) - 2
    while n and hmtx[n] == hmtx[n - 2]:
        n -= 2
    n += 2
    metrics_count = n >> 1
    hmtx = hmtx[:n] + hmtx[n + 1 :: 2]
    output.add("hmtx", pack(f">{len(hmtx)}H", *hmtx))
    output.add("hhea", _set_ushort(source.hhea, 34, metrics_count))
    output.add("maxp", _set_ushort(source.maxp, 4, glyph_count))

    # cmap: format 6 over the subset's bytes
    cmap = [0, 1, 1, 0, 0, 12, 6, 10 + len(subset) * 2, 0, 0, len(subset), *map(code_to_glyph.get, subset)]
    output.add("cmap", pack(f">{len(cmap)}H", *cmap))

    # glyf and loca (each glyph padded to 4 bytes), composite glyphs pointing at their components' new
    # indices (reportlab rewrites only glyphs longer than 2 bytes)
    offsets = []
    chunks: list[bytes | bytearray | memoryview] = []
    pos = 0
    for start, length, parts in glyphs:
        offsets.append(pos)
        if parts and length > 2:
            glyph = bytearray(data[start : start + length])
            for at, component in parts:
                glyph[at : at + 2] = glyph_set[component].to_bytes(2, "big")
            chunks.append(glyph)
        else:
            chunks.append(data[start : start + length])
        pos += length
        padding = -pos & 3
        if padding:
            chunks.append(_PADDING[padding])
            pos += padding
    offsets.append(pos)
    output.add("glyf", b"".join(chunks))
    if (pos + 1) >> 1 > 0xFFFF:
        loc_format = 1
        loca = pack(f">{len(offsets)}L", *offsets)
    else:
        loc_format = 0
        loca = pack(f">{len(offsets)}H", *(offset >> 1 for offset in offsets))
    output.add("loca", loca)
    output.add("head", _set_ushort(source.head, 50, loc_format))
    return output.makeStream()


class FontFileFlate(pdfdoc.PDFStreamFilterZCompress):
    """reportlab's FlateDecode filter at zlib level `FONT_FILE_LEVEL`."""

    def encode(self, text: bytes | str) -> bytes:
        return zlib.compress(text.encode("utf8") if isinstance(text, str) else text, FONT_FILE_LEVEL)


FONT_FILE_FLATE = FontFileFlate()


class FastSubsetFace(TTFontFace):
    """A `TTFontFace` whose subsets are built by `make_subset` (same bytes, less CPU) and whose font
    files are compressed at `FONT_FILE_LEVEL`."""

    def makeSubset(self, subset: list[int]) -> bytes:
        return make_subset(self, subset)

    def addSubsetObjects(self, doc: pdfdoc.PDFDocument, fontname: str, subset: list[int]):
        reference = super().addSubsetObjects(doc, fontname, subset)
        # the font file stream reportlab has just registered under this name (see addSubsetObjects)
        stream = doc.idToObject.get(f"fontFile:{self.filename}({fontname})")
        if isinstance(stream, pdfdoc.PDFStream) and stream.filters == [pdfdoc.PDFZCompress]:
            stream.filters = [FONT_FILE_FLATE]
        return reference


_NUMBER_TYPES = (int, float)


def formatted_numbers(numbers: list) -> list:
    """`numbers` as the bytes `pdfdoc.format` gives each (``fp_str``), each distinct number formatted once;
    anything not an int or float is left as it is (reportlab formats it)."""
    memo: dict[tuple[type, object], bytes] = {}
    out = []
    for number in numbers:
        kind = type(number)
        if kind not in _NUMBER_TYPES:
            out.append(number)
            continue
        text = memo.get((kind, number))
        if text is None:
            text = memo[kind, number] = pdfdoc.format(number, None)
        out.append(text)
    return out


class FastWidthsFont(TTFont):
    """A `TTFont` whose subsets' /Widths arrays (up to 256 numbers, mostly the same 1000) are handed to
    reportlab already formatted: reportlab formats a number array element by element (~1 ms a subset);
    a bytes element it writes as it is, so the array's text is the same."""

    def addObjects(self, doc: pdfdoc.PDFDocument) -> None:
        fonts = doc.idToObject["BasicFonts"].dict
        before = set(fonts)
        super().addObjects(doc)
        for name, font in fonts.items():
            widths = getattr(font, "Widths", None) if name not in before else None
            if type(widths) is pdfdoc.PDFArray:
                font.Widths = pdfdoc.PDFArray(formatted_numbers(widths.sequence))


def use_fast_subsets(font: TTFont) -> TTFont:
    """Switch `font` (exactly a reportlab TTFont) to `FastWidthsFont` and its face (exactly a TTFontFace)
    to `FastSubsetFace`; another class is left alone. Returns the font."""
    if type(font) is TTFont:
        font.__class__ = FastWidthsFont
    if type(font.face) is TTFontFace:
        font.face.__class__ = FastSubsetFace
    return font
