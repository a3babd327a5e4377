"""`python -m printers` as a technician runs it: emulate, test, status (real processes, real sockets)."""

import socket
import subprocess
import sys
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image

from printers.cli import STATUS_BUDGET, STATUS_TIMEOUTS
from printers.layouts import TEST_QR_PREFIX

ROOT = Path(__file__).resolve().parents[3]


def run_cli(*args, timeout=20):
    return subprocess.run([sys.executable, "-m", "printers", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=timeout)


@pytest.fixture
def emulator_process(tmp_path):
    capture = tmp_path / "capture"
    process = subprocess.Popen(
        [sys.executable, "-m", "printers", "emulate", "--listen", "127.0.0.1:0", "--capture", str(capture),
         "--width", "576"], cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    url = process.stdout.readline().strip()
    yield process, url, capture
    if process.poll() is None:
        process.stdin.write("quit\n")
        process.stdin.flush()
        process.wait(timeout=10)
    process.stdin.close()
    process.stdout.close()


def test_emulate_test_status_round_trip(emulator_process):
    process, url, capture = emulator_process
    assert url.startswith("tcp://127.0.0.1:")

    status = run_cli("status", "--printer", url)
    assert status.returncode == 0
    assert status.stdout.splitlines()[0] == "ready: 打印机就绪"

    test = run_cli("test", "--printer", url)
    assert test.returncode == 0, test.stdout + test.stderr
    assert "test page sent" in test.stdout
    job_line = process.stdout.readline()
    assert job_line.startswith("job 1: ") and "job-1.bin" in job_line
    png = capture / "job-1.png"
    assert (capture / "job-1.bin").stat().st_size > 0
    decoded = zxingcpp.read_barcodes(Image.open(png))
    assert [code.text for code in decoded] == [f"{TEST_QR_PREFIX}:generic-80:576"]

    process.stdin.write("paper-out\n")
    process.stdin.flush()
    assert process.stdout.readline().startswith("ok: paper-out")
    status = run_cli("status", "--printer", url)
    assert status.returncode == 1
    assert status.stdout.splitlines()[0] == "paper-out: 打印机缺纸，请工作人员装入打印纸"
    refused = run_cli("test", "--printer", url)
    assert refused.returncode == 1 and "paper out" in refused.stdout

    process.stdin.write("bogus\n")
    process.stdin.flush()
    assert process.stdout.readline().startswith("error: unknown emulator command 'bogus'")


def test_status_against_a_silent_listener_exits_non_zero_on_its_own_timeout():
    """`status` answers within STATUS_BUDGET: its timeouts add up to less, and a silent printer ends it by
    the status timeout (the message names it), not by anything slower. No wall-clock measure."""
    assert STATUS_TIMEOUTS.connect + STATUS_TIMEOUTS.status < STATUS_BUDGET
    with socket.create_server(("127.0.0.1", 0)) as listener:
        port = listener.getsockname()[1]
        result = run_cli("status", "--printer", f"tcp://127.0.0.1:{port}")
    assert result.returncode == 1
    assert result.stdout.startswith("no-answer: 打印机无响应")
    assert f"did not answer status query 10 04 01 within {STATUS_TIMEOUTS.status:g} s" in result.stdout


def test_bad_url_exits_2():
    result = run_cli("status", "--printer", "lpt1")
    assert result.returncode == 2 and "not a printer URL" in result.stderr


def test_test_page_to_sim_keeps_a_png(tmp_path):
    result = run_cli("test", "--printer", "sim://?width=384&profile=generic-58", "--capture", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "job-1.png").exists()
    assert Image.open(tmp_path / "job-1.png").width == 384
