"""Display width and wrapping by printer columns (a hanzi is two columns)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from printers.textwidth import char_width, normalize_for_printer, text_width, truncate, wrap


@pytest.mark.parametrize(("ch", "width"), [
    ("A", 1), (" ", 1), ("中", 2), ("，", 2), ("￥", 2), ("─", 2), ("①", 2), ("×", 2),
    ("𠮷", 2), ("😀", 2), ("\u0301", 0), ("é", 2),
])
def test_char_width_follows_the_printer_font(ch: str, width: int) -> None:
    assert char_width(ch) == width


def test_text_width_adds_columns() -> None:
    assert text_width("金额：100元") == 2 + 2 + 2 + 3 + 2


def test_yen_sign_becomes_full_width_and_controls_go() -> None:
    assert normalize_for_printer("¥5\t元\x07") == "￥5 元"


def test_chinese_wraps_at_the_column_limit() -> None:
    assert wrap("一二三四五六七八九十", 8) == ["一二三四", "五六七八", "九十"]


def test_latin_words_are_kept_whole() -> None:
    assert wrap("hello wide world", 11) == ["hello wide", "world"]


def test_closing_punctuation_never_starts_a_line() -> None:
    lines = wrap("一二三，四五", 6)
    assert lines == ["一二", "三，四", "五"]
    assert all(not line.startswith("，") for line in lines)


def test_a_word_before_a_full_stop_moves_down_whole() -> None:
    """An English slip: the full stop may not start a line, and the word before it stays whole."""
    assert wrap("as staff tell you.", 16) == ["as staff tell", "you."]


def test_over_long_word_is_cut() -> None:
    assert wrap("A" * 25, 10) == ["A" * 10, "A" * 10, "A" * 5]


def test_newlines_are_kept_and_empty_text_gives_one_line() -> None:
    assert wrap("甲\n乙", 10) == ["甲", "乙"]
    assert wrap("", 10) == [""]


def test_too_few_columns_is_an_error() -> None:
    with pytest.raises(ValueError, match="columns"):
        wrap("x", 1)


def test_truncate_respects_double_width() -> None:
    assert truncate("中文ab", 5) == "中文a"
    assert truncate("中文ab", 3) == "中"


@settings(max_examples=150, deadline=None, database=None)
@given(st.text(alphabet=st.sampled_from(list("中文，。：ab cdé1-/（）𠮷")), max_size=120),
       st.integers(min_value=2, max_value=48))
def test_wrapped_lines_fit_and_keep_every_printable_character(text: str, columns: int) -> None:
    lines = wrap(text, columns)
    assert all(text_width(line) <= columns for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")


def test_ten_thousand_characters_wrap() -> None:
    lines = wrap("测" * 10_000, 32)
    assert len(lines) == 625
