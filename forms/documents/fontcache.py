"""What reportlab learns from parsing a TrueType font file (its TTFontFace: metrics, cmap, glyph
positions), kept in a compiled cache file so a new process does not parse the font again (issue 17).

Parsing the body font (wqy-microhei.ttc, 5 MB) costs ~0.1–0.3 s per process, a Hanazono file about a
second; reading the parsed state back from `forms.compiled` costs a few milliseconds. The file's bytes
are still read each time (subsets are cut from them), only `extractInfo`'s result is cached.

Never wrong: the key is the sha256 of the font file's bytes, the subfont index, reportlab's version and
the source of this module and of reportlab.pdfbase.ttfonts, so another font file, another reportlab
or new code makes the entry stale and it is rebuilt; a corrupt file is ignored (logged once by
forms.compiled). The entry also records the file's status (inode, size, times) when it was built: a
file with that very status, settled before the entry was built, has that sha256 without hashing it.
The font built from the cache must have exactly the attributes reportlab's own constructor gives
(recorded at build time), else the file is parsed as before.
"""

from __future__ import annotations

import gc
import hashlib
import logging
import os
import time
from array import array
from collections.abc import Iterator, Mapping, Sequence
from fnmatch import fnmatch
from pathlib import Path
from weakref import WeakKeyDictionary

import reportlab
from reportlab import rl_config
from reportlab.pdfbase.ttfonts import TTEncoding, TTFont, TTFontFace

from forms import compiled

_log = logging.getLogger(__name__)
#: face attributes not stored: the file's bytes (read again), the read position, and a lambda
_NOT_STORED = ("_ttf_data", "_pos", "_pdfScale")
#: the big tables (tens of thousands of entries each), stored as flat arrays: unpickling them as Python
#: dicts and lists of tuples costs more than parsing the font; rebuilt as exactly the same values and types
_TABLES = ("charToGlyph", "charWidths", "hmetrics", "glyphPos", "glyphToChar")


def _column(values: list) -> tuple:
    """Numbers as ("q", int64 array, {index: value} for the few that are not ints) or ("d", doubles)."""
    if all(type(v) is float for v in values):
        return ("d", array("d", values), {})
    others = {i: v for i, v in enumerate(values) if type(v) is not int}
    return ("q", array("q", [0 if i in others else v for i, v in enumerate(values)]), others)


def _values(column: tuple) -> list:
    values = column[1].tolist()
    for index, value in column[2].items():
        values[index] = value
    return values


def _pack(face: dict) -> dict:
    glyph_to_char = face["glyphToChar"]
    return {"charToGlyph": (_column(list(face["charToGlyph"])), _column(list(face["charToGlyph"].values()))),
            "charWidths": (_column(list(face["charWidths"])), _column(list(face["charWidths"].values()))),
            "hmetrics": tuple(_column([row[i] for row in face["hmetrics"]]) for i in (0, 1)),
            "glyphPos": _column(face["glyphPos"]),
            # gid -> [chars]: almost always one char; the first of each, and the longer lists apart
            "glyphToChar": (_column(list(glyph_to_char)), _column([chars[0] for chars in glyph_to_char.values()]),
                            {gid: chars for gid, chars in glyph_to_char.items() if len(chars) != 1})}


def _hmetrics(packed: dict) -> list[tuple]:
    return list(zip(*(_values(column) for column in packed["hmetrics"]), strict=True))


def _glyph_to_char(packed: dict) -> dict[int, list[int]]:
    gids, firsts, longer = packed["glyphToChar"]
    glyph_to_char = {gid: [char] for gid, char in zip(_values(gids), _values(firsts), strict=True)}
    for gid, chars in longer.items():
        glyph_to_char[gid] = list(chars)
    return glyph_to_char


class _Rows(Sequence):
    """`hmetrics` (glyph -> (advance, left side bearing)) read from the packed columns on access: rendering
    reads it only for the glyphs of a subset (makeSubset), so ~50,000 tuples are not built per process."""

    def __init__(self, packed: dict) -> None:
        self._columns = [_values(column) for column in packed["hmetrics"]]

    @property
    def columns(self) -> tuple[list, list]:
        """(advances, left side bearings), indexed by glyph (read by forms.documents.subset)."""
        return self._columns[0], self._columns[1]

    def __len__(self) -> int:
        return len(self._columns[0])

    def __getitem__(self, index):  # type: ignore[override]
        if isinstance(index, slice):
            return list(zip(*(column[index] for column in self._columns), strict=True))
        return tuple(column[index] for column in self._columns)


class _BuiltOnUse(Mapping):
    """`glyphToChar` (glyph -> [code points]), which reportlab uses only while it parses a font: built from
    the packed columns the first time anything reads it (~35,000 lists not made per process)."""

    def __init__(self, packed: dict) -> None:
        self._packed: dict | None = packed
        self._table: dict[int, list[int]] = {}

    def _built(self) -> dict[int, list[int]]:
        if self._packed is not None:
            self._table, self._packed = _glyph_to_char(self._packed), None
        return self._table

    def __getitem__(self, gid: int) -> list[int]:
        return self._built()[gid]

    def __iter__(self) -> Iterator[int]:
        return iter(self._built())

    def __len__(self) -> int:
        return len(self._built())


def _mapping(keys: tuple, values: tuple) -> dict:
    """The dict of two packed columns. Read straight from the arrays when neither has exceptions: their
    memoryviews give the same ints and floats as `tolist`, without two lists of ~35,000 numbers made
    first (~2 ms each for the body font's two big tables)."""
    if keys[2] or values[2]:
        return dict(zip(_values(keys), _values(values), strict=True))
    return dict(zip(memoryview(keys[1]), memoryview(values[1]), strict=True))


def _unpack(packed: dict, lazy: bool = False) -> dict:
    """The tables, exactly as reportlab built them; with `lazy`, the two that rendering reads only in part
    (or not at all) as `_Rows` and `_BuiltOnUse`, which answer the same values when read."""
    tables = {name: _mapping(*packed[name]) for name in ("charToGlyph", "charWidths")}
    tables["glyphPos"] = _values(packed["glyphPos"])
    tables["hmetrics"] = _Rows(packed) if lazy else _hmetrics(packed)
    tables["glyphToChar"] = _BuiltOnUse(packed) if lazy else _glyph_to_char(packed)
    return tables


def _same(a: object, b: object) -> bool:
    """Equal values of the same types all the way down (1 and 1.0 differ: widths are written into PDFs)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list | tuple):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return a == b


def _stored_state(face: dict) -> dict:
    """The face state to store: the tables packed when they unpack to exactly the same values."""
    state = {key: value for key, value in face.items() if key not in _NOT_STORED}
    try:
        packed = _pack(state)
        tables = _unpack(packed)
    except (KeyError, TypeError, ValueError, OverflowError):
        return {"plain": state}
    if not all(_same(tables[name], state[name]) for name in _TABLES):
        return {"plain": state}
    return {"plain": {k: v for k, v in state.items() if k not in _TABLES}, "packed": packed}


def _face_state(stored: dict) -> dict:
    state = dict(stored["plain"])
    if "packed" in stored:
        was_enabled = gc.isenabled()
        gc.disable()  # ~100,000 new objects, none of them cyclic: no collections while building them
        try:
            state.update(_unpack(stored["packed"], lazy=True))
        finally:
            if was_enabled:
                gc.enable()
    return state


def cache_file(path: Path, subfont_index: int, cache_dir: Path | None = None) -> Path:
    """Where the parsed state of one font file (and subfont) is kept."""
    return (cache_dir or compiled.cache_root()) / f"font-{path.name}-{subfont_index}.pickle"


def font_key(data: bytes, subfont_index: int) -> str:
    """Everything the parsed state depends on: the file's bytes, the subfont, reportlab and this code."""
    return _key(hashlib.sha256(data).hexdigest(), subfont_index)


def _key(digest: str, subfont_index: int) -> str:
    return "|".join((digest, str(subfont_index), reportlab.Version,
                     compiled.code_version(__name__, "reportlab.pdfbase.ttfonts")))


#: A font file last changed at least this long before its entry was built is known by its status (below).
SETTLED_SECONDS = 2.0


def _status(stat: os.stat_result) -> list[int]:
    """What changes whenever a file's bytes change: device, inode, size, and the times of the last write
    (mtime, settable by tools) and of the last change of any kind (ctime, set by the kernel only)."""
    return [stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns]


def _known_digest(entry: tuple | None, status: list[int]) -> str | None:
    """The font file's sha256 as recorded with its cache entry, when the file has the same status as when
    the entry was built and had been settled for SETTLED_SECONDS by then (git's rule for racily clean
    files: a change within the file system's timestamp resolution of the recorded one could otherwise go
    unseen). Then its 5 MB need not be hashed again (~5 ms of the PDF child's start); None otherwise."""
    if entry is None or not isinstance(entry[1], dict) or not isinstance(entry[0], str):
        return None
    source = entry[1].get("source")
    if not isinstance(source, dict) or source.get("status") != status:
        return None
    built, changed = source.get("built"), status[4] / 1e9
    if not isinstance(built, float) or built - changed < SETTLED_SECONDS:
        return None
    return entry[0].partition("|")[0]


def _pdf_scale(units_per_em: int):
    """reportlab's `_pdfScale` (a lambda made in extractInfo, not picklable), made the same way."""
    if units_per_em == 1000:
        return lambda x: x
    mult = 1000 / units_per_em
    return lambda x: x * mult


def _font_from(name: str, path: Path, data: bytes, state: dict) -> TTFont | None:
    """A TTFont as `TTFont(name, path, subfontIndex=...)` builds it, from the stored face state."""
    face = TTFontFace.__new__(TTFontFace)
    face.__dict__.update(_face_state(state["face"]))
    face.filename = str(path)
    face._ttf_data = data
    face._pos = 0
    face._pdfScale = _pdf_scale(face.unitsPerEm)
    font = TTFont.__new__(TTFont)
    font.fontName = name
    font.face = face
    font.encoding = TTEncoding()
    font.state = WeakKeyDictionary()
    font._asciiReadable = rl_config.ttfAsciiReadable
    font.shapable = not any(fnmatch(name, glob) for glob in rl_config.unShapedFontGlob)
    if sorted(vars(font)) != state["font_attrs"] or sorted(vars(face)) != state["face_attrs"]:
        return None  # reportlab builds fonts differently than when this entry was written
    return font


def load_font(name: str, path: Path, subfont_index: int = 0, cache_dir: Path | None = None) -> TTFont:
    """`TTFont(name, str(path), subfontIndex=subfont_index)`, from the cache when it holds this file's
    parsed state; parsed (and the cache written) otherwise. Raises what TTFont raises (OSError, TTFError)."""
    with path.open("rb") as stream:  # its status first: a write after it shows as another status next time
        status = _status(os.fstat(stream.fileno()))
        data = stream.read()
    where = cache_file(path, subfont_index, cache_dir)
    entry = compiled.read_entry(where)
    key = _key(_known_digest(entry, status) or hashlib.sha256(data).hexdigest(), subfont_index)
    if entry is not None and entry[0] == key and isinstance(entry[1], dict):
        font = _font_from(name, path, data, entry[1])
        if font is not None:
            return font
        _log.info("font cache %s does not fit this reportlab; parsing %s", where, path)
    elif entry is not None:
        _log.info("font cache %s is stale (another font file, reportlab or code); parsing %s", where, path)
    font = TTFont(name, str(path), subfontIndex=subfont_index)
    face = font.face
    compiled.write(where, key, {"face": _stored_state(vars(face)), "face_attrs": sorted(vars(face)),
                                "font_attrs": sorted(vars(font)),
                                "source": {"status": status, "built": time.time()}})
    return font
