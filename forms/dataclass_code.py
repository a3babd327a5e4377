"""Dataclasses made without compiling their methods again in every process: a cache of the code that
`dataclasses` generates (issue 17).

`@dataclass` writes each method it adds (`__init__`, `__repr__`, `__eq__`, `__hash__`, and `__setattr__` /
`__delattr__` when frozen) as Python source text and runs `exec` on that text. Compiling the text is most
of what a class costs (≈ 0.2-0.4 ms), and `kiosk apply` makes about 150 classes as it imports the session's
events and effects, the specs, the documents' model, the printers' and the config's: ≈ 40 ms of every run,
a tenth of it. The text depends only on the class's fields and options, so what it compiles to never
changes. Within `with cached_dataclass_code():` the `dataclasses` module's `exec` takes the code object
compiled from exactly that text from a cache (forms.compiled, file `dataclass-code-texts.pickle` in the
compiled cache folder, keyed by the interpreter's version, bytecode magic number and `dataclasses`'
source), compiles what is not there yet and writes the new entries back when the block ends. The
helpers that write the texts are memoized too (forms.dataclass_fast): a class seen before is made from
the code of its functions by key (file `dataclass-code.pickle`, one marshal blob read as the block
starts), and the texts' file is read only when a class not seen before needs its texts.

Nothing else changes. `exec(compile(text, "<string>", "exec", dont_inherit=True), globals, locals)` is
what `exec(text, globals, locals)` does in `dataclasses` (a module without `from __future__` imports):
the same functions, defaults, closures and names in tracebacks; a test compares the generated code
objects with and without the cache. A text not in the cache is compiled as before; a cache file that is
missing, stale or corrupt is rebuilt (forms.compiled); a future `dataclasses` that generates other texts
simply misses, and one that no longer calls `exec` is not affected at all. Only module globals of
`dataclasses` are set, for the block (`exec`, and forms.dataclass_fast's helpers); the builtin is
untouched.
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
from collections.abc import Callable, Iterator  # noqa: E402
from pathlib import Path  # noqa: E402
from types import CodeType  # noqa: E402
from typing import Any  # noqa: E402

from forms import compiled, dataclass_fast  # noqa: E402

CACHE_NAME = "dataclass-code.pickle"
#: Beyond this many texts, a write keeps only those this process used (classes changed in development).
MAX_ENTRIES = 4096

_lock = threading.Lock()


def cache_key() -> str:
    """What the stored code objects and texts depend on: the interpreter (marshal and bytecode formats),
    the source of `dataclasses` (the texts it writes) and of forms.dataclass_fast (its keys)."""
    global _key
    if _key is None:
        from importlib.util import MAGIC_NUMBER

        _key = f"{sys.version}|{MAGIC_NUMBER.hex()}|{_source_digest('dataclasses', 'forms.dataclass_fast')}"
    return _key


_key: str | None = None


def _source_digest(*names: str) -> str:
    """sha256 of the modules' source files (≈ 0.1 ms); in a frozen bundle, of their code objects."""
    import hashlib

    digest = hashlib.sha256()
    for name in names:
        try:
            with open(sys.modules[name].__spec__.origin, "rb") as file:
                data = file.read()
        except (OSError, TypeError):
            data = (compiled._module_code(name) or ("", b""))[1]
        digest.update(hashlib.sha256(data).digest())
    return digest.hexdigest()


class CodeCache:
    """Source text -> code object (file `texts_name(name)`, read on the first text to run), and
    forms.dataclass_fast's key -> the code of the functions it makes (file `name`, read at once)."""

    def __init__(self, stored: dict[str, bytes] | None = None,
                 made: dict[tuple, tuple[CodeType, ...]] | None = None,
                 read_texts: Callable[[], dict[str, bytes]] | None = None) -> None:
        self._stored = dict(stored) if stored is not None else None  # text -> marshal.dumps(code)
        self._read_texts = read_texts
        self.made: dict[tuple, tuple[CodeType, ...]] = dict(made or {})
        self._codes: dict[str, CodeType] = {}
        self.used: set[str] = set()
        self.used_made: set[tuple] = set()
        self.compiled = 0  # texts compiled in this process (not found in the cache)
        self.added = 0  # keys of forms.dataclass_fast recorded in this process
        self.served = 0  # functions forms.dataclass_fast made from this cache's code
        self.missed = 0  # calls of its helpers that ran the stock helper (key not recorded)

    @property
    def stored(self) -> dict[str, bytes]:
        if self._stored is None:
            self._stored = self._read_texts() if self._read_texts is not None else {}
        return self._stored

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
        dataclass_fast.record(source)
        return builtins.exec(self.code(source), globals, locals)

    def functions(self, key: tuple, count: int) -> tuple[CodeType, ...] | None:
        """forms.dataclass_fast: the code of the `count` functions recorded under `key`, if any."""
        codes = self.made.get(key)
        if type(codes) is not tuple or len(codes) != count \
                or not all(type(code) is CodeType for code in codes):
            return None
        self.used_made.add(key)
        self.served += count
        return codes

    def remember(self, key: tuple, texts: tuple[str, ...]) -> None:
        """forms.dataclass_fast: the stock helper called with what `key` names ran these texts; their
        functions' code is kept under `key` (nothing when a text is not made as expected)."""
        codes = tuple(dataclass_fast.inner_code(self.code(text)) for text in texts)
        if any(code is None for code in codes):
            return
        if self.made.get(key) != codes:
            self.made[key] = codes  # type: ignore[assignment]
            self.added += 1
        self.used_made.add(key)

    def texts_to_store(self) -> dict[str, bytes]:
        if len(self.stored) <= MAX_ENTRIES:
            return self.stored
        return {text: self.stored[text] for text in self.used}

    def made_to_store(self) -> bytes:
        made = self.made if len(self.made) <= MAX_ENTRIES else {key: self.made[key] for key in self.used_made}
        try:
            return marshal.dumps(made)
        except ValueError:  # a key marshal cannot write (a field name of a str subclass): left out
            return marshal.dumps({key: codes for key, codes in made.items() if _marshals((key, codes))})


def _marshals(value: Any) -> bool:
    try:
        marshal.dumps(value)
    except ValueError:
        return False
    return True


def texts_name(name: str) -> str:
    """The file of the texts' code beside cache file `name` (dataclass-code.pickle: -texts.pickle)."""
    stem, dot, suffix = name.rpartition(".")
    return f"{stem}-texts.{suffix}" if dot else f"{name}-texts"


def load(folder: Path | None = None, name: str = CACHE_NAME) -> CodeCache:
    """The cache stored under `folder` (default forms.compiled.cache_root()), empty when there is none.
    The keys' code is one marshal blob, read now (one `marshal.loads` shares the strings its ~600 code
    objects repeat); the texts' file is read only if a text has to run (a class not seen yet)."""
    root = folder or compiled.cache_root()
    stored = compiled.read(root / name, cache_key())
    made = None
    if isinstance(stored, bytes):
        try:
            made = marshal.loads(stored)
        except (ValueError, EOFError, TypeError):
            made = None

    def read_texts() -> dict[str, bytes]:
        texts = compiled.read(root / texts_name(name), cache_key())
        return texts if isinstance(texts, dict) else {}

    return CodeCache(made=made if isinstance(made, dict) else None, read_texts=read_texts)


def save(cache: CodeCache, folder: Path | None = None, name: str = CACHE_NAME) -> bool:
    """Writes what changed: the keys' code if a key was added, the texts' if one was compiled."""
    root = folder or compiled.cache_root()
    done = True
    if cache.added:
        done = compiled.write(root / name, cache_key(), cache.made_to_store())
    if cache.compiled:
        done = compiled.write(root / texts_name(name), cache_key(), cache.texts_to_store()) and done
    return done


@contextlib.contextmanager
def cached_dataclass_code(folder: Path | None = None, name: str = CACHE_NAME,
                          fast: bool = True) -> Iterator[CodeCache | None]:
    """Dataclasses made within the block take their methods' code from the cache file `name` (see the
    module docstring); yields the cache, or None when another block is already active (nested: it
    serves). Processes that run at the same time (`kiosk apply` and its PDF child) use different names:
    each writes its whole file, so a shared one would lose the other's entries every run. With `fast`
    (the default) the texts are not even written again (forms.dataclass_fast)."""
    with _lock:
        if "exec" in vars(dataclasses):
            cache = None
        else:
            cache = load(folder, name)
            dataclasses.exec = cache.exec  # type: ignore[attr-defined]
            restore = dataclass_fast.install(cache) if fast else None
    if cache is None:
        yield None
        return
    try:
        yield cache
    finally:
        with _lock:
            if restore is not None:
                restore()
            if vars(dataclasses).get("exec") == cache.exec:
                del dataclasses.exec  # type: ignore[attr-defined]
        if cache.compiled or cache.added:
            save(cache, folder, name)
