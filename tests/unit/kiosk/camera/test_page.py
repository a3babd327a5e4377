"""The page pipeline on synthetic photos: a rendered page posed in 3-D on a wood desk (kiosk.camera.synthetic),
so the true corners and aspect ratio are known. Readable means the flattened page matches the original
page (normalised cross-correlation of the two, grey, at the original's size) and a QR printed on it decodes."""

from __future__ import annotations

import math

import cv2
import numpy as np
import pytest

from kiosk.camera.codes import read_codes
from kiosk.camera.page import INSET, deskew, find_page, flatten_page, order_corners, page_aspect
from kiosk.camera.synthetic import PAGE_SIZE, Shot, desk, photograph, render_page

A4 = math.sqrt(2)


def ncc(page: np.ndarray, original: np.ndarray) -> float:
    """Normalised cross-correlation of two pages' grey levels at a quarter of the original's size, blurred
    (the print's shapes compared, not the resampling noise)."""
    h, w = original.shape[:2]
    original = original[round(h * INSET):h - round(h * INSET), round(w * INSET):w - round(w * INSET)]  # trimmed too
    size = (original.shape[1] // 4, original.shape[0] // 4)
    original = cv2.resize(original, size, interpolation=cv2.INTER_AREA)
    a = cv2.GaussianBlur(cv2.cvtColor(cv2.resize(page, size, interpolation=cv2.INTER_AREA), cv2.COLOR_BGR2GRAY),
                         (0, 0), 2).astype(np.float64)
    b = cv2.GaussianBlur(cv2.cvtColor(original, cv2.COLOR_BGR2GRAY), (0, 0), 2).astype(np.float64)
    a, b = a - a.mean(), b - b.mean()
    return float((a * b).sum() / math.sqrt((a * a).sum() * (b * b).sum()))


SHOTS = {
    "frontal": Shot(),
    "rotated": Shot(rotate=17),
    "tilted": Shot(tilt=28, yaw=-12, rotate=-6),
    "off-centre": Shot(centre=(0.38, 0.55), height=0.7, rotate=8, tilt=15),
    "dim": Shot(light=0.42, rotate=5, tilt=12),
    "glare": Shot(glare=True, rotate=-10, tilt=10),
    "blur-noise": Shot(blur=1.6, noise=7, tilt=18),
    "cool-light": Shot(warm=False, light=1.15, yaw=15),
}


@pytest.mark.parametrize("name", sorted(SHOTS))
@pytest.mark.parametrize("kind", ["health_certificate", "floor_plan"])
def test_a_photographed_page_comes_back_flat_with_its_aspect_and_readable(name: str, kind: str) -> None:
    original = render_page(kind)
    photo, _ = photograph(original, SHOTS[name], seed=len(name))
    result = flatten_page(photo)
    assert result.found, result.reason
    assert result.confidence >= 0.6
    assert abs(result.aspect - A4) / A4 < 0.02
    assert ncc(result.page, original) > 0.9
    other = render_page("delegation")
    assert ncc(result.page, other) < 0.85  # the measure tells pages apart


@pytest.mark.parametrize("name", sorted(SHOTS))
def test_the_outline_lands_on_the_true_corners(name: str) -> None:
    photo, corners = photograph(render_page("delegation"), SHOTS[name], seed=7)
    result = find_page(photo)
    assert result.found, result.reason
    error = np.linalg.norm(order_corners(result.corners) - order_corners(corners), axis=1)
    assert error.max() < 12, error  # pixels of a 1920x1080 frame


def test_a_page_that_is_not_a4_keeps_its_own_aspect() -> None:
    original = render_page("delegation", size=(1200, 1000))
    photo, _ = photograph(original, Shot(tilt=20, rotate=7, height=0.6), seed=2)
    result = flatten_page(photo)
    assert result.found
    assert abs(result.aspect - 1000 / 1200) / (1000 / 1200) < 0.03


def test_a_qr_printed_on_the_page_decodes_from_the_flattened_page() -> None:
    original = render_page("health_certificate", qr_text="MB1:TEST-PAGE-QR-0001")
    photo, _ = photograph(original, Shot(tilt=20, rotate=-12, height=0.8), seed=4)
    result = flatten_page(photo)
    assert result.found
    assert read_codes(result.page) == ["MB1:TEST-PAGE-QR-0001"]


def test_contrast_is_normalised_paper_white_ink_dark() -> None:
    original = render_page("health_certificate")
    photo, _ = photograph(original, Shot(light=0.42), seed=1)
    page = cv2.cvtColor(flatten_page(photo).page, cv2.COLOR_BGR2GRAY)
    assert np.percentile(page, 50) > 215  # the paper, dim and warm in the photo, is white again
    assert np.percentile(page, 0.5) < 110  # the print stays dark


def test_white_balance_takes_the_lamps_colour_cast_off_the_paper() -> None:
    photo, _ = photograph(render_page("delegation"), Shot(warm=True), seed=3)
    page = flatten_page(photo).page
    paper = page[page.mean(axis=2) > 200]
    blue, green, red = paper.mean(axis=0)
    assert max(blue, green, red) - min(blue, green, red) < 8


@pytest.mark.parametrize(("shot", "code"), [
    (Shot(centre=(0.5, 0.62), height=1.05), "page_cut_off"),
    (Shot(height=0.3), "page_too_small"),
])
def test_a_page_that_cannot_be_used_says_why(shot: Shot, code: str) -> None:
    photo, _ = photograph(render_page("health_certificate"), shot, seed=5)
    result = flatten_page(photo)
    assert not result.found
    assert result.code == code
    assert result.page is None
    assert result.corners is not None  # the preview still draws what it saw
    assert result.reason and "材料" in result.reason


@pytest.mark.parametrize("seed", range(6))
def test_an_empty_desk_has_no_page(seed: int) -> None:
    result = flatten_page(desk(seed=seed))
    assert (result.found, result.code) == (False, "no_page")
    assert "四条边" in result.reason


def test_a_dark_frame_and_a_blank_frame_are_told_apart() -> None:
    night, _ = photograph(render_page("health_certificate"), Shot(light=0.15), seed=1)
    assert find_page(night).code == "too_dark"
    assert find_page(np.zeros((1080, 1920, 3), np.uint8)).code == "blank_frame"
    assert find_page(np.zeros((0, 0, 3), np.uint8)).code == "blank_frame"


def test_deskew_levels_print_that_is_slanted_on_the_page() -> None:
    page = render_page("delegation")
    h, w = page.shape[:2]
    slanted = cv2.warpAffine(page, cv2.getRotationMatrix2D((w / 2, h / 2), 2.0, 1.0), (w, h),
                             borderValue=(255, 255, 255))
    level, angle = deskew(slanted)
    assert abs(angle + 2.0) <= 0.25
    assert ncc(level, page) > ncc(slanted, page)


def test_a_level_page_is_not_turned() -> None:
    page = render_page("health_certificate")
    level, angle = deskew(page)
    assert angle == 0.0
    assert level is page


def test_corners_are_ordered_whatever_order_they_come_in() -> None:
    corners = np.array([[10, 10], [100, 12], [98, 150], [12, 148]], dtype=float)
    for shift in range(4):
        assert np.array_equal(order_corners(np.roll(corners, shift, axis=0)[::-1]), corners)


def test_frontal_aspect_is_the_side_ratio() -> None:
    quad = np.array([[800, 300], [1100, 300], [1100, 900], [800, 900]], dtype=float)  # 2:1, centred
    assert page_aspect(quad, (1920, 1200)) == pytest.approx(2.0, rel=1e-6)
    assert PAGE_SIZE[1] / PAGE_SIZE[0] == pytest.approx(A4, rel=0.01)
