"""The theme's numbers: elder-mode scale, touch-target minimums, text contrast (WCAG AA)."""

from __future__ import annotations

import pytest

from kiosk.ui.theme import COLOURS, TEXT_PAIRS, contrast_ratio, theme_values


@pytest.mark.parametrize("pair", TEXT_PAIRS, ids=lambda pair: f"{pair[0]}-on-{pair[1]}")
def test_every_text_pair_keeps_4_5_to_1(pair):
    foreground, background = pair
    assert contrast_ratio(COLOURS[foreground], COLOURS[background]) >= 4.5


def test_contrast_ratio_extremes():
    assert contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert contrast_ratio("#777777", "#777777") == pytest.approx(1.0)


@pytest.mark.parametrize("orientation", ["portrait", "landscape"])
def test_elder_mode_scales_everything_and_targets_stay_large(orientation):
    normal, elder = theme_values(False, orientation), theme_values(True, orientation)
    assert normal["target"] >= 60 and elder["target"] >= 84
    assert elder["body"] >= round(normal["body"] * 1.4) and elder["title"] > normal["title"]
    assert elder["scale"] == 1.4 and (elder["width"], elder["height"]) == (normal["width"], normal["height"])
    assert normal["landscape"] is (orientation == "landscape")


def test_unknown_orientation_is_refused():
    with pytest.raises(ValueError, match="portrait or landscape"):
        theme_values(False, "square")
