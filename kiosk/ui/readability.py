"""How readable a rendered screen is, from its pixels and its texts: pure (numpy, no Qt).

`text_contrast(pixels)` measures one text element from a screenshot crop (H x W x 3 RGB): the
background is the crop's most common colour, the text colour the ink pixel farthest from it (the
third-farthest, so one stray pixel of a neighbour does not count), and the result the WCAG 2
contrast ratio of the two. `han_characters(text)` lists the Han characters of a string, and the
Chinese punctuation and full-width forms (：，。　 look wrong in English): the English screens must not
show any but names, addresses and document titles that stay Chinese.
`Readability` gathers what one walk measured: smallest text, smallest touch target, lowest contrast
and each element that set them, so a report can name the worst offender.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import regex

from kiosk.ui.theme import contrast_ratio

MIN_INK_PIXELS = 3
INK_DISTANCE = 40  # a pixel further than this (sum of |dR|+|dG|+|dB|) from the background is ink
_HAN = regex.compile(r"[\p{Han}\u3000-\u303F\uFF01-\uFF60]")  # Han, CJK punctuation, full-width forms


def _relative_luminance(rgb: np.ndarray) -> np.ndarray:
    channels = rgb.astype(np.float64) / 255.0
    linear = np.where(channels <= 0.03928, channels / 12.92, ((channels + 0.055) / 1.055) ** 2.4)
    return linear @ np.array([0.2126, 0.7152, 0.0722])


def background_colour(pixels: np.ndarray) -> tuple[int, int, int]:
    """The most common colour of an RGB crop."""
    flat = pixels.reshape(-1, 3).astype(np.int64)
    packed = (flat[:, 0] << 16) | (flat[:, 1] << 8) | flat[:, 2]
    values, counts = np.unique(packed, return_counts=True)
    top = int(values[np.argmax(counts)])
    return (top >> 16) & 255, (top >> 8) & 255, top & 255


def text_contrast(pixels: np.ndarray) -> float | None:
    """The WCAG contrast of the text in an RGB crop against its background; None when the crop holds no
    ink (fewer than MIN_INK_PIXELS pixels differ from the background)."""
    if pixels.size == 0:
        return None
    back = np.array(background_colour(pixels), dtype=np.int64)
    flat = pixels.reshape(-1, 3).astype(np.int64)
    ink = flat[np.abs(flat - back).sum(axis=1) > INK_DISTANCE]
    if len(ink) < MIN_INK_PIXELS:
        return None
    back_lum = float(_relative_luminance(back[None, :])[0])
    lum = _relative_luminance(ink)
    ratios = (np.maximum(lum, back_lum) + 0.05) / (np.minimum(lum, back_lum) + 0.05)
    return float(np.sort(ratios)[-MIN_INK_PIXELS])


A4_WIDTH_PT = 595.3


def smallest_form_text_pt() -> float:
    """The smallest type on the application form's pages (its paragraph styles, in points): the form
    preview is an image of the page, so its smallest text on screen is this scaled to the image."""
    from dataclasses import fields

    from forms.documents.layout import styles

    table = styles()
    return min(getattr(table, f.name).fontSize for f in fields(table))


def hex_contrast(foreground: str, background: str) -> float:
    return contrast_ratio(foreground, background)


def han_characters(text: str) -> list[str]:
    return _HAN.findall(text)


@dataclass(frozen=True)
class Worst:
    value: float
    what: str          # the element (objectName or class) and its text
    screen: str        # the screenshot it was measured on


@dataclass
class Readability:
    """What the screens of one walk measured."""

    min_text: Worst | None = None
    min_target: Worst | None = None
    min_contrast: Worst | None = None
    truncated: list[str] = field(default_factory=list)
    unreachable: list[str] = field(default_factory=list)   # touch targets a finger cannot reach (under the footer)
    han: list[str] = field(default_factory=list)   # visible texts with Han characters (English screens)
    screens: int = 0

    def note_text(self, px: float, what: str, screen: str) -> None:
        if self.min_text is None or px < self.min_text.value:
            self.min_text = Worst(px, what, screen)

    def note_target(self, px: float, what: str, screen: str) -> None:
        if self.min_target is None or px < self.min_target.value:
            self.min_target = Worst(px, what, screen)

    def note_contrast(self, ratio: float, what: str, screen: str) -> None:
        if self.min_contrast is None or ratio < self.min_contrast.value:
            self.min_contrast = Worst(ratio, what, screen)

    def figures(self) -> dict[str, object]:
        return {
            "min_text_px": None if self.min_text is None else round(self.min_text.value, 1),
            "min_target_px": None if self.min_target is None else round(self.min_target.value, 1),
            "min_contrast": None if self.min_contrast is None else round(self.min_contrast.value, 2),
        }

    def worst(self) -> dict[str, object]:
        """Which element set each figure, on which screen."""
        return {name: None if value is None else {"value": round(value.value, 2), "what": value.what,
                                                  "screen": value.screen}
                for name, value in (("text", self.min_text), ("target", self.min_target),
                                    ("contrast", self.min_contrast))}
