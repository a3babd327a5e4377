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

Another process that draws the same codes (`kiosk apply`'s PDF renderer, forms.documents.worker) is
handed what this one chose (`known()`: content, error level, encoding, version, mask) and `hint`s it:
its `make` then encodes with that version and mask given, skipping segno's search over the 8 masks
(≈ 17 ms of the PDFs' critical path). segno's search picks the smallest version and the best-scoring
mask and then encodes with them, so the symbol is the one it would have found (a test holds them equal);
a hint is only ever a choice segno made for exactly that content, level and encoding.
"""

from __future__ import annotations

import importlib
import sys
import threading
from collections import OrderedDict
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


_symbols: OrderedDict[tuple[str | bytes, str, str | None], Any] = OrderedDict()
_hints: dict[tuple[str, str, str | None], tuple[int, int]] = {}


def make(content: str | bytes, error: str = "m", encoding: str | None = "utf-8") -> Any:
    """`segno.make_qr(content, error=error, encoding=encoding, boost_error=False)`: a full QR code (never
    Micro QR) at exactly this error level, cached per process (the last CACHE_SIZE). Raises segno's
    DataOverflowError or ValueError as segno does."""
    key = (content, error, encoding)
    with _lock:
        symbol = _symbols.get(key)
        if symbol is not None:
            _symbols.move_to_end(key)
            return symbol
        hinted = _hints.get(key) if isinstance(content, str) else None  # type: ignore[arg-type]
    module = segno()
    if hinted is not None:
        version, mask = hinted
        symbol = module.make_qr(content, error=error, boost_error=False, encoding=encoding,
                                version=version, mask=mask)
    else:
        symbol = module.make_qr(content, error=error, boost_error=False, encoding=encoding)
    with _lock:
        symbol = _symbols.setdefault(key, symbol)
        while len(_symbols) > CACHE_SIZE:
            _symbols.popitem(last=False)
    return symbol


def known() -> list[list[Any]]:
    """[content, error, encoding, version, mask] of each text symbol this process encoded (JSON-ready),
    for another process to `hint`."""
    with _lock:
        return [[content, error, encoding, symbol.version, symbol.mask]
                for (content, error, encoding), symbol in _symbols.items() if isinstance(content, str)]


def hint(content: str, error: str, encoding: str | None, version: int, mask: int) -> None:
    """Encode `content` at `error` / `encoding` with this version and mask (`known()` of a process that
    encoded it: see the module docstring)."""
    if not (isinstance(content, str) and isinstance(version, int) and isinstance(mask, int)
            and 1 <= version <= 40 and 0 <= mask <= 7):
        raise ValueError(f"not a QR hint: version {version!r}, mask {mask!r}")
    with _lock:
        _hints[(content, error, encoding)] = (version, mask)
