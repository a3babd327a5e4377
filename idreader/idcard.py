"""The decoded identity document: `IdCard`, and its JSON form (a contract, see DESIGN.md).

`IdCard` is what every other part of the kiosk receives from the reader. It is a frozen dataclass
whose `to_dict()` / `from_dict()` round-trip through JSON with exactly these keys:

    card_type  resident | foreign_2017 | foreign_2023 | hmt_residence
    name, name_en, sex (男 / 女 / 未知 / 未说明), sex_code, ethnicity (e.g. 汉族; resident cards only),
    ethnicity_code, nationality (ISO 3166-1 alpha-3; foreign cards), birth_date, address, id_number,
    authority, valid_from, valid_to (ISO dates; valid_to is null for 长期), pass_number,
    issue_count (HMT), photo_wlt (base64 of the 1024 raw WLT bytes; never decoded here)

`repr()` masks the ID number and leaves the photo out, so an IdCard that ends up in a log line does
not leak either.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import datetime as dt
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
            raise IdCardFormatError(f"card_type must be one of {allowed}, not {self.card_type!r}")
        if self.sex not in SEX_NAMES:
            raise IdCardFormatError(f"sex must be one of {', '.join(SEX_NAMES)}, not {self.sex!r}")

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
        """Build an IdCard from its JSON form; raise IdCardFormatError saying what is wrong."""
        if not isinstance(data, dict):
            raise IdCardFormatError("an IdCard must be a JSON object")
        unknown = sorted(set(data) - set(_KEYS))
        if unknown:
            raise IdCardFormatError(f"unknown IdCard keys: {', '.join(unknown)}")
        required = ("card_type", "name", "sex", "sex_code", "birth_date", "id_number", "valid_from")
        missing = [key for key in required if data.get(key) in (None, "") and key != "name"]
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
            elif value is None:
                value = ""
            elif not isinstance(value, str):
                raise IdCardFormatError(f"{key} must be a string, not {type(value).__name__}")
            kwargs[key] = value
        return cls(**kwargs)


def _parse_date(key: str, value: Any) -> dt.date | None:
    if value is None:
        if key == "valid_to":
            return None
        raise IdCardFormatError(f"{key} must be an ISO date (YYYY-MM-DD)")
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        raise IdCardFormatError(f"{key} must be an ISO date (YYYY-MM-DD), not {value!r}") from None


def _parse_photo(value: Any) -> bytes | None:
    if value is None:
        return None
    try:
        return base64.b64decode(value, validate=True)
    except (TypeError, ValueError, binascii.Error):
        raise IdCardFormatError("photo_wlt must be base64 text or null") from None
