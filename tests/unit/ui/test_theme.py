"""The theme's numbers: elder-mode scale, touch-target minimums, text contrast (WCAG AA)."""

from __future__ import annotations

import pytest

from kiosk.ui.theme import (
    COLOURS,
    ELDER_MIN_KEY_PX,
    ELDER_MIN_TARGET_PX,
    ELDER_MIN_TEXT_PX,
    KEYBOARD_COLOURS,
    KEYBOARD_PAIRS,
    TEXT_PAIRS,
    contrast_ratio,
    theme_values,
)


@pytest.mark.parametrize("pair", TEXT_PAIRS + KEYBOARD_PAIRS, ids=lambda pair: f"{pair[0]}-on-{pair[1]}")
def test_every_text_pair_keeps_4_5_to_1(pair):
    foreground, background = pair
    colours = {**COLOURS, **KEYBOARD_COLOURS}
    assert contrast_ratio(colours[foreground], colours[background]) >= 4.5


def test_contrast_ratio_extremes():
    assert contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert contrast_ratio("#777777", "#777777") == pytest.approx(1.0)


@pytest.mark.parametrize("orientation", ["portrait", "landscape"])
def test_elder_mode_scales_everything_and_targets_stay_large(orientation):
    normal, elder = theme_values(False, orientation), theme_values(True, orientation)
    assert normal["target"] >= 60 and elder["target"] >= ELDER_MIN_TARGET_PX == 96
    assert elder["small"] >= ELDER_MIN_TEXT_PX and elder["body"] > normal["body"] and elder["title"] > normal["title"]
    assert elder["scale"] == 1.5 and (elder["width"], elder["height"]) == (normal["width"], normal["height"])
    assert normal["landscape"] is (orientation == "landscape")


@pytest.mark.parametrize("orientation", ["portrait", "landscape"])
def test_the_keyboard_scales_with_elder_mode(orientation):
    """The style draws 4 key rows in 800 x scale px, labels at 60 x scale px, candidates at 44 x scale."""
    elder = theme_values(True, orientation)
    assert elder["kbDesignHeight"] * elder["kbScale"] / 4 >= ELDER_MIN_KEY_PX
    assert 44 * elder["kbScale"] >= ELDER_MIN_TEXT_PX and elder["kbCandidates"] >= ELDER_MIN_TARGET_PX
    assert elder["kbWidth"] * elder["kbDesignHeight"] / elder["kbDesignWidth"] == pytest.approx(
        elder["kbDesignHeight"] * elder["kbScale"], rel=0.01)
    assert (elder["kbWidth"] < elder["width"]) is (orientation == "landscape"), "landscape docks it on the right"


def test_unknown_orientation_is_refused():
    with pytest.raises(ValueError, match="portrait or landscape"):
        theme_values(False, "square")


def test_the_elder_form_preview_is_wide_enough_for_30_px_text():
    """The preview is an image of the A4 form: its smallest type, scaled to the preview's width."""
    from kiosk.ui.readability import A4_WIDTH_PT, smallest_form_text_pt

    elder = theme_values(True, "portrait")
    assert elder["previewWidth"] * smallest_form_text_pt() / A4_WIDTH_PT >= ELDER_MIN_TEXT_PX
    assert theme_values(False, "portrait")["previewWidth"] == 0, "normal mode fits the page to the screen"
