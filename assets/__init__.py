"""Files the kiosk ships: the CJK font, icons, the stylesheet, sounds and demo data.

Only paths are computed here; nothing is opened or loaded at import time. The fonts behind the CJK
font for rare name characters (HanaMinA/B, from Debian, not in git) and the order every renderer uses
them in are in `assets.fontchain`.
"""

from __future__ import annotations

from pathlib import Path

ASSETS_DIR = Path(__file__).resolve().parent

#: WenQuanYi Micro Hei (Apache-2.0): TrueType outlines, so Qt, reportlab and Pillow all take it.
CJK_FONT_FILE = "fonts/wqy-microhei.ttc"
#: Face 0 of the collection is the proportional "WenQuanYi Micro Hei"; face 1 is the mono variant.
CJK_FONT_SUBFONT_INDEX = 0
CJK_FONT_FAMILY = "WenQuanYi Micro Hei"


def asset_path(*parts: str) -> Path:
    """Return the path of a shipped asset, e.g. ``asset_path("fonts", "LICENSE-wqy-microhei.txt")``."""
    return ASSETS_DIR.joinpath(*parts)


def cjk_font_path() -> Path:
    """Return the path of the shipped CJK font (a TrueType collection; use face 0)."""
    return ASSETS_DIR / CJK_FONT_FILE
