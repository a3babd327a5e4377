"""`kiosk apply` as real processes: killed with SIGKILL between the decision commit and the print, and
two of them at once on one data dir (numbers unique and gap-free)."""

from __future__ import annotations

import fcntl
import json
import os
import re
import signal
import socket
import subprocess
import sys

from kiosk.store import Store
from printers.emulator import EmulatedPrinter, EmulatorServer

PP = "public-place-health-permit"
START_TIMEOUT = 60.0  # seconds a child process may take to start and reach the printer (2 busy cores)


def test_kill_9_between_decision_and_print_leaves_a_consistent_database(kit, run_cli, tmp_path):
    data = tmp_path / "data"
    answers = kit.write_json(tmp_path / "answers.json", kit.base_answers(PP))
    # A "printer" that takes the connection and never answers: the job is committed and being sent.
    with socket.create_server(("127.0.0.1", 0)) as silent:
        silent.settimeout(START_TIMEOUT)
        port = silent.getsockname()[1]
        child = kit.kiosk_process("apply", "--data-dir", data, "--service", PP, "--card", "adult",
                                  "--answers", answers, "--printer", f"tcp://127.0.0.1:{port}", "--json")
        try:
            connection, _ = silent.accept()  # the print worker connected: the decision is committed
            child.send_signal(signal.SIGKILL)
            child.wait(timeout=START_TIMEOUT)
            connection.close()
        finally:
            if child.poll() is None:
                child.kill()
            child.communicate()
    assert child.returncode == -signal.SIGKILL

    with Store.open(data, create=False) as store:
        [application] = store.recent_applications()
        assert (application.decision, application.state) == ("approved", "submitted")
        assert re.fullmatch(r"500151-\d{8}-K01-0001", application.receipt_no)
        assert re.fullmatch(r"铜卫公证字〔\d{4}〕第000001号", application.licence_no)
        assert store.verify_audit().ok
    listing = run_cli("jobs", "--data-dir", data, "--json").json()
    assert [(j["id"], j["reference"]) for j in listing] == [(1, application.licence_no)]
    assert listing[0]["state"] in ("queued", "printing")
    assert listing[0]["attention"]

    # Staff recover: the interrupted job becomes uncertain; they reprint it on a working printer.
    printer = EmulatedPrinter(render_png=False)
    with EmulatorServer(printer) as server:
        reprint = run_cli("reprint", application.receipt_no, "--printer", server.url, "--data-dir", data)
        if listing[0]["state"] == "queued":  # killed while waiting to retry: just send it
            assert reprint.code == 1 and "kiosk jobs retry 1" in reprint.out
            reprint = run_cli("jobs", "retry", "--printer", server.url, "--data-dir", data)
        assert reprint.code == 0, reprint.out + reprint.err
        assert printer.jobs_printed == 1
    jobs = run_cli("jobs", "--data-dir", data, "--json").json()
    assert all(j["attention"] is None for j in jobs), jobs
    assert run_cli("audit", "verify", "--data-dir", data).code == 0


def test_two_processes_at_once_get_unique_gap_free_numbers(kit, tmp_path):
    data = tmp_path / "data"
    answers = kit.write_json(tmp_path / "answers.json", kit.base_answers(PP))
    run_cli_once = [kit.kiosk_process("apply", "--data-dir", data, "--service", PP, "--card", "adult",
                                      "--answers", answers, "--json") for _ in range(2)]
    results = []
    for child in run_cli_once:
        out, err = child.communicate(timeout=START_TIMEOUT)
        assert child.returncode == 0, err
        results.append(json.loads(out))
    receipts = sorted(int(r["receipt_no"].rsplit("-", 1)[1]) for r in results)
    licences = sorted(int(re.search(r"第(\d{6})号", r["licence_no"]).group(1)) for r in results)
    assert receipts == [1, 2] and licences == [1, 2]
    assert all(r["print"]["status"] == "printed" for r in results)
    with Store.open(data, create=False) as store:
        assert sorted(a.receipt_no for a in store.recent_applications()) == sorted(r["receipt_no"] for r in results)
        assert store.verify_audit().ok


def test_a_reader_that_leaves_early_ends_the_listing_quietly(tmp_path):
    """`kiosk services --json | head -c 1`: the pipe (shrunk to one page, so the listing cannot fit in it)
    closes under the listing; exit 0, no traceback."""
    read_end, write_end = os.pipe()
    fcntl.fcntl(write_end, fcntl.F_SETPIPE_SZ, 4096)
    child = subprocess.Popen([sys.executable, "-m", "kiosk", "services", "--json"], stdout=write_end,
                             stderr=subprocess.PIPE, cwd=tmp_path)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as listing:
        assert listing.read(1) == b"["
    stderr = child.communicate(timeout=START_TIMEOUT)[1].decode()
    assert child.returncode == 0, stderr
    assert "Traceback" not in stderr and "BrokenPipe" not in stderr


def _processes_marked(mark: str) -> list[int]:
    """PIDs of the processes whose environment holds `mark` (Linux /proc)."""
    pids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/environ", "rb") as environ:
                    if mark.encode() in environ.read():
                        pids.append(int(entry))
            except OSError:  # gone, or not ours to read
                continue
    return pids


def test_bad_input_ends_the_pdf_child_started_before_the_input_was_read(kit, tmp_path, monkeypatch):
    """The PDF renderer child starts before the input is checked (kiosk apply's first step): on bad input
    the command still exits 2 with one line, stores nothing, and no process it started is left."""
    mark = f"KIOSK_TEST_MARK=bad-input-{os.getpid()}-{tmp_path.name}"
    key, _, value = mark.partition("=")
    monkeypatch.setenv(key, value)  # inherited by kiosk apply and by the child it starts
    answers = kit.write_json(tmp_path / "answers.json", kit.base_answers(PP))
    for card, answers_file in (("no-such-card", answers), ("adult", tmp_path / "missing.json")):
        child = kit.kiosk_process("apply", "--data-dir", tmp_path / "data", "--service", PP, "--card", card,
                                  "--answers", answers_file, "--json")
        out, err = child.communicate(timeout=START_TIMEOUT)
        assert child.returncode == 2, err
        assert out == "" and len(err.splitlines()) == 1 and err.startswith("kiosk apply: "), err
        assert _processes_marked(mark) == []
    assert not (tmp_path / "data" / "kiosk.db").exists()
