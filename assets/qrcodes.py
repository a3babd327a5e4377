"""QR codes for every renderer (the PDFs, the slip's raster, the printer emulator, the credentials, the
screen): encoded by zxing-cpp, each symbol once per process, as a small `QrSymbol` of our own.

Why zxing-cpp (issue 17): it is already a dependency (the QR reader), its encoder (libzint, C++) imports in
~9 ms and encodes a version-13 code in ~1.5 ms; segno, pure Python, cost ~30-70 ms to import and ~50 ms
to encode one (it tries the 8 masks in Python), on the critical path of every `kiosk apply`.

What is encoded, exactly as segno's `make_qr(text, error, encoding="utf-8", boost_error=False)` did:
- the text's UTF-8 bytes (bytes as they are) and no ECI header (segno's default, eci=False). zxing-cpp is
  given bytes, never a str: a str's non-ASCII text it would convert to Latin-1 or to Shift JIS (Kanji
  mode: "中国" would scan as other bytes); and `eci="0"`: bytes otherwise get ECI 899 ("binary").
- at exactly the error level asked (libzint never raises it), a full QR code (never Micro QR), at the
  smallest version that holds it. libzint splits the data into numeric, alphanumeric and byte segments
  where that is shorter; segno used one mode for the whole text. So a text that mixes long digit runs
  into byte text (e.g. "w88888888119999999") can get a smaller version than segno gave, never a larger
  one; a credential (base45: the alphanumeric set only), a URL of letters and Chinese text get segno's
  version (tests/unit/assets/test_qrcodes.py compares them). The mask is libzint's choice by the standard
  penalty rules, not always segno's: the modules differ, the data does not.

Too long for version 40 at that level, or empty: `QrEncodeError` (a ValueError).
A cached `QrSymbol` is shared between renderers and immutable.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import IO

#: How many symbols are kept (a few per application; a symbol is a few KB).
CACHE_SIZE = 32
#: The 2-bit error correction indicator in the format information (ISO/IEC 18004 table 12).
_LEVEL_BITS = {"L": 0b01, "M": 0b00, "Q": 0b11, "H": 0b10}
_FORMAT_MASK = 0b101010000010010


class QrEncodeError(ValueError):
    """The content cannot be a QR code at that error level: empty, or more than version 40 holds."""


@dataclass(frozen=True, slots=True)
class QrSymbol:
    """A full QR code: `matrix` rows of modules (True = dark), without quiet zone."""

    version: int
    error: str  # "L", "M", "Q" or "H", as the symbol's format information says
    mask: int
    matrix: tuple[tuple[bool, ...], ...]

    def symbol_size(self, border: int = 4) -> tuple[int, int]:
        """Width and height in modules with `border` modules of quiet zone on each side."""
        side = len(self.matrix) + 2 * border
        return side, side

    def matrix_iter(self, border: int = 4) -> Iterator[tuple[bool, ...]]:
        """The rows with `border` light modules of quiet zone around them (like segno's)."""
        side = len(self.matrix) + 2 * border
        blank = (False,) * side
        edge = (False,) * border
        for _ in range(border):
            yield blank
        for row in self.matrix:
            yield edge + row + edge if border else row
        for _ in range(border):
            yield blank

    def save(self, out: str | IO[bytes], kind: str | None = None, scale: int = 1, border: int = 4) -> None:
        """Write a black-on-white PNG (the only kind) to a path or a binary stream, `scale` pixels per
        module, `border` modules of quiet zone."""
        if kind not in (None, "png") or (kind is None and isinstance(out, str) and not out.endswith(".png")):
            raise ValueError(f"QrSymbol.save writes PNG only, not {kind or out!r}")
        from PIL import Image  # only here: the renderers draw from the matrix

        side = self.symbol_size(border)[0]
        image = Image.new("1", (side, side), 1)
        image.putdata([0 if dark else 1 for row in self.matrix_iter(border) for dark in row])
        if scale != 1:
            image = image.resize((side * scale, side * scale), Image.Resampling.NEAREST)
        image.save(out, format="PNG")


@lru_cache(maxsize=CACHE_SIZE)
def make(content: str | bytes, error: str = "m") -> QrSymbol:
    """The full QR code of `content` (a str as UTF-8, bytes as they are; no ECI) at exactly error level
    `error` (l, m, q or h), the smallest version that holds it; cached per process. Raises QrEncodeError
    for empty content or content too long for version 40 at that level."""
    level = error.upper()
    if level not in _LEVEL_BITS:
        raise ValueError(f"QR error correction level must be L, M, Q or H, not {error!r}")
    data = content.encode("utf-8") if isinstance(content, str) else bytes(content)
    if not data:
        raise QrEncodeError("a QR code needs content (it is empty)")
    import zxingcpp  # ~9 ms, on first use only

    try:
        barcode = zxingcpp.create_barcode(data, zxingcpp.BarcodeFormat.QRCode, ec_level=level, eci="0")
    except ValueError as exc:  # libzint: "Error 561: Input too long for ECC level M, requires …"
        raise QrEncodeError(f"{len(data)} bytes do not fit a QR code at error level {level}: {exc}") from None
    image = barcode.to_image(scale=1, add_quiet_zones=False)
    return _symbol(memoryview(image).tobytes(), image.shape[0], level)


def _symbol(pixels: bytes, side: int, level: str) -> QrSymbol:
    """The symbol of a `side`x`side` gray bitmap (0 = dark), checked to be a full QR code at `level`."""
    version, rest = divmod(side - 17, 4)
    if rest or not 1 <= version <= 40 or len(pixels) != side * side:
        raise RuntimeError(f"zxing-cpp gave a {side}x{side} bitmap of {len(pixels)} pixels, not a QR code")
    matrix = tuple(tuple(pixel == 0 for pixel in pixels[y * side:(y + 1) * side]) for y in range(side))
    found, mask = _format_information(matrix)
    if found != level:
        raise RuntimeError(f"zxing-cpp encoded at error level {found}, not {level}")
    return QrSymbol(version=version, error=level, mask=mask, matrix=matrix)


def _format_information(matrix: tuple[tuple[bool, ...], ...]) -> tuple[str, int]:
    """Error level and mask from the format information beside the top-left finder (ISO/IEC 18004 7.9:
    bits 0-5 down column 8, bits 6-8 round the corner, bits 9-14 leftwards along row 8)."""
    cells = [(i, 8) for i in range(6)] + [(7, 8), (8, 8), (8, 7)] + [(8, 14 - i) for i in range(9, 15)]
    word = sum(1 << bit for bit, (y, x) in enumerate(cells) if matrix[y][x]) ^ _FORMAT_MASK
    level_bits, mask = word >> 13, (word >> 10) & 0b111
    return next(name for name, bits in _LEVEL_BITS.items() if bits == level_bits), mask
