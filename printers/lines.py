"""Lay a receipt model out into printed lines for one printer profile (pure).

Both renderers consume this, so the ESC/POS bytes and the PNG preview wrap, align and size text the
same way: :func:`lay_out` turns blocks into :class:`TextLine` (already wrapped to the columns left at
its size), :class:`QrLine` (with the module size chosen to fit the paper), :class:`FeedLines` and
:class:`CutPaper`. Geometry constants (cell and line heights in dots) live here too.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from assets import qrcodes
from printers.errors import PrinterError
from printers.model import Align, Cut, Feed, Field, QrCode, Receipt, Rule, Text, Title
from printers.profiles import HALF_CELL_DOTS, PrinterProfile
from printers.textwidth import normalize_for_printer, text_width, wrap

#: Height of a character cell at size 1, and of a text line including the default line spacing
#: (ESC 2: 1/6 inch = 30 dots at 180 dpi; most 203 dpi printers use 30 dots too).
CELL_DOTS = 24
LINE_DOTS = 30
#: The QR standard asks for a quiet zone of 4 modules on every side.
QR_QUIET_MODULES = 4
QR_ERROR = "m"
#: A Field's label takes at most this share of the line before its value moves to the next line.
FIELD_LABEL_MAX_SHARE = 0.5


class QrTooLargeError(PrinterError):
    """The QR payload does not fit on the paper, or is longer than the printer accepts."""


@dataclass(frozen=True)
class TextLine:
    """One line of text that fits the paper at its size."""

    text: str
    size: int = 1
    bold: bool = False
    align: Align = "left"


@dataclass(frozen=True)
class QrLine:
    """A QR code, centred, ``module`` dots per module."""

    data: str
    module: int
    modules: int  # symbol width in modules, without the quiet zone


@dataclass(frozen=True)
class FeedLines:
    """Feed the paper by a number of lines."""

    lines: int


@dataclass(frozen=True)
class CutPaper:
    """Cut the paper."""

    partial: bool = False


PrintLine = TextLine | QrLine | FeedLines | CutPaper


#: Byte-mode capacity of QR versions 1–40 at error correction level M (ISO/IEC 18004, table 7).
QR_BYTE_CAPACITY_M = (
    14, 26, 42, 62, 84, 106, 122, 152, 180, 213, 251, 287, 331, 362, 412, 450, 504, 560, 624, 666,
    711, 779, 857, 911, 997, 1059, 1125, 1190, 1264, 1370, 1452, 1538, 1628, 1722, 1809, 1911, 1989,
    2099, 2213, 2331,
)
#: Size of the QR code symbol cache (payloads whose module matrix is kept).
QR_CACHE = 32


@lru_cache(maxsize=QR_CACHE)
def qr_matrix(data: str) -> tuple[tuple[bool, ...], ...]:
    """Return the dark modules of the QR code for ``data`` (ECC M, never Micro QR, UTF-8 for
    non-ASCII), without a quiet zone. Cached: a receipt's preview and bytes share one encoding."""
    return qrcodes.make(data, QR_ERROR).matrix


def qr_byte_mode_modules(payload_bytes: int) -> int:
    """Return the width in modules of the smallest ECC-M QR version holding ``payload_bytes`` bytes in
    byte mode (how a printer sizes a GS ( k code at worst); raise :class:`QrTooLargeError` past V40."""
    for version, capacity in enumerate(QR_BYTE_CAPACITY_M, start=1):
        if payload_bytes <= capacity:
            return 17 + 4 * version
    raise QrTooLargeError(f"QR payload of {payload_bytes} bytes is too long for a QR code "
                          f"(at most {QR_BYTE_CAPACITY_M[-1]} at error correction M)")


def qr_module_size(modules: int, profile: PrinterProfile) -> int:
    """Return the largest module size up to the profile's preference that fits the paper with its
    quiet zone; raise :class:`QrTooLargeError` when even 2 dots per module do not fit."""
    preferred = min(profile.qr_module_dots, profile.qr_module_max) if profile.native_qr \
        else profile.qr_module_dots
    for module in range(preferred, 1, -1):
        if (modules + 2 * QR_QUIET_MODULES) * module <= profile.width_dots:
            return module
    raise QrTooLargeError(f"a QR code of {modules}x{modules} modules does not fit "
                          f"{profile.width_dots} dots at 2 dots per module")


def _qr_line(block: QrCode, profile: PrinterProfile) -> QrLine:
    payload_bytes = len(block.data.encode("utf-8"))
    if profile.native_qr and payload_bytes > profile.qr_store_max:
        raise QrTooLargeError(f"QR payload of {payload_bytes} bytes exceeds the {profile.name} limit of "
                              f"{profile.qr_store_max}")
    modules = qr_byte_mode_modules(payload_bytes)
    return QrLine(data=block.data, module=qr_module_size(modules, profile), modules=modules)


def _field_lines(block: Field, columns: int) -> list[TextLine]:
    label = normalize_for_printer(block.label) + normalize_for_printer(block.separator)
    value = normalize_for_printer(block.value)
    label_width = text_width(label)
    if label_width <= columns * FIELD_LABEL_MAX_SHARE and columns - label_width >= 2:
        pieces = wrap(value, columns - label_width)
        indent = " " * label_width
        return [TextLine(label + pieces[0])] + [TextLine(indent + piece) for piece in pieces[1:]]
    lines = [TextLine(piece) for piece in wrap(label, columns)]
    if value:
        lines += [TextLine("  " + piece) for piece in wrap(value, columns - 2)]
    return lines


def lay_out(receipt: Receipt, profile: PrinterProfile) -> list[PrintLine]:
    """Return the printed lines of ``receipt`` on a printer with ``profile``."""
    columns = profile.columns
    out: list[PrintLine] = []
    for block in receipt.blocks:
        if isinstance(block, Title):
            out += [TextLine(piece, 2, True, block.align)
                    for piece in wrap(normalize_for_printer(block.text), columns // 2)]
        elif isinstance(block, Text):
            out += [TextLine(piece, block.size, block.bold, block.align)
                    for piece in wrap(normalize_for_printer(block.text), columns // block.size)]
        elif isinstance(block, Field):
            out += _field_lines(block, columns)
        elif isinstance(block, Rule):
            char = normalize_for_printer(block.char) or "-"
            out.append(TextLine(char * (columns // max(1, text_width(char)))))
        elif isinstance(block, QrCode):
            out.append(_qr_line(block, profile))
            if block.caption:
                out += [TextLine(piece, align="center")
                        for piece in wrap(normalize_for_printer(block.caption), columns)]
        elif isinstance(block, Feed):
            out.append(FeedLines(block.lines))
        elif isinstance(block, Cut):
            out.append(CutPaper(block.partial))
    return out


def text_line_height(line: TextLine) -> int:
    """Dots a text line advances the paper."""
    return CELL_DOTS * line.size + (LINE_DOTS - CELL_DOTS)


def text_line_x(line: TextLine, width_dots: int) -> int:
    """Left edge in dots of an aligned text line."""
    used = text_width(line.text) * HALF_CELL_DOTS * line.size
    if line.align == "center":
        return max(0, (width_dots - used) // 2)
    if line.align == "right":
        return max(0, width_dots - used)
    return 0
