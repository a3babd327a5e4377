"""A guard against a reference-counting bug of PySide6 6.12 on Python 3.11.

Measured on this machine (PySide6 6.12.0, CPython 3.11.7): every `Signal.emit()` called from Python
returns `True` without owning a reference to it (100 emits: True's count falls by 100), and slots
called from QML with a `null` QVariant argument, or returning None, drop a reference to `None` (about
one per call). A long-running kiosk emits tens of thousands of signals a day, so after a while CPython
aborts with "Fatal Python error: bool_dealloc / none_dealloc". CPython 3.12 made these singletons
immortal; on 3.11 `immortalize_singletons()` gives None, True and False 2**40 extra references once,
so the counts can never reach zero (they are never freed anyway). Nothing else is changed.
"""

from __future__ import annotations

import ctypes
import sys

EXTRA_REFERENCES = 1 << 40
_done = False


def immortalize_singletons() -> bool:
    """Apply the guard once (no-op on Python >= 3.12); True when it was applied by this call."""
    global _done
    if _done or sys.version_info >= (3, 12):
        return False
    for singleton in (None, True, False):
        ctypes.c_ssize_t.from_address(id(singleton)).value += EXTRA_REFERENCES
    _done = True
    return True
