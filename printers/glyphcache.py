"""The slip's drawn glyphs kept between processes, so a new process does not draw them again (issue 17).

Drawing a character for the slip (`printers.raster.glyph`: FreeType through Pillow, the ink cropped and
centred in its printer cell) costs ~0.2-0.5 ms; a slip has ~140 distinct characters, drawn again by every
`kiosk apply` (the simulated printer's picture of the slip) while the command waits for its print. The
cells drawn are kept in one file of the compiled caches (`forms.compiled`: digest-checked, written
atomically), and a process reads them back in about a millisecond: the very bytes it would draw.

Never wrong: the key names what a cell depends on: every font file of the chain (its name, size and
modification time: hashing 58 MB of fonts would cost more than drawing), Pillow's and FreeType's
versions, and the source of the code that draws and sizes the cells. A font file replaced, another
Pillow or new code makes the file stale and the cells are drawn again; a corrupt file is ignored (logged
once by forms.compiled) and rewritten. At most MAX_GLYPHS cells are kept.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from pathlib import Path

from forms import compiled

CACHE_NAME = "slip-glyphs.pickle"
#: Cells kept at most (a cell is 288-2,304 bytes: a few MB at most).
MAX_GLYPHS = 4096
#: The modules whose code decides a cell's pixels and size.
CODE = ("printers.glyphcache", "printers.raster", "printers.textwidth", "printers.profiles", "printers.lines")

GlyphKey = tuple[str, int, bool]  # (character, size, bold)
Cell = tuple[tuple[int, int], bytes]  # (width, height), mode "L" pixels


def glyph_key(font_files: Iterable[Path]) -> str:
    """What the drawn cells depend on (see the module docstring)."""
    import PIL
    from PIL import features

    files = []
    for path in font_files:
        stat = path.stat()
        files.append(f"{path.name}:{stat.st_size}:{stat.st_mtime_ns}")
    return "|".join((*files, PIL.__version__, str(features.version("freetype2")), compiled.code_version(*CODE)))


class GlyphStore:
    """The cells of one font chain, read from the cache file and written back when some were added."""

    def __init__(self, path: Path, key: str, cells: dict[GlyphKey, Cell] | None = None) -> None:
        self.path = path
        self.key = key
        self._cells: dict[GlyphKey, Cell] = dict(cells or {})
        self._added = False
        self._lock = threading.Lock()

    @classmethod
    def open(cls, font_files: Iterable[Path], cache_dir: Path | None = None) -> GlyphStore:
        """The store for these fonts: the cached cells when the file holds this key, else empty."""
        path = (cache_dir or compiled.cache_root()) / CACHE_NAME
        key = glyph_key(font_files)
        cells = compiled.read(path, key)
        return cls(path, key, cells if isinstance(cells, dict) else None)

    def __len__(self) -> int:
        return len(self._cells)

    def get(self, key: GlyphKey) -> Cell | None:
        return self._cells.get(key)

    def add(self, key: GlyphKey, size: tuple[int, int], pixels: bytes) -> None:
        with self._lock:
            if key not in self._cells and len(self._cells) < MAX_GLYPHS:
                self._cells[key] = (size, pixels)
                self._added = True

    def save(self) -> bool:
        """Write the cells when some were added since the file was read (best effort); True if written."""
        with self._lock:
            if not self._added:
                return False
            cells, self._added = dict(self._cells), False
        return compiled.write(self.path, self.key, cells)
