"""Text-block decoding for all four card types, built by hand from the spec's offsets."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from idreader import demo_cards
from idreader.cards import card_type_of, decode_read_reply, decode_text_block, encode_text_block
from idreader.codes import ETHNICITY_BY_CODE, SEX_BY_CODE
from idreader.errors import CardDataError, LengthError, StatusError
from idreader.protocol import Sw3, decode_frame, encode_read_response, encode_response


def block(fields: dict[int, str]) -> bytes:
    """A 256-byte space-padded UCS-2 block with `text` written at each byte offset."""
    out = bytearray(" ".encode("utf-16-le") * 128)
    for offset, text in fields.items():
        data = text.encode("utf-16-le")
        out[offset : offset + len(data)] = data
    return bytes(out)


RESIDENT = {
    0: "测试", 30: "2", 32: "05", 36: "19491231", 52: "北京市朝阳区某街1号", 122: "11010519491231002X",
    158: "北京市公安局朝阳分局", 188: "20100101", 204: "长期",
}


def test_resident_card():
    card = decode_text_block(block(RESIDENT), b"WLf\x00photo")
    assert card.card_type == "resident"
    assert (card.name, card.sex, card.sex_code) == ("测试", "女", "2")
    assert (card.ethnicity, card.ethnicity_code) == ("维吾尔族", "05")
    assert card.birth_date == dt.date(1949, 12, 31)
    assert card.address == "北京市朝阳区某街1号"
    assert card.id_number == "11010519491231002X"
    assert card.authority == "北京市公安局朝阳分局"
    assert card.valid_from == dt.date(2010, 1, 1)
    assert card.valid_to is None
    assert card.photo_wlt == b"WLf\x00photo"
    assert card.name_en == card.nationality == card.pass_number == ""


def test_long_term_bytes_on_the_wire():
    raw = block(RESIDENT)
    assert raw[204:220] == bytes.fromhex("7F951F67") + bytes.fromhex("2000") * 6


def test_hmt_card():
    fields = {**RESIDENT, 32: "  ", 122: "810000199001010016", 204: "20300101", 220: "H12345678", 238: "03",
              248: "J"}
    card = decode_text_block(block(fields))
    assert card.card_type == "hmt_residence"
    assert (card.pass_number, card.issue_count) == ("H12345678", "03")
    assert card.ethnicity == card.ethnicity_code == ""
    assert card.valid_to == dt.date(2030, 1, 1)


def test_foreign_2017_card():
    fields = {0: "SMITH JOHN", 120: "1", 122: "CAN110081080319", 152: "CAN", 158: "史密斯",
              188: "20170601", 204: "20270601", 220: "19800101", 236: "01", 240: "1500", 248: "I"}
    card = decode_text_block(block(fields))
    assert card.card_type == "foreign_2017"
    assert (card.name_en, card.name, card.nationality) == ("SMITH JOHN", "史密斯", "CAN")
    assert card.id_number == "CAN110081080319"
    assert card.birth_date == dt.date(1980, 1, 1)
    assert (card.valid_from, card.valid_to) == (dt.date(2017, 6, 1), dt.date(2027, 6, 1))
    assert card.authority == "1500"


def test_foreign_2023_card_joins_the_english_name():
    first = "MUHAMMAD ALI KHAN ABDULLAH RAHMAN S"  # exactly 35 characters
    assert len(first) == 35
    fields = {0: "阿里", 30: "1", 32: "01", 36: "19800101", 52: first, 122: "931586198001010028",
              188: "20230101", 204: "20330101", 220: "IDDIQUI", 242: "PAK", 248: "Y", 250: "501"}
    card = decode_text_block(block(fields))
    assert card.card_type == "foreign_2023"
    assert card.name_en == "MUHAMMAD ALI KHAN ABDULLAH RAHMAN SIDDIQUI"
    assert (card.name, card.nationality, card.issue_count) == ("阿里", "PAK", "01")
    assert card.id_number == "931586198001010028"


def test_foreign_2023_short_english_name_has_no_trailing_spaces():
    fields = {0: "李", 30: "2", 32: "00", 36: "19900101", 52: "LI NA", 122: "931586198001010028",
              188: "20230101", 204: "20330101", 242: "PAK", 248: "Y"}
    assert decode_text_block(block(fields)).name_en == "LI NA"


@pytest.mark.parametrize(
    ("marker", "expected"),
    [("I", "foreign_2017"), ("Y", "foreign_2023"), ("J", "hmt_residence"), (" ", "resident"),
     ("Z", "resident")],
)
def test_marker_at_offset_248(marker, expected):
    assert card_type_of(block({248: marker})) == expected


@pytest.mark.parametrize(("code", "name"), [("0", "未知"), ("1", "男"), ("2", "女"), ("9", "未说明")])
def test_every_sex_code(code, name):
    assert decode_text_block(block({**RESIDENT, 30: code})).sex == name
    assert SEX_BY_CODE[code] == name


def test_unknown_sex_code_is_a_card_data_error():
    with pytest.raises(CardDataError, match="sex code"):
        decode_text_block(block({**RESIDENT, 30: "3"}))


@pytest.mark.parametrize(
    ("code", "name"),
    [("01", "汉族"), ("02", "蒙古族"), ("15", "土家族"), ("46", "德昂族"), ("56", "基诺族"), ("97", "其他"),
     ("98", "外国血统中国籍人士")],
)
def test_ethnicity_codes(code, name):
    assert decode_text_block(block({**RESIDENT, 32: code})).ethnicity == name


def test_ethnicity_table_has_56_groups_plus_two():
    assert len(ETHNICITY_BY_CODE) == 58
    assert all(ETHNICITY_BY_CODE[f"{n:02d}"].endswith("族") for n in range(1, 57))


def test_unknown_ethnicity_keeps_the_code():
    card = decode_text_block(block({**RESIDENT, 32: "57"}))
    assert (card.ethnicity, card.ethnicity_code) == ("", "57")


@pytest.mark.parametrize(("offset", "value"), [(36, "19491331"), (188, "2010-1-1"), (204, "2030020X")])
def test_bad_dates_are_card_data_errors(offset, value):
    with pytest.raises(CardDataError, match="date"):
        decode_text_block(block({**RESIDENT, offset: value}))


def test_wrong_block_size():
    with pytest.raises(CardDataError, match="255"):
        decode_text_block(bytes(255))


def test_invalid_ucs2_is_a_card_data_error():
    raw = bytearray(block(RESIDENT))
    raw[0:2] = b"\x00\xd8"  # a lone high surrogate
    with pytest.raises(CardDataError, match="UCS-2"):
        decode_text_block(bytes(raw))


@pytest.mark.parametrize("name", demo_cards.names())
def test_encode_decode_round_trip_for_every_demo_card(name):
    card = demo_cards.get(name)
    text = encode_text_block(card)
    assert len(text) == 256
    assert decode_text_block(text) == card


def test_encoder_refuses_overlong_fields():
    card = demo_cards.get("adult")

    with pytest.raises(CardDataError, match="longer"):
        encode_text_block(dataclasses.replace(card, address="长" * 36))


def test_read_reply_decodes_and_keeps_the_photo_raw():
    card = demo_cards.get("hmt")
    photo = b"WLf" + bytes(1021)
    frame = decode_frame(encode_read_response(encode_text_block(card), photo))
    decoded = decode_read_reply(frame)
    assert decoded.photo_wlt == photo
    assert decoded.without_photo() == card


def test_read_reply_with_fingerprint_block():
    card = demo_cards.get("adult")
    frame = decode_frame(encode_read_response(encode_text_block(card), bytes(1024), bytes(1024)))
    assert decode_read_reply(frame).id_number == card.id_number


def test_read_reply_with_failure_status():
    with pytest.raises(StatusError, match="0x41"):
        decode_read_reply(decode_frame(encode_response(Sw3.READ_FAILED)))


def test_read_reply_with_wrong_lengths():
    with pytest.raises(LengthError):
        decode_read_reply(decode_frame(encode_response(Sw3.SUCCESS, b"\x01\x00\x04\x00" + bytes(10))))
