"""The look of the touchscreen as plain numbers: sizes per orientation, the elder-mode scale, colours.

Pure (no Qt). `theme_values(elder_mode, orientation)` returns the dict QML reads as `theme`. Elder mode
multiplies every size by `ELDER_SCALE` (1.5): the smallest text 22 px -> 33 px (>= ELDER_MIN_TEXT_PX,
30), body text 26 px -> 39 px, touch targets 64 px -> 96 px (>= ELDER_MIN_TARGET_PX). The docked
keyboard scales too (`keyboard_values`): its key rows, its labels and its candidate bar follow the
same mode (elder: keys >= 120 px high, labels and candidates >= 30 px, the bar as high as a target);
in landscape it docks on the right so the form keeps the full height on the left. Colours, the
keyboard's included, are chosen so text on its background keeps a contrast ratio of at least 4.5:1
(WCAG AA), `contrast_ratio` checks them and tests/ui measures the rendered screens; states are never
told by colour alone (every message carries words and an icon character).
"""

from __future__ import annotations

from dataclasses import dataclass

ELDER_SCALE = 1.5
ORIENTATIONS = {"portrait": (1080, 1920), "landscape": (1920, 1080)}
MIN_TARGET_PX = 64
ELDER_MIN_TARGET_PX = 96
ELDER_MIN_TEXT_PX = 30
ELDER_MIN_KEY_PX = 120
MIN_CONTRAST = 4.5
# The keyboard style's own scale (its labels are 60 x scale px, candidates 44 x scale, the layout is
# 800 x scale px high): 0.5 gives keys about 95 px high and 30 px labels; elder mode 0.72 keys about
# 140 px high, 43 px labels and 32 px candidates.
KEYBOARD_SCALE = 0.5
ELDER_KEYBOARD_SCALE = 0.72
KEYBOARD_DESIGN_HEIGHT = 800
LANDSCAPE_KEYBOARD_SHARE = 0.52   # of the window width, docked on the right
# The application form's preview (an A4 page image, body text about 14 px across 1,000 px): elder mode
# shows it 2,300 px wide (text >= 30 px) in a sideways-swiped strip; otherwise it fits the screen (0).
ELDER_PREVIEW_WIDTH_PX = 2300

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
    "placeholder": "#4A5361",   # hints inside empty fields: as dark as muted text (Basic's grey was 3.04:1)
    "disabledText": "#4A5361",  # a button that cannot be used yet says so in words, not by fading
    "overlay": "#E6000000",
}

# The docked keyboard (Qt Virtual Keyboard's default style, recoloured): each label on its key keeps
# 4.5:1 or more. The language list's highlight was #4F83CC under white (3.85:1).
KEYBOARD_COLOURS = {
    "kbBackground": "#263238",
    "kbKey": "#000A12",
    "kbKeyHighlight": "#37474F",
    "kbKeyText": "#FFFFFF",
    "kbPopup": "#01579B",
    "kbPopupBorder": "#FFFFFF",
    "kbPopupText": "#FFFFFF",
    "kbPopupHighlight": "#002F6C",
    "kbSelection": "#263238",
    "kbSelectionText": "#FFFFFF",
}

# (text colour, background colour) pairs used on screen; each must keep >= 4.5:1.
TEXT_PAIRS = (
    ("text", "background"), ("text", "surface"), ("muted", "surface"), ("muted", "background"),
    ("onPrimary", "primary"), ("onAccent", "accent"), ("ok", "okBack"), ("warn", "warnBack"),
    ("block", "blockBack"), ("text", "locked"), ("onHeader", "header"), ("primary", "surface"),
    ("ok", "surface"), ("block", "surface"), ("placeholder", "surface"), ("disabledText", "surface"),
)
KEYBOARD_PAIRS = (
    ("kbKeyText", "kbKey"), ("kbKeyText", "kbKeyHighlight"), ("kbPopupText", "kbPopup"),
    ("kbPopupText", "kbPopupHighlight"), ("kbSelectionText", "kbSelection"),
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
    if elder_mode:
        sizes = Sizes(**{**vars(sizes), "small": max(sizes.small, ELDER_MIN_TEXT_PX)})
    width, height = ORIENTATIONS[orientation]
    return {
        **vars(sizes), "scale": factor, "elder": elder_mode, "orientation": orientation,
        "previewWidth": ELDER_PREVIEW_WIDTH_PX if elder_mode else 0,
        "width": width, "height": height, "landscape": orientation == "landscape", **COLOURS,
        **keyboard_values(elder_mode, orientation),
    }


def keyboard_values(elder_mode: bool, orientation: str) -> dict[str, object]:
    """The docked keyboard's geometry and colours: its width (all of a portrait window, the right part
    of a landscape one), the style's scale and the design width that makes the layout that high."""
    width = ORIENTATIONS[orientation][0]
    if orientation == "landscape":
        width = round(width * LANDSCAPE_KEYBOARD_SHARE)
    scale = ELDER_KEYBOARD_SCALE if elder_mode else KEYBOARD_SCALE
    target = ELDER_MIN_TARGET_PX if elder_mode else MIN_TARGET_PX
    return {
        "kbWidth": width, "kbScale": scale, "kbDesignHeight": KEYBOARD_DESIGN_HEIGHT,
        "kbDesignWidth": round(width / scale), "kbCandidates": target, **KEYBOARD_COLOURS,
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
