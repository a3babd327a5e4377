"""Dataclasses built without compiling their methods' source in every process: a cache of code objects.

On Python 3.11 `@dataclass` writes each generated method (`__init__`, `__repr__`, `__eq__`, `__hash__`,
`__setattr__`...) as source text and `exec`s it: compiling that text is ~90 % of a dataclass's cost, about
a millisecond a class, and `kiosk apply` defines ~170 dataclasses (the session's events and effects, the
specs, the store's rows, the reader's frames...). `install()` gives the `dataclasses` module an `exec`
(a module global shadows the builtin) that looks the text up in a dict of compiled code objects and
compiles only a text it has not seen; the code objects are kept in one compiled-cache file
(forms.compiled, `dataclass-code.pickle`, keyed by the Python version: marshal and bytecode follow it)
and written back at exit when the process compiled new ones. The text is the key, so a cached code
object is the very code `exec(text)` would compile (same file name, no inherited `__future__` flags);
a missing, stale or corrupt file only costs the compiling. kiosk/__init__.py installs it, so every
entry point of the kiosk (`kiosk apply`, `kiosk demo`) has it before any of its dataclasses exist;
installing imports nothing (see `install`).
"""

from __future__ import annotations

import atexit
import marshal
import sys
import threading
from types import CodeType, ModuleType
from typing import Any

CACHE_NAME = "dataclass-code.pickle"
#: Past this many texts (~1 KB each; the kiosk's commands and screens use ~1,000) the file is rewritten
#: with only what this process used (classes removed from the code would otherwise be kept for ever).
MAX_ENTRIES = 4_000
_lock = threading.Lock()
_stored: dict[str, bytes] = {}      # text -> marshalled code, as read from the cache file
_compiled: dict[str, CodeType] = {}  # text -> code, this process
_new: set[str] = set()
_state = {"installed": False, "loaded": False, "loading": False}


def _key() -> str:
    return f"{sys.version} {sys.implementation.cache_tag} marshal {marshal.version}"


def code_for(text: str) -> CodeType:
    """The code object `exec(text)` runs, from the cache or compiled (and remembered) now."""
    code = _compiled.get(text)
    if code is not None:
        return code
    if not _state["loaded"]:
        _load()
    data = _stored.get(text)
    if data is not None:
        try:
            code = marshal.loads(data)
        except (ValueError, EOFError, TypeError):
            code = None
    if not isinstance(code, CodeType):
        code = compile(text, "<string>", "exec", dont_inherit=True)
        with _lock:
            _new.add(text)
    _compiled[text] = code
    return code


def _exec(source: Any, globals: dict[str, Any] | None = None, locals: Any = None, /) -> None:
    """`exec` for the dataclasses module: a source text runs its cached code object."""
    if isinstance(source, str):
        source = code_for(source)
    exec(source, globals, locals)  # the dataclasses module's own generated code


def install() -> None:
    """Serve the dataclasses module's `exec` from the cache (once per process; no-op when done). Nothing
    is imported here: the dataclasses module is given its `exec` when it is imported (a finder first on
    sys.meta_path), and the cache file is read when the first dataclass is built, so `kiosk --help`
    (no dataclass) pays neither."""
    if _state["installed"]:
        return
    _state["installed"] = True
    atexit.register(save)
    module = sys.modules.get("dataclasses")
    if module is not None:
        _patch(module)
    else:
        sys.meta_path.insert(0, _PatchOnImport())


def _patch(module: ModuleType) -> None:
    if "exec" not in vars(module):
        module.exec = _exec  # type: ignore[attr-defined]


class _PatchOnImport:
    """A meta-path finder for `dataclasses` only: it finds the module's spec with the other finders and
    patches the module right after its code ran (before anyone can build a dataclass), then leaves."""

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> Any:
        if name != "dataclasses":
            return None
        if self in sys.meta_path:
            sys.meta_path.remove(self)
        for finder in sys.meta_path:
            spec = finder.find_spec(name, path, target) if hasattr(finder, "find_spec") else None
            if spec is not None:
                break
        else:
            return None
        loader = spec.loader
        run = getattr(loader, "exec_module", None)
        if run is None:
            return spec

        def exec_module(module: ModuleType) -> None:
            run(module)
            _patch(module)

        loader.exec_module = exec_module
        return spec


def _load() -> None:
    """Read the cache file, once. No lock is held while it is read: a dataclass built meanwhile (by the
    read's own imports, or on another thread) is simply compiled, so no import can wait on this one."""
    with _lock:
        if _state["loaded"] or _state["loading"]:
            return
        _state["loading"] = True
    stored = None
    try:
        from forms import compiled

        stored = compiled.read(compiled.cache_root() / CACHE_NAME, _key())
    except Exception:  # no cache folder at all: compile as Python does
        stored = None
    finally:
        if isinstance(stored, dict):
            _stored.update(stored)
        _state["loaded"] = True


def save() -> bool:
    """Write the cache file when this process compiled texts it did not hold; True when written."""
    with _lock:
        if not _new:
            return False
        fresh = {text: marshal.dumps(_compiled[text]) for text in _new}
        _new.clear()
    from forms import compiled

    merged = {**_stored, **fresh}
    if len(merged) > MAX_ENTRIES:
        merged = {text: marshal.dumps(code) for text, code in _compiled.items()}
    try:
        path = compiled.cache_root() / CACHE_NAME
    except Exception:
        return False
    _stored.update(fresh)
    return compiled.write(path, _key(), merged)
