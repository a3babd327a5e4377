"""`kiosk demo --startup-probe` (issue 17's contract for timing the start from outside): the normal start
path, as a process; it prints `start-screen` once the start screen's first frame is shown, then
`services-ready` once the catalog and devices are attached, and exits 0. The services load after the
first frame (their imports would hold the GIL while the window draws)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_probe_prints_the_start_screen_then_services_ready_and_exits_0(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "QT_QUICK_BACKEND": "software",
           "TMPDIR": str(tmp_path / "tmp"), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    (tmp_path / "tmp").mkdir()
    result = subprocess.run([sys.executable, "-m", "kiosk", "demo", "--startup-probe", "--data-dir",
                             str(tmp_path / "data")], capture_output=True, text=True, env=env, cwd=ROOT,
                            timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.splitlines() == ["start-screen", "services-ready"]
    assert (tmp_path / "data" / "kiosk.db").is_file()  # the real services were built
    assert list((tmp_path / "tmp").iterdir()) == []  # and nothing was left in the temp folder
