"""The editable install (./kiosk.sh) costs the interpreter's start nothing (issue 17): pyproject names the
packages' root (`package-dir`), so setuptools puts the checkout on sys.path with a one-line .pth file
instead of an import finder that site.py loads, with pathlib, re, enum and urllib.parse, into every
Python process of the venv. The test runs the venv's interpreter as `kiosk` runs it: from elsewhere."""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_the_package_root_is_named_so_the_install_is_a_path():
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    assert config["tool"]["setuptools"]["package-dir"] == {"": "."}


def test_a_bare_interpreter_of_the_venv_loads_no_finder_and_finds_the_checkout(tmp_path):
    code = ("import json, sys; print(json.dumps([sorted(sys.modules), [type(f).__name__ for f in sys.meta_path],"
            " sys.path]))")
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True,
                            timeout=60, env={"PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr
    modules, finders, path = json.loads(result.stdout.splitlines()[-1])
    assert not [name for name in modules if name.startswith("__editable__")], modules
    assert not [name for name in finders if "Editable" in name], finders
    assert "pathlib" not in modules  # nothing at site time imported it
    assert str(REPO) in path or str(REPO.resolve()) in path
