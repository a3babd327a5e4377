"""`MemoryImages`: the `image://kiosk/...` provider QML loads QR codes, slips and PDF pages from.

Images are kept in memory only (never written to disk: they can show personal data) and dropped on
`clear()`, which the bridge calls when the session wipes personal data. Thread-safe.
"""

from __future__ import annotations

import threading

from PySide6.QtCore import QSize
from PySide6.QtGui import QImage
from PySide6.QtQuick import QQuickImageProvider

PROVIDER_NAME = "kiosk"


class MemoryImages(QQuickImageProvider):
    def __init__(self) -> None:
        super().__init__(QQuickImageProvider.ImageType.Image)
        self._lock = threading.Lock()
        self._images: dict[str, QImage] = {}

    def put(self, name: str, image: QImage) -> None:
        with self._lock:
            self._images[name] = image

    def get(self, name: str) -> QImage | None:
        with self._lock:
            return self._images.get(name)

    def clear(self) -> None:
        with self._lock:
            self._images.clear()

    def requestImage(self, name: str, size: QSize, requested_size: QSize) -> QImage:
        image = self.get(name.split("?", 1)[0])
        if image is None:
            image = QImage(1, 1, QImage.Format.Format_ARGB32)
            image.fill(0)
        if requested_size.isValid() and requested_size.width() > 0 and requested_size.height() > 0:
            image = image.scaled(requested_size)
        size.setWidth(image.width())
        size.setHeight(image.height())
        return image
