"""The one CJK font chain every renderer uses (Qt, reportlab, the printer raster), and where its files are.

Names on ID cards may hold rare ideographs: CJK Extension A (䶮), Extension B (𠮷, 𠀀) and beyond
(GB 18030 levels 2 and 3). The shipped WenQuanYi Micro Hei has 2 of the 6,592 Extension A characters
and none of Extension B, so it is followed by Debian's fonts-hanazono (TrueType, so reportlab can
embed them): HanaMinA (URO, Extension A, all 196 non-BMP characters of 通用规范汉字表) and HanaMinB
(Extension B to F). A character is drawn with the first font of the chain that maps it.

The Hanazono files (50 MB) are not in git. They are looked up, in order, in ``assets/fonts/hanazono``
(where kiosk.spec copies them into a PyInstaller bundle) and in Debian's
``/usr/share/fonts/truetype/hanazono`` (kiosk.sh installs the package). A missing file is not fatal:
the chain is shorter, rare characters print as a placeholder box, and :func:`missing_fonts` says what
to install (``kiosk doctor`` and the logs report it).

Also pure helpers: :func:`read_cmap` reads the code points a TrueType file maps (formats 4 and 12,
plain .ttf or a face of a .ttc) without loading the glyphs, and :func:`split_runs` cuts a string into
runs by the first font that has each character. Nothing is read at import time.
"""

from __future__ import annotations

import struct
from collections.abc import Container, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO

ASSETS_DIR = Path(__file__).resolve().parent
#: Where a PyInstaller bundle (kiosk.spec) carries the Hanazono files.
BUNDLED_HANAZONO_DIR = ASSETS_DIR / "fonts" / "hanazono"
#: Where Debian's fonts-hanazono package puts them.
SYSTEM_HANAZONO_DIR = Path("/usr/share/fonts/truetype/hanazono")
HANAZONO_DIRS = (BUNDLED_HANAZONO_DIR, SYSTEM_HANAZONO_DIR)
HANAZONO_PACKAGE = "fonts-hanazono"


#: What the fallback fonts are for: ideographs and their radicals. Their other glyphs (HanaMin has
#: Japanese-style emoji and symbols) are not used, so an emoji still prints as the placeholder.
IDEOGRAPH_RANGES: tuple[tuple[int, int], ...] = (
    (0x2E80, 0x2FDF),  # CJK radicals supplement, Kangxi radicals
    (0x3005, 0x3007),  # 々 〆 〇
    (0x3021, 0x3029),  # Hangzhou numerals
    (0x3038, 0x303B),
    (0x31C0, 0x31EF),  # CJK strokes
    (0x3400, 0x4DBF),  # Extension A
    (0x4E00, 0x9FFF),  # URO
    (0xF900, 0xFAFF),  # compatibility ideographs
    (0x20000, 0x3FFFF),  # planes 2 and 3: Extensions B to J, compatibility supplement
)


@lru_cache(maxsize=4)
def _code_points(ranges: tuple[tuple[int, int], ...]) -> frozenset[int]:
    return frozenset(code for low, high in ranges for code in range(low, high + 1))


@dataclass(frozen=True)
class ChainFont:
    """One font of the chain: its reportlab name, Qt family, file name and where to look for it."""

    key: str  # reportlab font name (also used in logs)
    family: str  # family name Qt and Pillow report
    file_name: str
    subfont_index: int
    search_dirs: tuple[Path, ...]
    package: str | None  # the Debian package that installs it; None when shipped in git
    #: Code point ranges this font is used for (None: everything it maps).
    serves: tuple[tuple[int, int], ...] | None = None

    def usable(self, mapped: Iterable[int]) -> frozenset[int]:
        """Of the code points the font file maps, those the chain uses it for."""
        if self.serves is None:
            return frozenset(mapped)
        return _code_points(self.serves).intersection(mapped)

    def serves_code(self, code: int) -> bool:
        """Whether the chain uses this font for `code` at all (if the file maps it)."""
        return self.serves is None or any(low <= code <= high for low, high in self.serves)

    def locate(self, search_dirs: Sequence[Path] | None = None) -> Path | None:
        """The first existing file of this font in ``search_dirs`` (default: its own), or None."""
        for folder in self.search_dirs if search_dirs is None else search_dirs:
            path = Path(folder) / self.file_name
            if path.is_file():
                return path
        return None


WQY_MICRO_HEI = ChainFont("WQYMicroHei", "WenQuanYi Micro Hei", "wqy-microhei.ttc", 0,
                          (ASSETS_DIR / "fonts",), None)
HANA_MIN_A = ChainFont("HanaMinA", "HanaMinA", "HanaMinA.ttf", 0, HANAZONO_DIRS, HANAZONO_PACKAGE,
                       IDEOGRAPH_RANGES)
HANA_MIN_B = ChainFont("HanaMinB", "HanaMinB", "HanaMinB.ttf", 0, HANAZONO_DIRS, HANAZONO_PACKAGE,
                       IDEOGRAPH_RANGES)
#: The chain, in order: the first font that maps a character draws it.
FONT_CHAIN: tuple[ChainFont, ...] = (WQY_MICRO_HEI, HANA_MIN_A, HANA_MIN_B)

#: The screens' symbols WenQuanYi lacks (⚠ ➜ ⌂ ✉ ⚡ ◷ ⚲): DejaVu Sans, shipped (a kiosk's system may have
#: no font with them, and Qt would draw a box). For Qt only, after the chain: the PDFs and the slips use
#: no such symbol, so reportlab and the printer raster never load its 760 KB. Qt puts it right after
#: WenQuanYi (kiosk.ui.fonts).
SYMBOL_RANGES: tuple[tuple[int, int], ...] = (
    (0x2190, 0x21FF),  # arrows
    (0x2300, 0x23FF),  # miscellaneous technical
    (0x25A0, 0x25FF),  # geometric shapes
    (0x2600, 0x27BF),  # miscellaneous symbols, dingbats
    (0x27F0, 0x27FF),  # supplemental arrows-A
)
UI_SYMBOLS = ChainFont("DejaVuSans", "DejaVu Sans", "DejaVuSans.ttf", 0, (ASSETS_DIR / "fonts",), None,
                       SYMBOL_RANGES)


@dataclass(frozen=True)
class LoadedFont:
    """A chain font whose file was found: the font and its path."""

    font: ChainFont
    path: Path


def available_fonts(chain: Sequence[ChainFont] = FONT_CHAIN,
                    search_dirs: Sequence[Path] | None = None) -> list[LoadedFont]:
    """The fonts of ``chain`` whose files exist, in chain order (``search_dirs`` overrides where the
    Hanazono fonts are looked for, e.g. in tests; the shipped font is always looked for in assets)."""
    found = []
    for font in chain:
        dirs = search_dirs if (search_dirs is not None and font.package) else None
        path = font.locate(dirs)
        if path is not None:
            found.append(LoadedFont(font, path))
    return found


def missing_fonts(chain: Sequence[ChainFont] = FONT_CHAIN,
                  search_dirs: Sequence[Path] | None = None) -> list[str]:
    """One line per chain font whose file is missing: which file, where it was looked for, what to do."""
    found = {loaded.font for loaded in available_fonts(chain, search_dirs)}
    lines = []
    for font in chain:
        if font in found:
            continue
        dirs = search_dirs if (search_dirs is not None and font.package) else font.search_dirs
        where = ", ".join(str(folder) for folder in dirs)
        todo = f"apt-get install {font.package}" if font.package else "reinstall the kiosk (assets/fonts)"
        lines.append(f"font {font.file_name} not found in {where}: rare name characters will print as "
                     f"□; {todo}")
    return lines


# -- reading a cmap ----------------------------------------------------------------------------------

class FontFileError(ValueError):
    """A font file is not a TrueType/OpenType font this module can read (bad magic, no cmap)."""


def _tables(handle: BinaryIO, subfont_index: int) -> dict[bytes, tuple[int, int]]:
    handle.seek(0)
    head = handle.read(12)
    if head[:4] == b"ttcf":
        count = struct.unpack(">I", head[8:12])[0]
        if not 0 <= subfont_index < count:
            raise FontFileError(f"the collection has {count} faces, not a face {subfont_index}")
        handle.seek(12 + 4 * subfont_index)
        handle.seek(struct.unpack(">I", handle.read(4))[0])
        head = handle.read(12)
    if head[:4] not in (b"\x00\x01\x00\x00", b"OTTO", b"true"):
        raise FontFileError("not a TrueType or OpenType font")
    tables = {}
    for _ in range(struct.unpack(">H", head[4:6])[0]):
        tag, _checksum, offset, length = struct.unpack(">4sIII", handle.read(16))
        tables[tag] = (offset, length)
    return tables


def _format4(data: bytes) -> set[int]:
    segments = struct.unpack(">H", data[6:8])[0] // 2
    ends = struct.unpack(f">{segments}H", data[14 : 14 + 2 * segments])
    base = 16 + 2 * segments
    starts = struct.unpack(f">{segments}H", data[base : base + 2 * segments])
    deltas = struct.unpack(f">{segments}h", data[base + 2 * segments : base + 4 * segments])
    range_base = base + 4 * segments
    offsets = struct.unpack(f">{segments}H", data[range_base : range_base + 2 * segments])
    codes: set[int] = set()
    for i, (start, end, delta, offset) in enumerate(zip(starts, ends, deltas, offsets, strict=True)):
        for code in range(start, min(end, 0xFFFE) + 1):
            if offset == 0:
                glyph = (code + delta) & 0xFFFF
            else:
                at = range_base + 2 * i + offset + 2 * (code - start)
                glyph = struct.unpack(">H", data[at : at + 2])[0] if at + 2 <= len(data) else 0
                glyph = (glyph + delta) & 0xFFFF if glyph else 0
            if glyph:
                codes.add(code)
    return codes


def _format12(data: bytes) -> set[int]:
    groups = struct.unpack(">I", data[12:16])[0]
    codes: set[int] = set()
    for n in range(groups):
        start, end, first_glyph = struct.unpack(">III", data[16 + 12 * n : 28 + 12 * n])
        codes.update(range(start + (first_glyph == 0), end + 1))
    return codes


def read_cmap(path: Path, subfont_index: int = 0) -> frozenset[int]:
    """The Unicode code points ``path`` maps to a glyph (its best Unicode cmap subtable: format 12 when
    present, else format 4). Raises :class:`FontFileError` or OSError."""
    with Path(path).open("rb") as handle:
        tables = _tables(handle, subfont_index)
        if b"cmap" not in tables:
            raise FontFileError("the font has no cmap table")
        offset, length = tables[b"cmap"]
        handle.seek(offset)
        cmap = handle.read(length)
    subtables = {}
    for n in range(struct.unpack(">H", cmap[2:4])[0]):
        platform, encoding, sub_offset = struct.unpack(">HHI", cmap[4 + 8 * n : 12 + 8 * n])
        subtables[(platform, encoding)] = sub_offset
    for key in ((3, 10), (0, 6), (0, 4), (3, 1), (0, 3)):
        if key not in subtables:
            continue
        start = subtables[key]
        fmt = struct.unpack(">H", cmap[start : start + 2])[0]
        if fmt == 12:
            size = struct.unpack(">I", cmap[start + 4 : start + 8])[0]
            return frozenset(_format12(cmap[start : start + size]))
        if fmt == 4:
            size = struct.unpack(">H", cmap[start + 2 : start + 4])[0]
            return frozenset(_format4(cmap[start : start + size]))
    raise FontFileError("the font has no Unicode cmap of format 4 or 12")


@lru_cache(maxsize=8)
def coverage(path: Path, subfont_index: int = 0) -> frozenset[int]:
    """Cached :func:`read_cmap` (one read per file per process)."""
    return read_cmap(path, subfont_index)


class Coverage(Container[int]):
    """The code points the chain draws with one loaded font (its cmap within what it serves), answering
    `code in coverage` without building the set: the file's cmap is read the first time a code point
    within the font's ranges is asked about. So a slip or a PDF whose characters the body font has never
    reads the Hanazono fonts' cmaps (≈ 100 ms a process, with the 200,000 ideograph code points they serve)."""

    __slots__ = ("loaded",)

    def __init__(self, loaded: LoadedFont) -> None:
        self.loaded = loaded

    def __contains__(self, code: object) -> bool:
        font = self.loaded.font
        return (isinstance(code, int) and font.serves_code(code)
                and code in coverage(self.loaded.path, font.subfont_index))

    def __repr__(self) -> str:
        return f"Coverage({self.loaded.font.key})"


def chain_coverages(fonts: Sequence[LoadedFont]) -> tuple[Coverage, ...]:
    """For each loaded font, the code points the chain draws with it (its cmap within what it serves),
    read lazily (`Coverage`)."""
    return tuple(Coverage(loaded) for loaded in fonts)


# -- splitting text by font --------------------------------------------------------------------------

def font_index(char: str, coverages: Sequence[Container[int]]) -> int | None:
    """Index of the first coverage that holds ``char``'s code point, or None when none does."""
    code = ord(char)
    for index, covered in enumerate(coverages):
        if code in covered:  # type: ignore[operator]
            return index
    return None


def split_runs(text: str, coverages: Sequence[Container[int]]) -> list[tuple[int | None, str]]:
    """Cut ``text`` into maximal runs drawn by the same font: (index into ``coverages`` or None when no
    font has the character, run text). A str holds non-BMP characters as one code point each."""
    runs: list[tuple[int | None, str]] = []
    for char in text:
        index = font_index(char, coverages)
        if runs and runs[-1][0] == index:
            runs[-1] = (index, runs[-1][1] + char)
        else:
            runs.append((index, char))
    return runs
