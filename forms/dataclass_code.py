"""Dataclasses made without compiling their methods again in every process: a cache of the code that
`dataclasses` generates (issue 17).

`@dataclass` writes each method it adds (`__init__`, `__repr__`, `__eq__`, `__hash__`, and `__setattr__` /
`__delattr__` when frozen) as Python source text and runs `exec` on that text. Compiling the text is most
of what a class costs (≈ 0.2-0.4 ms), and `kiosk apply` makes about 150 classes as it imports the session's
events and effects, the specs, the documents' model, the printers' and the config's: ≈ 40 ms of every run,
a tenth of it. The text depends only on the class's fields and options, so what it compiles to never
changes. Within `with cached_dataclass_code():` the `dataclasses` module's `exec` takes the code object
compiled from exactly that text from a cache (forms.compiled, file `dataclass-code.pickle` in the compiled
cache folder, keyed by the interpreter's version and bytecode magic number), compiles what is not there
yet and writes the new entries back when the block ends.

Nothing else changes. `exec(compile(text, "<string>", "exec", dont_inherit=True), globals, locals)` is
what `exec(text, globals, locals)` does in `dataclasses` (a module without `from __future__` imports):
the same functions, defaults, closures and names in tracebacks; a test compares the generated code
objects with and without the cache. A text not in the cache is compiled as before; a cache file that is
missing, stale or corrupt is rebuilt (forms.compiled); a future `dataclasses` that generates other texts
simply misses, and one that no longer calls `exec` is not affected at all. Only the module's own global
name `exec` is set, for the block; the builtin is untouched.
"""

from __future__ import annotations

from assets.lazymodules import defer

# `dataclasses` imports `inspect` (and with it ast, dis, tokenize: ~10 ms) for one use, the __doc__ of a
# class written without a docstring; ours have one. Loaded on first use (assets.lazymodules) instead,
# unless something imported it already.
defer("inspect")

import builtins  # noqa: E402
import contextlib  # noqa: E402
import dataclasses  # noqa: E402
import marshal  # noqa: E402
import sys  # noqa: E402
import threading  # noqa: E402
from collections.abc import Iterator  # noqa: E402
from pathlib import Path  # noqa: E402
from types import CodeType  # noqa: E402
from typing import Any  # noqa: E402

from forms import compiled  # noqa: E402

CACHE_NAME = "dataclass-code.pickle"
#: Beyond this many texts, a write keeps only those this process used (classes changed in development).
MAX_ENTRIES = 4096

_lock = threading.Lock()


def cache_key() -> str:
    """What the stored code objects depend on: the interpreter (marshal and bytecode formats)."""
    from importlib.util import MAGIC_NUMBER

    return f"{sys.version}|{MAGIC_NUMBER.hex()}"


class CodeCache:
    """Source text -> code object, loaded from and saved to one cache file."""

    def __init__(self, stored: dict[str, bytes] | None = None) -> None:
        self.stored: dict[str, bytes] = dict(stored or {})  # text -> marshal.dumps(code)
        self._codes: dict[str, CodeType] = {}
        self.used: set[str] = set()
        self.compiled = 0  # texts compiled in this process (not found in the cache)

    def code(self, text: str) -> CodeType:
        code = self._codes.get(text)
        if code is None:
            data = self.stored.get(text)
            code = marshal.loads(data) if data is not None else None
            if not isinstance(code, CodeType):
                code = compile(text, "<string>", "exec", dont_inherit=True)
                self.stored[text] = marshal.dumps(code)
                self.compiled += 1
            self._codes[text] = code
        self.used.add(text)
        return code

    def exec(self, source: Any, globals: dict[str, Any] | None = None,
             locals: Any = None, /, **options: Any) -> None:
        """`exec` as `dataclasses` calls it; any other use goes to the builtin unchanged."""
        if not isinstance(source, str) or globals is None or options:
            if globals is None:  # the builtin would use this frame's names: give it the caller's
                frame = sys._getframe(1)
                globals, locals = frame.f_globals, frame.f_locals if locals is None else locals
            return builtins.exec(source, globals, locals, **options)
        return builtins.exec(self.code(source), globals, locals)

    def to_store(self) -> dict[str, bytes]:
        if len(self.stored) <= MAX_ENTRIES:
            return self.stored
        return {text: self.stored[text] for text in self.used}


def load(folder: Path | None = None, name: str = CACHE_NAME) -> CodeCache:
    """The cache stored under `folder` (default forms.compiled.cache_root()), empty when there is none."""
    path = (folder or compiled.cache_root()) / name
    stored = compiled.read(path, cache_key())
    return CodeCache(stored if isinstance(stored, dict) else None)


def save(cache: CodeCache, folder: Path | None = None, name: str = CACHE_NAME) -> bool:
    path = (folder or compiled.cache_root()) / name
    return compiled.write(path, cache_key(), cache.to_store())


@contextlib.contextmanager
def cached_dataclass_code(folder: Path | None = None, name: str = CACHE_NAME) -> Iterator[CodeCache | None]:
    """Dataclasses made within the block take their methods' code from the cache file `name` (see the
    module docstring); yields the cache, or None when another block is already active (nested: it
    serves). Processes that run at the same time (`kiosk apply` and its PDF child) use different names:
    each writes its whole file, so a shared one would lose the other's entries every run."""
    with _lock:
        if "exec" in vars(dataclasses):
            cache = None
        else:
            cache = load(folder, name)
            dataclasses.exec = cache.exec  # type: ignore[attr-defined]
    if cache is None:
        yield None
        return
    try:
        yield cache
    finally:
        with _lock:
            if vars(dataclasses).get("exec") == cache.exec:
                del dataclasses.exec  # type: ignore[attr-defined]
        if cache.compiled:
            save(cache, folder, name)
