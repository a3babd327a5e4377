"""Between two applicants: give back what the visit used (issue 17).

The kiosk runs for months on one QML engine. Its JavaScript heap is collected only under allocation
pressure, so the garbage of every visit (the view maps each binding converted, the pages' objects) stayed
until the heap had grown enough to trigger a collection, and the C heap kept the freed pages (glibc returns
only the top of its heaps by itself). A soak of the touchscreen (bench/soak.py) grew about 100 KB per visit
that way; the C heap in use then was 18 MB above what a collection leaves.

`VisitHousekeeping.run()` is connected to the bridge's `visitEnded` (the personal data was wiped; the start
screen shows) and runs once the event loop is free again: the QML engine's garbage collection
(`QJSEngine.collectGarbage`), then glibc's `malloc_trim(0)` (free pages of every arena back to the system;
nothing on a C library without it). It runs on the GUI thread, a few milliseconds with nobody at the
screen. The component cache is left alone: trimming it would recompile the pages of the next visit.

glibc's mmap threshold is fixed by `kiosk.heap.bound_mmap_threshold()` (Qt-free: the headless core
fixes it too); `create_qt_app` calls it before the window exists, and it is re-exported here.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer
from PySide6.QtQml import QJSEngine

from kiosk import heap
from kiosk.heap import bound_mmap_threshold

__all__ = ["VisitHousekeeping", "bound_mmap_threshold"]

_log = logging.getLogger(__name__)


class VisitHousekeeping(QObject):
    """After each visit: the QML engine's garbage collected, the C heap's free pages given back."""

    def __init__(self, engine: QJSEngine, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._engine = engine
        self._trim = heap.trim
        self.runs = 0

    def visit_ended(self) -> None:
        """The visit's data was wiped (GUI thread): tidy up once the start screen has been shown."""
        QTimer.singleShot(0, self, self.run)

    def run(self) -> None:
        try:
            self._engine.collectGarbage()
            self._trim()
        except RuntimeError as exc:  # the engine was freed meanwhile (the window closed)
            _log.debug("housekeeping skipped: %s", exc)
            return
        self.runs += 1
