"""Check-character algorithms for the identifiers on Chinese documents: pure functions, no I/O.

- GB 11643-1999 公民身份号码 (18 characters, MOD 11-2; also used by 2023 foreign permanent residence
  permits, first digit 9, and by HMT residence permits, prefixes 810000 / 820000 / 830000): the check
  character is idreader.idnumber's, the plain-Chinese explanation of a wrong number is here;
- the 2017 foreign permanent residence permit number (3 letters + 12 digits; format only);
- GB 32100-2015 统一社会信用代码 (18 characters, MOD 31);
- GB 11714-1997 组织机构代码 (9 characters, MOD 11), carried in positions 9-17 of a credit code.
"""

from __future__ import annotations

import datetime as dt
import re

from idreader import idnumber

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
HMT_PREFIXES = {"810000": "香港", "820000": "澳门", "830000": "台湾"}

_ID18 = re.compile(r"^\d{17}[\dX]$")
_FOREIGN_2017 = re.compile(r"^[A-Z]{3}\d{12}$")


id_check_char = idnumber.check_char
"""The GB 11643 check character for the first 17 digits."""


def id_birth_date(number: str) -> dt.date | None:
    """The birth date embedded in an 18-character number (positions 7-14), or None if not a date."""
    try:
        return dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None


def id18_kind(number: str) -> str:
    """Which document an 18-character number belongs to: resident, foreign_2023 or hmt_residence."""
    if number.startswith("9"):
        return "foreign_2023"
    if number[:6] in HMT_PREFIXES:
        return "hmt_residence"
    return "resident"


def id18_problem(number: str, today: dt.date | None = None) -> str | None:
    """What is wrong with an 18-character ID number (plain Chinese), or None when it is valid."""
    if len(number) != 18:
        return f"号码应为 18 位，现在是 {len(number)} 位"
    if not _ID18.match(number):
        return "号码只能是数字，最后一位可以是字母 X"
    born = id_birth_date(number)
    if born is None:
        return "号码中的出生日期不是一个真实的日期"
    if today is not None and born > today:
        return "号码中的出生日期在今天之后"
    if id_check_char(number[:17]) != number[17]:
        return "号码最后一位校验码不对，可能有一位输错了"
    return None


def is_valid_id18(number: str) -> bool:
    return id18_problem(number) is None


def foreign_2017_problem(number: str) -> str | None:
    """What is wrong with a 2017 foreign permanent residence permit number, or None."""
    if not _FOREIGN_2017.match(number):
        return "外国人永久居留身份证号码应为 3 个字母加 12 位数字"
    try:
        year = int(number[7:9])
        dt.date(1900 + year, int(number[9:11]), int(number[11:13]))
    except ValueError:
        return "号码中的出生日期不是一个真实的日期"
    return None


def uscc_check_char(first17: str) -> str:
    """The GB 32100 check character for the first 17 characters of a credit code."""
    pairs = zip(first17, USCC_WEIGHTS, strict=True)
    total = sum(USCC_ALPHABET.index(char) * weight for char, weight in pairs)
    return USCC_ALPHABET[(31 - total % 31) % 31]


def uscc_problem(code: str) -> str | None:
    """What is wrong with a unified social credit code (plain Chinese), or None when it is valid."""
    if len(code) != 18:
        return f"统一社会信用代码应为 18 位，现在是 {len(code)} 位"
    bad = sorted({char for char in code if char not in USCC_ALPHABET})
    if bad:
        return f"统一社会信用代码里不会有 {'、'.join(bad)} 这样的字符（不用 I、O、Z、S、V）"
    if uscc_check_char(code[:17]) != code[17]:
        return "统一社会信用代码最后一位校验码不对，可能有一位输错了"
    return None


def is_valid_uscc(code: str) -> bool:
    return uscc_problem(code) is None


def _org_value(char: str) -> int:
    if char.isdigit():
        return int(char)
    return ord(char) - ord("A") + 10


def org_code_check_char(first8: str) -> str:
    """The GB 11714 check character for the 8-character body of an organisation code."""
    total = sum(_org_value(char) * weight for char, weight in zip(first8, ORG_WEIGHTS, strict=True))
    value = 11 - total % 11
    return {10: "X", 11: "0"}.get(value, str(value))


def org_code_ok(code: str) -> bool:
    """True when a 9-character GB 11714 organisation code carries the right check character."""
    if len(code) != 9 or not code[:8].isalnum() or not code[:8].isascii():
        return False
    return org_code_check_char(code[:8].upper()) == code[8]


def make_uscc(first17_without_check: str) -> str:
    """Complete a 17-character credit-code body with its check character (for test data and demos)."""
    return first17_without_check + uscc_check_char(first17_without_check)


def make_uscc_with_org(prefix8: str, org_body8: str) -> str:
    """A credit code from registration prefix (8 chars) + org-code body (8 chars), both checks right."""
    body = prefix8 + org_body8 + org_code_check_char(org_body8)
    return make_uscc(body)


make_id18 = idnumber.complete
"""Complete a 17-digit ID-number body with its check character (for test data and demos)."""
