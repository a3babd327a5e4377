"""The ESC/POS interpreter: text back, sizes, raster, QR, cuts, and never crashing on odd bytes."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from printers.escpos_interpreter import decode_text, interpret, parse

INIT = b"\x1b@"


def test_gb18030_text_comes_back() -> None:
    data = INIT + b"\x1c&" + "受理编号：SL001，￥5。".encode("gbk") + b"\n"
    assert decode_text(data) == ["受理编号：SL001，￥5。"]


def test_outside_chinese_mode_high_bytes_are_cp437() -> None:
    assert decode_text(INIT + b"\x1c." + b"\x9c\n") == ["£"]


def test_four_byte_gb18030_is_decoded() -> None:
    assert decode_text("𠮷".encode("gb18030") + b"\n") == ["𠮷"]


def test_sizes_change_the_line_height() -> None:
    normal = interpret(INIT + "中".encode("gbk") + b"\n", 384)
    double = interpret(INIT + b"\x1d!\x11" + "中".encode("gbk") + b"\n", 384)
    esc_bang = interpret(INIT + b"\x1b!\x30" + "中".encode("gbk") + b"\n", 384)
    assert (normal.height, double.height, esc_bang.height) == (30, 54, 54)


def test_alignment_moves_the_ink() -> None:
    def ink_left_edge(data: bytes) -> int:
        image = interpret(data, 384).point(lambda v: 255 - v)
        return image.getbbox()[0]

    left = ink_left_edge(INIT + b"AB\n")
    centre = ink_left_edge(INIT + b"\x1ba\x01AB\n")
    right = ink_left_edge(INIT + b"\x1ba\x02AB\n")
    assert left < 12 and 170 < centre < 200 and right > 340


def test_overlong_line_wraps_like_a_printer() -> None:
    assert decode_text(INIT + b"A" * 40 + b"\n", 384) == ["A" * 32, "A" * 8]


def test_raster_image_is_drawn() -> None:
    # 2 bytes wide, 2 rows: first row all ink, second row blank
    data = INIT + b"\x1dv0\x00\x02\x00\x02\x00" + b"\xff\xff\x00\x00"
    printed = parse(data, 384)
    assert printed.raster_images == 1
    assert printed.image.getpixel((0, 0)) == 0 and printed.image.getpixel((0, 1)) == 255
    assert printed.image.getpixel((16, 0)) == 255


def test_cut_and_status_requests() -> None:
    printed = parse(INIT + b"\x10\x04\x01\x10\x04\x04x\n\x1dV\x00\x1dVB\x00", 384, draw=False)
    assert printed.cuts == 2 and printed.text_lines == ["x"] and printed.unknown_commands == []


def test_unknown_commands_are_skipped_and_reported() -> None:
    printed = parse(INIT + b"\x1b\x7eA\x1d\x7fB\x1c\x01C\n", 384, draw=False)
    assert printed.text_lines == ["ABC"]
    assert len(printed.unknown_commands) == 3
    assert "ESC ~ at byte 2" in printed.unknown_commands[0]


@pytest.mark.parametrize(("data", "lines", "reported"), [
    (b"\x1b", [], True),                                 # ESC with no command byte: reported, nothing printed
    (b"ok\n\x1b", ["ok"], True),                         # ... after a line: the line is kept
    (b"\x1d(k\x10\x00\x31P0ab", [], False),                # a QR store cut short: its bytes are no text, no QR
    (b"\x1dv0\x00\x05\x00", [], True),                    # a raster header cut short: reported, no image
    (b"ok\n\x1dv0\x00\x05\x00", ["ok"], True),
    (b"\xd6", ["\ufffd"], False),                        # half a GB18030 character: shown as \ufffd, not dropped
    (b"\x1dv0\x00\x02\x00\x09\x00ab", [], False),         # raster rows cut short: drawn as far as they go
], ids=["esc", "line-then-esc", "qr-store", "raster-header", "line-then-raster-header", "half-gbk", "raster-rows"])
def test_truncated_commands_keep_what_came_before_and_print_nothing_of_their_own(data, lines, reported) -> None:
    printed = parse(data, 384)
    assert printed.text_lines == lines
    assert printed.qr_payloads == [] and printed.cuts == 0
    assert printed.raster_images == (1 if data.startswith(b"\x1dv0\x00\x02") else 0)
    assert bool(printed.unknown_commands) == reported, printed.unknown_commands
    assert printed.image is not None and printed.image.width == 384


@settings(max_examples=60, deadline=None, database=None)
@given(st.binary(max_size=300))
def test_random_bytes_are_read_without_an_exception(data: bytes) -> None:
    """Any bytes: no exception, and what is read back is bounded by what was sent (every reported command
    and every printed character consumed at least one byte; lines are split at line feeds)."""
    printed = parse(data, 384, draw=False)
    assert all("\n" not in line for line in printed.text_lines)
    assert len(printed.unknown_commands) <= len(data)
    assert sum(len(line) for line in printed.text_lines) <= len(data)


def test_a_lead_byte_before_a_digit_is_drawn() -> None:
    """A broken four-byte GB18030 code is drawn as one replacement character (it crashed the drawing)."""
    printed = parse(b"\x810\x00\x00", 384)
    assert printed.image is not None and printed.image.width == 384
    assert printed.text_lines == ["\ufffd"]


@settings(max_examples=25, deadline=None, database=None)
@given(st.lists(st.sampled_from([b"\x1b@", b"\x1c&", b"\x1c.", b"\x1d!\x11", b"\x1d!\x77", b"\x1bE\x01",
                                  b"\x1ba\x02", b"\n", b"\x1bd\x02", "中文".encode("gbk"), b"abc",
                                  b"\x1dv0\x00\x01\x00\x03\x00\xaa\x55\xaa", b"\x1dV\x00", b"\xff\xfe"]),
                max_size=30))
def test_command_soup_draws_at_the_paper_width(chunks: list[bytes]) -> None:
    image = interpret(b"".join(chunks), 384)
    assert image.width == 384


def test_barcodes_and_column_images_are_skipped_whole_and_reported() -> None:
    data = INIT + b"\x1dk\x04ABC123\x00" + b"\x1dkI\x03XYZ" + b"\x1b*\x00\x02\x00\xff\xff" + b"ok\n"
    printed = parse(data, 384, draw=False)
    assert printed.text_lines == ["ok"]
    assert [entry.split(" (")[0] for entry in printed.unknown_commands] == ["GS k barcode", "GS k barcode",
                                                                             "ESC * column bit image"]
