"""The numbers and dates a decision fixes: receipt and licence numbers (formats from the spec, counters
from storage), the licence term and the expected completion date of an accepted application.

The spec's `numbering` gives, per number, a `format` and a `sequence` (the counter's key), both over
the placeholders {district_code} {kiosk_id} {licence_prefix} {YYYY} {YYYYMMDD} {MM} {DD} ({seq} in the
format only). With the public-place permit's templates:

    receipt  format   {district_code}-{YYYYMMDD}-{kiosk_id}-{seq:04d}  -> 500151-20261121-K01-0001
             sequence receipt:{kiosk_id}:{YYYYMMDD}                    -> receipt:K01:20261121
    licence  format   {licence_prefix}卫公证字〔{YYYY}〕第{seq:06d}号   -> 铜卫公证字〔2026〕第000001号
             sequence licence:{licence_prefix}卫公证字:{YYYY}          -> licence:铜卫公证字:2026

Storage implements `SequenceAllocator`; `next_value` must be gap-free and run inside the transaction
that records the decision, so a number is never used twice nor lost. A blocked application uses none.
`number_key` is how a number typed at 扫码查询 is matched when it is not typed exactly as printed.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import TYPE_CHECKING, Protocol

from forms.errors import NumberingError

if TYPE_CHECKING:
    from forms.settings import HallSettings
    from forms.spec import NumberTemplate, ServiceSpec


def add_years(day: dt.date, years: int) -> dt.date:
    """The same calendar day `years` later; 29 February becomes 1 March in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return dt.date(day.year + years, 3, 1)


class SequenceAllocator(Protocol):
    def next_value(self, sequence_key: str) -> int:
        """1 for a new key, then 2, 3, ... with no gaps; called inside the storage transaction."""
        ...


def placeholders(settings: HallSettings, day: dt.date) -> dict[str, str]:
    return {
        "district_code": settings.district_code,
        "kiosk_id": settings.kiosk_id,
        "licence_prefix": settings.licence_prefix,
        "YYYY": f"{day.year:04d}",
        "YYYYMMDD": day.strftime("%Y%m%d"),
        "MM": f"{day.month:02d}",
        "DD": f"{day.day:02d}",
    }


def sequence_key(template: NumberTemplate, settings: HallSettings, day: dt.date) -> str:
    """The counter key for a number made on `day`, e.g. 'receipt:K01:20261121'."""
    return template.sequence.format_map(placeholders(settings, day))


def format_number(template: NumberTemplate, settings: HallSettings, day: dt.date, seq: int) -> str:
    """The number with counter value `seq`, e.g. '500151-20261121-K01-0001'."""
    if seq < 1:
        raise NumberingError(f"sequence values start at 1, not {seq}")
    return template.format.format_map({**placeholders(settings, day), "seq": seq})


def allocate(
    template: NumberTemplate, settings: HallSettings, day: dt.date, allocator: SequenceAllocator
) -> str:
    """Take the next counter value and format the number (call inside the storage transaction)."""
    seq = allocator.next_value(sequence_key(template, settings, day))
    return format_number(template, settings, day, seq)


# What people type differently from the printed number, and what the on-screen keyboard can hardly type:
# the brackets of 〔2026〕 (or [ ] ( ) 【 】 in their place), 第 and 号, spaces and dashes.
_NUMBER_DECORATION = re.compile(r"[\s\-‐-―_·.,，。、:：/\\()\[\]{}（）〔〕【】［］「」《》〈〉第号]")


def number_key(text: str) -> str:
    """A number reduced to what identifies it: full-width forms made plain (NFKC), letters in upper
    case, and the decoration dropped. 铜卫公证字〔2026〕第000001号, 铜卫公证字[2026]000001 and
    铜卫公证字（2026）第000001号 share one key, as do 500151-20261121-K01-0001 and 50015120261121k010001."""
    return _NUMBER_DECORATION.sub("", unicodedata.normalize("NFKC", text)).upper()


def receipt_template(spec: ServiceSpec) -> NumberTemplate:
    return spec.numbering.receipt


def licence_template(spec: ServiceSpec) -> NumberTemplate:
    if spec.numbering.licence is None:
        raise NumberingError(f"service {spec.id!r} issues no licence or filing number")
    return spec.numbering.licence


def licence_term(
    spec: ServiceSpec, issue_date: dt.date, previous_valid_to: dt.date | None = None
) -> tuple[dt.date, dt.date]:
    """(valid_from, valid_to) of the licence issued on `issue_date`.

    New licence: issue date .. issue date + N years - 1 day. Renewal (`starts: after_previous_expiry`):
    the day after the old expiry .. old expiry + N years. Change (`starts: same_as_previous`): issue
    date .. the old expiry (the changed licence keeps its term).
    """
    if spec.validity is None:
        raise NumberingError(f"service {spec.id!r} has no validity term")
    years = spec.validity.years
    if spec.validity.starts != "issue_date" and previous_valid_to is None:
        raise NumberingError(f"service {spec.id!r} follows a licence, but no previous expiry was given")
    if spec.validity.starts == "same_as_previous" and previous_valid_to is not None:
        return issue_date, previous_valid_to
    if spec.validity.starts == "after_previous_expiry" and previous_valid_to is not None:
        return previous_valid_to + dt.timedelta(days=1), add_years(previous_valid_to, years)
    return issue_date, add_years(issue_date, years) - dt.timedelta(days=1)


def expected_completion(spec: ServiceSpec, decided_on: dt.date) -> dt.date:
    """The day staff review of an accepted application ends: the decision day + the item's
    `processing_days`. The one formula: the result screen and the 受理回执 (slip and PDF) both call it."""
    return decided_on + dt.timedelta(days=spec.processing_days)
