"""Pre-review of the ID card itself, for every service: a card that cannot be right is not used.

Two checks, each a block-severity `Finding` pointed at the field the card's number fills:

    CARD-NOT-YET-VALID   the card's 有效期 starts after today (a card is valid from `valid_from`)
    CARD-BIRTH-MISMATCH  the card's birth date differs from the one its ID number carries
                         (18-character numbers: positions 7-14; 2017 foreign permits: YYMMDD at 8-13)

An expired card is refused at the card step by the session and by each item's `*-CARD-VALID` rule;
these two are the same kind of fact about the card, so they live here once instead of in every spec.
A number that is malformed has no birth date to compare: its own field check reports it.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from forms.checksums import id_birth_date

if TYPE_CHECKING:
    from forms.review import Finding
    from forms.spec import ServiceSpec
    from idreader import IdCard

NOT_YET_VALID = "CARD-NOT-YET-VALID"
BIRTH_MISMATCH = "CARD-BIRTH-MISMATCH"


def number_birth_date(card: IdCard) -> dt.date | None:
    """The birth date written in the card's ID number, or None when the number carries none."""
    number = card.id_number.strip().upper()
    if len(number) == 18 and number[:17].isascii() and number[:17].isdigit():
        return id_birth_date(number)
    if len(number) == 15 and number[:3].isalpha() and number[3:].isascii() and number[3:].isdigit():
        try:  # 2017 permit: 3 letters, 3-digit country, YYMMDD, ...; the century is not in the number
            return dt.date(1900 + int(number[7:9]), int(number[9:11]), int(number[11:13]))
        except ValueError:
            return None
    return None


def _same_birth(card_birth: dt.date, number_birth: dt.date, card: IdCard) -> bool:
    if len(card.id_number.strip()) == 15:  # two-digit year: compare year modulo 100
        return (card_birth.year % 100, card_birth.month, card_birth.day) == \
            (number_birth.year % 100, number_birth.month, number_birth.day)
    return card_birth == number_birth


def _cn(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def card_findings(spec: ServiceSpec, card: IdCard | None, today: dt.date) -> list[Finding]:
    """The card's own problems as findings (empty for a good card or no card)."""
    from forms.review import Finding

    if card is None:
        return []
    field = next((f.key for f in spec.fields if f.prefill == "card.id_number"), "")
    findings = []
    if card.valid_from > today:
        findings.append(Finding(
            NOT_YET_VALID, field, "block",
            f"这张证件的有效期从{_cn(card.valid_from)}才开始，现在还不能用来办理。"
            "请换用正在有效期内的证件，或请工作人员帮忙。"))
    born = number_birth_date(card)
    if born is not None and not _same_birth(card.birth_date, born, card):
        findings.append(Finding(
            BIRTH_MISMATCH, field, "block",
            f"证件上的出生日期（{_cn(card.birth_date)}）和证件号码里的出生日期（{_cn(born)}）对不上，"
            "证件信息可能有误，不能用来办理。请找工作人员帮忙核对。"))
    return findings
