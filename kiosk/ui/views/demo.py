"""The demo drawer (QML: `bridge.drawer`): lay and lift demo cards, inject reader and printer faults.
Each action runs on the worker pool; a failing action becomes its message, never a crash."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Property, QObject, Signal, Slot

from kiosk.ui.views.worker import Worker

_log = logging.getLogger(__name__)


class DemoDrawer(QObject):
    changed = Signal()

    def __init__(self, worker: Worker, services: Callable[[], Any], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._worker = worker
        self._services = services
        self._message = ""

    message = Property(str, lambda self: self._message, notify=changed)

    @Property("QVariantList", notify=changed)
    def cards(self) -> list[dict[str, str]]:
        return [{"key": key, "name": card.display_name} for key, card in self._services().demo_cards().items()]

    def refresh(self) -> None:
        """The services changed (attach): the card list may have."""
        self.changed.emit()

    @Slot(str, str)
    def demoAction(self, action: str, argument: str) -> None:
        def work() -> str:
            try:
                return self._services().demo_action(action, argument)
            except Exception as exc:  # a demo control must never take the kiosk down
                _log.warning("demo action %s failed: %s", action, exc)
                return f"{action}: {exc}"

        self._worker.submit(work, self._set_message, personal=False)

    def _set_message(self, message: str) -> None:
        self._message = message
        self.changed.emit()
