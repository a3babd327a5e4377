"""The photo stays raw; the vendor-decoder hook never fails a read."""

from __future__ import annotations

from idreader.photo import (
    PHOTO_SIZE,
    WLT_PREFIX,
    decode_photo,
    has_wlt_magic,
    placeholder_wlt,
)


def test_placeholder_has_the_magic_prefix_and_size():
    photo = placeholder_wlt(3)
    assert len(photo) == PHOTO_SIZE
    assert photo[:11] == WLT_PREFIX[:11] and photo[12:21] == WLT_PREFIX[12:21]
    assert photo[11] == 3
    assert has_wlt_magic(photo) and not has_wlt_magic(b"JFIF") and not has_wlt_magic(None)


def test_no_decoder_or_no_photo_gives_none():
    assert decode_photo(placeholder_wlt(), None) is None
    assert decode_photo(None, lambda wlt: b"BM") is None


def test_decoder_result_is_returned():
    assert decode_photo(placeholder_wlt(), lambda wlt: b"BM" + wlt[:2]) == b"BMWL"


def test_failing_decoder_and_bad_magic_give_none():
    def broken(wlt: bytes) -> bytes:
        raise RuntimeError("licence expired")

    assert decode_photo(placeholder_wlt(), broken) is None
    assert decode_photo(b"\x00" * PHOTO_SIZE, lambda wlt: b"BM") is None
