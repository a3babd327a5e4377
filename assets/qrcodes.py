"""QR codes for every renderer (the PDFs, the slip's raster, the printer emulator, the credentials):
segno imported without urllib and ssl, and each symbol encoded once per process.

segno's writers import `xml.sax.saxutils`, which imports `urllib.request` (http.client, email, ssl: ≈ 40 ms
of every process that makes a QR) only for `prepare_input_source`, which segno never calls. `segno()`
imports segno with `urllib.request` standing in sys.modules as a placeholder that imports the real module
the first time any of its attributes is read (`urllib.request.urlopen`, `from urllib.request import
Request`): a process that never opens a URL never loads it; one that does gets the real module then, and
from then on sys.modules and `urllib.request` are the real module. (importlib's own LazyLoader does not
do here: on Python 3.11 a second `import urllib.request` reads the lazy module's `__spec__`, which loads it.)

Encoding is pure Python and picks the best of 8 masks (≈ 17 ms for a version-10 licence code), and one
application's codes are drawn several times in one process (the slip's bytes, the emulator that prints
them, the licence PDF, the business code's size check), so `make(content, ...)` keeps the last symbols.
A cached `segno.QRCode` is shared: read it (`matrix_iter`, `version`, `save`), never change it.
"""

from __future__ import annotations

import importlib
import sys
import threading
from functools import lru_cache
from types import ModuleType
from typing import Any

#: How many symbols are kept (a few per application; a symbol is a few KB).
CACHE_SIZE = 32


_lock = threading.Lock()


class _LoadOnFirstUse(ModuleType):
    """Stands for a module not loaded yet: reading any attribute it lacks loads the real module (which
    then replaces it in sys.modules and on its package) and answers from it."""

    def __getattr__(self, attribute: str) -> Any:
        return getattr(_load_real(self), attribute)


def _load_real(placeholder: _LoadOnFirstUse) -> ModuleType:
    name = placeholder.__name__
    parent, _, child = name.rpartition(".")
    with _lock:
        if sys.modules.get(name) is placeholder:
            del sys.modules[name]
            if getattr(sys.modules.get(parent), child, None) is placeholder:
                delattr(sys.modules[parent], child)
    return importlib.import_module(name)


def _defer(name: str) -> None:
    """Put a `_LoadOnFirstUse` for module `name` (whose package is loaded) in sys.modules."""
    placeholder = _LoadOnFirstUse(name, f"{name}, loaded on first use (assets.qrcodes)")
    sys.modules[name] = placeholder
    parent, _, child = name.rpartition(".")
    setattr(sys.modules[parent], child, placeholder)


def segno() -> ModuleType:
    """The segno package (imported once, without loading urllib.request: see the module docstring)."""
    module = sys.modules.get("segno")
    if module is None:
        with _lock:
            if "xml.sax.saxutils" not in sys.modules and "urllib.request" not in sys.modules:
                importlib.import_module("urllib")  # the package (empty), whose `request` is set
                _defer("urllib.request")
        import segno as module
    return module


@lru_cache(maxsize=CACHE_SIZE)
def make(content: str | bytes, error: str = "m", encoding: str | None = "utf-8") -> Any:
    """`segno.make_qr(content, error=error, encoding=encoding, boost_error=False)`: a full QR code (never
    Micro QR) at exactly this error level, cached per process. Raises segno's DataOverflowError or
    ValueError as segno does."""
    return segno().make_qr(content, error=error, boost_error=False, encoding=encoding)
