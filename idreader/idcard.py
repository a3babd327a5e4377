"""The decoded identity document: `IdCard`, and its JSON form (a contract, see DESIGN.md).

`IdCard` is what every other part of the kiosk receives from the reader. It is a frozen dataclass
whose `to_dict()` / `from_dict()` round-trip through JSON with exactly these keys:

    card_type  resident | foreign_2017 | foreign_2023 | hmt_residence
    name, name_en, sex (男 / 女 / 未知 / 未说明), sex_code, ethnicity (e.g. 汉族; resident cards only),
    ethnicity_code, nationality (ISO 3166-1 alpha-3; foreign cards), birth_date, address, id_number,
    authority, valid_from, valid_to (ISO dates; valid_to is null for 长期), pass_number,
    issue_count (HMT), photo_wlt (base64 of the 1024 raw WLT bytes; never decoded here)

`from_dict` refuses anything else with an `IdCardFormatError` whose one-line message names the key and
what is wrong; the code fields also accept a JSON integer (`issue_count` 3 -> "03"), and `to_dict`
always writes strings.

`repr()` masks the ID number and leaves the photo out, so an IdCard that ends up in a log line does
not leak either.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import datetime as dt
import unicodedata
from dataclasses import dataclass
from typing import Any

CARD_TYPES = ("resident", "foreign_2017", "foreign_2023", "hmt_residence")
SEX_NAMES = ("男", "女", "未知", "未说明")

_DATE_KEYS = ("birth_date", "valid_from", "valid_to")
_KEYS = (
    "card_type", "name", "name_en", "sex", "sex_code", "ethnicity", "ethnicity_code", "nationality",
    "birth_date", "address", "id_number", "authority", "valid_from", "valid_to", "pass_number",
    "issue_count", "photo_wlt",
)


class IdCardFormatError(ValueError):
    """An IdCard JSON object is malformed: a missing or unknown key, or a value of the wrong form."""


def mask_id_number(id_number: str) -> str:
    """Mask an ID number for screens, logs and paper: keep the first 4 and last 4 characters.

    >>> mask_id_number("500151199001010019")
    '5001**********0019'
    """
    if len(id_number) <= 8:
        return "*" * len(id_number)
    return id_number[:4] + "*" * (len(id_number) - 8) + id_number[-4:]


@dataclass(frozen=True)
class IdCard:
    """One card as read from the chip. Dates are `datetime.date`; `valid_to` is None for 长期."""

    card_type: str
    name: str
    sex: str
    sex_code: str
    birth_date: dt.date
    id_number: str
    valid_from: dt.date
    valid_to: dt.date | None
    name_en: str = ""
    ethnicity: str = ""
    ethnicity_code: str = ""
    nationality: str = ""
    address: str = ""
    authority: str = ""
    pass_number: str = ""
    issue_count: str = ""
    photo_wlt: bytes | None = dataclasses.field(default=None, repr=False)

    def __post_init__(self) -> None:
        if self.card_type not in CARD_TYPES:
            allowed = ", ".join(CARD_TYPES)
            raise IdCardFormatError(f"card_type must be one of {allowed}, not {_short(str(self.card_type))}")
        if self.sex not in SEX_NAMES:
            raise IdCardFormatError(f"sex must be one of {', '.join(SEX_NAMES)}, not {_short(str(self.sex))}")

    def __repr__(self) -> str:
        return (
            f"IdCard(card_type={self.card_type!r}, name={self.name!r}, "
            f"id_number={mask_id_number(self.id_number)!r}, valid_to={self.valid_to!r})"
        )

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def display_name(self) -> str:
        """The name to show and print: the Chinese name, or the English one when there is none."""
        return self.name or self.name_en

    def is_expired(self, today: dt.date) -> bool:
        return self.valid_to is not None and self.valid_to < today

    def age_on(self, day: dt.date) -> int:
        born = self.birth_date
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))

    def without_photo(self) -> IdCard:
        return dataclasses.replace(self, photo_wlt=None)

    def to_dict(self) -> dict[str, Any]:
        """The JSON contract: every key present, dates as ISO strings, the photo as base64."""
        out: dict[str, Any] = {}
        for key in _KEYS:
            value = getattr(self, key)
            if key in _DATE_KEYS:
                value = value.isoformat() if value is not None else None
            elif key == "photo_wlt":
                value = base64.b64encode(value).decode("ascii") if value is not None else None
            out[key] = value
        return out

    @classmethod
    def from_dict(cls, data: Any) -> IdCard:
        """Build an IdCard from its JSON form; raise IdCardFormatError saying what is wrong.

        Every value must be a JSON string (or null for an empty one), except the dates (ISO strings;
        `valid_to` null for 长期), `photo_wlt` (base64 or null) and the code fields `sex_code`,
        `ethnicity_code` and `issue_count`, which also take a JSON integer and are normalised to the
        card's zero-padded digit string (`issue_count` 3 -> "03"). The card must carry a name (the
        Chinese one, or for a foreign permit at least the English one).
        """
        if not isinstance(data, dict):
            raise IdCardFormatError(f"an IdCard must be a JSON object, not {_json_type(data)}")
        unknown = sorted(str(key) for key in set(data) - set(_KEYS))
        if unknown:
            shown = ", ".join(_short(key) for key in unknown[:5]) + (", ..." if len(unknown) > 5 else "")
            raise IdCardFormatError(f"unknown IdCard keys: {shown}")
        required = ("card_type", "name", "sex", "sex_code", "birth_date", "id_number", "valid_from")
        missing = [key for key in required if key not in data or (data[key] in (None, "") and key != "name")]
        if "valid_to" not in data:
            missing.append("valid_to")
        if missing:
            raise IdCardFormatError(f"missing IdCard keys: {', '.join(missing)}")
        kwargs: dict[str, Any] = {}
        for key in _KEYS:
            if key not in data:
                continue
            value = data[key]
            if key in _DATE_KEYS:
                value = _parse_date(key, value)
            elif key == "photo_wlt":
                value = _parse_photo(value)
            elif key in CODE_WIDTHS:
                value = _parse_code(key, value, CODE_WIDTHS[key])
            elif value is None:
                value = ""
            elif not isinstance(value, str):
                raise IdCardFormatError(f"{key} must be a string, not {_json_type(value)}")
            else:
                _check_text(key, value)
            kwargs[key] = value
        if not (kwargs["name"].strip() or kwargs.get("name_en", "").strip()):
            raise IdCardFormatError("name is empty: a card must carry the holder's name")
        if not kwargs["name"].strip() and kwargs["card_type"] in ("resident", "hmt_residence"):
            raise IdCardFormatError(f"name is empty: a {kwargs['card_type']} card must carry a Chinese name")
        return cls(**kwargs)


# No field of any card layout holds more than 60 characters (the 2017 permit's English name).
MAX_TEXT_CHARS = 100


def _check_text(key: str, value: str) -> None:
    """A text field as a chip could hold it: not too long, no control characters or lone surrogates."""
    if len(value) > MAX_TEXT_CHARS:
        raise IdCardFormatError(f"{key} has {len(value)} characters; a card field holds at most {MAX_TEXT_CHARS}")
    for char in value:
        category = unicodedata.category(char)
        if category in ("Cc", "Cs"):
            what = "control character" if category == "Cc" else "lone surrogate"
            raise IdCardFormatError(f"{key} contains the {what} U+{ord(char):04X}")


# The digit strings of the card's code fields and their widths on the chip (specs/idcard-protocol.md §4:
# sex GB/T 2261.1 one digit, 民族 GB 3304 two digits, 签发次数 / 换证次数 two digits).
CODE_WIDTHS = {"sex_code": 1, "ethnicity_code": 2, "issue_count": 2}


def _parse_code(key: str, value: Any, width: int) -> str:
    """A code field as the card's digit string: a JSON integer or a digit string, zero-padded."""
    if value is None or value == "":
        return ""
    if isinstance(value, int) and not isinstance(value, bool):
        if not 0 <= value < 10**width:
            shown = f"{value}" if value.bit_length() < 64 else "a huge integer"
            raise IdCardFormatError(f"{key} must be {_digits(width)} (0-{10**width - 1}), not {shown}")
        return str(value).zfill(width)
    if isinstance(value, str):
        if not (value.isascii() and value.isdigit()) or len(value) > width:
            raise IdCardFormatError(f"{key} must be {_digits(width)}, not {_short(value)}")
        return value.zfill(width)
    raise IdCardFormatError(f"{key} must be {_digits(width)} (an integer or a digit string), "
                            f"not {_json_type(value)}")


def _digits(width: int) -> str:
    return "1 digit" if width == 1 else f"at most {width} digits"


def _json_type(value: Any) -> str:
    """What a decoded JSON value is, in the words of JSON (for one-line error messages)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return f"the string {_short(value)}"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def _short(text: str, limit: int = 32) -> str:
    """repr() of a string cut to `limit` characters, so that an error stays one short line."""
    return repr(text if len(text) <= limit else text[:limit] + "…")


def _parse_date(key: str, value: Any) -> dt.date | None:
    if value is None:
        if key == "valid_to":
            return None
        raise IdCardFormatError(f"{key} must be an ISO date (YYYY-MM-DD), not null")
    if not isinstance(value, str):
        raise IdCardFormatError(f"{key} must be an ISO date (YYYY-MM-DD), not {_json_type(value)}")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise IdCardFormatError(f"{key} must be an ISO date (YYYY-MM-DD), not {_short(value)}") from None


def _parse_photo(value: Any) -> bytes | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise IdCardFormatError(f"photo_wlt must be base64 text or null, not {_json_type(value)}")
    try:
        return base64.b64decode(value, validate=True)
    except (ValueError, binascii.Error):
        raise IdCardFormatError("photo_wlt must be base64 text or null") from None
