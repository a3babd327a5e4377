"""Normalising what an applicant types before it is checked: pure string functions.

Full-width digits and Latin letters (what a Chinese input method often produces) become ASCII, the
ideographic space becomes a space, control characters go, and the ends are trimmed. Full-width
punctuation such as （） is left alone because it is correct in Chinese text. Identifier fields
(ID numbers, credit codes, phone numbers) additionally lose inner spaces and dashes and are upper-cased.
Surrogate halves that form a pair are joined first. Text is never NFC/NFKC-normalised: that would turn
compatibility ideographs in names into other characters (see `forms.charset`).
"""

from __future__ import annotations

import unicodedata

from forms.charset import pictographs, repair_surrogates, unusable_code_points

_FULLWIDTH = {code: code - 0xFEE0 for code in range(0xFF10, 0xFF1A)}  # ０-９
_FULLWIDTH.update({code: code - 0xFEE0 for code in range(0xFF21, 0xFF3B)})  # Ａ-Ｚ
_FULLWIDTH.update({code: code - 0xFEE0 for code in range(0xFF41, 0xFF5B)})  # ａ-ｚ
_FULLWIDTH.update({0x3000: 0x20, 0xFF0D: 0x2D, 0xFF0E: 0x2E, 0xFF0B: 0x2B, 0xFF0C: 0x2C})  # space - . + ,


def to_ascii_alnum(text: str) -> str:
    """Full-width digits, letters, space, '-', '.', '+' and ',' to their ASCII forms."""
    return text.translate(_FULLWIDTH)


def drop_controls(text: str, keep_newlines: bool = False) -> str:
    """Remove control and format characters (NUL, bidi overrides, zero-width joiners, lone surrogates)."""
    if text.isprintable():  # none of those (str.isprintable is False for every Cc, Cf and Cs character)
        return text
    kept = []
    for char in text:
        if keep_newlines and char == "\n":
            kept.append(char)
        elif unicodedata.category(char) in ("Cc", "Cf", "Cs"):
            continue
        else:
            kept.append(char)
    return "".join(kept)


def clean_text(value: object, keep_newlines: bool = False) -> str:
    """Any value to a trimmed string with full-width alphanumerics made ASCII and controls removed."""
    text = repair_surrogates(value if isinstance(value, str) else str(value))
    return drop_controls(to_ascii_alnum(text), keep_newlines).strip()


def clean_identifier(value: object) -> str:
    """Like `clean_text`, then inner spaces and dashes removed and letters upper-cased."""
    text = clean_text(value)
    return "".join(char for char in text if char not in " -_").upper()


def has_pictographs(text: str) -> bool:
    """True when the text holds emoji, pictographs, or private-use or unassigned code points: what no
    font of the kiosk can print. Rare ideographs (䶮, 𠮷, any CJK extension) are not pictographs."""
    return bool(pictographs(text) or unusable_code_points(text))
