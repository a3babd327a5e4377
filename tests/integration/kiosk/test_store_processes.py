"""The store under two processes and under SIGKILL, on a real file.

- Two processes allocating from the same sequence at once get unique, gap-free numbers.
- A process killed with SIGKILL after committing a decision leaves the decision, its numbers and a
  queued print job; killed before COMMIT, it leaves nothing, and its numbers are given out again.
"""

from __future__ import annotations

import multiprocessing
import os
import select
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.store import Store

WORKER = Path(__file__).with_name("crash_worker.py")
SEQUENCE = "receipt:K01:20261121"
PER_PROCESS = 100
WAIT_S = 30.0


def _allocate(data_dir: Path, count: int, start, results) -> None:
    with Store.open(data_dir) as store:
        start.wait(WAIT_S)
        got = []
        for _ in range(count):
            with store.transaction():
                number = store.next_value(SEQUENCE)
                store.add_application(service="s", state="decided", answers={}, receipt_no=f"R{number:05d}")
            got.append(number)
    results.put((os.getpid(), got))


def test_two_processes_allocate_unique_gap_free_numbers(tmp_path):
    Store.open(tmp_path).close()  # migrate first so both workers race on allocation only
    context = multiprocessing.get_context("fork")
    start, results = context.Event(), context.Queue()
    workers = [context.Process(target=_allocate, args=(tmp_path, PER_PROCESS, start, results))
               for _ in range(2)]
    for worker in workers:
        worker.start()
    start.set()
    got = [results.get(timeout=WAIT_S) for _ in workers]
    for worker in workers:
        worker.join(WAIT_S)
        assert worker.exitcode == 0
    numbers = got[0][1] + got[1][1]
    assert sorted(numbers) == list(range(1, 2 * PER_PROCESS + 1))
    assert all(a < b for a, b in zip(got[0][1], got[0][1][1:], strict=False))  # each sees increasing numbers
    with Store.open(tmp_path) as store:
        query = "SELECT receipt_no FROM applications ORDER BY receipt_no"
        stored = [row[0] for row in store.db.execute(query)]
        assert stored == [f"R{n:05d}" for n in range(1, 2 * PER_PROCESS + 1)]
        assert store.current_value(SEQUENCE) == 2 * PER_PROCESS
        assert store.verify_audit().ok


def _run_until(data_dir: Path, mode: str, marker: str) -> tuple[subprocess.Popen, str]:
    process = subprocess.Popen([sys.executable, str(WORKER), str(data_dir), mode], stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    ready, _, _ = select.select([process.stdout], [], [], WAIT_S)
    line = process.stdout.readline() if ready else ""
    if not line.startswith(marker):
        process.kill()
        _, err = process.communicate(timeout=WAIT_S)
        pytest.fail(f"worker did not reach {marker}: {line!r} {err}")
    return process, line


def _kill(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGKILL)
    assert process.wait(WAIT_S) == -signal.SIGKILL
    process.stdin.close()
    process.stdout.close()
    process.stderr.close()


def test_kill_9_after_the_decision_leaves_it_committed_with_a_queued_print_job(tmp_path):
    process, line = _run_until(tmp_path, "after-commit", "COMMITTED")
    _kill(process)
    _, receipt_no, licence_no = line.split()
    with Store.open(tmp_path) as store:
        app = store.find_application(licence_no)
        assert app is not None and app.receipt_no == receipt_no and app.decision == "approved"
        jobs = store.print_jobs_for(licence_no)
        assert [(job["state"], job["attempts"]) for job in jobs] == [("queued", 0)]
        assert store.current_value(SEQUENCE) == 1 and store.current_value("licence:2026") == 1
        assert store.verify_audit().ok
        assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_kill_9_before_commit_leaves_nothing_and_reuses_no_number(tmp_path):
    process, _ = _run_until(tmp_path, "in-transaction", "IN_TRANSACTION")
    _kill(process)
    with Store.open(tmp_path) as store:
        assert store.db.execute("SELECT COUNT(*) FROM applications").fetchone()[0] == 0
        assert store.db.execute("SELECT COUNT(*) FROM print_jobs").fetchone()[0] == 0
        assert store.current_value(SEQUENCE) == 0
        assert store.verify_audit().ok
    # The next run gets number 1: nothing was used, so nothing is skipped.
    process, line = _run_until(tmp_path, "after-commit", "COMMITTED")
    _kill(process)
    assert line.split()[1] == "500151-20261121-K01-0001"
