"""What reportlab learns from parsing a TrueType font file (its TTFontFace: metrics, cmap, glyph
positions), kept in a compiled cache file so a new process does not parse the font again (issue 17).

Parsing the body font (wqy-microhei.ttc, 5 MB) costs ~0.1–0.3 s per process, a Hanazono file about a
second; reading the parsed state back from `forms.compiled` costs a few milliseconds. The file's bytes
are still read each time (subsets are cut from them), only `extractInfo`'s result is cached.

Never wrong: the key is the sha256 of the font file's bytes, the subfont index, reportlab's version and
the source of this module and of reportlab.pdfbase.ttfonts, so another font file, another reportlab
or new code makes the entry stale and it is rebuilt; a corrupt file is ignored (logged once by
forms.compiled). The font built from the cache must have exactly the attributes reportlab's own
constructor gives (recorded at build time), else the file is parsed as before.
"""

from __future__ import annotations

import hashlib
import logging
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


def cache_file(path: Path, subfont_index: int, cache_dir: Path | None = None) -> Path:
    """Where the parsed state of one font file (and subfont) is kept."""
    return (cache_dir or compiled.cache_root()) / f"font-{path.name}-{subfont_index}.pickle"


def font_key(data: bytes, subfont_index: int) -> str:
    """Everything the parsed state depends on: the file's bytes, the subfont, reportlab and this code."""
    return "|".join((hashlib.sha256(data).hexdigest(), str(subfont_index), reportlab.Version,
                     compiled.code_version(__name__, "reportlab.pdfbase.ttfonts")))


def _pdf_scale(units_per_em: int):
    """reportlab's `_pdfScale` (a lambda made in extractInfo, not picklable), made the same way."""
    if units_per_em == 1000:
        return lambda x: x
    mult = 1000 / units_per_em
    return lambda x: x * mult


def _font_from(name: str, path: Path, data: bytes, state: dict) -> TTFont | None:
    """A TTFont as `TTFont(name, path, subfontIndex=...)` builds it, from the stored face state."""
    face = TTFontFace.__new__(TTFontFace)
    face.__dict__.update(state["face"])
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
    data = path.read_bytes()
    key = font_key(data, subfont_index)
    where = cache_file(path, subfont_index, cache_dir)
    state = compiled.read(where, key)
    if isinstance(state, dict):
        font = _font_from(name, path, data, state)
        if font is not None:
            return font
        _log.info("font cache %s does not fit this reportlab; parsing %s", where, path)
    font = TTFont(name, str(path), subfontIndex=subfont_index)
    face = font.face
    stored = {key: value for key, value in vars(face).items() if key not in _NOT_STORED}
    compiled.write(where, key, {"face": stored, "face_attrs": sorted(vars(face)),
                                "font_attrs": sorted(vars(font))})
    return font
