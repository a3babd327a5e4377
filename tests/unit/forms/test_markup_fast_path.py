"""forms.documents.text.to_markup's fast path (every character prints as itself in the body font) gives
exactly what the character-by-character path gives, and never takes a value that needs more than escaping."""

from __future__ import annotations

import pytest

from forms.documents import text

#: A body font drawing ASCII and the common Han block; a fallback drawing a rare Han character.
BODY = frozenset(range(0x20, 0x7F)) | frozenset(range(0x4E00, 0x9FA6)) | {0x25A1, 0xFF08, 0xFF09}
FALLBACKS = (("HanaMinB", frozenset({0x20BB7, 0x4DAE})),)

SAMPLES = ["", "plain", "张伟&理发", "<b>张伟</b>", "a > b & c < d", "两行\n文字", "tab\there", "cr\r\nlf\rx",
           "𠮷家", "䶮", "emoji 😀 here", "e\u0301", "变体\ufe0f选择", "零宽\u200d连接", "ctrl\x00\x07",
           "lone \ud800 surrogate", "（全角括号）", "x" * 10_000, "张" * 3000 + "𠮷"]


def slow(value: object, monkeypatch: pytest.MonkeyPatch) -> str:
    with monkeypatch.context() as patch:
        patch.setattr(text, "_all_plain", lambda *_: False)
        return text.to_markup(value, BODY, FALLBACKS)


@pytest.mark.parametrize("value", [*SAMPLES, None, 42, 3.5])
def test_the_fast_path_gives_what_the_loops_give(value: object, monkeypatch: pytest.MonkeyPatch) -> None:
    expected = slow(value, monkeypatch)
    assert text.to_markup(value, BODY, FALLBACKS) == expected
    assert text.to_markup(value, BODY, FALLBACKS) == expected  # again, with the characters remembered


@pytest.mark.parametrize("value", ["tab\there", "cr\r\nlf", "𠮷家", "😀", "变体\ufe0f", "ctrl\x07", "零宽\u200d"])
def test_values_needing_more_than_escaping_are_not_plain(value: str) -> None:
    assert not text._all_plain(value, BODY)
    assert not text._all_plain(value, BODY)  # a character is remembered only when it is plain


def test_what_one_font_draws_is_not_remembered_for_another() -> None:
    assert text._all_plain("张伟", BODY)
    assert not text._all_plain("张伟", frozenset(range(0x20, 0x7F)))
