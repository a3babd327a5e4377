"""An ESC/POS interpreter: what a Chinese thermal printer would print for a byte stream (pure).

The printer emulator saves its output as PNG through :func:`interpret`; tests read the text back with
:func:`decode_text` and everything else (QR payloads, cuts, unknown commands) with :func:`parse`.

Where each command ends is decided by printers.escpos_parser, the parser the emulator also uses;
this module only says what the commands draw. Understood (the subset the kiosk emits, plus what
clones commonly receive):
    ESC @ reset; FS & / FS . Chinese mode on/off (on at power-up, as Chinese-market printers are);
    text: ASCII, and in Chinese mode GB18030 two-byte (and four-byte) codes, single bytes >= 0x80
        outside Chinese mode as CP437; the printer wraps a line that overflows the paper;
    ESC ! n (bold, double height/width), GS ! n (size 1–8 each way), ESC E / ESC G n bold,
    ESC a n alignment, ESC 2 / ESC 3 n line spacing, LF, ESC d n feed lines, ESC J n feed dots,
    GS v 0 raster images (drawn from the left margin), GS ( k QR code model/size/ECC/store/print
    (drawn by assets.qrcodes), GS V cut, DLE EOT / DLE ENQ / DLE DC4 real-time requests (no ink).
    The other commands in the parser's table (ESC t, ESC M, ESC -, GS a, GS r, GS B, ...) are skipped
    silently; ESC * column images, GS k barcodes, GS 8 L and GS ( / FS ( functions other than the
    QR code, and GS / are skipped whole and reported. A command the parser does not know is skipped
    as two bytes (a stray DLE as one) and reported in ``unknown_commands``, and so is a command the
    data ends inside; it never raises.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from PIL import Image

from assets import qrcodes
from printers.escpos_parser import ESC, FS, GS, Command, Text, byte_name, tokens
from printers.lines import CELL_DOTS, LINE_DOTS
from printers.profiles import HALF_CELL_DOTS
from printers.raster import INK, PAPER, cut_mark_image, glyph, keep_glyphs, stack

LF = 0x0A
QR_ECC_LEVELS = {0x30: "l", 0x31: "m", 0x32: "q", 0x33: "h"}
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
    """One printed character with its magnification and style."""

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
            core = strip.im  # Pillow's core paste, as Image.paste(INK, (x, y), mask) calls it: that wrapper's
            x = self._aligned_x(self.line_used)  # checks cost ~5 times the copy, for every character
            for ch in self.line:
                mask = self._glyph(ch)
                if ch.text != " ":
                    y = CELL_DOTS * (tallest - ch.height)
                    core.paste(INK, (x, y, x + mask.width, y + mask.height), mask.im)
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
            symbol = qrcodes.make(payload, self.qr_ecc)  # a str is the same UTF-8 bytes (and cache key)
        except qrcodes.QrEncodeError:
            self.out.unknown_commands.append(f"QR data of {len(raw)} bytes too long to print (not drawn)")
            return
        rows = symbol.matrix
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


def _unknown(printer: _Printer, description: str, at: int) -> None:
    printer.out.unknown_commands.append(f"{description} at byte {at}")


def _text(data: bytes, printer: _Printer) -> None:
    """Print a run of text bytes: LF ends a line, other control bytes print nothing; in Chinese mode
    GB18030 two- and four-byte codes, else single bytes (>= 0x80 as CP437)."""
    i = 0
    while i < len(data):
        first = data[i]
        i += 1
        if first == LF:
            printer.print_line()
        elif first < 0x20 or first == 0x7F:
            continue  # CR, HT and other control bytes print nothing
        elif printer.chinese and 0x81 <= first <= 0xFE:
            second = data[i] if i < len(data) else None
            if second is not None and 0x30 <= second <= 0x39 and i + 3 <= len(data):
                printer.put_char(_one_char(data[i - 1:i + 3]), 2)
                i += 3
            elif second is not None and 0x40 <= second <= 0xFE and second != 0x7F:
                printer.put_char(_one_char(data[i - 1:i + 1]), 2)
                i += 1
            else:
                printer.put_char("\ufffd", 1)
        elif first >= 0x80:
            printer.put_char(bytes((first,)).decode("cp437"), 1)
        else:
            printer.put_char(chr(first), 1)


def _reset(cmd: Command, printer: _Printer) -> None:
    printer.flush()
    printer.reset()


def _esc_bang(cmd: Command, printer: _Printer) -> None:
    n = cmd.params[0]
    printer.bold = bool(n & 0x08)
    printer.size_h = 2 if n & 0x10 else 1
    printer.size_w = 2 if n & 0x20 else 1


def _bold(cmd: Command, printer: _Printer) -> None:
    printer.bold = bool(cmd.params[0] & 1)


def _align(cmd: Command, printer: _Printer) -> None:
    printer.align = {0: 0, 1: 1, 2: 2, 48: 0, 49: 1, 50: 2}.get(cmd.params[0], printer.align)


def _feed_lines(cmd: Command, printer: _Printer) -> None:
    printer.flush()
    printer.feed_dots(cmd.params[0] * printer.line_dots)


def _feed_dots(cmd: Command, printer: _Printer) -> None:
    printer.flush()
    printer.feed_dots(cmd.params[0])


def _default_spacing(cmd: Command, printer: _Printer) -> None:
    printer.line_dots = DEFAULT_LINE_DOTS


def _spacing(cmd: Command, printer: _Printer) -> None:
    printer.line_dots = cmd.params[0]


def _column_image(cmd: Command, printer: _Printer) -> None:
    _unknown(printer, f"ESC * column bit image (mode {cmd.params[0]}, skipped, not drawn)", cmd.start)


def _chinese_on(cmd: Command, printer: _Printer) -> None:
    printer.chinese = True


def _chinese_off(cmd: Command, printer: _Printer) -> None:
    printer.chinese = False


def _sized_skipped(cmd: Command, printer: _Printer) -> None:
    name = cmd.name.split()[0]
    _unknown(printer, f"{name} ( {byte_name(cmd.params[0])} (skipped {len(cmd.body)} bytes)", cmd.start)


def _gs_paren(cmd: Command, printer: _Printer) -> None:
    body = cmd.body
    if cmd.params[0] != ord("k") or len(body) < 2 or body[0] != 0x31:
        _sized_skipped(cmd, printer)
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
        _unknown(printer, f"GS ( k QR function 0x{fn:02X}", cmd.start)


def _size(cmd: Command, printer: _Printer) -> None:
    n = cmd.params[0]
    printer.size_w = min(8, (n >> 4) + 1)
    printer.size_h = min(8, (n & 0x0F) + 1)


def _cut(cmd: Command, printer: _Printer) -> None:
    printer.cut()


def _raster(cmd: Command, printer: _Printer) -> None:
    mode, width_bytes, rows = cmd.params[1], cmd.params[2] + 256 * cmd.params[3], cmd.params[4] + 256 * cmd.params[5]
    printer.raster(width_bytes, rows, cmd.body, 2 if mode & 1 else 1, 2 if mode & 2 else 1)


def _barcode(cmd: Command, printer: _Printer) -> None:
    printer.flush()
    _unknown(printer, f"GS k barcode (system {cmd.params[0]}, skipped, not drawn)", cmd.start)


def _graphics(cmd: Command, printer: _Printer) -> None:
    _unknown(printer, f"GS 8 L graphics (skipped {len(cmd.body)} bytes, not drawn)", cmd.start)


def _downloaded_image(cmd: Command, printer: _Printer) -> None:
    _unknown(printer, "GS / downloaded bit image (not drawn)", cmd.start)


#: What the interpreter does for a command; a known command that is not here prints nothing.
_HANDLERS: dict[tuple[int, int], Callable[[Command, _Printer], None]] = {
    (ESC, ord("@")): _reset, (ESC, ord("!")): _esc_bang, (ESC, ord("E")): _bold, (ESC, ord("G")): _bold,
    (ESC, ord("a")): _align, (ESC, ord("d")): _feed_lines, (ESC, ord("J")): _feed_dots,
    (ESC, ord("2")): _default_spacing, (ESC, ord("3")): _spacing, (ESC, ord("*")): _column_image,
    (FS, ord("&")): _chinese_on, (FS, ord(".")): _chinese_off, (FS, ord("(")): _sized_skipped,
    (GS, ord("!")): _size, (GS, ord("V")): _cut, (GS, ord("v")): _raster, (GS, ord("(")): _gs_paren,
    (GS, ord("k")): _barcode, (GS, ord("8")): _graphics, (GS, ord("/")): _downloaded_image,
}


def _command(cmd: Command, printer: _Printer) -> None:
    if not cmd.known:
        _unknown(printer, cmd.name, cmd.start)
        return
    if not cmd.head_complete:
        label = "GS v 0 raster header" if cmd.name == "GS v 0" else cmd.name
        _unknown(printer, f"{label} cut short", cmd.start)
        return
    handler = _HANDLERS.get((cmd.prefix, cmd.code)) if cmd.code is not None else None
    if handler is not None:
        handler(cmd, printer)  # a body cut short is drawn as far as it goes (raster rows, QR data)


def _run(data: bytes, width_dots: int, draw: bool, chinese_mode: bool) -> PrintOut:
    printer = _Printer(width_dots, draw, chinese_mode)
    for token in tokens(data):
        if isinstance(token, Text):
            _text(token.data, printer)
        else:
            _command(token, printer)
    printer.flush()
    if draw:
        printer.out.image = stack(printer.strips, width_dots)
        keep_glyphs()  # the cells drawn for the next process (printers.glyphcache)
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


def _one_char(code: bytes) -> str:
    """One GB18030 code as the one character a printer draws for it; a broken code (a lead byte before
    a digit and two NULs) is one replacement character, never the several its bytes decode to."""
    text = code.decode("gb18030", errors="replace")
    return text if len(text) == 1 else "\ufffd"
