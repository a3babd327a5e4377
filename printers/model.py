"""The receipt model: what is on a slip of paper, independent of any printer (pure dataclasses).

A :class:`Receipt` is an ordered tuple of blocks: :class:`Title`, :class:`Text` (size, bold,
alignment), :class:`Field` (a label–value pair), :class:`Rule` (a horizontal line), :class:`QrCode`,
:class:`Feed` (blank lines) and :class:`Cut`. Renderers (``escpos_render``, ``preview``) turn it into
bytes or a picture for a given ``PrinterProfile``; layouts (``layouts``) build it from business data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Align = Literal["left", "center", "right"]
ALIGNMENTS = ("left", "center", "right")
#: Text sizes are character magnifications (width and height), as GS ! allows 1–8; we use 1–3.
MAX_TEXT_SIZE = 3


def _check_align(align: str) -> None:
    if align not in ALIGNMENTS:
        raise ValueError(f"alignment must be one of {ALIGNMENTS}, not {align!r}")


@dataclass(frozen=True)
class Text:
    """A paragraph, wrapped to the paper width. ``size`` magnifies width and height (1–3)."""

    text: str
    size: int = 1
    bold: bool = False
    align: Align = "left"

    def __post_init__(self) -> None:
        _check_align(self.align)
        if not 1 <= self.size <= MAX_TEXT_SIZE:
            raise ValueError(f"text size must be 1–{MAX_TEXT_SIZE}, not {self.size}")


@dataclass(frozen=True)
class Title:
    """A heading: double size, bold, centred by default."""

    text: str
    align: Align = "center"

    def __post_init__(self) -> None:
        _check_align(self.align)


@dataclass(frozen=True)
class Field:
    """A label–value pair printed as ``label：value`` (an English slip passes ``separator=": "``); a long
    value wraps under itself."""

    label: str
    value: str
    separator: str = "："


@dataclass(frozen=True)
class Rule:
    """A horizontal line across the paper, drawn with ``char`` (one half-width column each)."""

    char: str = "-"

    def __post_init__(self) -> None:
        if len(self.char) != 1:
            raise ValueError(f"a rule is drawn with one character, not {self.char!r}")


@dataclass(frozen=True)
class QrCode:
    """A QR code (ECC M, byte mode), centred, with an optional caption line under it."""

    data: str
    caption: str = ""

    def __post_init__(self) -> None:
        if not self.data:
            raise ValueError("a QR code needs data")


@dataclass(frozen=True)
class Feed:
    """Blank lines."""

    lines: int = 1

    def __post_init__(self) -> None:
        if not 1 <= self.lines <= 255:
            raise ValueError(f"feed must be 1–255 lines, not {self.lines}")


@dataclass(frozen=True)
class Cut:
    """Feed to the cutter and cut (only feeds on a printer without a cutter)."""

    partial: bool = False


Block = Text | Title | Field | Rule | QrCode | Feed | Cut


@dataclass(frozen=True)
class Receipt:
    """A slip of paper: blocks in print order. ``kind`` says what it is (licence, receipt, test)."""

    blocks: tuple[Block, ...] = field(default_factory=tuple)
    kind: str = "receipt"

    def __post_init__(self) -> None:
        object.__setattr__(self, "blocks", tuple(self.blocks))
        for block in self.blocks:
            if not isinstance(block, Text | Title | Field | Rule | QrCode | Feed | Cut):
                raise TypeError(f"not a receipt block: {block!r}")

    def qr_payloads(self) -> list[str]:
        """Return the data of every QR code on the receipt, in order."""
        return [b.data for b in self.blocks if isinstance(b, QrCode)]
