"""The document camera's view models, composed once over the applicant bridge (QML context property
`camera`, set by kiosk.ui.app.build_ui): `capture` (the capture screen, kiosk.ui.views.capture),
`scan` (the lookup page's QR scan, kiosk.ui.views.scan) and `tech` (the panel's camera page,
kiosk.ui.techcamera).

It follows the bridge's view: the capture screen's camera runs while the session shows `capture`; the
lookup's scan stops when the lookup page is left. `close()` stops every camera (the window closes).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Property, QObject

from kiosk.ui.techcamera import TechCamera
from kiosk.ui.views.capture import CaptureView
from kiosk.ui.views.scan import CameraScan


class CameraViews(QObject):
    def __init__(self, bridge: Any) -> None:
        super().__init__(bridge)
        self._bridge = bridge
        services = lambda: bridge.services  # noqa: E731
        language = lambda: bridge.view["language"]  # noqa: E731
        self.capture_view = CaptureView(bridge.images, bridge.worker.submit, services, bridge.send, language, self)
        self.scan_view = CameraScan(bridge.images, services, bridge.lookup_page.query, language, self)
        self.tech_view = TechCamera(bridge.images, bridge.worker.submit_impersonal, services, self)
        bridge.viewChanged.connect(self._follow)

    capture = Property(QObject, lambda self: self.capture_view, constant=True)
    scan = Property(QObject, lambda self: self.scan_view, constant=True)
    tech = Property(QObject, lambda self: self.tech_view, constant=True)

    def _follow(self) -> None:
        view = self._bridge.view
        self.capture_view.follow(view)
        if view["page"] != "lookup":
            self.scan_view.stop()

    def close(self) -> None:
        self.capture_view.close()
        self.scan_view.stop()
        self.tech_view.stop()
