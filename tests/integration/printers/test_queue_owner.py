"""Two processes, one print_jobs table: a job is claimed by exactly one, and a restart only turns the
jobs of dead owners into `uncertain` (never the job another live process is printing right now)."""

from __future__ import annotations

import subprocess
import sys

from printers.queue import PrintQueue, open_database, owner_alive, this_owner


def _printing_job(db_path, owner: str) -> int:
    db = open_database(db_path)
    job_id = PrintQueue(db).submit("sim://", b"\x1b@hello\n", kind="test", reference="R-1")
    db.conn.execute("update print_jobs set state = 'printing', owner = ? where id = ?", [owner, job_id])
    db.conn.commit()
    return job_id


def test_a_job_is_claimed_once(tmp_path):
    path = tmp_path / "jobs.db"
    first, second = PrintQueue(open_database(path)), PrintQueue(open_database(path))
    job_id = first.submit("sim://", b"\x1b@x\n", kind="test")  # not started: no worker takes it
    assert first._claim(job_id) is True
    assert second._claim(job_id) is False
    assert second.get(job_id).state == "printing"


def test_restart_leaves_a_live_owners_job_alone_and_recovers_a_dead_ones(tmp_path):
    path = tmp_path / "jobs.db"
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        boot = this_owner().rpartition(":")[0]
        live = _printing_job(path, f"{boot}:{sleeper.pid}")
        dead = _printing_job(path, f"{boot}:999999999")
        before_reboot = _printing_job(path, f"another-boot:{sleeper.pid}")
        assert owner_alive(f"{boot}:{sleeper.pid}") and not owner_alive(f"{boot}:999999999")
        queue = PrintQueue(open_database(path))
        interrupted = queue.start(resume=False)
        try:
            assert interrupted == [dead, before_reboot]
            assert queue.get(live).state == "printing"
            assert queue.get(dead).state == "uncertain"
        finally:
            queue.stop()
    finally:
        sleeper.kill()
        sleeper.wait()
