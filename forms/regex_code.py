"""Regular expressions compiled without parsing them again in every process: a cache of what `re`'s
compiler makes of each pattern (issue 17).

`re.compile` parses a pattern and compiles it to the code of the `_sre` engine (a list of integers) in
pure Python (re._parser, re._compiler): ~0.3 ms a pattern. `kiosk apply` compiles ~50 as its modules load
(the standard library's, platformdirs', ours: ~15 ms of its start) and its PDF child ~65 more
(reportlab's: ~25 ms). What the compiler makes depends only on the pattern, the flags and the interpreter.
Within `with cached_regex_code(name):`, `re._compiler.compile` takes that (the flags with the pattern's
inline ones, the code, the groups and their names) from a cache (forms.compiled, one file per process
kind in the compiled cache folder, keyed by the interpreter's version and `_sre`'s magic number and code
size) and hands it to `_sre.compile` exactly as re._compiler.compile does; a pattern not there is
compiled as before and stored when the block ends.

Nothing else changes: the same Pattern objects (`==` between two patterns compares their flags and their
code; a test compares every pattern a `kiosk apply` compiles), the same errors for a bad pattern (never
cached: compiling it raises), `re`'s own cache of compiled patterns in front of this one. Patterns
compiled with re.DEBUG, and the parsed patterns `re.Scanner` compiles, go to the compiler unchanged. A
cache file that is missing, stale or corrupt is rebuilt (forms.compiled).
"""

from __future__ import annotations

import _sre
import contextlib
import re
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from forms import compiled

#: Beyond this many patterns, a write keeps only those this process used.
MAX_ENTRIES = 2048

_lock = threading.Lock()
_compiler = re._compiler  # type: ignore[attr-defined]  # the module `re.compile` calls at a cache miss
_compile_anew = _compiler.compile  # its function, put back when a block ends

#: What `_sre.compile` is given besides the pattern: flags (with the inline ones), code, groups - 1,
#: group name -> number, number -> group name.
Compiled = tuple[int, list[int], int, dict[str, int], tuple[str | None, ...]]


def cache_key() -> str:
    """What the stored code depends on: the interpreter and its regular expression engine."""
    return f"{sys.version}|{_sre.MAGIC}|{_sre.CODESIZE}"


class RegexCache:
    """(pattern, flags) -> what the compiler made of it, loaded from and saved to one cache file."""

    def __init__(self, stored: dict[tuple[str | bytes, int], Compiled] | None = None) -> None:
        self.stored: dict[tuple[str | bytes, int], Compiled] = dict(stored or {})
        self.used: set[tuple[str | bytes, int]] = set()
        self.compiled = 0  # patterns compiled in this process (not found in the cache)

    def compile(self, pattern: Any, flags: int = 0) -> re.Pattern:
        """`re._compiler.compile` as `re.compile` calls it, from the cache when the pattern is there."""
        if not isinstance(pattern, (str, bytes)) or flags & re.DEBUG:
            return _compile_anew(pattern, flags)
        key = (pattern, flags)
        entry = self.stored.get(key)
        if entry is None:
            entry = _compile(pattern, flags)
            self.stored[key] = entry
            self.compiled += 1
        self.used.add(key)
        final_flags, code, groups, groupindex, indexgroup = entry
        return _sre.compile(pattern, final_flags, code, groups, dict(groupindex), indexgroup)

    def to_store(self) -> dict[tuple[str | bytes, int], Compiled]:
        if len(self.stored) <= MAX_ENTRIES:
            return self.stored
        return {key: self.stored[key] for key in self.used}


def _compile(pattern: str | bytes, flags: int) -> Compiled:
    """What re._compiler.compile passes to `_sre.compile` for `pattern` (its own steps, in its order)."""
    parsed = _compiler._parser.parse(pattern, flags)
    code = _compiler._code(parsed, flags)
    groupindex = dict(parsed.state.groupdict)
    indexgroup: list[str | None] = [None] * parsed.state.groups
    for name, number in groupindex.items():
        indexgroup[number] = name
    return (flags | parsed.state.flags, [int(op) for op in code],  # plain ints: the opcodes are named ints
            parsed.state.groups - 1, groupindex, tuple(indexgroup))


def load(folder: Path | None, name: str) -> RegexCache:
    stored = compiled.read((folder or compiled.cache_root()) / name, cache_key())
    return RegexCache(stored if isinstance(stored, dict) else None)


def save(cache: RegexCache, folder: Path | None, name: str) -> bool:
    return compiled.write((folder or compiled.cache_root()) / name, cache_key(), cache.to_store())


@contextlib.contextmanager
def cached_regex_code(name: str, folder: Path | None = None) -> Iterator[RegexCache | None]:
    """Patterns compiled within the block come from the cache file `name` (see the module docstring);
    yields the cache, or None when another block is already active (nested: it serves). Processes that
    run at the same time use different names: each writes its whole file."""
    with _lock:
        if _compiler.compile is not _compile_anew:
            cache = None
        else:
            cache = load(folder, name)
            _compiler.compile = cache.compile
    if cache is None:
        yield None
        return
    try:
        yield cache
    finally:
        with _lock:
            if _compiler.compile == cache.compile:
                _compiler.compile = _compile_anew
        if cache.compiled:
            save(cache, folder, name)
