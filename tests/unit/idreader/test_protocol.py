"""Frames, the incremental decoder and status codes against the spec's byte-exact vectors."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from idreader.errors import ChecksumError, FrameError, LengthError, StatusError
from idreader.protocol import (
    MIN_REQUEST_LEN,
    Command,
    FrameDecoder,
    Sw3,
    decode_frame,
    describe_status,
    encode_read_response,
    encode_response,
    format_sam_id,
    request,
    set_baud_rate_request,
    set_max_rf_frame_request,
    split_read_payload,
)

H = bytes.fromhex

REQUESTS = [
    (Command.RESET_SAM, "AA AA AA 96 69 00 03 10 FF EC"),
    (Command.SAM_STATUS, "AA AA AA 96 69 00 03 11 FF ED"),
    (Command.SAM_ID, "AA AA AA 96 69 00 03 12 FF EE"),
    (Command.FIND_CARD, "AA AA AA 96 69 00 03 20 01 22"),
    (Command.SELECT_CARD, "AA AA AA 96 69 00 03 20 02 21"),
    (Command.READ_TEXT_PHOTO, "AA AA AA 96 69 00 03 30 01 32"),
    (Command.READ_WITH_FINGERPRINT, "AA AA AA 96 69 00 03 30 10 23"),
    (Command.READ_ADDITIONAL_ADDRESS, "AA AA AA 96 69 00 03 30 03 30"),
    (Command.READ_CHIP_NUMBER, "AA AA AA 96 69 00 03 30 05 36"),
]


@pytest.mark.parametrize(("command", "expected"), REQUESTS, ids=[c.name for c, _ in REQUESTS])
def test_request_frames_match_the_spec(command, expected):
    assert request(command) == H(expected)


@pytest.mark.parametrize(
    ("baud", "last_two"),
    [(115200, "00 63"), (57600, "01 62"), (38400, "02 61"), (19200, "03 60"), (9600, "04 67")],
)
def test_set_baud_rate_frames(baud, last_two):
    assert set_baud_rate_request(baud) == H("AA AA AA 96 69 00 03 60" + last_two)


def test_set_baud_rate_refuses_unsupported_rates():
    with pytest.raises(ValueError, match="9600"):
        set_baud_rate_request(4800)


def test_max_rf_frame_request():
    assert set_max_rf_frame_request(0x50) == H("AA AA AA 96 69 00 04 61 FF 50 CA")


FIXED_REPLIES = [
    (encode_response(Sw3.SUCCESS), "AA AA AA 96 69 00 04 00 00 90 94"),
    (encode_response(Sw3.FIND_OK, bytes(4)), "AA AA AA 96 69 00 08 00 00 9F 00 00 00 00 97"),
    (encode_response(Sw3.SUCCESS, bytes(8)), "AA AA AA 96 69 00 0C 00 00 90 00 00 00 00 00 00 00 00 9C"),
]


@pytest.mark.parametrize(("built", "expected"), FIXED_REPLIES)
def test_success_replies_match_the_spec(built, expected):
    assert built == H(expected)


@pytest.mark.parametrize("status", list(Sw3), ids=[s.name for s in Sw3])
def test_generic_status_reply_and_its_meaning(status):
    frame = encode_response(status)
    assert frame == H("AA AA AA 96 69 00 04 00 00") + bytes([status, status ^ 0x04])
    decoded = decode_frame(frame)
    assert decoded.sw3 == status and decoded.data == b""
    assert status.meaning_zh and status.meaning_en
    assert f"0x{status:02X}" in describe_status(status)


def test_spec_error_examples_from_s25():
    assert decode_frame(H("AA AA AA 96 69 00 04 00 00 41 45")).sw3 == Sw3.READ_FAILED
    assert decode_frame(H("AA AA AA 96 69 00 04 00 00 32 36")).sw3 == Sw3.SAM_AUTH_CARD_FAILED


def test_unknown_status_is_described_not_raised():
    assert "unknown" in describe_status(0x55)


def test_expect_raises_status_error_with_code():
    frame = decode_frame(encode_response(Sw3.FIND_FAILED))
    with pytest.raises(StatusError) as info:
        frame.expect(Sw3.FIND_OK)
    assert info.value.code == 0x80
    assert "find card failed" in str(info.value)


def test_sam_id_vector():
    frame = decode_frame(H("AA AA AA 96 69 00 14 00 00 90 05 00 01 00 91 B7 32 01 39 30 00 00 D2 02 96 49"
                           " 93"))
    assert format_sam_id(frame.data) == "05.01-20101009-0000012345-1234567890"


def test_sam_id_must_be_16_bytes():
    with pytest.raises(LengthError):
        format_sam_id(bytes(15))


def test_read_response_header_and_size():
    frame = encode_read_response(bytes(256), bytes(1024))
    assert len(frame) == 1295
    assert frame[:14] == H("AAAAAA9669050800009001000400")
    with_fp = encode_read_response(bytes(256), bytes(1024), bytes(1024))
    assert len(with_fp) == 2321 and with_fp[:10] == H("AAAAAA9669090A000090")
    no_fp = encode_read_response(bytes(256), bytes(1024), b"")
    assert len(no_fp) == 1297 and no_fp[:10] == H("aaaaaa9669050a000090")


def test_split_read_payload_uses_header_lengths():
    text, photo = bytes(range(256)), bytes(1024)
    base = split_read_payload(decode_frame(encode_read_response(text, photo)).data)
    assert (base.text, base.photo, base.fingerprint) == (text, photo, None)
    fp = split_read_payload(decode_frame(encode_read_response(text, photo, b"\x01" * 512)).data)
    assert (fp.text, fp.photo, fp.fingerprint) == (text, photo, b"\x01" * 512)
    odd = split_read_payload(decode_frame(encode_read_response(text, photo[:100])).data)
    assert odd.photo == photo[:100]


def test_split_read_payload_refuses_inconsistent_lengths():
    with pytest.raises(LengthError):
        split_read_payload(b"\x01\x00\x04\x00" + bytes(300))


def test_decoder_resyncs_after_garbage_and_counts_it():
    decoder = FrameDecoder()
    frames = decoder.feed_and_collect(b"\x00\xaa\x55\xaa\xaa\x96" + encode_response(Sw3.SUCCESS))
    assert [f.sw3 for f in frames] == [Sw3.SUCCESS]
    assert decoder.discarded == 6


def test_decoder_reports_bad_checksum_and_goes_on():
    good = encode_response(Sw3.FIND_OK, bytes(4))
    bad = good[:-1] + b"\x00"
    decoder = FrameDecoder()
    decoder.feed(bad + good)
    with pytest.raises(ChecksumError, match="0x00"):
        decoder.next_frame()
    assert decoder.next_frame().sw3 == Sw3.FIND_OK
    assert decoder.next_frame() is None


def test_decoder_rejects_impossible_length_then_resyncs():
    decoder = FrameDecoder()
    decoder.feed(H("AA AA AA 96 69 FF FF 00") + encode_response(Sw3.SUCCESS))
    with pytest.raises(LengthError):
        decoder.next_frame()
    assert decoder.next_frame().sw3 == Sw3.SUCCESS


def test_decoder_accepts_short_vendor_frames_in_request_mode():
    decoder = FrameDecoder(min_length=MIN_REQUEST_LEN)
    assert decoder.feed_and_collect(H("AA AA AA 96 69 00 02 00 02"))[0].cmd == 0x00


def test_truncated_frame_is_a_length_error_when_decoded_whole():
    with pytest.raises(LengthError, match="cut short"):
        decode_frame(encode_read_response(bytes(256), bytes(1024))[:700])


def test_no_preamble_is_a_frame_error():
    with pytest.raises(FrameError, match="preamble"):
        decode_frame(b"hello")


def test_stray_bytes_after_frame_are_reported():
    with pytest.raises(LengthError, match="stray"):
        decode_frame(encode_response(Sw3.SUCCESS) + b"\xf6")


def _frames():
    return st.lists(
        st.tuples(st.sampled_from(list(Sw3)), st.binary(max_size=300)), min_size=1, max_size=4
    ).map(lambda items: [encode_response(code, data) for code, data in items])


@settings(max_examples=150, deadline=None)
@given(frames=_frames(), cuts=st.lists(st.integers(min_value=0, max_value=2000), max_size=12))
def test_decoder_yields_the_same_frames_under_any_chunking(frames, cuts):
    stream = b"".join(frames)
    points = sorted({c % (len(stream) + 1) for c in cuts} | {0, len(stream)})
    decoder = FrameDecoder()
    out = []
    for start, end in itertools.pairwise(points):
        out += decoder.feed_and_collect(stream[start:end])
    assert [f.raw for f in out] == frames
    assert decoder.pending == 0


@settings(max_examples=300, deadline=None)
@given(data=st.binary(max_size=600))
def test_random_bytes_raise_only_typed_errors(data):
    decoder = FrameDecoder()
    decoder.feed(data)
    for _ in range(len(data) + 1):  # each call consumes bytes or returns None: bounded
        try:
            if decoder.next_frame() is None:
                break
        except FrameError:
            continue
    else:
        pytest.fail("decoder did not settle")


@settings(max_examples=150, deadline=None)
@given(
    frame=_frames().map(lambda frames: frames[0]),
    flips=st.lists(st.tuples(st.integers(min_value=0), st.integers(min_value=1, max_value=255)), max_size=4),
    cut=st.integers(min_value=0, max_value=400),
)
def test_mutated_frames_raise_only_typed_errors(frame, flips, cut):
    mutated = bytearray(frame)
    for position, mask in flips:
        mutated[position % len(mutated)] ^= mask
    mutated = bytes(mutated[: len(mutated) - (cut % len(mutated))])
    try:
        decoded = decode_frame(mutated)
    except FrameError:
        return
    assert decoded.raw == mutated or mutated.endswith(decoded.raw)


@settings(max_examples=100, deadline=None)
@given(
    frames=_frames(),
    junk=st.lists(st.binary(max_size=20).map(lambda b: bytes(x & 0x7F for x in b)), min_size=1, max_size=4),
)
def test_decoder_skips_garbage_between_frames(frames, junk):
    stream = b"".join(j + f for j, f in zip(junk * len(frames), frames, strict=False))
    decoder = FrameDecoder()
    out = []
    for byte in range(0, len(stream), 7):
        out += decoder.feed_and_collect(stream[byte : byte + 7])
    assert [f.raw for f in out] == frames
