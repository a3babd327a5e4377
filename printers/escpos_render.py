"""Render a receipt model to the ESC/POS bytes a Chinese thermal printer takes (printers.escpos_bytes:
the bytes python-escpos's Dummy printer wrote, without importing python-escpos).

Wire format (what the bytes contain, in order):
    ESC @ (1B 40) initialise; in text mode on a printer with a Chinese font FS & (1C 26) Chinese mode.
    Text lines: style changes only when they change — GS ! n (size, 1D 21), ESC E n (bold, 1B 45),
        ESC a n (alignment, 1B 61) — then the line encoded by us in the profile's encoding (GBK:
        one byte per ASCII character, two per hanzi; never python-escpos's text(), which turns
        Chinese punctuation into "?" and breaks ¥) and LF (0A).
    A line with a character the printer font lacks (outside GBK, e.g. 𠮷 or an emoji; any hanzi
        on a printer without a Chinese font) is drawn with the shipped font and sent as a raster
        line: ESC a 0, GS v 0 (1D 76 30 00 xL xH yL yH + rows).
    QR codes: natively when the profile allows — ESC a 1, ESC J q (quiet zone), GS ( k model 2,
        module size, ECC M, store (UTF-8 bytes), print, ESC J q — else as a GS v 0 raster with a
        4-module quiet zone.
    Feed: ESC d n. Cut: ESC d n (to the cutter) then GS V 0 (full) or GS V 1 (partial); a printer
        without a cutter only feeds.
    Raster mode (printers without a Chinese font): ESC @, then each piece of paper between cuts as one
        GS v 0 image (fragments of at most 960 rows), then the feed and cut.
The profile (``printers.profiles``) gives the width in dots, the columns, native QR support and limits.
A printer URL's options map onto the arguments: ``?profile=NAME&width=DOTS`` is
``get_profile(NAME, DOTS)`` and ``?mode=text|raster`` is ``mode`` (absent: the profile's default).
"""

from __future__ import annotations

from PIL import Image

from printers.errors import PrinterError
from printers.escpos_bytes import EscposBytes
from printers.lines import (
    QR_QUIET_MODULES,
    CutPaper,
    FeedLines,
    PrintLine,
    QrLine,
    TextLine,
    lay_out,
)
from printers.model import Receipt
from printers.profiles import PrinterProfile
from printers.raster import (
    lines_image,
    qr_line_image,
    split_at_cuts,
    text_line_image,
    to_bitmap,
    trim_right,
)

ESC_INIT = b"\x1b@"
FS_CHINESE_ON = b"\x1c&"
GS_CUT_FULL = b"\x1dV\x00"
GS_CUT_PARTIAL = b"\x1dV\x01"
LF = b"\n"
#: A GS v 0 image goes in fragments of this many rows (each with its own header), as python-escpos sent it.
RASTER_FRAGMENT_ROWS = 960
MODES = ("text", "raster")
#: QR error correction level M, as GS ( k numbers it (python-escpos' QR_ECLEVEL_M).
QR_ECC_M = 1
#: ESC J feeds at most 255 dots per command.
MAX_DOT_FEED = 255


class RenderError(PrinterError):
    """A receipt could not be rendered: an unknown print mode. (A QR code that does not fit the printer
    raises ``printers.lines.QrTooLargeError``; both are :class:`PrinterError`.)"""


class _TextState:
    """The style the printer is in, so commands are sent only when something changes."""

    def __init__(self) -> None:
        self.size = 1
        self.bold = False
        self.align = "left"


def _send_image(printer: EscposBytes, image: Image.Image) -> None:
    printer.image(to_bitmap(trim_right(image)), RASTER_FRAGMENT_ROWS)


def _set_style(printer: EscposBytes, state: _TextState, size: int, bold: bool, align: str) -> None:
    if size != state.size:
        printer.size(size, size)
        state.size = size
    if bold != state.bold:
        printer.bold(bold)
        state.bold = bold
    if align != state.align:
        printer.align(align)
        state.align = align


def _dot_feed(printer: EscposBytes, dots: int) -> None:
    while dots > 0:
        step = min(dots, MAX_DOT_FEED)
        printer.raw(b"\x1bJ" + bytes((step,)))
        dots -= step


def _cut(printer: EscposBytes, profile: PrinterProfile, cut: CutPaper) -> None:
    printer.raw(b"\x1bd" + bytes((profile.feed_before_cut,)))
    if profile.cutter:
        printer.raw(GS_CUT_PARTIAL if cut.partial else GS_CUT_FULL)


def _encode_line(text: str, encoding: str) -> bytes | None:
    try:
        return text.encode(encoding)
    except UnicodeEncodeError:
        return None


def _render_text_mode(printer: EscposBytes, lines: list[PrintLine], profile: PrinterProfile) -> None:
    if profile.chinese_font:
        printer.raw(FS_CHINESE_ON)
    state = _TextState()
    width = profile.width_dots
    for line in lines:
        if isinstance(line, TextLine):
            encoded = _encode_line(line.text, profile.text_encoding)
            if encoded is None:
                _set_style(printer, state, state.size, state.bold, "left")
                _send_image(printer, text_line_image(line, width))
            else:
                _set_style(printer, state, line.size, line.bold, line.align)
                printer.raw(encoded + LF)
        elif isinstance(line, QrLine):
            if profile.native_qr:
                _set_style(printer, state, state.size, state.bold, "center")
                quiet = QR_QUIET_MODULES * line.module
                _dot_feed(printer, quiet)
                printer.qr(line.data, QR_ECC_M, line.module)
                _dot_feed(printer, quiet)
            else:
                _set_style(printer, state, state.size, state.bold, "left")
                _send_image(printer, qr_line_image(line, width))
        elif isinstance(line, FeedLines):
            printer.raw(b"\x1bd" + bytes((line.lines,)))
        elif isinstance(line, CutPaper):
            _cut(printer, profile, line)


def _render_raster_mode(printer: EscposBytes, lines: list[PrintLine], profile: PrinterProfile) -> None:
    for piece, cut in split_at_cuts(lines):
        if piece:
            _send_image(printer, lines_image(piece, profile.width_dots, show_cuts=False))
        if cut is not None:
            _cut(printer, profile, cut)


def render_escpos(receipt: Receipt, profile: PrinterProfile, mode: str | None = None) -> bytes:
    """Return the ESC/POS bytes that print ``receipt`` on a printer with ``profile``.

    ``mode`` is "text" (Chinese text in the printer's font, native QR) or "raster" (the whole slip as
    an image); None takes the profile's default mode. Raises :class:`RenderError` for a bad mode
    and ``QrTooLargeError`` when a QR code does not fit the printer.
    """
    mode = mode or profile.default_mode
    if mode not in MODES:
        raise RenderError(f"print mode must be one of {MODES}, not {mode!r}")
    lines = lay_out(receipt, profile)
    printer = EscposBytes(profile.width_dots)
    printer.raw(ESC_INIT)
    if mode == "raster":
        _render_raster_mode(printer, lines, profile)
    else:
        _render_text_mode(printer, lines, profile)
    return printer.output
