"""The console's browser tests: `python -m hall serve` as a real process (gunicorn, WhiteNoise) on the
session's throwaway PostgreSQL, driven by Debian's headless Chromium through selenium; every screenshot is
kept and listed at the end of the run for review."""

from __future__ import annotations

import select
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import driver  # noqa: E402 - the sibling module, found through the path set just above

_SAVED: list[Path] = []


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def hall_url(hall_pg) -> Iterator[str]:
    """The address of `python -m hall serve` on the session's database (stopped at the end)."""
    data_dir = Path(tempfile.mkdtemp(prefix="hall-browser-", dir="/tmp"))
    # The same ID number key as this process (which stores the cases the server shows): every hall server on
    # one database shares its id_key, as README says.
    shutil.copy2(settings.DATA_DIR / "id_key", data_dir / "id_key")
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "hall", "serve", "--data-dir", str(data_dir), "--port", str(port),
         "--database", hall_pg.url, "--workers", "2", "--threads", "4"],
        stderr=subprocess.PIPE, bufsize=0)  # unbuffered: no line waits in a Python buffer select cannot see
    try:
        seen = ""
        while "hall: ready" not in seen:
            ready, _, _ = select.select([proc.stderr], [], [], 120)
            line = proc.stderr.readline() if ready else b""
            if not line:
                pytest.fail(f"python -m hall serve did not come up: {seen}", pytrace=False)
            seen += line.decode(errors="replace")
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)
        shutil.rmtree(data_dir, ignore_errors=True)  # its keys and lock: nothing of a run left in /tmp


@pytest.fixture
def browser(tmp_path) -> Iterator:
    """A fresh headless Chromium (its own profile), quit after the test."""
    if not driver.available():
        pytest.fail("the console's browser tests need Debian's chromium and chromium-driver "
                    "(./kiosk.sh installs them: apt-get install chromium chromium-driver)", pytrace=False)
    profile = tmp_path / "chromium-profile"
    profile.mkdir()
    web = driver.start(profile)
    try:
        yield web
    finally:
        web.quit()


@pytest.fixture(scope="session")
def screens(tmp_path_factory) -> driver.Screens:
    shots = driver.Screens(tmp_path_factory.mktemp("console-screens"))
    yield shots
    _SAVED.extend(shots.saved)


def pytest_terminal_summary(terminalreporter):
    if _SAVED:
        terminalreporter.write_line(f"console screenshots ({len(_SAVED)}) in {driver.SCREENSHOTS}:")
        for path in _SAVED:
            terminalreporter.write_line(f"  {path}")
