"""Synthetic document-camera photos: a rendered page (floor plan, health certificate, 授权委托书) laid
in perspective on a textured desk, with dim light, glare, blur and noise on demand.

Used by the tests (the true corners are known, so the pipeline's output can be compared with the
page), by bench/bench_camera.py, and to make the `sim://` camera's demo photos under assets/camera/
(`python -m kiosk.camera.synthetic assets/camera`). Deterministic: every random choice comes from
`seed`. Pure apart from reading the shipped CJK font (and `main`, which writes the files).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from assets import CJK_FONT_SUBFONT_INDEX, cjk_font_path

#: A4 at 150 dpi.
PAGE_SIZE = (1240, 1754)
PAGE_KINDS = ("floor_plan", "health_certificate", "delegation")
TITLES = {"floor_plan": "平面图及卫生设施布局图", "health_certificate": "健康证明", "delegation": "授权委托书"}


@dataclass(frozen=True)
class Shot:
    """How the page lies and is lit. The page is posed in 3-D and seen by a pinhole camera (focal
    length FOCAL x the frame's width, principal point at the centre), so the photo is one a real
    camera could take: `centre` is where the page's centre lands (fractions of the frame), `height`
    its height as a share of the frame's height, `rotate` its turn on the desk, `tilt` and `yaw` the
    camera's slant (degrees). Then the light level (1 = normal), a glare spot, blur (Gaussian sigma,
    pixels), noise, and a warm lamp's colour cast."""

    centre: tuple[float, float] = (0.5, 0.5)
    height: float = 0.8
    rotate: float = 0.0
    tilt: float = 0.0
    yaw: float = 0.0
    light: float = 1.0
    glare: bool = False
    blur: float = 0.0
    noise: float = 3.0
    warm: bool = True

    def corners(self, page_size: tuple[int, int], size: tuple[int, int]) -> np.ndarray:
        """Where the page's corners (tl, tr, br, bl) land in a frame of `size`."""
        width, height = size
        focal = FOCAL * width
        half_h, half_w = 0.5, 0.5 * page_size[0] / page_size[1]
        points = np.array([[-half_w, -half_h, 0], [half_w, -half_h, 0], [half_w, half_h, 0], [-half_w, half_h, 0]])
        r, t, y = (np.radians(a) for a in (self.rotate, self.tilt, self.yaw))
        rz = np.array([[np.cos(r), -np.sin(r), 0], [np.sin(r), np.cos(r), 0], [0, 0, 1]])
        rx = np.array([[1, 0, 0], [0, np.cos(t), -np.sin(t)], [0, np.sin(t), np.cos(t)]])
        ry = np.array([[np.cos(y), 0, np.sin(y)], [0, 1, 0], [-np.sin(y), 0, np.cos(y)]])
        distance = focal / (self.height * height)
        shift = np.array([(self.centre[0] - 0.5) * width * distance / focal,
                          (self.centre[1] - 0.5) * height * distance / focal, distance])
        world = points @ (ry @ rx @ rz).T + shift
        return np.stack([focal * world[:, 0] / world[:, 2] + width / 2,
                         focal * world[:, 1] / world[:, 2] + height / 2], axis=1).astype(np.float32)


#: The synthetic camera's focal length as a share of the frame's width (a ~55 degree lens).
FOCAL = 0.95


def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(cjk_font_path()), size, index=CJK_FONT_SUBFONT_INDEX)


def render_page(kind: str = "health_certificate", *, qr_text: str | None = None,
                size: tuple[int, int] = PAGE_SIZE) -> np.ndarray:
    """The page as a BGR image (white paper, black print); a QR of `qr_text` bottom right if given."""
    width, height = size
    image = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(image)
    unit = width / 1240
    title = _font(round(64 * unit))
    body = _font(round(34 * unit))
    draw.text((width / 2, 120 * unit), TITLES[kind], font=title, fill="black", anchor="mm")
    left, right = 110 * unit, width - 110 * unit
    if kind == "floor_plan":
        _floor_plan(draw, body, unit, left, right)
    elif kind == "health_certificate":
        lines = ["姓名：张三　　性别：女　　年龄：34", "工作单位：重庆市渝中区清风茶馆",
                 "体检类别：公共场所从业人员", "检查结果：合格", "有效期至：2027年11月20日",
                 "发证机关：重庆市渝中区疾病预防控制中心", "编号：渝中健 2026-118204"]
        for index, line in enumerate(lines):
            draw.text((left, (260 + index * 90) * unit), line, font=body, fill="black")
        draw.rectangle((right - 300 * unit, 260 * unit, right, 660 * unit), outline="black", width=3)
        draw.text((right - 150 * unit, 460 * unit), "照片", font=body, fill="gray", anchor="mm")
        draw.ellipse((right - 380 * unit, 1180 * unit, right - 60 * unit, 1500 * unit), outline=(200, 30, 30), width=6)
        draw.text((right - 220 * unit, 1340 * unit), "体检专用章", font=body, fill=(200, 30, 30), anchor="mm")
    else:
        lines = ["委托人：重庆清风茶馆有限公司", "法定代表人：李四", "受托人：王五　　身份证号：5001**********0019",
                 "委托事项：代为办理公共场所卫生许可", "委托期限：自2026年11月21日至2026年12月31日",
                 "受托人在委托权限内签署的文件，委托人均予承认。", "", "委托人（盖章）：", "日期：2026年11月20日"]
        for index, line in enumerate(lines):
            draw.text((left, (260 + index * 90) * unit), line, font=body, fill="black")
    for index in range(6):  # ruled lines at the foot, like a printed form
        y = (1560 + index * 28) * unit
        draw.line((left, y, right - (320 * unit if qr_text else 0), y), fill=(90, 90, 90), width=2)
    if qr_text:
        _paste_qr(image, qr_text, round(right - 280 * unit), round(height - 400 * unit), round(280 * unit))
    return cv2.cvtColor(np.asarray(image), cv2.COLOR_RGB2BGR)


def _floor_plan(draw: ImageDraw.ImageDraw, font, unit: float, left: float, right: float) -> None:
    top, bottom = 240 * unit, 1380 * unit
    draw.rectangle((left, top, right, bottom), outline="black", width=round(8 * unit))
    mid_x, mid_y = (left + right) / 2, (top + bottom) / 2
    draw.line((mid_x, top, mid_x, bottom - 300 * unit), fill="black", width=round(5 * unit))
    draw.line((left, mid_y, mid_x, mid_y), fill="black", width=round(5 * unit))
    draw.line((mid_x, bottom - 300 * unit, right, bottom - 300 * unit), fill="black", width=round(5 * unit))
    for text, x, y in (("营业厅 86㎡", (left + mid_x) / 2, (top + mid_y) / 2), ("茶水间", (left + mid_x) / 2,
                       (mid_y + bottom) / 2), ("包间", (mid_x + right) / 2, (top + bottom - 300 * unit) / 2),
                       ("卫生间", (mid_x + right) / 2, bottom - 150 * unit)):
        draw.text((x, y), text, font=font, fill="black", anchor="mm")
    for x in (left + 60 * unit, left + 140 * unit):
        draw.rectangle((x, top + 40 * unit, x + 50 * unit, top + 90 * unit), outline=(0, 90, 200), width=3)
    draw.text((left, 1420 * unit), "图例：□ 消毒柜　○ 洗手池　△ 灭火器　比例 1:100", font=font, fill="black")


def _paste_qr(image: Image.Image, text: str, x: int, y: int, side: int) -> None:
    from assets import qrcodes

    qr = qrcodes.make(text, "m")
    scale = max(1, side // (qr.symbol_size(border=2)[0]))
    matrix = np.array([[0 if dark else 255 for dark in row] for row in qr.matrix], dtype=np.uint8)
    matrix = np.pad(matrix, 2, constant_values=255)
    tile = Image.fromarray(matrix).resize((matrix.shape[1] * scale, matrix.shape[0] * scale), Image.NEAREST)
    image.paste(tile.convert("RGB"), (x, y))


def desk(size: tuple[int, int] = (1920, 1080), seed: int = 0) -> np.ndarray:
    """A wood-grain desk top (BGR), different for each seed."""
    width, height = size
    rng = np.random.default_rng(seed)
    ys = np.arange(height, dtype=np.float32)[:, None]
    xs = np.arange(width, dtype=np.float32)[None, :]
    wobble = 18 * np.sin(xs / 140.0 + rng.uniform(0, 6)) + 6 * np.sin(xs / 37.0)
    grain = np.sin((ys + wobble) / rng.uniform(5, 9)) * 0.5 + 0.5
    noise = cv2.GaussianBlur(rng.normal(0, 1, (height, width)).astype(np.float32), (0, 0), 2.5)
    tone = 0.55 + 0.25 * grain + 0.08 * noise
    base = np.array(rng.choice([(40, 75, 120), (30, 55, 85), (60, 70, 80)]), dtype=np.float32)  # BGR browns/grey
    return np.clip(tone[:, :, None] * base[None, None, :] * 1.4, 0, 255).astype(np.uint8)


def photograph(page: np.ndarray, shot: Shot = Shot(), *, size: tuple[int, int] = (1920, 1080),
               seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """`page` lying on a desk as the camera sees it; returns the photo (BGR) and the page's true
    corners in it (tl, tr, br, bl)."""
    width, height = size
    rng = np.random.default_rng(seed)
    photo = desk(size, seed).astype(np.float32)
    page_h, page_w = page.shape[:2]
    source = np.array([[0, 0], [page_w - 1, 0], [page_w - 1, page_h - 1], [0, page_h - 1]], dtype=np.float32)
    corners = shot.corners((page_w, page_h), size)
    matrix = cv2.getPerspectiveTransform(source, corners)
    warped = cv2.warpPerspective(page, matrix, size, flags=cv2.INTER_AREA).astype(np.float32)
    mask = cv2.warpPerspective(np.full((page_h, page_w), 255, np.uint8), matrix, size)
    alpha = cv2.GaussianBlur(mask, (3, 3), 0).astype(np.float32)[:, :, None] / 255.0
    shadow = cv2.GaussianBlur(np.roll(mask, (12, 9), axis=(0, 1)), (0, 0), 9).astype(np.float32)[:, :, None] / 255
    photo = photo * (1 - 0.35 * shadow)
    photo = photo * (1 - alpha) + warped * alpha
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float32)
    light = 0.82 + 0.22 * (1 - ((xs - width * 0.4) ** 2 + (ys - height * 0.3) ** 2) / (width ** 2))
    photo *= (light * shot.light)[:, :, None]
    if shot.warm:
        photo *= np.array([0.86, 0.97, 1.06], dtype=np.float32)  # a warm lamp: less blue, more red
    if shot.glare:
        cx, cy = corners.mean(axis=0) + rng.uniform(-60, 60, 2)
        spot = np.exp(-(((xs - cx) / (width * 0.07)) ** 2 + ((ys - cy) / (height * 0.09)) ** 2))
        photo += (170 * spot)[:, :, None]
    if shot.blur > 0:
        photo = cv2.GaussianBlur(photo, (0, 0), shot.blur)
    if shot.noise > 0:
        photo += rng.normal(0, shot.noise, photo.shape).astype(np.float32)
    return np.clip(photo, 0, 255).astype(np.uint8), corners


DEMO_SHOTS: dict[str, tuple[str, Shot]] = {
    "01-floor-plan.jpg": ("floor_plan", Shot(rotate=-4, tilt=14, height=0.78)),
    "02-health-certificate.jpg": ("health_certificate", Shot(centre=(0.53, 0.5), rotate=6, tilt=10, yaw=-8,
                                                             glare=True)),
    "03-delegation.jpg": ("delegation", Shot(centre=(0.47, 0.52), rotate=-9, tilt=18, light=0.75)),
}


def main(argv: list[str] | None = None) -> int:
    """Write the demo photos the `sim://` camera plays into the folder given (assets/camera)."""
    args = sys.argv[1:] if argv is None else argv
    folder = Path(args[0] if args else "assets/camera")
    folder.mkdir(parents=True, exist_ok=True)
    for index, (name, (kind, shot)) in enumerate(DEMO_SHOTS.items()):
        photo, _ = photograph(render_page(kind), shot, seed=index + 1)
        cv2.imwrite(str(folder / name), photo, [cv2.IMWRITE_JPEG_QUALITY, 85])
        print(folder / name)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
