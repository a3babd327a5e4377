"""The frozen kiosk (issue 16): `pyinstaller kiosk.spec` builds the one-folder bundle into a temporary
folder, and the bundle proves itself: `kiosk --self-test` passes every step inside the frozen build (the
reader simulator over TCP, an application, the PDFs, a print to the TCP emulator, the QR through `kiosk
verify`, the hall outbox, and the QML start screen in a child process of the bundle), and `kiosk demo
--startup-probe` shows the start screen offscreen. Slow (the build takes a minute or two), but it runs
with the rest of the suite (`./kiosk.sh test`)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.commands.selftest import STEPS

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """dist/kiosk/ built from kiosk.spec into a temporary folder (--distpath / --workpath); removed after
    (over 500 MB)."""
    work = tmp_path_factory.mktemp("pyinstaller")
    pyinstaller = Path(sys.executable).with_name("pyinstaller")
    result = subprocess.run([str(pyinstaller), "--noconfirm", "--log-level", "WARN", "--distpath",
                             str(work / "dist"), "--workpath", str(work / "build"), str(ROOT / "kiosk.spec")],
                            cwd=ROOT, capture_output=True, text=True, timeout=1800, stdin=subprocess.DEVNULL)
    assert result.returncode == 0, result.stderr[-4000:]
    folder = work / "dist" / "kiosk"
    assert (folder / "kiosk").is_file()
    yield folder
    shutil.rmtree(work, ignore_errors=True)


def _env(tmp_path: Path) -> dict[str, str]:
    (tmp_path / "tmp").mkdir(exist_ok=True)
    return {**os.environ, "QT_QPA_PLATFORM": "offscreen", "QT_QUICK_BACKEND": "software",
            "TMPDIR": str(tmp_path / "tmp"), "XDG_CACHE_HOME": str(tmp_path / "cache")}


def test_the_frozen_kiosk_passes_its_self_test(bundle: Path, tmp_path: Path) -> None:
    result = subprocess.run([str(bundle / "kiosk"), "--self-test"], capture_output=True, text=True,
                            env=_env(tmp_path), cwd=tmp_path, timeout=600, stdin=subprocess.DEVNULL)
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    lines = [line for line in result.stdout.splitlines() if line.split()[0] in ("ok", "FAIL", "skip")]
    assert [line.split()[1] for line in lines] == list(STEPS)
    assert all(line.startswith("ok ") for line in lines), result.stdout
    assert result.stdout.splitlines()[-1] == f"self-test: all {len(STEPS)} steps ok"
    assert list((tmp_path / "tmp").iterdir()) == []


def test_the_frozen_kiosk_shows_its_qml_start_screen(bundle: Path, tmp_path: Path) -> None:
    result = subprocess.run([str(bundle / "kiosk"), "demo", "--startup-probe", "--no-voice", "--data-dir",
                             str(tmp_path / "data")], capture_output=True, text=True, env=_env(tmp_path),
                            cwd=tmp_path, timeout=300, stdin=subprocess.DEVNULL)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.splitlines() == ["start-screen", "services-ready"]
    assert (tmp_path / "data" / "kiosk.db").is_file()


def test_the_bundle_carries_what_is_read_at_run_time(bundle: Path) -> None:
    """Files the code opens by path, not by import: a missing one breaks only the frozen kiosk."""
    internal = bundle / "_internal"
    qt = internal / "PySide6" / "Qt"
    for relative in (
        "escpos/capabilities.json",                      # read when python-escpos is imported
        "forms/catalog/public-place-health-permit.yaml",
        "kiosk/services/search_queries.yaml",
        "kiosk/ui/qml/Main.qml",
        "assets/fonts/wqy-microhei.ttc",
        "assets/fonts/hanazono/HanaMinB.ttf",
        "idreader/demo_cards/adult.json",
        "rule_engine/parser/base.py",                    # forms/ruletables.py keys its cache by it
    ):
        assert (internal / relative).is_file(), relative
    for relative in (
        "plugins/platforminputcontexts/libqtvirtualkeyboardplugin.so",  # the docked keyboard
        "plugins/platforms/libqxcb.so",
        "plugins/platforms/libqoffscreen.so",
        "plugins/texttospeech/libqtexttospeech_speechd.so",             # elder mode's Qt voice
        "plugins/imageformats/libqjpeg.so",
        "qml/QtQuick/VirtualKeyboard/qmldir",
    ):
        assert (qt / relative).is_file(), relative
    assert list((qt / "qml" / "QtQuick" / "VirtualKeyboard").rglob("*pinyin*")), "no Pinyin input method"
    assert not list(internal.rglob("libQt6WebEngineCore*")), "QtWebEngine is not needed by the kiosk"
