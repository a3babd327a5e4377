"""PySide6's import hook without reading every module's source (imported for its effect, first thing
in kiosk.ui.app, right after PySide6).

Once PySide6 is imported, shiboken's `__feature__` support (shibokensupport.feature) looks at every
module imported afterwards: `_mod_uses_pyside(module)` calls `inspect.getsource(module)` and searches
it for "PySide6", so each import re-reads its source file and builds its line cache (PIL.TiffTags,
sqlite_utils.db, ...): ~0.1 s of CPU on the kiosk's start path, measured. This replaces that test by
an equivalent one that reads nothing: the module's namespace holds something from PySide6 (a class,
a function, a submodule) — what a module that uses PySide6 has once imported. The kiosk uses no
`from __feature__ import ...` (snake_case / true_property) anyway. If shiboken's internals differ
(another PySide6 version), nothing is changed.
"""

from __future__ import annotations

import sys
from types import ModuleType
from typing import Any

import PySide6.QtCore  # noqa: F401  (loads shiboken's support modules)


def uses_pyside(module: Any) -> bool:
    """True when the module's namespace holds a PySide6 module, class or function."""
    for value in list(vars(module).values()) if isinstance(module, ModuleType) else ():
        name = value.__name__ if isinstance(value, ModuleType) else getattr(value, "__module__", None)
        if isinstance(name, str) and name.startswith(("PySide6", "shiboken6")):
            return True
    return False


def lighten() -> bool:
    """Swap the source-reading test for `uses_pyside`; True when done."""
    feature = sys.modules.get("shibokensupport.feature")
    if feature is None or not callable(getattr(feature, "_mod_uses_pyside", None)):
        return False
    feature._mod_uses_pyside = uses_pyside
    return True


LIGHTENED = lighten()
