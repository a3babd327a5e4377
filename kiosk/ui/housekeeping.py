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

`bound_mmap_threshold()` (called by `create_qt_app`, before the window exists) fixes glibc's mmap threshold
at 128 KiB. By default glibc raises it after each large block it frees, up to 32 MiB, so the large
transient buffers of a visit (PDFs, slips and page images, the hall's batches of up to 8 MB of JSON on the
uploader thread) came from the heaps afterwards, scattered between small live blocks, and their pages were
never given back: the soak with a hall grew +15 MB when the backlog went up after an outage, and kept the
level ~80 MB higher. With the threshold fixed, such buffers are mapped and unmapped whole (unless
the heap happens to have a free chunk that size: glibc serves it from there first).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer
from PySide6.QtQml import QJSEngine

_log = logging.getLogger(__name__)


def _malloc_trim() -> Callable[[], object]:
    """glibc's malloc_trim(0), or a no-op where the C library has none (musl, macOS)."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        trim = libc.malloc_trim
    except (OSError, AttributeError):
        return lambda: None
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    return lambda: trim(0)


M_MMAP_THRESHOLD = -3  # glibc's mallopt parameter (malloc.h)
MMAP_THRESHOLD_BYTES = 128 * 1024


def bound_mmap_threshold() -> bool:
    """Blocks of MMAP_THRESHOLD_BYTES and more are mapped on their own, always (glibc; False elsewhere)."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    return mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES) == 1


class VisitHousekeeping(QObject):
    """After each visit: the QML engine's garbage collected, the C heap's free pages given back."""

    def __init__(self, engine: QJSEngine, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._engine = engine
        self._trim = _malloc_trim()
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
