"""Driving the real QML window by objectName, as a finger and a keyboard would: for the pytest-qt
tests, the headless screenshot player and the touch-count benchmark.

`UiDriver(ui)` finds items by `objectName` in the window's item tree, scrolls the enclosing Flickable
until the item is inside the window (as an applicant would swipe), then clicks its centre through
QTest on the window. It counts every touch and every character typed. Waiting is always on a
condition with a timeout (`wait_until`), never a fixed sleep.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from pypinyin import lazy_pinyin
from PySide6.QtCore import QCoreApplication, QEvent, QEventLoop, QPoint, QPointF, Qt
from PySide6.QtGui import QInputMethodEvent, QKeyEvent
from PySide6.QtQuick import QQuickItem
from PySide6.QtTest import QTest

DEFAULT_WAIT_SECONDS = 10.0


class DriverError(AssertionError):
    """An item was not found, not visible, or a condition did not come true in time."""


def _runs(text: str) -> list[str]:
    """Split into runs of ASCII and non-ASCII characters."""
    runs: list[str] = []
    for char in text:
        if runs and runs[-1][-1].isascii() == char.isascii():
            runs[-1] += char
        else:
            runs.append(char)
    return runs


def find_items(root: QQuickItem, name: str) -> list[QQuickItem]:
    found = []
    stack = [root]
    while stack:
        item = stack.pop()
        if item.objectName() == name:
            found.append(item)
        stack.extend(item.childItems())
    return found


def _is_flickable(item: QQuickItem) -> bool:
    meta = item.metaObject()
    while meta is not None:
        if meta.className() in ("QQuickFlickable", "QQuickListView"):
            return True
        meta = meta.superClass()
    return False


class UiDriver:
    def __init__(self, ui: Any, services: Any = None, clock: Any = None, qtbot: Any = None) -> None:
        self.ui = ui
        self.window = ui.window
        self.bridge = ui.bridge
        self.tech = ui.bridge.tech
        self.services = services
        self.clock = clock
        self.qtbot = qtbot
        self.touches = 0
        self.typed = 0

    # --- waiting -------------------------------------------------------------------------------

    def process(self) -> None:
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)

    def wait_until(self, condition: Callable[[], bool], timeout: float = DEFAULT_WAIT_SECONDS,
                   what: str = "condition") -> None:
        deadline = time.monotonic() + timeout
        while True:
            self.process()
            if condition():
                return
            if time.monotonic() > deadline:
                raise DriverError(f"timed out after {timeout:g} s waiting for {what} "
                                  f"(page {self.bridge.page!r})")
            QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 20)

    def wait_page(self, page: str, timeout: float = DEFAULT_WAIT_SECONDS) -> None:
        self.wait_until(lambda: self.bridge.page == page, timeout, f"page {page!r}")
        self.settle()

    def wait_frame(self, frames: int = 1, timeout: float = DEFAULT_WAIT_SECONDS) -> None:
        """Wait until the window has rendered `frames` new frames. Layouts (RowLayout, ColumnLayout)
        and implicit sizes land in the polish step that runs just before a frame is rendered, so
        geometry read after a fresh frame is the geometry on screen; reading it after merely
        processing events races the render loop (QT_QPA_UPDATE_IDLE_TIME delays frames)."""
        swapped = [0]

        def count() -> None:
            swapped[0] += 1

        self.window.frameSwapped.connect(count)
        try:
            for done in range(frames):
                self.window.update()
                self.wait_until(lambda done=done: swapped[0] > done, timeout, "a rendered frame")
        finally:
            self.window.frameSwapped.disconnect(count)

    def settle(self) -> None:
        """Let QML finish loading and laying out the page: process what is queued, then wait for two
        rendered frames (the first polishes what changed, the second anything that change moved)."""
        self.process()
        self.wait_frame(frames=2)

    # --- finding -------------------------------------------------------------------------------

    def items(self, name: str) -> list[QQuickItem]:
        return [item for item in find_items(self.window.contentItem(), name) if item.isVisible()]

    def item(self, name: str, timeout: float = DEFAULT_WAIT_SECONDS) -> QQuickItem:
        self.wait_until(lambda: bool(self.items(name)), timeout, f"a visible item {name!r}")
        return self.items(name)[0]

    def exists(self, name: str) -> bool:
        self.process()
        return bool(self.items(name))

    def text(self, name: str) -> str:
        return str(self.item(name).property("text"))

    # --- touching ------------------------------------------------------------------------------

    def scroll_into_view(self, item: QQuickItem) -> None:
        parent = item.parentItem()
        while parent is not None:
            if _is_flickable(parent):
                top = item.mapToItem(parent, QPointF(0, 0)).y()
                height = parent.height()
                if top < 0 or top + item.height() > height:
                    content_y = float(parent.property("contentY"))
                    content_height = float(parent.property("contentHeight"))
                    target = content_y + top - max(0.0, (height - item.height()) / 3)
                    target = max(0.0, min(target, max(0.0, content_height - height)))
                    parent.setProperty("contentY", target)
                    self.process()
                left = item.mapToItem(parent, QPointF(0, 0)).x()
                width = parent.width()
                content_width = float(parent.property("contentWidth"))
                if content_width > width and (left < 0 or left + item.width() > width):  # a row swiped sideways
                    target = float(parent.property("contentX")) + left - max(0.0, (width - item.width()) / 2)
                    parent.setProperty("contentX", max(0.0, min(target, content_width - width)))
                    self.process()
            parent = parent.parentItem()

    def click(self, name: str, timeout: float = DEFAULT_WAIT_SECONDS) -> None:
        self.item(name, timeout)
        # What the test just changed (the language, elder mode, a list arriving) moves the layout in
        # the polish before the next frame, and may replace the item: tap where the item is on screen
        # after a fresh frame, not where it was.
        self.settle()
        found: list[QQuickItem] = []

        def ready() -> bool:
            items = self.items(name)
            if not items or not items[0].isEnabled():
                return False
            found[:] = items[:1]
            # A page still laying out (a PDF preview arriving, a list growing) has a stale
            # contentHeight: scroll again until the item's centre is inside the window, as a finger would.
            self.scroll_into_view(items[0])
            centre = self._centre(items[0])
            return 0 <= centre.x() < self.window.width() and 0 <= centre.y() < self.window.height()

        try:
            self.wait_until(ready, timeout, f"{name!r} to be enabled inside the window")
        except DriverError:
            try:
                where = f" at {self._centre(found[0]).x()},{self._centre(found[0]).y()}" if found else ""
            except RuntimeError:  # the item was deleted since (its page was replaced)
                where = ""
            raise DriverError(f"{name!r} is not enabled inside the window{where}") from None
        QTest.mouseClick(self.window, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                         self._centre(found[0]))
        self.touches += 1
        self.process()

    def _centre(self, item: QQuickItem) -> QPoint:
        return item.mapToScene(QPointF(item.width() / 2, item.height() / 2)).toPoint()

    def type_into(self, name: str, text: str) -> None:
        """Tap a text field and type `text` on the keyboard (each character counts as typed)."""
        self.click(name)
        field = self.item(name)
        self.wait_until(field.hasActiveFocus, what=f"{name!r} to take the keyboard focus")
        self.send_text(text)

    def send_text(self, text: str) -> None:
        """Keys for ASCII characters; Chinese arrives as an input-method commit, as the Pinyin keyboard
        sends it. Typed characters count the keys pressed: a letter or digit is one, a Chinese word is
        its pinyin (张伟 = zhangwei, 8) and one more tap to pick it from the candidates."""
        for run in _runs(text):
            if run.isascii():
                for char in run:
                    key = Qt.Key(ord(char.upper())) if char.isalnum() else Qt.Key.Key_unknown
                    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                        event = QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, char)
                        QCoreApplication.sendEvent(self.window, event)
                self.typed += len(run)
            else:
                self.type_pinyin(run)
        self.process()

    def keyboard_keys(self) -> dict[str, QQuickItem]:
        """The docked virtual keyboard's keys by their text ("space" for the space bar)."""
        panels = self.items("inputPanel")
        if not panels or not panels[0].property("active"):
            return {}
        keys: dict[str, QQuickItem] = {}
        stack = [panels[0]]
        while stack:
            item = stack.pop()
            name = item.metaObject().className()
            if name.startswith("SpaceKey"):
                keys["space"] = item
            elif "Key" in name and isinstance(item.property("text"), str) and item.isVisible():
                keys.setdefault(item.property("text"), item)
            stack.extend(item.childItems())
        return keys

    def tap_item(self, item: QQuickItem) -> None:
        QTest.mouseClick(self.window, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                         self._centre(item))
        self.process()

    def type_pinyin(self, words: str) -> None:
        """Type Chinese as an applicant does: its pinyin on the docked Pinyin keyboard, then the space
        bar to take the first candidate. Without a keyboard (none docked) the words are committed as
        an input method would; the count is the same."""
        pinyin = "".join(lazy_pinyin(words))
        self.settle()  # the keyboard lays its keys out in the polish before a frame
        keys = self.keyboard_keys()
        if keys and all(letter in keys for letter in pinyin) and "space" in keys:
            for key in [*pinyin, "space"]:
                # each tap can change the panel (the candidate bar appears): find the key again on a
                # fresh frame, or the tap lands where the key was before the panel moved
                self.settle()
                self.tap_item(self.keyboard_keys()[key])
        else:
            event = QInputMethodEvent("", [])
            event.setCommitString(words)
            QCoreApplication.sendEvent(self.window.focusObject(), event)
        self.typed += len(pinyin)
        self.touches += 1  # the candidate tap

    def clear_field(self, name: str) -> None:
        """Select all and delete (two keys on a keyboard; not counted as typed characters)."""
        field = self.item(name)
        if not field.hasActiveFocus():
            self.click(name)
        QTest.keyClick(self.window, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        QTest.keyClick(self.window, Qt.Key.Key_Backspace)
        self.bridge.touchField("")
        self.process()

    def grab(self, path: str) -> None:
        self.settle()
        image = self.window.grabWindow()
        if not image.save(path):
            raise DriverError(f"could not save a screenshot to {path}")
