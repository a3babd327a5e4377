"""Rare name characters on the touchscreen: 䶮 (Extension A) and 𠮷 𠀁 (Extension B) are drawn from
HanaMinA/B, both in plain Text items and in Controls, which take the window's font.

Before the fix only WenQuanYi Micro Hei was registered and Main.qml set ``font.family``, which
collapses any family list to one family; the rare characters were tofu boxes.
"""

from __future__ import annotations

from PySide6.QtGui import QFont, QGuiApplication, QImage, QTextLayout
from PySide6.QtQml import QQmlComponent
from PySide6.QtQuick import QQuickItem

from kiosk.ui.fonts import register_font_chain

CHAIN = ["WenQuanYi Micro Hei", "DejaVu Sans", "HanaMinA", "HanaMinB"]  # the symbol font before Hanazono
RARE = "䶮𠮷𠀁"
TOFU = "\U000f0000\U000f0001\U000f0002"  # private-use code points no font maps: missing-glyph boxes


def families_drawing(text: str, font: QFont) -> set[str]:
    """The families Qt picks to draw ``text`` in ``font`` (after its per-character fallback)."""
    layout = QTextLayout(text, font)
    layout.beginLayout()
    layout.createLine()
    layout.endLayout()
    return {run.rawFont().familyName() for run in layout.glyphRuns()}


def add_item(ui, qml: str) -> QQuickItem:
    component = QQmlComponent(ui.engine)
    component.setData(("import QtQuick\nimport QtQuick.Controls\n" + qml).encode(), ui.engine.baseUrl())
    item = component.create(ui.engine.rootContext())
    assert item is not None, component.errorString()
    item.setParentItem(ui.window.contentItem())
    item.setParent(ui.window.contentItem())
    item.setZ(1000)
    return item


def ink(image: QImage) -> bytes:
    return bytes(image.convertToFormat(QImage.Format.Format_Grayscale8).constBits())


def test_the_app_font_lists_the_whole_chain_and_the_window_keeps_it(kiosk_ui):
    assert register_font_chain() == CHAIN
    assert QGuiApplication.font().families()[:4] == CHAIN
    window_font = kiosk_ui.window.property("font")
    assert window_font.families()[:4] == CHAIN  # not collapsed by a QML font.family


def test_the_screens_symbols_are_drawn_by_the_shipped_symbol_font(kiosk_ui):
    font = QGuiApplication.font()
    for symbol in "⚠➜⌂◷⚲":
        assert families_drawing(symbol, font) == {"DejaVu Sans"}, symbol


def test_text_and_controls_draw_rare_characters_from_hanazono(kiosk_ui):
    ui = kiosk_ui.ui
    text = add_item(ui, f'Text {{ x: 10; y: 10; text: "{RARE}"; font.pixelSize: 60 }}')
    label = add_item(ui, f'Label {{ x: 10; y: 100; text: "{RARE}"; font.pixelSize: 60 }}')
    tofu = add_item(ui, f'Text {{ x: 10; y: 190; text: "{TOFU}"; font.pixelSize: 60 }}')
    for item in (text, label):
        font = item.property("font")
        assert families_drawing("䶮", font) == {"HanaMinA"}
        assert families_drawing("𠮷", font) == {"HanaMinA"}
        assert families_drawing("𠀁", font) == {"HanaMinB"}
    kiosk_ui.wait_until(lambda: text.width() > 0 and tofu.width() > 0, what="the texts to lay out")
    frame = ui.window.grabWindow()
    drawn = frame.copy(10, 10, int(text.width()), int(text.height()))
    boxes = frame.copy(10, 190, int(tofu.width()), int(tofu.height()))
    assert drawn.size() != boxes.size() or ink(drawn) != ink(boxes)
    assert len(set(ink(drawn))) > 2  # real strokes, anti-aliased, not blank
