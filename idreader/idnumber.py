"""GB 11643-1999 公民身份号码: validation and parsing (pure).

18 characters: 6-digit division code (GB/T 2260), birth date YYYYMMDD, 3-digit sequence (odd = male,
even = female), and an ISO 7064 MOD 11-2 check character (0-9 or X). The 2023 foreign permanent
resident ID number uses the same layout and check (first digit 9, province, ISO numeric nationality),
so it is accepted here too. The 15-character 2017 permit numbers (3 letters + 12 digits) are not
GB 11643; `is_permit_2017_number` only checks their shape.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from idreader.errors import IdNumberError

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"
HMT_DIVISIONS = {"810000": "香港", "820000": "澳门", "830000": "台湾"}

_SHAPE = re.compile(r"\d{17}[\dX]")
_PERMIT_2017 = re.compile(r"[A-Z]{3}\d{12}")


@dataclass(frozen=True)
class IdNumberInfo:
    """What an 18-character number says about its holder."""

    number: str
    division_code: str  # the first 6 digits; for a 2023 permit: 9 + province + nationality
    birth_date: dt.date
    sequence: str
    sex: str  # 男 / 女 (odd / even sequence)
    kind: str  # resident | hmt | foreign_2023

    @property
    def nationality_numeric(self) -> str:
        """ISO 3166-1 numeric nationality of a 2023 permit number; "" otherwise."""
        return self.division_code[3:6] if self.kind == "foreign_2023" else ""


def check_char(first17: str) -> str:
    """The MOD 11-2 check character for the first 17 digits."""
    if len(first17) != 17 or not first17.isdigit() or not first17.isascii():
        raise IdNumberError("the check character needs exactly 17 digits")
    total = sum(int(digit) * weight for digit, weight in zip(first17, WEIGHTS, strict=True))
    return CHECK_CHARS[total % 11]


def parse(number: str) -> IdNumberInfo:
    """Validate an 18-character number and return its parts; raise IdNumberError saying why not."""
    if not isinstance(number, str):
        raise IdNumberError("an ID number must be text")
    if len(number) != 18:
        raise IdNumberError(f"an ID number has 18 characters, not {len(number)}")
    if not _SHAPE.fullmatch(number) or not number.isascii():
        raise IdNumberError("an ID number is 17 digits followed by a digit or X")
    try:
        birth = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise IdNumberError(f"the birth date {number[6:14]} in the ID number is not a real date") from None
    if birth.year < 1800:
        raise IdNumberError(f"the birth year {birth.year} in the ID number is impossible")
    expected = check_char(number[:17])
    if number[17] != expected:
        raise IdNumberError("the check character of the ID number is wrong")
    division = number[:6]
    if number[0] == "9":
        kind = "foreign_2023"
    elif division in HMT_DIVISIONS:
        kind = "hmt"
    else:
        kind = "resident"
    sequence = number[14:17]
    return IdNumberInfo(number, division, birth, sequence, "男" if int(sequence) % 2 else "女", kind)


def is_valid(number: str) -> bool:
    try:
        parse(number)
    except IdNumberError:
        return False
    return True


def is_permit_2017_number(number: str) -> bool:
    """Shape check of a 2017 foreign permit number: 3 letters + 12 digits (no check digit enforced)."""
    return bool(_PERMIT_2017.fullmatch(number))


def complete(first17: str) -> str:
    """Append the check character: `complete("11010519491231002") == "11010519491231002X"`."""
    return first17 + check_char(first17)
