"""Exactly once across a process death: a kiosk killed mid-job leaves the job `uncertain`, and the
restarted queue does not resend it until an operator decides."""

import os
import signal
import subprocess
import sys
from pathlib import Path

from printers.queue import PrintQueue, open_database

ROOT = Path(__file__).resolve().parents[3]
KIOSK = """
import sys
from printers.queue import PrintQueue, QueueSettings, open_database
from printers.transports import TransportTimeouts
settings = QueueSettings(timeouts=TransportTimeouts(status=60.0))
queue = PrintQueue(open_database(sys.argv[1]), settings=settings)
queue.start()
print(queue.submit(sys.argv[2], bytes.fromhex(sys.argv[3]), kind="licence", reference="L-7"), flush=True)
sys.stdin.read()
"""


def test_a_job_interrupted_by_a_process_death_is_not_resent(tmp_path, server, printer, fast_settings,
                                                            test_page_bytes):
    db_path = tmp_path / "kiosk.db"
    printer.stall_next_job(after_bytes=len(test_page_bytes))  # takes every byte, then says nothing
    kiosk = subprocess.Popen([sys.executable, "-c", KIOSK, str(db_path), server.url, test_page_bytes.hex()],
                             cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        job_id = int(kiosk.stdout.readline())
        assert printer.wait_until(lambda: printer.stalled_readers == 1, timeout=10)  # the job is on the wire
    finally:
        os.kill(kiosk.pid, signal.SIGKILL)
        kiosk.wait(timeout=10)
        kiosk.stdout.close()
        kiosk.stdin.close()
    printer.set_stalled(False)
    assert printer.wait_for_jobs(1, timeout=5)  # the printer got it once (it printed)

    db = open_database(db_path)
    assert db["print_jobs"].get(job_id)["state"] == "printing"
    restarted = PrintQueue(db, settings=fast_settings)
    assert restarted.start() == [job_id]
    job = restarted.get(job_id)
    assert job.state == "uncertain"
    assert "stopped while this job was printing" in job.last_error
    assert restarted.jobs(state="queued") == []

    # a later job to the same printer prints; the uncertain one was not sent before it (FIFO worker)
    later = restarted.submit(server.url, b"\x1b@later\n\x1dV\x00")
    assert restarted.wait(later, timeout=5).state == "done"
    assert printer.wait_for_jobs(2, timeout=5)  # recorded when the connection closes
    assert [j.data for j in printer.jobs] == [test_page_bytes, b"\x1b@later\n\x1dV\x00"]

    # the operator decides: reprint makes a new job and closes the uncertain one
    copy = restarted.reprint(job_id)
    assert restarted.wait(copy, timeout=5).state == "done"
    original = restarted.get(job_id)
    assert (original.state, original.last_error) == ("failed", f"operator chose to reprint it as job {copy}")
    assert printer.wait_for_jobs(3, timeout=5)  # recorded when the connection closes
    assert [j.data for j in printer.jobs][-1] == test_page_bytes
    restarted.stop()
    db.conn.close()


def test_mark_done_resolves_an_uncertain_job(tmp_path, fast_settings):
    db = open_database(tmp_path / "kiosk.db")
    job_id = db["print_jobs"].insert({"printer": "sim://", "kind": "receipt", "payload": b"x",
                                      "state": "printing", "attempts": 0}).last_pk
    print_queue = PrintQueue(db, settings=fast_settings)
    assert print_queue.start() == [job_id]
    job = print_queue.mark_done(job_id)
    assert (job.state, job.last_error) == ("done", "confirmed printed by the operator")
    print_queue.stop()
