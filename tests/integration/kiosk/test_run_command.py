"""`kiosk run` refuses to start a hall kiosk without a configuration, or with a broken one, in one line."""

from __future__ import annotations

import os
import subprocess
import sys


def _kiosk(tmp_path, *args):
    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path / "config"), "XDG_DATA_HOME": str(tmp_path / "data")}
    env.pop("QT_QPA_PLATFORM", None)
    return subprocess.run([sys.executable, "-m", "kiosk", "run", *args], env=env, capture_output=True,
                          text=True, timeout=60)


def test_without_a_configuration_it_points_to_the_demo(tmp_path):
    result = _kiosk(tmp_path)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "kiosk demo" in result.stderr and not result.stdout


def test_a_broken_configuration_names_the_key(tmp_path):
    config = tmp_path / "kiosk.toml"
    config.write_text('demo = false\n[hall]\nkiosk_id = "k 1"\n', encoding="utf-8")
    result = _kiosk(tmp_path, "--config", str(config))
    assert result.returncode == 2
    assert "hall.kiosk_id" in result.stderr and "Traceback" not in result.stderr
