"""The SAM_V serial protocol of second-generation ID-card readers (pure: no I/O, no threads).

Wire format (specs/idcard-protocol.md §1), UART 8N1, 115200 bps by default:

    host -> reader   AA AA AA 96 69 | LEN_H LEN_L | CMD | PARA | DATA(n) | CHK
    reader -> host   AA AA AA 96 69 | LEN_H LEN_L | SW1 SW2 SW3 | DATA(n) | CHK

LEN is big-endian and counts every byte after itself up to and including CHK; CHK is the XOR of
all bytes from LEN_H to the last DATA byte. This module builds every request frame, builds
responses (for the simulator), decodes frames incrementally from any chunking (`FrameDecoder`),
splits the read-card payload by its header lengths, and names the SW3 status codes (`Sw3`).
"""

from __future__ import annotations

import enum
import struct
from dataclasses import dataclass

from idreader.errors import ChecksumError, FrameError, LengthError, StatusError

PREAMBLE = b"\xaa\xaa\xaa\x96\x69"
HEADER_SIZE = len(PREAMBLE) + 2  # preamble + LEN
MIN_REQUEST_LEN = 2  # CMD + CHK (the vendor sleep/wake frames carry no PARA)
MIN_RESPONSE_LEN = 4  # SW1 SW2 SW3 + CHK
MAX_FRAME_LEN = 4096  # the largest real reply (text+photo+2 fingerprints) has LEN 0x090A


class Sw3(enum.IntEnum):
    """Reader/SAM status byte SW3, with its meaning in Chinese and English (spec §1)."""

    SUCCESS = 0x90
    NO_CONTENT = 0x91
    FIND_OK = 0x9F
    CHECKSUM_ERROR = 0x10
    LENGTH_ERROR = 0x11
    COMMAND_ERROR = 0x21
    NOT_PERMITTED = 0x23
    UNKNOWN_ERROR = 0x24
    CARD_AUTH_SAM_FAILED = 0x31
    SAM_AUTH_CARD_FAILED = 0x32
    VERIFY_ERROR = 0x33
    UNKNOWN_CARD_TYPE = 0x40
    READ_FAILED = 0x41
    RANDOM_FAILED = 0x47
    SAM_SELF_TEST_FAILED = 0x60
    SAM_NOT_AUTHORISED = 0x66
    FIND_FAILED = 0x80
    SELECT_FAILED = 0x81

    @property
    def meaning_zh(self) -> str:
        return _MEANINGS[self][0]

    @property
    def meaning_en(self) -> str:
        return _MEANINGS[self][1]


_MEANINGS: dict[Sw3, tuple[str, str]] = {
    Sw3.SUCCESS: ("操作成功", "success"),
    Sw3.NO_CONTENT: ("证/卡中此项无内容", "the card has no content for this item"),
    Sw3.FIND_OK: ("寻找证/卡成功", "find card succeeded"),
    Sw3.CHECKSUM_ERROR: ("接收业务终端数据的校验和错", "checksum error in the host frame"),
    Sw3.LENGTH_ERROR: ("接收业务终端数据的长度错", "length error in the host frame"),
    Sw3.COMMAND_ERROR: ("接收业务终端的命令错误", "command error (bad values or invalid combination)"),
    Sw3.NOT_PERMITTED: ("越权操作", "operation not permitted"),
    Sw3.UNKNOWN_ERROR: ("无法识别的错误", "unrecognised error"),
    Sw3.CARD_AUTH_SAM_FAILED: ("证/卡认证SAM失败", "card failed to authenticate the SAM"),
    Sw3.SAM_AUTH_CARD_FAILED: ("SAM认证证/卡失败", "SAM failed to authenticate the card"),
    Sw3.VERIFY_ERROR: ("信息验证错误", "information verification error"),
    Sw3.UNKNOWN_CARD_TYPE: ("无法识别的卡类型", "unrecognised card type"),
    Sw3.READ_FAILED: ("读证/卡操作失败", "read card failed"),
    Sw3.RANDOM_FAILED: ("取随机数失败", "get-random-number failed"),
    Sw3.SAM_SELF_TEST_FAILED: ("SAM自检失败，不能接收命令", "SAM self-test failed; accepts no commands"),
    Sw3.SAM_NOT_AUTHORISED: ("SAM未经授权", "SAM not authorised"),
    Sw3.FIND_FAILED: ("寻找证/卡失败", "find card failed (no card)"),
    Sw3.SELECT_FAILED: ("选取证/卡失败", "select card failed"),
}


def describe_status(code: int) -> str:
    """One line naming an SW3 code, e.g. "SW3 0x41: read card failed (读证/卡操作失败)"."""
    try:
        status = Sw3(code)
    except ValueError:
        return f"SW3 0x{code:02X}: unknown status code"
    return f"SW3 0x{code:02X}: {status.meaning_en} ({status.meaning_zh})"


# --- request frames -----------------------------------------------------------------------------


class Command(enum.Enum):
    """(CMD, PARA) of every standard command (spec §2)."""

    RESET_SAM = (0x10, 0xFF)
    SAM_STATUS = (0x11, 0xFF)
    SAM_ID = (0x12, 0xFF)
    FIND_CARD = (0x20, 0x01)
    SELECT_CARD = (0x20, 0x02)
    READ_TEXT_PHOTO = (0x30, 0x01)
    READ_ADDITIONAL_ADDRESS = (0x30, 0x03)
    READ_CHIP_NUMBER = (0x30, 0x05)
    READ_WITH_FINGERPRINT = (0x30, 0x10)


BAUD_RATE_CODES: dict[int, int] = {115200: 0x00, 57600: 0x01, 38400: 0x02, 19200: 0x03, 9600: 0x04}


def xor_checksum(data: bytes) -> int:
    """XOR of all bytes (the protocol's CHK over LEN_H..last DATA byte)."""
    value = 0
    for byte in data:
        value ^= byte
    return value


def encode_frame(body: bytes) -> bytes:
    """Wrap a frame body (CMD PARA DATA, or SW1 SW2 SW3 DATA) with preamble, LEN and CHK."""
    length = len(body) + 1
    if length > 0xFFFF:
        raise LengthError(f"frame body of {len(body)} bytes does not fit the 16-bit length field")
    head = struct.pack(">H", length)
    return PREAMBLE + head + body + bytes([xor_checksum(head + body)])


def encode_request(cmd: int, para: int | None = None, data: bytes = b"") -> bytes:
    body = bytes([cmd]) + (bytes([para]) if para is not None else b"") + data
    return encode_frame(body)


def request(command: Command, data: bytes = b"") -> bytes:
    """The request frame of a standard command, e.g. `request(Command.FIND_CARD)`."""
    cmd, para = command.value
    return encode_request(cmd, para, data)


def set_baud_rate_request(baudrate: int) -> bytes:
    try:
        code = BAUD_RATE_CODES[baudrate]
    except KeyError:
        allowed = ", ".join(str(rate) for rate in BAUD_RATE_CODES)
        raise ValueError(f"the reader supports {allowed} bps, not {baudrate}") from None
    return encode_request(0x60, code)


def set_max_rf_frame_request(size: int) -> bytes:
    return encode_request(0x61, 0xFF, bytes([size]))


def encode_response(sw3: int, data: bytes = b"", sw1: int = 0, sw2: int = 0) -> bytes:
    return encode_frame(bytes([sw1, sw2, sw3]) + data)


def encode_read_response(text: bytes, photo: bytes, fingerprint: bytes | None = None) -> bytes:
    """The 30 01 reply (or 30 10 when `fingerprint` is given, b"" for a card without one)."""
    if fingerprint is None:
        head = struct.pack(">HH", len(text), len(photo))
        return encode_response(Sw3.SUCCESS, head + text + photo)
    head = struct.pack(">HHH", len(text), len(photo), len(fingerprint))
    return encode_response(Sw3.SUCCESS, head + text + photo + fingerprint)


# --- decoding -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Frame:
    """One checked frame. `body` is everything between LEN and CHK."""

    body: bytes

    @property
    def raw(self) -> bytes:
        return encode_frame(self.body)

    # reader -> host view
    @property
    def sw1(self) -> int:
        return self.body[0]

    @property
    def sw2(self) -> int:
        return self.body[1]

    @property
    def sw3(self) -> int:
        return self.body[2]

    @property
    def data(self) -> bytes:
        """The DATA of a response frame (after SW1 SW2 SW3)."""
        return self.body[3:]

    # host -> reader view
    @property
    def cmd(self) -> int:
        return self.body[0]

    @property
    def para(self) -> int | None:
        return self.body[1] if len(self.body) > 1 else None

    @property
    def request_data(self) -> bytes:
        return self.body[2:]

    def expect(self, *ok: int) -> Frame:
        """Return self when SW3 is one of `ok`, else raise StatusError naming the code."""
        if self.sw3 not in ok:
            raise StatusError(self.sw3, describe_status(self.sw3))
        return self


class FrameDecoder:
    """Incremental frame decoder: feed bytes in any chunking, take frames out one by one.

    Bytes before a preamble are skipped (counted in `discarded`). A frame with an impossible
    length field or a wrong XOR is consumed and reported by `next_frame()` raising LengthError or
    ChecksumError; the decoder stays usable and goes on with the bytes after it.
    """

    def __init__(self, min_length: int = MIN_RESPONSE_LEN, max_length: int = MAX_FRAME_LEN) -> None:
        self._buffer = bytearray()
        self._min_length = min_length
        self._max_length = max_length
        self.discarded = 0

    def feed(self, data: bytes) -> None:
        self._buffer += data

    @property
    def pending(self) -> int:
        """Bytes buffered that do not yet form a whole frame."""
        return len(self._buffer)

    def expected_size(self) -> int | None:
        """Total size of the frame being received, once its header is in; else None."""
        self._skip_to_preamble()
        if len(self._buffer) < HEADER_SIZE:
            return None
        return HEADER_SIZE + int.from_bytes(self._buffer[5:7], "big")

    def next_frame(self) -> Frame | None:
        """The next complete frame, or None when more bytes are needed."""
        self._skip_to_preamble()
        if len(self._buffer) < HEADER_SIZE:
            return None
        length = int.from_bytes(self._buffer[5:7], "big")
        if not self._min_length <= length <= self._max_length:
            del self._buffer[:1]  # drop this preamble's first byte and resynchronise after it
            self.discarded += 1
            raise LengthError(
                f"length field {length} is outside {self._min_length}..{self._max_length}"
            )
        total = HEADER_SIZE + length
        if len(self._buffer) < total:
            return None
        frame_bytes = bytes(self._buffer[:total])
        del self._buffer[:total]
        expected = xor_checksum(frame_bytes[5:-1])
        if frame_bytes[-1] != expected:
            raise ChecksumError(
                f"checksum byte is 0x{frame_bytes[-1]:02X} but the frame XORs to 0x{expected:02X}"
            )
        return Frame(frame_bytes[7:-1])

    def feed_and_collect(self, data: bytes) -> list[Frame]:
        """Feed `data` and return every complete frame now available (raises on a bad frame)."""
        self.feed(data)
        frames = []
        while (frame := self.next_frame()) is not None:
            frames.append(frame)
        return frames

    def _skip_to_preamble(self) -> None:
        index = self._buffer.find(PREAMBLE)
        if index == 0:
            return
        if index < 0:
            # keep a tail that could be the start of a preamble split across chunks
            keep = 0
            for size in range(min(len(PREAMBLE) - 1, len(self._buffer)), 0, -1):
                if self._buffer.endswith(PREAMBLE[:size]):
                    keep = size
                    break
            index = len(self._buffer) - keep
        self.discarded += index
        del self._buffer[:index]


def decode_frame(data: bytes, min_length: int = MIN_RESPONSE_LEN) -> Frame:
    """Decode exactly one frame from `data` (garbage before the preamble is tolerated)."""
    decoder = FrameDecoder(min_length=min_length)
    decoder.feed(data)
    frame = decoder.next_frame()
    if frame is None:
        have = decoder.pending
        size = decoder.expected_size()
        if size is None:
            raise FrameError("no frame found: the preamble AA AA AA 96 69 and length are missing")
        raise LengthError(f"frame cut short: {have} of {size} bytes present")
    if decoder.pending:
        raise LengthError(f"{decoder.pending} stray bytes after the frame")
    return frame


# --- read-card payload ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ReadPayload:
    """The blocks of a 30 01 / 30 10 reply, split by the lengths in its header."""

    text: bytes
    photo: bytes
    fingerprint: bytes | None  # None for a 30 01 reply


def split_read_payload(data: bytes) -> ReadPayload:
    """Split the DATA of a read reply; a 30 01 or a 30 10 reply is recognised by its lengths."""
    if len(data) >= 4:
        text_len, photo_len = struct.unpack_from(">HH", data, 0)
        if 4 + text_len + photo_len == len(data):
            return ReadPayload(data[4 : 4 + text_len], data[4 + text_len :], None)
    if len(data) >= 6:
        text_len, photo_len, fp_len = struct.unpack_from(">HHH", data, 0)
        if 6 + text_len + photo_len + fp_len == len(data):
            start = 6 + text_len
            return ReadPayload(data[6:start], data[start : start + photo_len], data[start + photo_len :])
    raise LengthError(f"read reply of {len(data)} data bytes does not match the block lengths in its header")


# --- SAM ID -----------------------------------------------------------------------------------


def format_sam_id(data: bytes) -> str:
    """Print the 16-byte SAM ID as `%02d.%02d-%d-%010d-%010d` (spec §9.3)."""
    if len(data) != 16:
        raise LengthError(f"a SAM ID has 16 bytes, not {len(data)}")
    a, b, c, d, e = struct.unpack("<HHIII", data)
    return f"{a:02d}.{b:02d}-{c}-{d:010d}-{e:010d}"
