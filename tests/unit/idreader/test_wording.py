"""One copy of the name mask and the Chinese date, grapheme-aware: a variation selector stays with its
character (葛 + U+E0100 is one character), so the masked name neither loses the variant nor gets a
star too many."""

from __future__ import annotations

import datetime as dt

import pytest

from forms.documents import model
from idreader.wording import chinese_date, mask_name
from kiosk.credentials import mask_holder_name
from printers import layouts

GE_VARIANT = "葛\U000e0100"  # 葛 with an ideographic variation selector (IVS), as a rare-name card spells it


@pytest.mark.parametrize(
    ("name", "masked"),
    [
        (GE_VARIANT + "明", GE_VARIANT + "*"),
        ("葛明" + "\U000e0100", "葛*"),
        ("𠮷野家", "𠮷**"),  # Extension B: one character, two UTF-16 units, one code point
        ("e\u0301lise", "e\u0301****"),  # a combining accent is part of its letter
        ("张三", "张*"),
        ("JOHN SMITH", "J*********"),
        ("张*", "张*"),
        (" 张 ", "张"),
        ("", ""),
    ],
)
def test_mask_name_counts_characters_not_code_points(name: str, masked: str) -> None:
    assert mask_name(name) == masked


def test_slip_and_qr_mask_with_the_same_function() -> None:
    assert layouts.mask_name is mask_name and mask_holder_name is mask_name


def test_chinese_date_is_one_copy() -> None:
    assert layouts.chinese_date is model.chinese_date is chinese_date
    assert chinese_date(dt.date(2026, 1, 5)) == "2026年01月05日"
    assert (chinese_date(None), chinese_date(None, "长期")) == ("", "长期")


def test_the_common_characters_are_one_grapheme_each_as_regex_counts_them() -> None:
    """mask_name's shortcut (no `regex` for printable ASCII, the common CJK block and the middle dot)
    splits those names exactly as `regex`'s grapheme clusters do; anything else goes through `regex`."""
    import regex

    from idreader import wording

    common = "".join(chr(c) for c in [*range(0x20, 0x7F), *range(0x4E00, 0x9FA6), 0xB7])
    assert wording._one_code_point_each(common)
    assert regex.findall(r"\X", common) == list(common)
    for name in (GE_VARIANT + "明", "𠮷野家", "e\u0301lise", "张\n三"):
        assert not wording._one_code_point_each(name)
