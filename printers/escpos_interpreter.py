"""An ESC/POS interpreter: what a Chinese thermal printer would print for a byte stream (pure).

The printer emulator saves its output as PNG through :func:`interpret`; tests read the text back with
:func:`decode_text` and everything else (QR payloads, cuts, unknown commands) with :func:`parse`.

Understood (the subset the kiosk emits, plus what clones commonly receive):
    ESC @ reset; FS & / FS . Chinese mode on/off (on at power-up, as Chinese-market printers are);
    text: ASCII, and in Chinese mode GB18030 two-byte (and four-byte) codes, single bytes >= 0x80
        outside Chinese mode as CP437; the printer wraps a line that overflows the paper;
    ESC ! n (bold, double height/width), GS ! n (size 1–8 each way), ESC E / ESC G n bold,
    ESC a n alignment, ESC 2 / ESC 3 n line spacing, LF, ESC d n feed lines, ESC J n feed dots,
    GS v 0 raster images (drawn from the left margin), GS ( k QR code model/size/ECC/store/print
    (drawn with segno), GS V cut, DLE EOT / DLE ENQ real-time requests (no ink).
    Commands with known lengths that do not draw (ESC t, ESC M, ESC -, GS a, GS r, GS B, ...) are
    skipped silently; ESC * column images and GS k barcodes are skipped and reported. Anything else
    is skipped as a two-byte command and reported in ``unknown_commands``; it never raises.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import segno
from PIL import Image

from printers.lines import CELL_DOTS, LINE_DOTS
from printers.profiles import HALF_CELL_DOTS
from printers.raster import INK, PAPER, cut_mark_image, glyph, stack

ESC, FS, GS, DLE = 0x1B, 0x1C, 0x1D, 0x10
LF, CR = 0x0A, 0x0D
QR_ECC_LEVELS = {0x30: "l", 0x31: "m", 0x32: "q", 0x33: "h"}
#: ESC commands that take a fixed number of parameter bytes and print nothing we draw.
ESC_SKIP = {ord("t"): 1, ord("M"): 1, ord("-"): 1, ord("R"): 1, ord("{"): 1, ord("V"): 1,
            ord("c"): 2, ord("p"): 3, ord("="): 1, ord(" "): 1, ord("%"): 1, ord("U"): 1,
            ord("r"): 1, ord("L"): 0, ord("S"): 0, ord("T"): 1, ord("$"): 2, ord("\\"): 2,
            ord("D"): 0, ord("B"): 2, ord("C"): 1, ord("e"): 1}
GS_SKIP = {ord("a"): 1, ord("r"): 1, ord("B"): 1, ord("H"): 1, ord("f"): 1, ord("h"): 1,
           ord("w"): 1, ord("L"): 2, ord("W"): 2, ord("I"): 1, ord("b"): 1, ord("P"): 2,
           ord("T"): 1, ord("$"): 2, ord("\\"): 2, ord("^"): 3, ord("E"): 1, ord("J"): 1}
FS_SKIP = {ord("!"): 1, ord("-"): 1, ord("C"): 1, ord("S"): 2, ord("W"): 1, ord("p"): 2,
           ord("?"): 0}
DEFAULT_LINE_DOTS = LINE_DOTS


@dataclass
class PrintOut:
    """Everything one byte stream printed."""

    image: Image.Image | None
    text_lines: list[str] = field(default_factory=list)
    qr_payloads: list[str] = field(default_factory=list)
    raster_images: int = 0
    cuts: int = 0
    unknown_commands: list[str] = field(default_factory=list)


@dataclass
class _Char:
    text: str
    width: int   # magnification
    height: int
    bold: bool


class _Printer:
    """The printer's state while it works through a byte stream."""

    def __init__(self, width_dots: int, draw: bool, chinese_mode: bool) -> None:
        self.width_dots = width_dots
        self.draw = draw
        self.power_on_chinese = chinese_mode
        self.strips: list[Image.Image] = []
        self.out = PrintOut(image=None)
        self.reset()
        self.line: list[_Char] = []
        self.line_used = 0
        self.qr_data = b""
        self.qr_module = 3
        self.qr_ecc = "l"

    def reset(self) -> None:
        self.chinese = self.power_on_chinese
        self.size_w = 1
        self.size_h = 1
        self.bold = False
        self.align = 0
        self.line_dots = DEFAULT_LINE_DOTS

    # paper ----------------------------------------------------------------------------------------

    def feed_dots(self, dots: int) -> None:
        if dots > 0 and self.draw:
            self.strips.append(Image.new("L", (self.width_dots, dots), PAPER))

    def put_char(self, text: str, cols: int) -> None:
        dots = cols * HALF_CELL_DOTS * self.size_w
        if self.line and self.line_used + dots > self.width_dots:
            self.print_line()  # the printer wraps an overflowing line
        self.line.append(_Char(text, self.size_w, self.size_h, self.bold))
        self.line_used += dots

    def print_line(self) -> None:
        """LF: print the buffered line (an empty buffer feeds one line)."""
        text = "".join(ch.text for ch in self.line)
        self.out.text_lines.append(text)
        tallest = max([ch.height for ch in self.line], default=self.size_h)
        height = CELL_DOTS * tallest + max(0, self.line_dots - CELL_DOTS)
        if self.draw:
            strip = Image.new("L", (self.width_dots, height), PAPER)
            x = self._aligned_x(self.line_used)
            for ch in self.line:
                mask = self._glyph(ch)
                if ch.text != " ":
                    strip.paste(INK, (x, CELL_DOTS * (tallest - ch.height)), mask)
                x += mask.width
            self.strips.append(strip)
        self.line = []
        self.line_used = 0

    def flush(self) -> None:
        """Print a pending line before something that is not text."""
        if self.line:
            self.print_line()

    def _aligned_x(self, used: int) -> int:
        if self.align == 1:
            return max(0, (self.width_dots - used) // 2)
        if self.align == 2:
            return max(0, self.width_dots - used)
        return 0

    @staticmethod
    def _glyph(ch: _Char) -> Image.Image:
        if ch.width == ch.height:
            return glyph(ch.text, ch.width, ch.bold)
        base = glyph(ch.text, 1, ch.bold)
        return base.resize((base.width * ch.width, base.height * ch.height), Image.Resampling.NEAREST)

    def raster(self, width_bytes: int, rows: int, data: bytes, scale_x: int, scale_y: int) -> None:
        self.flush()
        self.out.raster_images += 1
        if not self.draw or not width_bytes or not rows:
            return
        bitmap = Image.frombytes("1", (width_bytes * 8, rows), data.ljust(width_bytes * rows, b"\0"))
        image = Image.eval(bitmap.convert("L"), lambda value: 255 - value)  # bit 1 = ink
        if scale_x > 1 or scale_y > 1:
            image = image.resize((image.width * scale_x, image.height * scale_y), Image.Resampling.NEAREST)
        strip = Image.new("L", (self.width_dots, image.height), PAPER)
        strip.paste(image.crop((0, 0, min(image.width, self.width_dots), image.height)), (0, 0))
        self.strips.append(strip)

    def print_qr(self) -> None:
        self.flush()
        raw = self.qr_data
        try:
            payload: str | bytes = raw.decode("utf-8")
        except UnicodeDecodeError:
            payload = raw
        self.out.qr_payloads.append(payload if isinstance(payload, str) else raw.decode("latin-1"))
        if not self.draw or not raw:
            return
        try:
            symbol = segno.make_qr(payload, error=self.qr_ecc, boost_error=False, encoding="utf-8"
                                   if isinstance(payload, str) else None)
        except segno.DataOverflowError:
            self.out.unknown_commands.append(f"QR data of {len(raw)} bytes too long to print (not drawn)")
            return
        rows = list(symbol.matrix_iter(border=0))
        size = len(rows) * self.qr_module
        code = Image.new("L", (len(rows), len(rows)), PAPER)
        code.putdata([INK if dark else PAPER for row in rows for dark in row])
        code = code.resize((size, size), Image.Resampling.NEAREST)
        strip = Image.new("L", (self.width_dots, size), PAPER)
        strip.paste(code, (self._aligned_x(size), 0))
        self.strips.append(strip)

    def cut(self) -> None:
        self.flush()
        self.out.cuts += 1
        if self.draw:
            self.strips.append(cut_mark_image(self.width_dots))


class _Reader:
    """Walks the byte stream; every read past the end returns what is there (never raises)."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0

    def more(self) -> bool:
        return self.pos < len(self.data)

    def byte(self) -> int:
        value = self.data[self.pos] if self.pos < len(self.data) else 0
        self.pos += 1
        return value

    def take(self, count: int) -> bytes:
        chunk = self.data[self.pos:self.pos + count]
        self.pos += count
        return chunk

    def peek(self, offset: int = 0) -> int | None:
        index = self.pos + offset
        return self.data[index] if index < len(self.data) else None


def _byte_name(value: int | None) -> str:
    if value is None:
        return "(end of data)"
    return chr(value) if 0x20 < value < 0x7F else f"0x{value:02X}"


def _unknown(printer: _Printer, description: str, at: int) -> None:
    printer.out.unknown_commands.append(f"{description} at byte {at}")


def _esc(reader: _Reader, printer: _Printer, at: int) -> None:
    cmd = reader.byte() if reader.more() else None
    if cmd == ord("@"):
        printer.flush()
        printer.reset()
    elif cmd == ord("!"):
        n = reader.byte()
        printer.bold = bool(n & 0x08)
        printer.size_h = 2 if n & 0x10 else 1
        printer.size_w = 2 if n & 0x20 else 1
    elif cmd in (ord("E"), ord("G")):
        printer.bold = bool(reader.byte() & 1)
    elif cmd == ord("a"):
        n = reader.byte()
        printer.align = {0: 0, 1: 1, 2: 2, 48: 0, 49: 1, 50: 2}.get(n, printer.align)
    elif cmd == ord("d"):
        n = reader.byte()
        printer.flush()
        printer.feed_dots(n * printer.line_dots)
    elif cmd == ord("J"):
        n = reader.byte()
        printer.flush()
        printer.feed_dots(n)
    elif cmd == ord("2"):
        printer.line_dots = DEFAULT_LINE_DOTS
    elif cmd == ord("3"):
        printer.line_dots = reader.byte()
    elif cmd == ord("*"):
        mode, low, high = reader.byte(), reader.byte(), reader.byte()
        reader.take((low + 256 * high) * (3 if mode in (32, 33) else 1))
        _unknown(printer, f"ESC * column bit image (mode {mode}, skipped, not drawn)", at)
    elif cmd in ESC_SKIP:
        reader.take(ESC_SKIP[cmd])
    else:
        _unknown(printer, f"ESC {_byte_name(cmd)}", at)


def _fs(reader: _Reader, printer: _Printer, at: int) -> None:
    cmd = reader.byte() if reader.more() else None
    if cmd == ord("&"):
        printer.chinese = True
    elif cmd == ord("."):
        printer.chinese = False
    elif cmd in FS_SKIP:
        reader.take(FS_SKIP[cmd])
    else:
        _unknown(printer, f"FS {_byte_name(cmd)}", at)


def _gs_paren(reader: _Reader, printer: _Printer, at: int) -> None:
    function = reader.byte()
    low, high = reader.byte(), reader.byte()
    body = reader.take(low + 256 * high)
    if function != ord("k") or len(body) < 2 or body[0] != 0x31:
        _unknown(printer, f"GS ( {_byte_name(function)} (skipped {len(body)} bytes)", at)
        return
    fn = body[1]
    if fn == 0x43 and len(body) >= 3:
        printer.qr_module = max(1, min(16, body[2]))
    elif fn == 0x45 and len(body) >= 3:
        printer.qr_ecc = QR_ECC_LEVELS.get(body[2], "l")
    elif fn == 0x50:
        printer.qr_data = body[3:]
    elif fn == 0x51:
        printer.print_qr()
    elif fn not in (0x41, 0x52):  # 0x41 model, 0x52 size info: nothing to draw
        _unknown(printer, f"GS ( k QR function 0x{fn:02X}", at)


def _gs(reader: _Reader, printer: _Printer, at: int) -> None:
    cmd = reader.byte() if reader.more() else None
    if cmd == ord("!"):
        n = reader.byte()
        printer.size_w = min(8, (n >> 4) + 1)
        printer.size_h = min(8, (n & 0x0F) + 1)
    elif cmd == ord("V"):
        mode = reader.byte()
        if mode in (65, 66, 97, 98, 103, 104):
            reader.take(1)
        printer.cut()
    elif cmd == ord("v"):
        reader.byte()  # '0'
        mode = reader.byte()
        header = reader.take(4)
        if len(header) < 4:
            _unknown(printer, "GS v 0 raster header cut short", at)
            return
        width_bytes = header[0] + 256 * header[1]
        rows = header[2] + 256 * header[3]
        data = reader.take(width_bytes * rows)
        printer.raster(width_bytes, rows, data, 2 if mode & 1 else 1, 2 if mode & 2 else 1)
    elif cmd == ord("("):
        _gs_paren(reader, printer, at)
    elif cmd == ord("k"):
        system = reader.byte()
        if system <= 6:
            while reader.more() and reader.byte() != 0:
                pass
        else:
            reader.take(reader.byte())
        printer.flush()
        _unknown(printer, f"GS k barcode (system {system}, skipped, not drawn)", at)
    elif cmd in GS_SKIP:
        reader.take(GS_SKIP[cmd])
    else:
        _unknown(printer, f"GS {_byte_name(cmd)}", at)


def _text_byte(reader: _Reader, printer: _Printer, first: int) -> None:
    if printer.chinese and 0x81 <= first <= 0xFE:
        second = reader.peek()
        if second is not None and 0x30 <= second <= 0x39:
            code = bytes((first,)) + reader.take(3)
            printer.put_char(code.decode("gb18030", errors="replace"), 2)
            return
        if second is not None and 0x40 <= second <= 0xFE and second != 0x7F:
            code = bytes((first,)) + reader.take(1)
            printer.put_char(code.decode("gb18030", errors="replace"), 2)
            return
        printer.put_char("\ufffd", 1)
        return
    if first >= 0x80:
        printer.put_char(bytes((first,)).decode("cp437"), 1)
    else:
        printer.put_char(chr(first), 1)


def _run(data: bytes, width_dots: int, draw: bool, chinese_mode: bool) -> PrintOut:
    printer = _Printer(width_dots, draw, chinese_mode)
    reader = _Reader(bytes(data))
    while reader.more():
        at = reader.pos
        value = reader.byte()
        if value == LF:
            printer.print_line()
        elif value == ESC:
            _esc(reader, printer, at)
        elif value == GS:
            _gs(reader, printer, at)
        elif value == FS:
            _fs(reader, printer, at)
        elif value == DLE:
            request = reader.byte()
            if request in (0x04, 0x05, 0x14):
                reader.take(1)
            else:
                _unknown(printer, f"DLE {_byte_name(request)}", at)
        elif value < 0x20 or value == 0x7F:
            continue  # CR, HT and other control bytes print nothing
        else:
            _text_byte(reader, printer, value)
    printer.flush()
    if draw:
        printer.out.image = stack(printer.strips, width_dots)
    return printer.out


def parse(data: bytes, width_dots: int = 576, draw: bool = True, chinese_mode: bool = True) -> PrintOut:
    """Interpret ``data`` and return the printed image (if ``draw``), text lines, QR payloads, cuts
    and the commands that were not understood."""
    if width_dots < 8:
        raise ValueError(f"paper width must be at least 8 dots, not {width_dots}")
    return _run(data, width_dots, draw, chinese_mode)


def interpret(data: bytes, width_dots: int = 576) -> Image.Image:
    """Return what a printer ``width_dots`` wide would print for ``data`` (mode "L")."""
    image = parse(data, width_dots).image
    return image if image is not None else Image.new("L", (width_dots, 1), PAPER)


def decode_text(data: bytes, width_dots: int = 576) -> list[str]:
    """Return the text lines ``data`` prints, decoded back to Unicode (raster lines are not text)."""
    return parse(data, width_dots, draw=False).text_lines
