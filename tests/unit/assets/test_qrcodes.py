"""assets.qrcodes: zxing-cpp encodes what segno encoded (the same bytes, no ECI, the error level asked, a
full QR code at segno's version or a smaller one for mixed text), read back by a decoder and bit by bit."""

from __future__ import annotations

import io
import random
import string

import pytest
import segno
import zxingcpp
from PIL import Image

from assets import qrcodes

#: Mode indicators (ISO/IEC 18004 table 2).
MODES = {0b0001: "numeric", 0b0010: "alphanumeric", 0b0100: "byte", 0b1000: "kanji", 0b0111: "eci",
         0b0011: "structured append", 0b0101: "fnc1", 0b1001: "fnc1", 0b0000: "end"}
MASKS = (lambda i, j: (i + j) % 2 == 0, lambda i, j: i % 2 == 0, lambda i, j: j % 3 == 0,
         lambda i, j: (i + j) % 3 == 0, lambda i, j: (i // 2 + j // 3) % 2 == 0,
         lambda i, j: (i * j) % 2 + (i * j) % 3 == 0, lambda i, j: ((i * j) % 2 + (i * j) % 3) % 2 == 0,
         lambda i, j: ((i + j) % 2 + (i * j) % 3) % 2 == 0)
#: Data codewords of the versions held in one block at ECC M (ISO/IEC 18004 table 9).
ONE_BLOCK_M = {1: 16, 2: 28, 3: 44}
ALPHANUMERIC = string.digits + string.ascii_uppercase + " $%*+-./:"
HAN = "公共场所卫生许可证铜梁区悦来宾馆重庆市政务服务中心核验张三李四欧阳娜娜中国"


def first_mode(symbol: qrcodes.QrSymbol) -> str:
    """The mode of the symbol's first segment: its first 4 data bits fill the bottom-right 2x2 modules."""
    n = len(symbol.matrix)
    cells = [(n - 1, n - 1), (n - 1, n - 2), (n - 2, n - 1), (n - 2, n - 2)]
    bits = [symbol.matrix[i][j] ^ MASKS[symbol.mask](i, j) for i, j in cells]
    return MODES[int("".join("1" if bit else "0" for bit in bits), 2)]


def _function_module(i: int, j: int, n: int, version: int) -> bool:
    """Finder patterns with separators and format areas, timing patterns, the alignment pattern (V2-6)."""
    near = (i <= 8 and j <= 8) or (i <= 8 and j >= n - 8) or (i >= n - 8 and j <= 8)
    align = version >= 2 and abs(i - (n - 7)) <= 2 and abs(j - (n - 7)) <= 2
    return near or align or i == 6 or j == 6


def segments(symbol: qrcodes.QrSymbol) -> list[tuple[str, bytes]]:
    """The segments of a one-block ECC-M symbol (V1-3) as (mode, characters), read from its modules
    (ISO/IEC 18004 7.7.3: two-module columns from the right, alternately upwards and downwards)."""
    n, version = len(symbol.matrix), symbol.version
    bits = []
    for right in range(n - 1, 0, -2):
        if right <= 6:
            right -= 1  # the vertical timing pattern is skipped
        upwards = ((right & 2) == 0) != (right < 6)
        for step in range(n):
            i = n - 1 - step if upwards else step
            for j in (right, right - 1):
                if not _function_module(i, j, n, version):
                    bits.append("1" if symbol.matrix[i][j] ^ MASKS[symbol.mask](i, j) else "0")
    stream = "".join(bits[:8 * ONE_BLOCK_M[version]])
    found, at = [], 0

    def take(count: int) -> int:
        nonlocal at
        at += count
        return int(stream[at - count:at] or "0", 2)

    while at + 4 <= len(stream) and (mode := MODES[take(4)]) != "end":
        if mode == "eci":
            found.append((mode, str(take(8)).encode()))
            continue
        length = take({"numeric": 10, "alphanumeric": 9, "byte": 8}[mode])
        left = range(length, 0, -3 if mode == "numeric" else -2 if mode == "alphanumeric" else -1)
        if mode == "numeric":
            text = "".join(str(take({1: 4, 2: 7}.get(k, 10))).zfill(min(k, 3)) for k in left)
        elif mode == "alphanumeric":
            text = "".join(ALPHANUMERIC[take(6)] if k == 1 else "".join(ALPHANUMERIC[d] for d in divmod(take(11), 45))
                           for k in left)
        else:
            text = bytes(take(8) for _ in left).decode("latin-1")
        found.append((mode, text.encode("latin-1")))
    return found


def read_back(symbol: qrcodes.QrSymbol) -> zxingcpp.Barcode:
    """Decode the symbol drawn 4 pixels per module (through QrSymbol.save, the PNG writer)."""
    png = io.BytesIO()
    symbol.save(png, kind="png", scale=4, border=4)
    result = zxingcpp.read_barcode(Image.open(io.BytesIO(png.getvalue())), formats=zxingcpp.BarcodeFormat.QRCode)
    assert result is not None and result.valid
    return result


def segno_version(content: str | bytes, error: str = "m") -> int:
    """The version segno's make_qr gave (one mask: the version does not depend on it)."""
    return segno.make_qr(content, error=error, encoding="utf-8", boost_error=False, mask=0).version


PAYLOADS = {
    "ascii url": "https://zwfw.cq.gov.cn/verify?id=AbCdEfGh&lang=zh",
    "credential": "MB1:" + "0123456789ABCDEF:$%*+-./ " * 11,
    "chinese": "核验 中国 张三：公共场所卫生许可证（铜梁区卫生健康委员会）",
    "long mixed": ("申请人张三 https://example.cn/a?b=c " * 40)[:1000],
    "digits": "500151202611210007" * 20,
}


@pytest.mark.parametrize("name", sorted(PAYLOADS))
def test_a_symbol_decodes_to_exactly_its_text_at_segnos_version(name: str) -> None:
    text = PAYLOADS[name]
    symbol = qrcodes.make(text)
    result = read_back(symbol)
    assert result.bytes == text.encode("utf-8") and result.text == text
    assert (symbol.version, symbol.error, result.ec_level) == (segno_version(text), "M", "M")
    assert int(result.extra["Version"]) == symbol.version and result.extra["DataMask"] == symbol.mask
    assert first_mode(symbol) != "eci"  # segno added no ECI (eci=False) and neither does this


def test_bytes_that_are_not_utf8_are_encoded_as_they_are() -> None:
    data = bytes(range(256))
    symbol = qrcodes.make(data, "l")
    assert read_back(symbol).bytes == data
    assert (symbol.version, symbol.error, first_mode(symbol)) == (segno_version(data, "l"), "L", "byte")


@pytest.mark.parametrize("error", "lmqh")
def test_the_error_level_is_the_one_asked_never_boosted(error: str) -> None:
    symbol = qrcodes.make("A", error)  # fits version 1 at H: segno's boost_error=True would raise it
    assert (symbol.version, symbol.error, read_back(symbol).ec_level) == (1, error.upper(), error.upper())


def test_segments_in_one_mode_are_segnos_bits_and_chinese_is_utf8_in_byte_mode() -> None:
    assert segments(qrcodes.make("中国")) == [("byte", "中国".encode())]  # never Kanji mode, no ECI
    assert segments(qrcodes.make("HELLO WORLD")) == [("alphanumeric", b"HELLO WORLD")]
    assert segments(qrcodes.make("hello")) == [("byte", b"hello")]
    assert segments(qrcodes.make("0123456789")) == [("numeric", b"0123456789")]


def test_a_long_digit_run_in_text_is_its_own_segment_so_the_version_can_be_smaller_than_segnos() -> None:
    """segno put the whole text in one mode (byte: 4+8+18x8 = 156 bits, V2); zxing-cpp (libzint) splits
    it (byte 'w', numeric 17 digits: 4+8+8 + 4+10+57 = 91 bits, V1). The smaller version is the one the
    size checks must see: it is what is printed."""
    symbol = qrcodes.make("w88888888119999999")
    assert segments(symbol) == [("byte", b"w"), ("numeric", b"88888888119999999")]
    assert (symbol.version, segno_version("w88888888119999999")) == (1, 2)


def test_versions_match_segnos_for_single_mode_texts_and_are_never_larger() -> None:
    rnd = random.Random(17)
    for length in [*range(1, 60, 3), *range(60, 1001, 47)]:
        texts = {"alphanumeric": "MB1:" + "".join(rnd.choice(ALPHANUMERIC) for _ in range(length)),
                 "url": "https://zwfw.cq.gov.cn/v?id=" + "".join(rnd.choice(string.ascii_letters)
                                                                  for _ in range(length)),
                 "chinese": "".join(rnd.choice(HAN) for _ in range(1 + length // 3))}
        for kind, text in texts.items():
            assert qrcodes.make(text).version == segno_version(text), (kind, length)
        mixed = "".join(rnd.choice([rnd.choice(HAN), "a", "7" * rnd.randint(1, 12)]) for _ in range(1 + length // 4))
        assert qrcodes.make(mixed).version <= segno_version(mixed), length


def test_too_long_or_empty_is_a_typed_error() -> None:
    assert qrcodes.make(b"\xff" * 2331).version == 40
    with pytest.raises(qrcodes.QrEncodeError, match="2332 bytes do not fit a QR code at error level M"):
        qrcodes.make(b"\xff" * 2332)
    with pytest.raises(ValueError, match="level H"):  # a QrEncodeError is a ValueError
        qrcodes.make("x" * 1300, "h")
    with pytest.raises(qrcodes.QrEncodeError, match="empty"):
        qrcodes.make("")


def test_a_symbol_is_encoded_once_and_draws_with_any_quiet_zone() -> None:
    symbol = qrcodes.make("HELLO")
    assert qrcodes.make("HELLO") is symbol
    assert symbol.symbol_size(border=2) == (25, 25) and len(symbol.matrix) == 21
    rows = list(symbol.matrix_iter(border=2))
    assert len(rows) == 25 and all(len(row) == 25 for row in rows)
    assert not any(rows[0]) and not any(row[0] or row[1] or row[-1] for row in rows)
    assert [row[2:-2] for row in rows[2:-2]] == list(symbol.matrix) == list(symbol.matrix_iter(border=0))
