"""What this machine's Qt offers the kiosk window, as one JSON object (for `kiosk doctor`, which never
imports Qt itself: it runs `python -m kiosk.ui.qt_probe` with QT_QPA_PLATFORM=offscreen).

    {"qt": "6.8.1", "plugins": "/…/PySide6/Qt/plugins", "platforms": ["eglfs", "offscreen", "xcb", …],
     "image_formats": ["jpeg", "png", …], "virtual_keyboard": true, "keyboard_error": "",
     "input_context": true, "pinyin": "中", "speech_engines": ["speechd"]}

The virtual keyboard is tried for real: an `InputPanel` is made in a window, which loads the keyboard's own
QML and its imports (Qt.labs.folderlistmodel, QtMultimedia for its key sounds), and "zhong" is typed on
its 简体中文 layout: `pinyin` is the first candidate offered (中), which needs the Pinyin plugin and its
dictionary. A bundle missing one of them fails here, not only when the first applicant types.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, NoReturn

KEYBOARD_QML = b"""
import QtQuick
import QtQuick.Window
import QtQuick.VirtualKeyboard
import QtQuick.VirtualKeyboard.Settings
Window {
    width: 1080; height: 900; visible: true
    readonly property bool pinyinReady: InputContext.inputEngine !== null
        && String(InputContext.inputEngine.inputMethod).indexOf("Pinyin") >= 0
    TextInput { id: field; width: 400; height: 60; focus: true }
    InputPanel { y: 300; width: 1080 }
    Component.onCompleted: {
        VirtualKeyboardSettings.activeLocales = ["zh_CN"]
        VirtualKeyboardSettings.locale = "zh_CN"
        field.forceActiveFocus()
    }
    function firstCandidate(letters) {
        var engine = InputContext.inputEngine
        for (var i = 0; i < letters.length; i++)
            engine.virtualKeyClick(Qt.Key_A + letters.charCodeAt(i) - 97, letters[i], 0)
        var list = engine.wordCandidateListModel
        return list.count > 0 ? String(list.dataAt(0)) : ""
    }
}
"""
PINYIN_WAIT_S = 30.0  # the wait ends as soon as the Pinyin method is up; a loaded 2-core machine is slow


def probe() -> dict[str, Any]:
    import os

    os.environ.setdefault("QT_IM_MODULE", "qtvirtualkeyboard")  # as the kiosk window (kiosk.ui.app)
    from PySide6.QtCore import QLibraryInfo, QUrl, qVersion
    from PySide6.QtGui import QGuiApplication, QImageReader
    from PySide6.QtQml import QQmlComponent, QQmlEngine

    plugins = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath))
    platforms = sorted(path.name.split(".")[0].removeprefix("libq") for path in (plugins / "platforms").glob("libq*"))
    app = QGuiApplication.instance() or QGuiApplication([sys.argv[0]])
    formats = sorted({bytes(name.data()).decode() for name in QImageReader.supportedImageFormats()})
    engine = QQmlEngine()
    component = QQmlComponent(engine)
    component.setData(KEYBOARD_QML, QUrl("probe.qml"))
    window = component.create() if component.status() == QQmlComponent.Status.Ready else None
    keyboard = window is not None
    errors = "; ".join(error.toString() for error in component.errors())
    pinyin = _first_candidate(app, window, "zhong") if window is not None else ""
    try:
        from PySide6.QtTextToSpeech import QTextToSpeech

        engines = [name for name in QTextToSpeech.availableEngines() if name != "mock"]
    except ImportError:
        engines = []
    input_context = any((plugins / "platforminputcontexts").glob("*virtualkeyboard*"))
    return {"qt": qVersion(), "plugins": str(plugins), "platforms": platforms, "image_formats": formats,
            "virtual_keyboard": keyboard, "keyboard_error": errors[:300], "input_context": input_context,
            "pinyin": pinyin, "speech_engines": engines}


def _first_candidate(app: Any, window: Any, letters: str) -> str:
    """Type `letters` on the 简体中文 layout once the Pinyin input method is up; the first candidate."""
    import time

    from PySide6.QtCore import Q_ARG, Q_RETURN_ARG, QEventLoop, QMetaObject

    deadline = time.monotonic() + PINYIN_WAIT_S
    while not window.property("pinyinReady") and time.monotonic() < deadline:
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
    if not window.property("pinyinReady"):
        return ""
    return str(QMetaObject.invokeMethod(window, "firstCandidate", Q_RETURN_ARG("QVariant"),
                                         Q_ARG("QVariant", letters)) or "")


def main() -> NoReturn:
    """Print the answer, then leave without tearing Qt down: the probe's window, engine and keyboard (whose
    Pinyin dictionary may still be loading on a busy machine) once crashed the child in their destructors
    after the answer was known, and the doctor then read a crash instead of the answer."""
    import os

    print(json.dumps(probe(), ensure_ascii=False), flush=True)
    sys.stderr.flush()
    os._exit(0)


if __name__ == "__main__":
    main()
