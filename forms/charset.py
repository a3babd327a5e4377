"""Which characters a name or other typed text may hold: rare ideographs yes, emoji no (pure).

GB 18030 names use ideographs from every CJK extension: 䶮 (Extension A), 𠮷 and 𠀀 (Extension B,
above U+FFFF). Treating "above U+FFFF" as emoji refused 74,952 Han code points; Han and
Extended_Pictographic share no code point, so emoji are told apart by Unicode property instead, with
the `regex` module (its tables follow current Unicode; Python 3.11's `unicodedata` misses 9,132
recent ideographs). Names keep ideographic variation selectors (U+E0100–E01EF, U+FE00–FE0E) and the
middle dot of minority names (阿依古丽·买买提). Nothing here NFC/NFKC-normalises: NFC turns the
compatibility ideograph U+F900 into U+8C48, which is a different character on an ID card.

Lone surrogates (half of a UTF-16 pair, e.g. from a broken input bridge) cannot be stored or printed:
:func:`repair_surrogates` joins pairs that arrived as two halves, and whatever is left is refused.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

#: Characters that are assigned, not private and not pictographic in every Unicode version (checked
#: against `regex`'s tables by tests/unit/forms/test_charset.py): printable ASCII, the CJK Unified
#: Ideographs of Unicode 1.1 (一-龥), Chinese punctuation and the fullwidth forms. Text made only of these
#: (nearly everything typed at a kiosk) is answered without loading `regex` (~20 ms of every process
#: that checks an answer, on `kiosk apply`'s path: issue 17).
_PLAIN = re.compile(r"[\x20-\x7e\u4e00-\u9fa5\u00b7\u2014\u2018\u2019\u201c\u201d\u2026"
                    r"\u3001\u3002\u3008-\u3011\uff01-\uff5e\n]*")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
#: Middle dots used between the parts of a minority or transliterated name.
NAME_DOTS = "·•・‧"


@cache
def _patterns() -> dict[str, Any]:
    """The `regex` patterns, compiled on first need (text beyond `_PLAIN`)."""
    import regex

    return {
        # Emoji and pictographs (🀄 ❤ © ™ included), flag letters, skin tones, keycap and emoji
        # presentation selectors and the zero-width joiner that glues emoji sequences.
        "pictograph": regex.compile(
            r"\p{Extended_Pictographic}|\p{Regional_Indicator}|\p{Emoji_Modifier}|[\u200D\uFE0F\u20E3]"),
        "private_or_unassigned": regex.compile(r"[\p{Co}\p{Cn}]"),
        "han_name": regex.compile(
            r"^(?:\p{Han}[\uFE00-\uFE0E\U000E0100-\U000E01EF]?)+(?:[" + NAME_DOTS + r"]"
            r"(?:\p{Han}[\uFE00-\uFE0E\U000E0100-\U000E01EF]?)+)*$"),
    }


def _plain(text: str) -> bool:
    return _PLAIN.fullmatch(text) is not None


def repair_surrogates(text: str) -> str:
    """Join surrogate halves that form a valid pair into the character (``\\ud842\\udfb7`` → 𠮷);
    lone halves stay as they are (see :func:`lone_surrogates`)."""
    if not _SURROGATE.search(text):
        return text
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")


def lone_surrogates(text: str) -> list[str]:
    """The surrogate code points in ``text`` as ``U+D800`` strings (none in well-formed text)."""
    return [f"U+{ord(ch):04X}" for ch in _SURROGATE.findall(text)]


def pictographs(text: str) -> list[str]:
    """The emoji and pictographic characters of ``text``, in order (empty for any Han name)."""
    return [] if _plain(text) else _patterns()["pictograph"].findall(text)


def unusable_code_points(text: str) -> list[str]:
    """Private-use and unassigned code points of ``text`` as ``U+E000`` strings: no font can print them."""
    if _plain(text):
        return []
    found = _patterns()["private_or_unassigned"].findall(text)
    return [f"U+{ord(ch):04X}" for ch in found if not _SURROGATE.match(ch)]


def is_han_name(text: str) -> bool:
    """True for a name written in ideographs of any CJK block, each optionally followed by a variation
    selector, with middle dots between its parts: 王𫖮, 𠮷田, 葛\U000e0100, 阿依古丽·买买提."""
    if text and all("\u4e00" <= ch <= "\u9fa5" for ch in text):  # the common block: no `regex` needed
        return True
    return bool(_patterns()["han_name"].match(text))
