"""The page pipeline: a photo of a page lying on a desk in, the flattened page out. Pure: numpy arrays
in and out, no files, no devices, no clock.

    result = flatten_page(frame)          # frame: HxWx3 uint8 BGR (OpenCV's order) or HxW gray
    if result.found: result.page          # the page, flattened, deskewed, normalised (BGR)
    else: result.code, result.reason      # e.g. "page_cut_off", "材料的边超出了画面：…"

Steps (each a function here, each tested):
1. `find_page`: the outline, found on a copy scaled to DETECT_WIDTH (fast enough for a live preview):
   two candidate masks, the paper's whiteness (bright and unsaturated; Otsu) and closed Canny edges;
   every large contour's convex hull is reduced to four corners; a coloured (saturated) region is not
   paper; each quad is scored by how well the contour fills it and how much whiter its inside is than
   the ring around it. The best one wins.
2. `rectify`: the perspective transform onto a rectangle whose aspect ratio is estimated from the
   quad with the pinhole-camera method (Zhang & He, "Whiteboard scanning and image enhancement",
   2007; principal point at the frame's centre), not from the foreshortened side lengths; snapped to
   √2 (A-series paper) when within SNAP_TOLERANCE.
3. `deskew`: the text lines' residual slant (projection profiles over ±MAX_DESKEW_DEG) rotated away.
4. `normalise`: uneven light and colour cast divided out (the paper's own background, estimated by
   a large closing, becomes white: white balance and glare/shadow flattening in one step, an
   adaptive normalisation), then one levels stretch (ink to black, paper to white).

`confidence` is 0..1 (fill of the quad times the paper-desk contrast); below MIN_CONFIDENCE no page
is reported. Reasons (codes in kiosk.camera.reasons): no_page, page_too_small, page_cut_off,
too_dark, blank_frame.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import cv2
import numpy as np

from kiosk.camera.reasons import reason_text

#: Width of the copy the outline is searched on (the preview runs detection on every frame).
DETECT_WIDTH = 640
#: A page smaller than this share of the frame is "too small" (move it closer / centre it).
MIN_AREA_FRACTION = 0.08
#: Candidate contours below this share of the frame are not considered at all.
MIN_CANDIDATE_FRACTION = 0.02
#: Paper is unsaturated even under a warm lamp (about 30-50 of 255); a wooden desk is over 150.
PAPER_MAX_SATURATION = 110
#: Below this the outline is not trusted.
MIN_CONFIDENCE = 0.45
#: A corner closer than this (in detection pixels) to the frame's edge means the page is cut off.
BORDER_MARGIN = 3
#: Mean brightness (0..255) under which the frame is too dark to find anything.
DARK_LEVEL = 40
#: Longest side of the flattened page, in pixels (A4 at ~190 dpi).
MAX_PAGE_SIDE = 2200
#: Aspect ratios within this relative distance of √2 are snapped to it (A4/A5 paper).
SNAP_TOLERANCE = 0.04
#: The share of each side cut off the flattened page (the outline's error is about 0.5% of the page).
INSET = 0.008
#: The largest slant `deskew` corrects, in degrees (the outline already fixed the rest).
MAX_DESKEW_DEG = 4.0
A_SERIES = math.sqrt(2.0)
#: The focal length assumed (x the frame's width) when the photo does not tell it (~55 degree lens).
DEFAULT_FOCAL = 1.0
#: Vanishing points farther than this many frame widths are too far to measure the focal length by.
VANISHING_LIMIT = 12.0


@dataclass(frozen=True)
class PageResult:
    """A flattened page and how sure the outline is, or why no page was found.

    `corners` are in the input frame's pixels (top-left, top-right, bottom-right, bottom-left), also
    when the page is refused for being cut off or small (the preview draws them); `page` is set only
    by `flatten_page` when found."""

    found: bool
    confidence: float
    corners: np.ndarray | None = field(default=None, repr=False)
    page: np.ndarray | None = field(default=None, repr=False)
    code: str | None = None
    skew_deg: float = 0.0

    @property
    def reason(self) -> str | None:
        """What the applicant is told when no page was found (plain Chinese), else None."""
        return reason_text(self.code) if self.code else None

    @property
    def aspect(self) -> float | None:
        """Height / width of the flattened page."""
        return None if self.page is None else self.page.shape[0] / self.page.shape[1]


def flatten_page(frame: np.ndarray, *, enhance: bool = True) -> PageResult:
    """Find the page in `frame` and return it flattened, deskewed and (with `enhance`) normalised."""
    found = find_page(frame)
    if not found.found or found.corners is None:
        return found
    page = rectify(_bgr(frame), found.corners)
    page = _inset(page)
    page, angle = deskew(page)
    if enhance:
        page = normalise(page)
    return PageResult(True, found.confidence, found.corners, page, None, angle)


def find_page(frame: np.ndarray) -> PageResult:
    """The page's outline in `frame` (no flattening: cheap enough for every preview frame)."""
    if frame is None or frame.size == 0:
        return PageResult(False, 0.0, code="blank_frame")
    bgr = _bgr(frame)
    height, width = bgr.shape[:2]
    scale = min(1.0, DETECT_WIDTH / width)
    small = cv2.resize(bgr, (round(width * scale), round(height * scale)), interpolation=cv2.INTER_AREA)
    gray = cv2.cvtColor(small, cv2.COLOR_BGR2GRAY)
    if float(gray.std()) < 3.0:
        return PageResult(False, 0.0, code="blank_frame")
    if float(gray.mean()) < DARK_LEVEL and float(np.percentile(gray, 95)) < 2 * DARK_LEVEL:
        return PageResult(False, 0.0, code="too_dark")
    whiteness = _whiteness(small)
    saturation = cv2.cvtColor(small, cv2.COLOR_BGR2HSV)[:, :, 1]
    best: tuple[float, np.ndarray] | None = None
    for mask in (_paper_mask(whiteness), _edge_mask(gray)):
        for quad, fill in _quads(mask):
            if _mean_inside(saturation, quad) > PAPER_MAX_SATURATION:
                continue  # a coloured surface (the desk), not paper
            contrast = _contrast(whiteness, quad)
            score = fill * min(1.0, max(0.0, contrast) / 60.0)
            if best is None or score > best[0]:
                best = (score, quad)
    if best is None or best[0] < MIN_CONFIDENCE:
        return PageResult(False, 0.0 if best is None else round(best[0], 3), code="no_page")
    score, quad = best
    corners = (quad / scale).astype(np.float32)
    small_h, small_w = gray.shape
    area = cv2.contourArea(quad.astype(np.float32)) / float(small_h * small_w)
    if _touches_border(quad, small_w, small_h):
        return PageResult(False, round(score, 3), corners, code="page_cut_off")
    if area < MIN_AREA_FRACTION:
        return PageResult(False, round(score, 3), corners, code="page_too_small")
    return PageResult(True, round(score, 3), corners)


def rectify(frame: np.ndarray, corners: np.ndarray, *, frame_size: tuple[int, int] | None = None) -> np.ndarray:
    """The quad `corners` (tl, tr, br, bl; in `frame`'s pixels) warped onto an upright rectangle with
    the page's estimated aspect ratio."""
    quad = order_corners(np.asarray(corners, dtype=np.float64))
    height, width = frame.shape[:2]
    aspect = page_aspect(quad, frame_size or (width, height))
    top, bottom = np.linalg.norm(quad[1] - quad[0]), np.linalg.norm(quad[2] - quad[3])
    left, right = np.linalg.norm(quad[3] - quad[0]), np.linalg.norm(quad[2] - quad[1])
    out_w = max(top, bottom, max(left, right) / aspect)
    out_h = out_w * aspect
    shrink = min(1.0, MAX_PAGE_SIDE / max(out_w, out_h))
    out_w, out_h = max(8, round(out_w * shrink)), max(8, round(out_h * shrink))
    target = np.array([[0, 0], [out_w - 1, 0], [out_w - 1, out_h - 1], [0, out_h - 1]], dtype=np.float32)
    matrix = cv2.getPerspectiveTransform(quad.astype(np.float32), target)
    return cv2.warpPerspective(frame, matrix, (out_w, out_h), flags=cv2.INTER_LINEAR,
                               borderMode=cv2.BORDER_REPLICATE)


def page_aspect(quad: np.ndarray, frame_size: tuple[int, int], focal: float | None = None) -> float:
    """Height/width of the real rectangle seen as `quad` (tl, tr, br, bl) by a pinhole camera whose
    principal point is the frame's centre (Zhang & He). The focal length is estimated from the two
    vanishing points when both are near enough to be trusted, else `focal` (default DEFAULT_FOCAL x
    the frame's width: with a pair of sides parallel in the photo it cannot be measured). Falls back
    to the mean side lengths when the geometry is degenerate; snapped to √2 within SNAP_TOLERANCE."""
    tl, tr, br, bl = (np.asarray(p, dtype=np.float64) for p in quad)
    sides = ((np.linalg.norm(bl - tl) + np.linalg.norm(br - tr))
             / max(1e-9, np.linalg.norm(tr - tl) + np.linalg.norm(br - bl)))
    aspect = sides
    width = float(frame_size[0])
    u0, v0 = frame_size[0] / 2.0, frame_size[1] / 2.0
    # Zhang's notation: m1..m4 = tl, tr, bl, br (homogeneous, centred on the principal point).
    m1, m2, m3, m4 = (np.array([p[0] - u0, p[1] - v0, 1.0]) for p in (tl, tr, bl, br))
    den2, den3 = np.dot(np.cross(m2, m4), m3), np.dot(np.cross(m3, m4), m2)
    if abs(den2) < 1e-9 or abs(den3) < 1e-9:
        return _snapped(aspect)
    k2 = np.dot(np.cross(m1, m4), m3) / den2
    k3 = np.dot(np.cross(m1, m4), m2) / den3
    n2, n3 = k2 * m2 - m1, k3 * m3 - m1
    f_sq = (focal or DEFAULT_FOCAL * width) ** 2
    if _vanishing_points_near(m1, m2, m3, m4, width) and abs(n2[2] * n3[2]) > 1e-12:
        measured = -(n2[0] * n3[0] + n2[1] * n3[1]) / (n2[2] * n3[2])
        if (0.3 * width) ** 2 < measured < (4.0 * width) ** 2:
            f_sq = measured
    a_inv = np.diag([1.0 / f_sq, 1.0 / f_sq, 1.0])
    width_sq, height_sq = n2 @ a_inv @ n2, n3 @ a_inv @ n3
    if width_sq > 0 and height_sq > 0:
        estimate = math.sqrt(height_sq / width_sq)
        if 0.5 * sides < estimate < 2.0 * sides:
            aspect = estimate
    return _snapped(aspect)


def _vanishing_points_near(m1, m2, m3, m4, width: float) -> bool:
    """Both pairs of opposite sides meet within VANISHING_LIMIT frame widths of the centre."""
    for a, b, c, d in ((m1, m2, m3, m4), (m1, m3, m2, m4)):
        point = np.cross(np.cross(a, b), np.cross(c, d))
        if abs(point[2]) < 1e-12 or np.hypot(point[0], point[1]) / abs(point[2]) > VANISHING_LIMIT * width:
            return False
    return True


def _snapped(aspect: float) -> float:
    for target in (A_SERIES, 1.0 / A_SERIES):
        if abs(aspect - target) / target <= SNAP_TOLERANCE:
            return target
    return float(aspect)


def order_corners(points: np.ndarray) -> np.ndarray:
    """Four points as top-left, top-right, bottom-right, bottom-left (image coordinates)."""
    pts = np.asarray(points, dtype=np.float64).reshape(4, 2)
    centre = pts.mean(axis=0)
    angles = np.arctan2(pts[:, 1] - centre[1], pts[:, 0] - centre[0])
    pts = pts[np.argsort(angles)]  # clockwise on screen, starting at the left-most angle (-pi)
    start = int(np.argmin(pts.sum(axis=1)))  # the top-left has the smallest x + y
    return np.roll(pts, -start, axis=0)


def deskew(page: np.ndarray) -> tuple[np.ndarray, float]:
    """The page rotated so its text lines are level; returns it and the angle corrected (degrees).
    The slant is the angle whose projection profile of the ink pixels is sharpest (the largest sum of
    squared row counts), searched over ±MAX_DESKEW_DEG in 0.25 degree steps on the ink pixels' own
    coordinates (no image is rotated to search). Angles under 0.3 degrees are left alone."""
    gray = cv2.cvtColor(page, cv2.COLOR_BGR2GRAY) if page.ndim == 3 else page
    scale = min(1.0, 500.0 / max(gray.shape))
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    ink = cv2.adaptiveThreshold(small, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 25, 15)
    margin = max(2, round(0.04 * min(ink.shape)))
    ink = ink[margin:-margin, margin:-margin]
    ys, xs = np.nonzero(ink)
    if len(ys) < 0.002 * ink.size:
        return page, 0.0
    if len(ys) > 40_000:
        pick = np.random.default_rng(0).choice(len(ys), 40_000, replace=False)
        ys, xs = ys[pick], xs[pick]
    ys = ys.astype(np.float64) - ink.shape[0] / 2
    xs = xs.astype(np.float64) - ink.shape[1] / 2
    best_angle, best_score = 0.0, -1.0
    for angle in np.arange(-MAX_DESKEW_DEG, MAX_DESKEW_DEG + 1e-6, 0.25):
        theta = math.radians(float(angle))
        rows = np.round(ys * math.cos(theta) - xs * math.sin(theta)).astype(np.int64)
        counts = np.bincount(rows - rows.min())
        score = float(np.dot(counts, counts))
        if score > best_score:
            best_angle, best_score = float(angle), score
    if abs(best_angle) < 0.3:
        return page, 0.0
    h, w = page.shape[:2]
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), best_angle, 1.0)
    return cv2.warpAffine(page, matrix, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE), best_angle


def normalise(page: np.ndarray) -> np.ndarray:
    """Paper white, ink dark, whatever the light: each channel divided by the paper's own background
    (a closing at 1/4 scale removes the ink; white balance and uneven light in one step: adaptive),
    then one levels stretch for all channels (a lookup table from the lightness percentiles)."""
    bgr = _bgr(page)
    h, w = bgr.shape[:2]
    small = cv2.resize(bgr, (max(1, w // 4), max(1, h // 4)), interpolation=cv2.INTER_AREA)
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (15, 15))
    background = cv2.morphologyEx(small, cv2.MORPH_CLOSE, kernel)
    background = cv2.GaussianBlur(background, (0, 0), 3)
    background = cv2.resize(background, (w, h), interpolation=cv2.INTER_LINEAR)
    flat = cv2.divide(bgr, cv2.max(background, 1), scale=245)
    lightness = cv2.cvtColor(cv2.resize(flat, (max(1, w // 4), max(1, h // 4)), interpolation=cv2.INTER_AREA),
                             cv2.COLOR_BGR2GRAY)
    low, high = (float(v) for v in np.percentile(lightness, (0.5, 60)))
    if high - low < 30:
        return flat
    ramp = (np.arange(256, dtype=np.float32) - low) * (250.0 / (high - low))
    return cv2.LUT(flat, np.clip(ramp, 0, 255).astype(np.uint8))


def _inset(page: np.ndarray) -> np.ndarray:
    """The page without a thin margin (INSET of each side): the outline found on the small copy may sit
    a few pixels outside the paper, and a strip of desk along an edge would darken the normalisation."""
    h, w = page.shape[:2]
    dy, dx = round(h * INSET), round(w * INSET)
    return page[dy:h - dy, dx:w - dx] if dy and dx else page


# --- detection helpers --------------------------------------------------------------------------

def _bgr(frame: np.ndarray) -> np.ndarray:
    if frame.ndim == 2:
        return cv2.cvtColor(frame, cv2.COLOR_GRAY2BGR)
    if frame.shape[2] == 4:
        return cv2.cvtColor(frame, cv2.COLOR_BGRA2BGR)
    return frame


def _whiteness(small: np.ndarray) -> np.ndarray:
    """Bright and unsaturated (paper) high, coloured or dark (desk) low: V - S/2, blurred."""
    hsv = cv2.cvtColor(small, cv2.COLOR_BGR2HSV)
    value = hsv[:, :, 2].astype(np.int16)
    saturation = hsv[:, :, 1].astype(np.int16)
    white = np.clip(value - saturation // 2, 0, 255).astype(np.uint8)
    return cv2.GaussianBlur(white, (5, 5), 0)


def _paper_mask(whiteness: np.ndarray) -> np.ndarray:
    _, mask = cv2.threshold(whiteness, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (9, 9))
    mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, kernel)  # the ink back into the paper
    return cv2.morphologyEx(mask, cv2.MORPH_OPEN, kernel)  # grain of the desk away


def _edge_mask(gray: np.ndarray) -> np.ndarray:
    blurred = cv2.GaussianBlur(gray, (5, 5), 0)
    median = float(np.median(blurred))
    edges = cv2.Canny(blurred, int(max(10, 0.66 * median)), int(min(255, 1.33 * median + 20)))
    edges = cv2.dilate(edges, cv2.getStructuringElement(cv2.MORPH_RECT, (3, 3)))
    # Fill the closed outlines so the page is one blob.
    contours, _ = cv2.findContours(edges, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    filled = np.zeros_like(edges)
    cv2.drawContours(filled, contours, -1, 255, thickness=cv2.FILLED)
    return cv2.erode(filled, cv2.getStructuringElement(cv2.MORPH_RECT, (3, 3)))


def _quads(mask: np.ndarray) -> list[tuple[np.ndarray, float]]:
    """(quad tl,tr,br,bl as float array, fill ratio) for each large contour of `mask`."""
    h, w = mask.shape
    frame_area = float(h * w)
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    out = []
    for contour in sorted(contours, key=cv2.contourArea, reverse=True)[:4]:
        area = cv2.contourArea(contour)
        if area < MIN_CANDIDATE_FRACTION * frame_area:
            break
        quad = _four_corners(contour)
        if quad is None:
            continue
        quad_area = cv2.contourArea(quad.astype(np.float32))
        if quad_area <= 0:
            continue
        fill = min(area, quad_area) / max(area, quad_area)
        out.append((quad, fill))
    return out


def _four_corners(contour: np.ndarray) -> np.ndarray | None:
    hull = cv2.convexHull(contour)
    perimeter = cv2.arcLength(hull, True)
    for epsilon in (0.01, 0.02, 0.03, 0.05, 0.08):
        approx = cv2.approxPolyDP(hull, epsilon * perimeter, True)
        if len(approx) == 4:
            quad = order_corners(approx.reshape(4, 2))
            return quad if cv2.isContourConvex(quad.astype(np.float32).reshape(-1, 1, 2)) else None
        if len(approx) < 4:
            return None
    return None


def _mean_inside(channel: np.ndarray, quad: np.ndarray) -> float:
    inside = np.zeros(channel.shape, np.uint8)
    cv2.fillConvexPoly(inside, quad.astype(np.int32), 255)
    return float(cv2.mean(channel, inside)[0])


def _contrast(whiteness: np.ndarray, quad: np.ndarray) -> float:
    """Mean whiteness inside the quad minus in a ring just outside it."""
    inside = np.zeros(whiteness.shape, np.uint8)
    cv2.fillConvexPoly(inside, quad.astype(np.int32), 255)
    ring = cv2.dilate(inside, cv2.getStructuringElement(cv2.MORPH_RECT, (21, 21)))
    ring = cv2.subtract(ring, cv2.dilate(inside, cv2.getStructuringElement(cv2.MORPH_RECT, (5, 5))))
    inner = cv2.erode(inside, cv2.getStructuringElement(cv2.MORPH_RECT, (9, 9)))
    if cv2.countNonZero(ring) == 0:
        return 0.0  # the region fills the frame: no outline to see
    if cv2.countNonZero(inner) == 0:
        return 0.0
    return float(cv2.mean(whiteness, inner)[0] - cv2.mean(whiteness, ring)[0])


def _touches_border(quad: np.ndarray, width: int, height: int) -> bool:
    xs, ys = quad[:, 0], quad[:, 1]
    return bool((xs <= BORDER_MARGIN).any() or (ys <= BORDER_MARGIN).any()
                or (xs >= width - 1 - BORDER_MARGIN).any() or (ys >= height - 1 - BORDER_MARGIN).any())
