"""What this machine's Qt offers the kiosk window, as one JSON object (for `kiosk doctor`, which never
imports Qt itself: it runs `python -m kiosk.ui.qt_probe` with QT_QPA_PLATFORM=offscreen).

    {"qt": "6.8.1", "plugins": "/…/PySide6/Qt/plugins", "platforms": ["eglfs", "offscreen", "xcb", …],
     "image_formats": ["jpeg", "png", …], "virtual_keyboard": true, "keyboard_error": "",
     "input_context": true, "speech_engines": ["speechd"]}

The virtual keyboard is tried for real: an `InputPanel` is compiled and made, which loads the keyboard's own
QML and its imports (Qt.labs.folderlistmodel, QtMultimedia for its key sounds): a bundle missing one of
them fails here, not only when the first applicant types.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

KEYBOARD_QML = b"import QtQuick\nimport QtQuick.VirtualKeyboard\nInputPanel { width: 1080 }\n"


def probe() -> dict[str, Any]:
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
    panel = component.create() if component.status() == QQmlComponent.Status.Ready else None
    keyboard = panel is not None
    errors = "; ".join(error.toString() for error in component.errors())
    try:
        from PySide6.QtTextToSpeech import QTextToSpeech

        engines = [name for name in QTextToSpeech.availableEngines() if name != "mock"]
    except ImportError:
        engines = []
    input_context = any((plugins / "platforminputcontexts").glob("*virtualkeyboard*"))
    del panel, component, engine, app
    return {"qt": qVersion(), "plugins": str(plugins), "platforms": platforms, "image_formats": formats,
            "virtual_keyboard": keyboard, "keyboard_error": errors[:300], "input_context": input_context,
            "speech_engines": engines}


def main() -> int:
    print(json.dumps(probe(), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
