"""python-escpos and sqlite-utils are imported through one module each (issue 17): escpos keeps its
capabilities pickle in our cache folder (no folder left in /tmp per process), sqlite-utils comes without
numpy; segno is not imported at all (assets.qrcodes encodes with zxing-cpp). A real `kiosk apply` run with
TMPDIR pointed at an empty folder leaves it empty, and loads none of the libraries it does not need (Qt,
ssl, numpy, escpos, sqlite-utils, YAML, segno, …)."""

from __future__ import annotations

import json
import os
import pickle
import re
import subprocess
import sys
from pathlib import Path

import yaml

from printers import escpos_lib

ROOT = Path(__file__).resolve().parents[3]
SOURCES = [p for top in ("kiosk", "printers", "forms", "idreader", "assets")
           for p in (ROOT / top).rglob("*.py")]


def importers_of(pattern: str) -> list[str]:
    """The source files that import a module matching `pattern` (imports for type checkers aside)."""
    found = []
    for path in SOURCES:
        text = re.sub(r"^if TYPE_CHECKING:\n(?:[ \t]+.*\n|\n)+", "", path.read_text(encoding="utf-8"), flags=re.M)
        if re.search(pattern, text, re.M):
            found.append(str(path.relative_to(ROOT)))
    return sorted(found)


def test_escpos_and_sqlite_utils_are_imported_in_one_place_each_and_segno_nowhere() -> None:
    assert importers_of(r"^\s*(import escpos|from escpos)") == ["printers/escpos_lib.py"]
    assert importers_of(r"^\s*(import sqlite_utils|from sqlite_utils)") == ["printers/sqlite_lib.py"]
    assert importers_of(r"^\s*(import segno|from segno)") == []  # only the tests' reference encoder


def test_the_pickle_holds_what_python_escpos_would_have_parsed(tmp_path: Path) -> None:
    source = escpos_lib.capabilities_json()
    target = escpos_lib.write_pickle(tmp_path, source)
    with open(source, encoding="utf-8") as stream:
        expected = yaml.load(stream, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    assert pickle.loads(target.read_bytes()) == expected
    assert target.stat().st_mtime_ns == source.stat().st_mtime_ns  # python-escpos takes it as fresh
    before = target.stat().st_ino
    assert escpos_lib.write_pickle(tmp_path, source) == target and target.stat().st_ino == before  # reused
    assert [p.name for p in tmp_path.iterdir()] == [target.name]  # no temporary left behind


def test_sqlite_utils_comes_without_numpy_and_numpy_still_imports_later() -> None:
    code = ("import sys\nfrom printers.sqlite_lib import sqlite_utils\n"
            "print('numpy' in sys.modules, 'pandas' in sys.modules)\n"
            "import numpy\nprint(numpy.__name__)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False", "numpy"]


#: What `kiosk apply` must not load (issue 17): Qt, the network stack, numpy, and the libraries whose work
#: is done at build time (YAML catalog, validated specs, rule-engine tables: the compiled caches; pydantic
#: validates only a file read from source: the specs and the demo configuration are plain data) or not
#: needed at all: segno (assets.qrcodes encodes with zxing-cpp), tomllib (the demo configuration is built
#: in code), cryptography's serialization package (the signing key file is read directly:
#: kiosk.credentials.keys).
NOT_FOR_APPLY = ("PySide6", "shiboken6", "ssl", "http.client", "urllib.request", "segno", "numpy", "cv2",
                 "escpos", "sqlite_utils",
                 "click", "pluggy", "yaml", "pypinyin", "qrcode", "barcode", "pydantic", "pydantic_core",
                 "tomllib", "cryptography.hazmat.primitives.serialization",
                 # the PDFs' libraries (its child process renders them), the TCP printer server's socket,
                 # and Pillow's drawing and fonts (only for a glyph the cache lacks: none when warm)
                 "reportlab", "socket", "PIL.ImageDraw", "PIL.ImageFont")
#: Prints the modules a `kiosk ARGV` run loaded (after its output), one JSON line.
APPLY_AND_LIST = ("import json, sys\nfrom kiosk.cli import main\ncode = main(sys.argv[1:])\n"
                  "print(json.dumps(sorted(sys.modules)))\nsys.exit(code)\n")


def test_a_kiosk_apply_leaves_nothing_in_the_temp_folder_and_loads_no_heavy_library(tmp_path: Path) -> None:
    temp, cache = tmp_path / "tmp", tmp_path / "cache"
    temp.mkdir()
    env = {**os.environ, "TMPDIR": str(temp), "XDG_CACHE_HOME": str(cache)}
    env.pop("ESCPOS_CAPABILITIES_PICKLE_DIR", None)
    answers = ROOT / "assets/demo/answers/public-place-health-permit.json"
    for run in range(2):  # the first run writes the caches, the second reads them
        result = subprocess.run(
            [sys.executable, "-c", APPLY_AND_LIST, "apply", "--data-dir", str(tmp_path / "data"), "--service",
             "public-place-health-permit", "--card", "adult", "--answers", str(answers), "--out",
             str(tmp_path / f"out{run}"), "--json"], capture_output=True, text=True, env=env, cwd=ROOT)
        assert result.returncode == 0, result.stderr
        output, _, modules = result.stdout.rstrip("\n").rpartition("\n")
        assert json.loads(output)["print"]["status"] == "printed"
        assert list(temp.iterdir()) == []
    loaded = [m for m in json.loads(modules) if any(m == n or m.startswith(n + ".") for n in NOT_FOR_APPLY)]
    assert loaded == []
    assert not (cache / "miaoban-kiosk" / "escpos").exists()  # python-escpos is not even imported


def test_python_escpos_still_keeps_its_pickle_in_our_cache_folder(tmp_path: Path) -> None:
    """The USB transport still imports python-escpos: through escpos_lib, no folder left in the temp dir."""
    temp, cache = tmp_path / "tmp", tmp_path / "cache"
    temp.mkdir()
    env = {**os.environ, "TMPDIR": str(temp), "XDG_CACHE_HOME": str(cache)}
    env.pop("ESCPOS_CAPABILITIES_PICKLE_DIR", None)
    code = "from printers.escpos_lib import escpos_printer\nprint(escpos_printer().Usb.__name__)\n"
    for _ in range(2):
        result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT)
        assert result.stdout.split() == ["Usb"], result.stderr
        assert list(temp.iterdir()) == []
    assert [p.name for p in (cache / "miaoban-kiosk" / "escpos").iterdir()] == [
        f"{escpos_lib.platform.python_version()}.capabilities.pickle"]
