"""Display width of text on a thermal printer, and wrapping by that width (pure).

A Chinese thermal printer in Chinese character mode prints every single-byte code (ASCII) in a
half-width cell (12x24 dots for font A) and every two-byte GBK code in a full-width cell (24x24),
whatever the Unicode East Asian Width of the character says: ``─``, ``①`` and ``×`` are two columns
there. So the width of a character is the length of its GBK encoding; a character outside GBK (a rare
name character such as 𠮷, an emoji) is printed as a raster and gets the East Asian Width rule.
Columns are half-width cells: a 576-dot printer has 48, a 384-dot printer 32.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

#: Characters a printer cannot take as they are, and what to send instead. ``¥`` (U+00A5) is not in
#: GBK, and in Chinese mode its single-byte code 0x9D would swallow the next byte: use full-width ￥.
PRINTER_SUBSTITUTIONS = {
    "¥": "￥",
    "\t": " ",
    "\u00a0": " ",
}


def normalize_for_printer(text: str) -> str:
    """Replace characters a printer cannot take (¥, tabs, NBSP) and drop other control characters."""
    out = []
    for ch in text:
        ch = PRINTER_SUBSTITUTIONS.get(ch, ch)
        if unicodedata.category(ch) in ("Cc", "Cf") and ch != " ":
            continue
        out.append(ch)
    return "".join(out)


@lru_cache(maxsize=4096)
def char_width(ch: str) -> int:
    """Return how many half-width columns one character takes on the printer (0, 1 or 2); combining
    marks and variation selectors (葛 + U+E0100) take none."""
    if unicodedata.combining(ch) or 0xFE00 <= ord(ch) <= 0xFE0F or 0xE0100 <= ord(ch) <= 0xE01EF:
        return 0
    try:
        return min(len(ch.encode("gbk")), 2)
    except UnicodeEncodeError:
        return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def text_width(text: str) -> int:
    """Return the display width of ``text`` in half-width columns."""
    return sum(char_width(ch) for ch in text)


def _is_break_after(ch: str) -> bool:
    return ch in " -/,;" or char_width(ch) == 2


#: Characters that must not start a line (Chinese line-breaking rule, 避头点).
NO_LINE_START = set("，。、：；！？）》」』】’”,.:;!?)]}%")


def wrap(text: str, columns: int) -> list[str]:
    """Wrap ``text`` into lines of at most ``columns`` display columns.

    Explicit newlines are kept. Latin words are kept whole when they fit on a line; Chinese text breaks
    between any two characters, except that closing punctuation is not put at the start of a line (the
    previous character moves down with it). An over-long word is cut. Always returns at least one line.
    """
    if columns < 2:
        raise ValueError(f"cannot wrap to {columns} columns: need at least 2")
    lines: list[str] = []
    for paragraph in text.split("\n"):
        lines.extend(_wrap_paragraph(paragraph, columns))
    return lines


def _wrap_paragraph(text: str, columns: int) -> list[str]:
    lines: list[str] = []
    line: list[str] = []
    width = 0
    last_break = -1  # index in ``line`` after which we may break
    for ch in text:
        w = char_width(ch)
        if width + w > columns and line:
            if ch == " ":
                lines.append("".join(line).rstrip())
                line, width, last_break = [], 0, -1
                continue
            cut = _choose_cut(line, ch, last_break)
            head, tail = line[:cut], line[cut:]
            lines.append("".join(head).rstrip())
            line = [c for c in tail]
            while line and line[0] == " ":
                line.pop(0)
            width = sum(char_width(c) for c in line)
            last_break = -1
            for i, c in enumerate(line):
                if _is_break_after(c):
                    last_break = i
        if not line and ch == " " and lines:
            continue
        line.append(ch)
        width += w
        if _is_break_after(ch):
            last_break = len(line) - 1
        while width > columns:  # a single piece wider than the line (only when columns is tiny)
            lines.append("".join(line[:-1]))
            line = line[-1:]
            width = sum(char_width(c) for c in line)
    lines.append("".join(line).rstrip() if lines else "".join(line))
    return lines


def _choose_cut(line: list[str], next_ch: str, last_break: int) -> int:
    """Return where to split ``line`` (chars before the index stay) when ``next_ch`` does not fit."""
    if char_width(next_ch) == 2 and next_ch not in NO_LINE_START:
        cut = len(line)
    elif next_ch in NO_LINE_START and len(line) > 1:
        latin_word = char_width(line[-1]) == 1 and line[-1] != " " and last_break >= 0
        # carry the last character down with the punctuation (a Latin word: the whole word)
        cut = last_break + 1 if latin_word else len(line) - 1
    elif last_break >= 0 and char_width(line[-1]) == 1 and line[-1] != " ":
        cut = last_break + 1  # inside a Latin word: break after the last break opportunity
    else:
        cut = len(line)
    return max(cut, 1)


def pad_to(text: str, columns: int) -> str:
    """Return ``text`` padded with spaces to ``columns`` display columns (no truncation)."""
    return text + " " * max(0, columns - text_width(text))


def truncate(text: str, columns: int) -> str:
    """Return the longest prefix of ``text`` that fits in ``columns`` display columns."""
    out, width = [], 0
    for ch in text:
        w = char_width(ch)
        if width + w > columns:
            break
        out.append(ch)
        width += w
    return "".join(out)
