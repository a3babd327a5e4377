"""kiosk.ui.pyside_hook: shiboken's per-import test no longer reads source files, and still tells a module
that uses PySide6 from one that does not."""

from __future__ import annotations

import json
import subprocess
import sys

import kiosk.ui.app  # installs the hook first thing
import kiosk.ui.bridge
from kiosk.ui import pyside_hook


def test_the_hook_is_in_place_and_tells_pyside_users() -> None:
    assert pyside_hook.LIGHTENED
    assert sys.modules["shibokensupport.feature"]._mod_uses_pyside is pyside_hook.uses_pyside
    assert pyside_hook.uses_pyside(kiosk.ui.bridge) and pyside_hook.uses_pyside(pyside_hook)
    assert not pyside_hook.uses_pyside(json) and not pyside_hook.uses_pyside("not a module")


PROBE = """
import linecache, sys
import kiosk.ui.app
import sqlite_utils.db, PIL.TiffTags
print(any(name.endswith(("sqlite_utils/db.py", "PIL/TiffTags.py")) for name in linecache.cache))
"""


def test_imports_after_pyside_leave_no_source_in_the_line_cache() -> None:
    """Without the hook, shiboken's inspect.getsource() fills linecache with every imported module."""
    out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
