"""The one place python-escpos is imported from: its capabilities pickle kept in a fixed cache folder.

python-escpos reads its printer database (a 1 MB capabilities.json, parsed with PyYAML: about 130 ms) at
import and caches it as a pickle in `environ.get("ESCPOS_CAPABILITIES_PICKLE_DIR", mkdtemp())`. That
default is evaluated even when the variable is set, so every process made a new folder in /tmp, wrote
a 70 KB pickle into it the next line, and never found it again (issue 17: a folder left per process,
hundreds a day).

`escpos_printer()` imports `escpos.printer` once per process with:
- `ESCPOS_CAPABILITIES_PICKLE_DIR` set to our cache folder (`<user cache>/miaoban-kiosk/escpos`,
  or a fixed per-user folder under the temp dir when the cache cannot be written), unless already set;
- the pickle written there by us first, atomically (a temporary file renamed), from the JSON file
  python-escpos ships, so two processes starting together never read a half-written one;
- escpos.capabilities' `mkdtemp()` answered with that folder instead of a new one (only for that
  module: any other caller gets the real `tempfile.mkdtemp`).
Nothing else in printers/ (or anywhere) imports escpos directly (tests/unit/printers/test_escpos_lib.py).
"""

from __future__ import annotations

import json
import os
import pickle
import platform
import sys
import tempfile
import threading
from pathlib import Path
from types import ModuleType

ENV_PICKLE_DIR = "ESCPOS_CAPABILITIES_PICKLE_DIR"
APP_NAME = "miaoban-kiosk"

_lock = threading.Lock()


def escpos_printer() -> ModuleType:
    """`escpos.printer` (Dummy, Usb, …), imported with the capabilities cache in place."""
    if "escpos.printer" in sys.modules:
        return sys.modules["escpos.printer"]
    with _lock:
        if "escpos.capabilities" not in sys.modules:
            _import_capabilities()
        import escpos.printer

        return escpos.printer


def capabilities_json() -> Path:
    """The capabilities file python-escpos ships (or `ESCPOS_CAPABILITIES_FILE`, which it honours too)."""
    override = os.environ.get("ESCPOS_CAPABILITIES_FILE")
    if override:
        return Path(override)
    import importlib.util

    spec = importlib.util.find_spec("escpos")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("python-escpos is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "capabilities.json"


def pickle_dir() -> Path:
    """Where the capabilities pickle lives: `ESCPOS_CAPABILITIES_PICKLE_DIR` if set, else our cache folder
    (created 0700), else a fixed folder of this user's under the temp dir — never a new one per process."""
    given = os.environ.get(ENV_PICKLE_DIR)
    if given:
        return Path(given)
    import platformdirs

    for folder in (platformdirs.user_cache_path(APP_NAME) / "escpos",
                   Path(tempfile.gettempdir()) / f"{APP_NAME}-{os.getuid()}-escpos"):
        try:
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            if os.access(folder, os.W_OK | os.X_OK):
                return folder
        except OSError:
            continue
    raise OSError(f"no writable cache folder for python-escpos's capabilities ({folder})")


def write_pickle(folder: Path, source: Path) -> Path:
    """Write `<python version>.capabilities.pickle` in `folder` from `source` unless it was made from that
    very file (the pickle carries the source's mtime: python-escpos loads a pickle not older than its
    source, and another python-escpos version's file has another mtime, older or newer); atomic, so a
    reader never sees half a file."""
    target = folder / f"{platform.python_version()}.capabilities.pickle"
    source_mtime = source.stat().st_mtime_ns
    try:
        if target.stat().st_mtime_ns == source_mtime:
            return target
    except FileNotFoundError:
        pass
    with open(source, encoding="utf-8") as stream:
        capabilities = json.load(stream)  # JSON is YAML: the same data python-escpos's yaml.safe_load gives
    fd, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=folder)
    try:
        with os.fdopen(fd, "wb") as stream:
            pickle.dump(capabilities, stream, protocol=pickle.HIGHEST_PROTOCOL)
        os.utime(temporary, ns=(source_mtime, source_mtime))
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target


def _import_capabilities() -> None:
    folder = pickle_dir()
    write_pickle(folder, capabilities_json())
    os.environ[ENV_PICKLE_DIR] = str(folder)
    real_mkdtemp = tempfile.mkdtemp

    def no_new_folder(*args, **kwargs):
        """escpos.capabilities' default argument: our folder; anyone else (another thread meanwhile)
        gets a real temporary folder."""
        if sys._getframe(1).f_globals.get("__name__") == "escpos.capabilities":
            return str(folder)
        return real_mkdtemp(*args, **kwargs)

    tempfile.mkdtemp = no_new_folder
    try:
        import escpos.capabilities  # noqa: F401
    finally:
        tempfile.mkdtemp = real_mkdtemp

