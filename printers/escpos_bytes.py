"""The ESC/POS commands the slip renderer sends, written directly (pure; Pillow for raster images).

printers.escpos_render used python-escpos's Dummy printer for four things: text size (GS ! n), bold
(ESC E n), alignment (ESC a n), raster images (GS v 0, in fragments of at most 960 rows) and native QR
codes (GS ( k). Importing python-escpos costs ≈ 75 ms of CPU (its printer classes, qrcode, barcode, PyYAML
and its 1 MB capabilities database) in every process that renders a slip, `kiosk apply` included
(issue 17). `EscposBytes` writes the same bytes as python-escpos 3.1's `Escpos.set` / `image(impl=
"bitImageRaster")` / `qr(native=True)` (tests/unit/printers/test_escpos_bytes.py compares them), images
converted the same way (alpha over white, grey, inverted, 1-bit; a fragment is cut from the original
image before it is converted, as python-escpos does).
"""

from __future__ import annotations

from PIL import Image, ImageOps

from printers.errors import PrinterError

ESC = b"\x1b"
GS = b"\x1d"
#: Error correction levels as GS ( k numbers them (python-escpos' QR_ECLEVEL_*).
QR_ECC = {"L": 0, "M": 1, "Q": 2, "H": 3}
QR_MODEL_2 = 2
ALIGN = {"left": 0, "center": 1, "right": 2}


class ImageTooWide(PrinterError):
    """A raster image wider than the paper (python-escpos' ImageWidthError)."""


def low_high(number: int, count: int = 2) -> bytes:
    """`number` as `count` little-endian bytes (ESC/POS nL nH)."""
    if not 0 <= number < 256 ** count:
        raise ValueError(f"{number} does not fit in {count} bytes")
    return number.to_bytes(count, "little")


def printable_bitmap(image: Image.Image) -> Image.Image:
    """What python-escpos' EscposImage makes of an image: alpha flattened over white, grey, inverted
    (1 = ink), then 1-bit."""
    rgba = image.convert("RGBA")
    flat = Image.new("RGB", rgba.size, (255, 255, 255))
    flat.paste(rgba, mask=rgba.split()[3])
    return ImageOps.invert(flat.convert("L")).convert("1")


class EscposBytes:
    """Collects the bytes of one print job for a printer `width_dots` wide."""

    def __init__(self, width_dots: int) -> None:
        self.width_dots = width_dots
        self._parts: list[bytes] = []

    @property
    def output(self) -> bytes:
        return b"".join(self._parts)

    def raw(self, data: bytes) -> None:
        self._parts.append(data)

    def size(self, width: int, height: int) -> None:
        """GS ! n: character width and height, 1-8 times each."""
        if not (1 <= width <= 8 and 1 <= height <= 8):
            raise ValueError(f"text size {width}x{height} is outside 1-8")
        self.raw(GS + b"!" + bytes((((width - 1) << 4) + (height - 1),)))

    def bold(self, on: bool) -> None:
        self.raw(ESC + b"E" + (b"\x01" if on else b"\x00"))

    def align(self, where: str) -> None:
        self.raw(ESC + b"a" + bytes((ALIGN[where],)))

    def image(self, image: Image.Image, fragment_rows: int = 960) -> None:
        """GS v 0 (raster bit image, normal density) per fragment of at most `fragment_rows` rows."""
        bitmap = printable_bitmap(image)
        if bitmap.width > self.width_dots:
            raise ImageTooWide(f"image {bitmap.width} dots wide, the paper {self.width_dots}")
        if bitmap.height > fragment_rows:
            for top in range(0, bitmap.height, fragment_rows):
                self.image(image.crop((0, top, image.width, min(top + fragment_rows, bitmap.height))),
                           fragment_rows)
            return
        header = GS + b"v0" + b"\x00" + low_high((bitmap.width + 7) >> 3) + low_high(bitmap.height)
        self.raw(header + bitmap.tobytes())

    def qr(self, content: str, ecc: int, module: int) -> None:
        """A native QR code (GS ( k, model 2): model, module size, error correction, store, print."""
        if ecc not in QR_ECC.values():
            raise ValueError("Invalid error correction level")
        if not 1 <= module <= 16:
            raise ValueError("Invalid block size (must be 1-16)")
        if content == "":
            return
        self._qr_part(b"A", bytes((48 + QR_MODEL_2, 0)))
        self._qr_part(b"C", bytes((module,)))
        self._qr_part(b"E", bytes((48 + ecc,)))
        self._qr_part(b"P", content.encode("utf-8"), b"0")
        self._qr_part(b"Q", b"", b"0")

    def _qr_part(self, function: bytes, data: bytes, m: bytes = b"") -> None:
        self.raw(GS + b"(k" + low_high(len(data) + len(m) + 2) + b"1" + function + m + data)
