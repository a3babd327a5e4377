"""Modules a library imports at its own import but uses only on some paths, loaded on first use instead.

`defer("urllib.request")` puts a placeholder in sys.modules (and on its package) that imports the real
module the first time any of its attributes is read (`urllib.request.urlopen`, `from urllib.request import
Request`): a process that never takes that path never loads it; one that does gets the real module then,
and from then on sys.modules and the package attribute are the real module. Used where a library's
import-time dependency is heavy and off our path: rule-engine imports dateutil.parser for date literals
(d"…") that no condition of the catalog holds (forms.ruletables).
(importlib's own LazyLoader does not do here: on Python 3.11 a second `import x.y` reads the lazy
module's `__spec__`, which loads it.)
"""

from __future__ import annotations

import importlib
import sys
import threading
from types import ModuleType
from typing import Any

_lock = threading.Lock()


class LoadOnFirstUse(ModuleType):
    """Stands for a module not loaded yet: reading any attribute it lacks loads the real module (which
    then replaces it in sys.modules and on its package) and answers from it."""

    def __getattr__(self, attribute: str) -> Any:
        return getattr(_load_real(self), attribute)


def _load_real(placeholder: LoadOnFirstUse) -> ModuleType:
    name = placeholder.__name__
    parent, _, child = name.rpartition(".")
    with _lock:
        if sys.modules.get(name) is placeholder:
            del sys.modules[name]
            if getattr(sys.modules.get(parent), child, None) is placeholder:
                delattr(sys.modules[parent], child)
    return importlib.import_module(name)


def defer(name: str) -> bool:
    """Put a `LoadOnFirstUse` for module `name` in sys.modules, its package imported (not the module);
    False, and nothing done, when the module is already loaded."""
    with _lock:
        if name in sys.modules:
            return False
        parent, _, child = name.rpartition(".")
        if parent:
            importlib.import_module(parent)
        placeholder = LoadOnFirstUse(name, f"{name}, loaded on first use (assets.lazymodules)")
        sys.modules[name] = placeholder
        if parent:
            setattr(sys.modules[parent], child, placeholder)
    return True
