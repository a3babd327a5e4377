"""Compiled caches: what is slow to build from source (the catalog's validated specs, its search index,
rule-engine's parser tables) kept in one pickle file each under the user cache folder, never wrong.

A cache file is `MAGIC + sha256(body) + body`, where body pickles `{"key": KEY, "value": VALUE}`. `read`
returns the value only when the digest and the key both match (the key names everything the value was
built from: the sha256 of every source file and of the code that builds it), so a stale, truncated or
corrupt file is ignored, logged once, and rebuilt by the caller; `write` is atomic (temporary file +
rename), so a reader never sees half a file, and best effort (a cache that cannot be written only makes
the next start slower). The folder is `$KIOSK_CACHE_DIR` if set, else platformdirs' user cache folder
of the kiosk (beside python-escpos's capabilities cache, see printers.escpos_lib).
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

APP_NAME = "miaoban-kiosk"
CACHE_ENV = "KIOSK_CACHE_DIR"
MAGIC = b"miaoban-compiled-1\n"
_log = logging.getLogger(__name__)
_logged: set[tuple[str, str]] = set()


def cache_root() -> Path:
    """`$KIOSK_CACHE_DIR`, else the user cache folder (~/.cache/miaoban-kiosk on Linux)."""
    given = os.environ.get(CACHE_ENV)
    if given:
        return Path(given)
    import platformdirs

    return platformdirs.user_cache_path(APP_NAME)


def digest_files(paths: Iterable[Path], *extra: str) -> str:
    """sha256 over each file's name and bytes, and the `extra` strings (versions)."""
    return _digest(((path.name, path.read_bytes()) for path in paths), *extra)


def _digest(named: Iterable[tuple[str, bytes]], *extra: str) -> str:
    outer = hashlib.sha256()
    for name, data in named:
        outer.update(name.encode() + b"\0" + hashlib.sha256(data).digest())
    for text in extra:
        outer.update(b"\1" + text.encode())
    return outer.hexdigest()


def _module_code(name: str) -> tuple[str, bytes] | None:
    """A module's file name and source bytes, found without importing it (importing the schema module
    would import pydantic, which a start with a current cache never needs); in a frozen bundle
    (PyInstaller), where the spec names a source file that is not there, its compiled code object
    instead (the code that really runs). None for a module without a file (built in)."""
    import importlib.util

    module = sys.modules.get(name)
    spec = getattr(module, "__spec__", None) if module is not None else importlib.util.find_spec(name)
    if spec is None:
        raise ImportError(f"no module named {name!r}")
    if not spec.origin or not spec.has_location:
        return None
    path = Path(spec.origin)
    try:
        return path.name, path.read_bytes()
    except FileNotFoundError:
        code = spec.loader.get_code(name) if spec.loader is not None else None
        if code is None:
            raise
        import marshal

        return path.name, marshal.dumps(code)


def _package_file(package: str, filename: str) -> tuple[str, bytes] | None:
    """The bytes of one file of an installed top-level package, without importing it; None when it is
    not on disk (a frozen bundle, whose code cannot change)."""
    import importlib.util

    spec = importlib.util.find_spec(package)
    for folder in (spec.submodule_search_locations or ()) if spec else ():
        path = Path(folder) / filename
        if path.is_file():
            return f"{package}/{filename}", path.read_bytes()
    return None


def code_version(*modules: str) -> str:
    """A version of the code that builds a cache: the sha256 of the named modules' source files, plus the
    Python version and pydantic's version file (the schema that validated the cached specs follows it).
    Nothing is imported: a module not yet loaded is found by its import spec."""
    named = [code for code in (*map(_module_code, modules), _package_file("pydantic", "version.py")) if code]
    return _digest(named, sys.version)


def _note(path: Path, reason: str) -> None:
    """Log why a cache file was not used, once per file and reason in a process."""
    if (str(path), reason) not in _logged:
        _logged.add((str(path), reason))
        _log.info("compiled cache %s not used (%s); rebuilding it", path, reason)


def read(path: Path, key: str) -> Any | None:
    """The cached value if `path` holds one built for `key`, else None (missing, stale or corrupt)."""
    entry = read_entry(path)
    if entry is None:
        return None
    if entry[0] != key:
        _note(path, "stale")
        return None
    return entry[1]


def read_entry(path: Path) -> tuple[Any, Any] | None:
    """(key, value) of the entry in `path`, whatever its key; None when missing or corrupt (logged)."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        _note(path, f"unreadable: {exc}")
        return None
    head = len(MAGIC)
    body = data[head + 32:]
    if data[:head] != MAGIC or hashlib.sha256(body).digest() != data[head:head + 32]:
        _note(path, "corrupt")
        return None
    try:
        stored = pickle.loads(body)
    except Exception as exc:  # a class renamed since: never trusted
        _note(path, f"cannot be loaded: {type(exc).__name__}")
        return None
    if not isinstance(stored, dict) or "key" not in stored:
        _note(path, "stale")
        return None
    return stored["key"], stored.get("value")


def write(path: Path, key: str, value: Any) -> bool:
    """Atomically write `value` for `key`; False (logged) when it cannot be written."""
    try:
        body = pickle.dumps({"key": key, "value": value}, protocol=pickle.HIGHEST_PROTOCOL)
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        import tempfile

        fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as stream:
                stream.write(MAGIC + hashlib.sha256(body).digest() + body)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except (OSError, pickle.PicklingError, TypeError, AttributeError) as exc:
        _note(path, f"cannot be written: {exc}")
        return False
    return True
