"""The look of the touchscreen as plain numbers: sizes per orientation, the elder-mode scale, colours.

Pure (no Qt). `theme_values(elder_mode, orientation)` returns the dict QML reads as `theme`. Elder mode
multiplies every size by `ELDER_SCALE` (1.4): body text 26 px -> 36 px at 1080 px wide (>= 18 pt),
touch targets 64 px -> 90 px (>= 84 px). Colours are chosen so text on its background keeps a
contrast ratio of at least 4.5:1 (WCAG AA), `contrast_ratio` checks it; states are never told by
colour alone (every message carries words and an icon character).
"""

from __future__ import annotations

from dataclasses import dataclass

ELDER_SCALE = 1.4
ORIENTATIONS = {"portrait": (1080, 1920), "landscape": (1920, 1080)}
MIN_TARGET_PX = 64
ELDER_MIN_TARGET_PX = 90

COLOURS = {
    "background": "#F4F6F9",
    "surface": "#FFFFFF",
    "text": "#1B1F24",
    "muted": "#4A5361",
    "primary": "#0B57A4",
    "onPrimary": "#FFFFFF",
    "accent": "#B3261E",
    "onAccent": "#FFFFFF",
    "ok": "#1E6B32",
    "warn": "#7A4D00",
    "block": "#B3261E",
    "blockBack": "#FDECEA",
    "warnBack": "#FFF4DC",
    "okBack": "#E7F4EA",
    "locked": "#E9EDF2",
    "border": "#8A94A3",
    "header": "#0B3D74",
    "onHeader": "#FFFFFF",
}

# (text colour, background colour) pairs used on screen; each must keep >= 4.5:1.
TEXT_PAIRS = (
    ("text", "background"), ("text", "surface"), ("muted", "surface"), ("muted", "background"),
    ("onPrimary", "primary"), ("onAccent", "accent"), ("ok", "okBack"), ("warn", "warnBack"),
    ("block", "blockBack"), ("text", "locked"), ("onHeader", "header"), ("primary", "surface"),
    ("ok", "surface"), ("block", "surface"),
)


@dataclass(frozen=True)
class Sizes:
    body: int
    small: int
    title: int
    huge: int
    target: int
    margin: int
    radius: int


BASE_SIZES = {
    "portrait": Sizes(body=26, small=22, title=40, huge=64, target=MIN_TARGET_PX, margin=32, radius=14),
    "landscape": Sizes(body=26, small=22, title=40, huge=64, target=MIN_TARGET_PX, margin=32, radius=14),
}


def scaled(sizes: Sizes, factor: float) -> Sizes:
    return Sizes(*(round(value * factor) for value in vars(sizes).values()))


def theme_values(elder_mode: bool, orientation: str = "portrait") -> dict[str, object]:
    """Everything QML needs to lay a screen out: sizes (px), the scale, the window size, colours."""
    if orientation not in ORIENTATIONS:
        raise ValueError(f"orientation must be portrait or landscape, not {orientation!r}")
    factor = ELDER_SCALE if elder_mode else 1.0
    sizes = scaled(BASE_SIZES[orientation], factor)
    if elder_mode:
        sizes = Sizes(**{**vars(sizes), "target": max(sizes.target, ELDER_MIN_TARGET_PX)})
    width, height = ORIENTATIONS[orientation]
    return {
        **vars(sizes), "scale": factor, "elder": elder_mode, "orientation": orientation,
        "width": width, "height": height, "landscape": orientation == "landscape", **COLOURS,
    }


def _luminance(hex_colour: str) -> float:
    value = hex_colour.lstrip("#")
    channels = [int(value[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(foreground: str, background: str) -> float:
    """WCAG 2 contrast ratio of two #RRGGBB colours (1.0 .. 21.0)."""
    lighter, darker = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)
