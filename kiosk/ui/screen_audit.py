"""Measures what an applicant sees on the rendered window: every visible text (its pixel size, its
contrast in the screenshot, whether it is cut off, its Han characters) and every touch target.

`audit_screen(window, image, readability, screen)` walks the QML item tree of the window as it was
when `image` (the window grabbed as a QImage) was taken. A text counts when it is visible, not
transparent, inside the window and its clipping ancestors, and not covered by a layer drawn above it
(the docked keyboard over the page, the idle countdown and the cancel question over everything); its
contrast is measured when at least READABLE_SHARE of its height shows. Touch targets are buttons,
mouse areas, text fields, and the keys and candidates of the docked keyboard. The technician's PIN
pad and panel, the demo drawer and the hidden five-tap area on the hall name are not applicant-facing
and are left out. A target on the page whose centre lies outside the page's visible area (under the
footer, off the window) and that no Flickable can scroll into view is `unreachable`: a finger cannot
tap it. Contrast comes from the pixels (kiosk.ui.readability.text_contrast), so a colour
set anywhere (QML, the keyboard's style, an opacity) is measured as drawn.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QRectF
from PySide6.QtGui import QImage
from PySide6.QtQuick import QQuickItem, QQuickWindow

from kiosk.ui.readability import Readability, han_characters, text_contrast

NOT_FOR_APPLICANTS = ("demoDrawer", "techLoader", "hallTapArea")
OCCLUDERS = ("inputPanel", "keyboardBand", "countdownOverlay", "cancelDialog")
TEXT_CLASSES = ("QQuickText", "QQuickTextInput", "QQuickTextEdit")
TARGET_CLASSES = ("QQuickAbstractButton", "QQuickMouseArea")
KEY_CLASS_WORDS = ("Key_QMLTYPE", "Key_QML_", "SelectionListItem")
NOT_TARGETS = ("FillerKey",)
PAGE = "pageLoader"   # the page between the header and the footer (Main.qml)
READABLE_SHARE = 0.6   # a text scrolled or covered more than this is not read there: its contrast is not measured


@dataclass(frozen=True)
class TextSeen:
    text: str
    px: float
    contrast: float | None
    truncated: bool
    name: str


@dataclass(frozen=True)
class TargetSeen:
    name: str
    width: float
    height: float
    reachable: bool = True


def _classes(item: QQuickItem) -> list[str]:
    names = []
    meta = item.metaObject()
    while meta is not None:
        names.append(meta.className())
        meta = meta.superClass()
    return names


def _label(item: QQuickItem, text: str = "") -> str:
    name = item.objectName() or _classes(item)[0]
    return f"{name} {text[:40]!r}" if text else name


def _image_array(image: QImage) -> np.ndarray:
    rgb = image.convertToFormat(QImage.Format.Format_RGB888)
    width, height, stride = rgb.width(), rgb.height(), rgb.bytesPerLine()
    buffer = np.frombuffer(rgb.constBits(), dtype=np.uint8, count=stride * height).reshape(height, stride)
    return buffer[:, : width * 3].reshape(height, width, 3).copy()


class _Walk:
    def __init__(self, window: QQuickWindow) -> None:
        self.root = window.contentItem()
        self.window_rect = QRectF(0, 0, window.width(), window.height())
        self.occluders: list[tuple[QQuickItem, QRectF]] = []
        self.page: QQuickItem | None = None
        for item in self._all(self.root):
            if item.objectName() in OCCLUDERS and item.isVisible() and item.opacity() > 0 and item.height() > 0:
                self.occluders.append((item, self._scene_rect(item)))
            if item.objectName() == PAGE:
                self.page = item

    def _all(self, item: QQuickItem) -> Iterable[QQuickItem]:
        stack = [item]
        while stack:
            current = stack.pop()
            if current.objectName() in NOT_FOR_APPLICANTS:
                continue
            yield current
            stack.extend(current.childItems())

    @staticmethod
    def _path(item: QQuickItem) -> list[QQuickItem]:
        path = [item]
        while path[-1].parentItem() is not None:
            path.append(path[-1].parentItem())
        return path[::-1]

    def drawn_above(self, upper: QQuickItem, lower: QQuickItem) -> bool:
        """True when `upper` is painted over `lower`: at their first differing ancestors, the higher z
        (then the later sibling) wins."""
        a, b = self._path(upper), self._path(lower)
        depth = 0
        while depth < min(len(a), len(b)) and a[depth] is b[depth]:
            depth += 1
        if depth == len(a) or depth == len(b):
            return False  # one contains the other
        siblings = a[depth - 1].childItems()
        index = {id(child): n for n, child in enumerate(siblings)}
        return (a[depth].z(), index.get(id(a[depth]), 0)) > (b[depth].z(), index.get(id(b[depth]), 0))

    @staticmethod
    def _scene_rect(item: QQuickItem) -> QRectF:
        return item.mapRectToScene(QRectF(0, 0, item.width(), item.height()))

    def seen_rect(self, item: QQuickItem) -> QRectF:
        """The part of the item inside the window and inside every clipping ancestor."""
        rect = self._scene_rect(item).intersected(self.window_rect)
        parent = item.parentItem()
        while parent is not None and not rect.isEmpty():
            if parent.clip():
                rect = rect.intersected(self._scene_rect(parent))
            parent = parent.parentItem()
        return rect

    def reachable(self, item: QQuickItem) -> bool:
        """False for a target on the page whose centre is outside the page's visible area (under the
        footer, off the window) and that no Flickable between it and the page can scroll into view."""
        if self.page is None:
            return True
        parent = item.parentItem()
        while parent is not None and parent is not self.page:
            if _is_flickable(parent):
                return True
            parent = parent.parentItem()
        if parent is None:
            return True   # not on the page (header, footer, keyboard, overlays)
        visible = self._scene_rect(self.page).intersected(self.window_rect)
        return visible.contains(self._scene_rect(item).center())

    def shown(self, item: QQuickItem) -> bool:
        opacity, current = 1.0, item
        while current is not None:
            opacity *= current.opacity()
            current = current.parentItem()
        return item.isVisible() and opacity > 0.05

    def uncovered(self, item: QQuickItem, rect: QRectF) -> QRectF:
        """The part of `rect` no layer above the item's hides (empty when its centre is hidden; a layer
        across its top or bottom, or its left or right side, cuts it)."""
        for occluder, cover in self.occluders:
            if not cover.intersects(rect) or not self.drawn_above(occluder, item):
                continue
            if cover.contains(rect.center()):
                return QRectF()
            if cover.left() <= rect.left() and cover.right() >= rect.right():
                rect = QRectF(rect.left(), rect.top(), rect.width(), cover.top() - rect.top()) \
                    if cover.top() > rect.top() else QRectF(rect.left(), cover.bottom(), rect.width(),
                                                            rect.bottom() - cover.bottom())
            elif cover.top() <= rect.top() and cover.bottom() >= rect.bottom():
                rect = QRectF(rect.left(), rect.top(), cover.left() - rect.left(), rect.height()) \
                    if cover.left() > rect.left() else QRectF(cover.right(), rect.top(),
                                                              rect.right() - cover.right(), rect.height())
        return rect


def _font_px(item: QQuickItem) -> float:
    font = item.property("font")
    px = font.pixelSize() if font.pixelSize() > 0 else font.pointSizeF() * 96 / 72
    scene = item.mapRectToScene(QRectF(0, 0, 1, 1))
    return px * (scene.height() or 1.0)


def _is_flickable(item: QQuickItem) -> bool:
    return "QQuickFlickable" in _classes(item)


def _is_target(item: QQuickItem, classes: list[str]) -> bool:
    if any(word in classes[0] for word in NOT_TARGETS):
        return False
    if any(name in classes for name in TARGET_CLASSES):
        return True
    if "QQuickTextInput" in classes and classes[0] != "QQuickTextInput":  # a TextField, not a bare input
        return not item.property("readOnly")
    return any(word in classes[0] for word in KEY_CLASS_WORDS)


def scan(window: QQuickWindow, image: QImage | None) -> tuple[list[TextSeen], list[TargetSeen]]:
    """Every text and touch target an applicant sees on the window now (contrast from `image`)."""
    walk = _Walk(window)
    pixels = _image_array(image) if image is not None else None
    texts: list[TextSeen] = []
    targets: list[TargetSeen] = []
    for item in walk._all(walk.root):
        if not walk.shown(item):
            continue
        classes = _classes(item)
        is_text = any(name in classes for name in TEXT_CLASSES)
        is_target = item.isEnabled() and _is_target(item, classes)
        if not (is_text or is_target):
            continue
        if is_target and not walk.reachable(item):
            scene = walk._scene_rect(item)
            targets.append(TargetSeen(_label(item), scene.width(), scene.height(), reachable=False))
            continue
        rect = walk.uncovered(item, walk.seen_rect(item))
        if rect.width() < 1 or rect.height() < 1:
            continue
        if is_target:
            scene = walk._scene_rect(item)
            targets.append(TargetSeen(_label(item), scene.width(), scene.height()))
        text = item.property("text")
        if not is_text or not isinstance(text, str) or not text.strip():
            continue
        contrast = None
        whole = walk._scene_rect(item)
        if pixels is not None and rect.height() >= READABLE_SHARE * whole.height():
            x0, y0 = max(0, int(rect.left())), max(0, int(rect.top()))
            x1, y1 = min(pixels.shape[1], int(rect.right())), min(pixels.shape[0], int(rect.bottom()))
            contrast = text_contrast(pixels[y0:y1, x0:x1])
        truncated = bool(item.property("truncated")) if "QQuickText" in classes else False
        texts.append(TextSeen(text, _font_px(item), contrast, truncated, _label(item, text)))
    return texts, targets


def audit_screen(window: QQuickWindow, image: QImage, readability: Readability, screen: str,
                 english: bool = False, keep_chinese: Iterable[str] = ()) -> tuple[list[TextSeen], list[TargetSeen]]:
    """Scan the window and add what it shows to `readability` (on English screens, also every Han
    character outside `keep_chinese`: names, addresses and titles that stay Chinese)."""
    texts, targets = scan(window, image)
    readability.screens += 1
    keep = sorted({k for k in keep_chinese if k}, key=len, reverse=True)
    for seen in texts:
        readability.note_text(seen.px, seen.name, screen)
        if seen.contrast is not None:
            readability.note_contrast(seen.contrast, seen.name, screen)
        if seen.truncated:
            readability.truncated.append(f"{screen}: {seen.name}")
        if english:
            rest = seen.text
            for kept in keep:
                rest = rest.replace(kept, "")
            if han_characters(rest):
                readability.han.append(f"{screen}: {seen.name}")
    for target in targets:
        if not target.reachable:
            readability.unreachable.append(f"{screen}: {target.name}")
            continue
        readability.note_target(min(target.width, target.height), target.name, screen)
    return texts, targets
