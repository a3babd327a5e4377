"""The 256-byte card text block <-> `IdCard`, for all four card types (pure).

The block is UCS-2 little-endian, each field right-padded with U+0020 (specs/idcard-protocol.md §4).
The character at offset 248 tells the layout apart: 'I' foreign permit 2017, 'Y' foreign permit 2023,
'J' 港澳台居民居住证, anything else a resident card. "长期" as the end date becomes `valid_to=None`.

Fields the IdCard contract has no key for are mapped as follows: the 2023 permit's renewal count goes
to `issue_count`, the 2017 permit's accepting-authority code to `authority`; the 2017 card version and
the 2023 link to the previous number are not kept.

`encode_text_block` is the inverse, used by the simulator and the tests.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from idreader.codes import CODE_BY_ETHNICITY, ETHNICITY_BY_CODE, SEX_BY_CODE
from idreader.errors import CardDataError, StatusError
from idreader.idcard import IdCard
from idreader.protocol import Frame, Sw3, describe_status, split_read_payload

TEXT_SIZE = 256
LONG_TERM = "长期"
MARKER_OFFSET = 248
MARKERS = {"I": "foreign_2017", "Y": "foreign_2023", "J": "hmt_residence"}
MARKER_BY_TYPE = {card_type: marker for marker, card_type in MARKERS.items()}


@dataclass(frozen=True)
class _Field:
    """One field of the card's fixed-layout text block: where it is and how long."""

    key: str
    offset: int
    size: int  # bytes


# Layouts: byte offset and size of each field (two bytes per character).
_RESIDENT = (
    _Field("name", 0, 30), _Field("sex_code", 30, 2), _Field("ethnicity_code", 32, 4),
    _Field("birth_date", 36, 16), _Field("address", 52, 70), _Field("id_number", 122, 36),
    _Field("authority", 158, 30), _Field("valid_from", 188, 16), _Field("valid_to", 204, 16),
)
_HMT = (
    _Field("name", 0, 30), _Field("sex_code", 30, 2),
    _Field("birth_date", 36, 16), _Field("address", 52, 70), _Field("id_number", 122, 36),
    _Field("authority", 158, 30), _Field("valid_from", 188, 16), _Field("valid_to", 204, 16),
    _Field("pass_number", 220, 18), _Field("issue_count", 238, 4),
)
_FOREIGN_2017 = (
    _Field("name_en", 0, 120), _Field("sex_code", 120, 2), _Field("id_number", 122, 30),
    _Field("nationality", 152, 6), _Field("name", 158, 30), _Field("valid_from", 188, 16),
    _Field("valid_to", 204, 16), _Field("birth_date", 220, 16), _Field("card_version", 236, 4),
    _Field("authority", 240, 8),
)
_FOREIGN_2023 = (
    _Field("name", 0, 30), _Field("sex_code", 30, 2), _Field("issue_count", 32, 4),
    _Field("birth_date", 36, 16), _Field("name_en", 52, 70), _Field("id_number", 122, 36),
    _Field("valid_from", 188, 16), _Field("valid_to", 204, 16), _Field("name_en_more", 220, 22),
    _Field("nationality", 242, 6),
)
LAYOUTS: dict[str, tuple[_Field, ...]] = {
    "resident": _RESIDENT,
    "hmt_residence": _HMT,
    "foreign_2017": _FOREIGN_2017,
    "foreign_2023": _FOREIGN_2023,
}


def card_type_of(text: bytes) -> str:
    """resident / foreign_2017 / foreign_2023 / hmt_residence, from the character at offset 248."""
    marker = text[MARKER_OFFSET : MARKER_OFFSET + 2].decode("utf-16-le", errors="replace")
    return MARKERS.get(marker, "resident")


def decode_text_block(text: bytes, photo: bytes | None = None) -> IdCard:
    """Decode a 256-byte text block (and keep the raw photo) into an IdCard."""
    if len(text) != TEXT_SIZE:
        raise CardDataError(f"the card text block has {len(text)} bytes, expected {TEXT_SIZE}")
    card_type = card_type_of(text)
    raw = {field.key: _read(text, field) for field in LAYOUTS[card_type]}
    sex_code = raw["sex_code"]
    sex = SEX_BY_CODE.get(sex_code)
    if sex is None:
        raise CardDataError(f"sex code {sex_code!r} is not a GB/T 2261.1 code (0, 1, 2 or 9)")
    ethnicity_code = raw.get("ethnicity_code", "")
    name_en = raw.get("name_en", "")
    if card_type == "foreign_2023":
        name_en = (_read(text, _Field("", 52, 70), strip=False) + raw["name_en_more"]).rstrip(" ")
    return IdCard(
        card_type=card_type,
        name=raw["name"],
        name_en=name_en,
        sex=sex,
        sex_code=sex_code,
        ethnicity=ETHNICITY_BY_CODE.get(ethnicity_code, "") if card_type == "resident" else "",
        ethnicity_code=ethnicity_code,
        nationality=raw.get("nationality", ""),
        birth_date=_date(raw["birth_date"], "birth date"),
        address=raw.get("address", ""),
        id_number=raw["id_number"],
        authority=raw.get("authority", ""),
        valid_from=_date(raw["valid_from"], "start of validity"),
        valid_to=None if raw["valid_to"] == LONG_TERM else _date(raw["valid_to"], "end of validity"),
        pass_number=raw.get("pass_number", ""),
        issue_count=raw.get("issue_count", ""),
        photo_wlt=photo,
    )


def decode_read_reply(frame: Frame) -> IdCard:
    """Decode a 30 01 / 30 10 reply frame; raise StatusError if the reader reported a failure."""
    if frame.sw3 != Sw3.SUCCESS:
        raise StatusError(frame.sw3, describe_status(frame.sw3))
    payload = split_read_payload(frame.data)
    return decode_text_block(payload.text, payload.photo or None)


def encode_text_block(card: IdCard) -> bytes:
    """The 256-byte text block a chip holding `card` would return (inverse of decode_text_block)."""
    block = bytearray(" ".encode("utf-16-le") * (TEXT_SIZE // 2))
    values = {
        "name": card.name,
        "name_en": card.name_en,
        "sex_code": card.sex_code,
        "ethnicity_code": card.ethnicity_code or CODE_BY_ETHNICITY.get(card.ethnicity, ""),
        "birth_date": card.birth_date.strftime("%Y%m%d"),
        "address": card.address,
        "id_number": card.id_number,
        "authority": card.authority,
        "valid_from": card.valid_from.strftime("%Y%m%d"),
        "valid_to": LONG_TERM if card.valid_to is None else card.valid_to.strftime("%Y%m%d"),
        "nationality": card.nationality,
        "pass_number": card.pass_number,
        "issue_count": card.issue_count,
        "card_version": "01",
        "name_en_more": "",
    }
    if card.card_type == "foreign_2023":
        values["name_en"], values["name_en_more"] = card.name_en[:35], card.name_en[35:]
    for field in LAYOUTS[card.card_type]:
        _write(block, field, values[field.key])
    marker = MARKER_BY_TYPE.get(card.card_type)
    if marker:
        _write(block, _Field("marker", MARKER_OFFSET, 2), marker)
    return bytes(block)


def _read(text: bytes, field: _Field, strip: bool = True) -> str:
    chunk = text[field.offset : field.offset + field.size]
    try:
        value = chunk.decode("utf-16-le")
    except UnicodeDecodeError:
        raise CardDataError(f"field {field.key} at offset {field.offset} is not valid UCS-2") from None
    return value.rstrip(" \x00") if strip else value


def _write(block: bytearray, field: _Field, value: str) -> None:
    data = value.encode("utf-16-le")
    if len(data) > field.size:
        raise CardDataError(f"{field.key} {value!r} is longer than its {field.size // 2} characters")
    block[field.offset : field.offset + len(data)] = data


def _date(value: str, what: str) -> dt.date:
    if len(value) != 8 or not (value.isascii() and value.isdigit()):
        raise CardDataError(f"{what} {value!r} is not a YYYYMMDD date")
    try:
        return dt.date(int(value[:4]), int(value[4:6]), int(value[6:]))
    except ValueError:
        raise CardDataError(f"{what} {value!r} is not a real date") from None
