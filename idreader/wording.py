"""How data read from a card is written for people: the masked holder name and dates in Chinese.

One copy for every package that prints or shows them (printers' slips, forms' PDFs, the kiosk's QR
claims and screens); `mask_id_number` (idreader.idcard) is its sibling for ID numbers.

A name is masked by user-perceived characters (Unicode grapheme clusters, `regex` ``\\X``), not by code
points: a rare character written with an ideographic variation selector (葛 + U+E0100) is one
character, so 葛󠄀明 masks as 葛󠄀* — the first character kept whole with its variant, one star for 明.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import regex


@cache
def _grapheme() -> regex.Pattern[str]:
    import regex  # on first use (≈ 10-30 ms): names beyond the common characters only (issue 17)

    return regex.compile(r"\X")


def _one_code_point_each(name: str) -> bool:
    """True when every character of `name` is one code point (printable ASCII, the common CJK block,
    the middle dot): then the code points are the grapheme clusters, without loading `regex`."""
    return all(" " <= ch <= "~" or "\u4e00" <= ch <= "\u9fa5" or ch == "\u00b7" for ch in name)


def mask_name(name: str) -> str:
    """Keep the first character of a name and star the rest, one star a character: 张三 → 张*,
    欧阳娜娜 → 欧***, JOHN SMITH → J*********. Idempotent (张* stays 张*)."""
    name = name.strip()
    characters = list(name) if _one_code_point_each(name) else _grapheme().findall(name)
    return characters[0] + "*" * (len(characters) - 1) if len(characters) > 1 else "".join(characters)


def chinese_date(day: dt.date | None, empty: str = "") -> str:
    """``2026年11月21日`` (``empty`` for None)."""
    return empty if day is None else f"{day.year}年{day.month:02d}月{day.day:02d}日"
