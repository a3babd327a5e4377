"""Everything that changes a print job goes through the queue by job id, on a real SQLite file:
moving a queued job to another printer, finding the copy that now stands for a job, and waiting for a
job that ANOTHER process (here another queue on its own connection) changes."""

from __future__ import annotations

import pytest

from printers.errors import QueueError
from printers.queue import PrintQueue, open_database
from printers.vocabulary import JobState


@pytest.fixture
def two_queues(tmp_path):
    """Two queues on one database file, not started (no worker sends anything), like the kiosk and a
    technician's `kiosk jobs` beside it."""
    path = tmp_path / "kiosk.db"
    first, second = open_database(path), open_database(path)
    yield PrintQueue(first), PrintQueue(second)
    first.conn.close()
    second.conn.close()


def test_move_points_a_queued_job_at_another_printer_and_refuses_a_held_one(two_queues):
    queue, _ = two_queues
    job_id = queue.submit("tcp://10.0.0.1:9100", b"\x1b@slip\n", kind="receipt", reference="R-1")
    moved = queue.move(job_id, "tcp://10.0.0.2:9100")
    assert (moved.printer, moved.state) == ("tcp://10.0.0.2:9100", JobState.QUEUED)
    queue.hold(job_id, "visit ended")
    with pytest.raises(QueueError, match=f"job {job_id} is no longer queued"):
        queue.move(job_id, "tcp://10.0.0.3:9100")
    assert queue.get(job_id).printer == "tcp://10.0.0.2:9100"


def test_current_follows_copies_of_copies(two_queues):
    queue, _ = two_queues
    original = queue.submit("sim://", b"\x1b@slip\n", kind="licence", reference="L-1")
    assert queue.current(original).id == original
    queue.hold(original, "visit ended")
    first_copy = queue.reprint(original)
    assert queue.current(original).id == first_copy
    queue.hold(first_copy, "visit ended")
    second_copy = queue.reprint(first_copy)
    assert [queue.current(job).id for job in (original, first_copy, second_copy)] == [second_copy] * 3
    assert queue.current(original).state == JobState.QUEUED


def test_a_waiter_sees_a_change_made_by_another_process(two_queues):
    kiosk_queue, technician_queue = two_queues
    job_id = kiosk_queue.submit("sim://", b"\x1b@slip\n", kind="receipt", reference="R-2")
    technician_queue.hold(job_id, "the technician took it")  # no notification reaches kiosk_queue
    job = kiosk_queue.wait(job_id, timeout=30.0, states=(JobState.HELD,))  # before: blocked 30 s, then raised
    assert job.state == JobState.HELD and "the technician took it" in job.last_error


def test_wait_until_returns_the_job_as_it_stands_when_time_is_up(two_queues):
    queue, _ = two_queues
    job_id = queue.submit("sim://", b"\x1b@slip\n", kind="receipt")
    assert queue.wait_until(job_id, 0.0, lambda job: job.is_final).state == JobState.QUEUED
    with pytest.raises(QueueError, match=f"job {job_id} still queued"):
        queue.wait(job_id, timeout=0.0)


def test_job_states_are_the_enum(two_queues):
    queue, _ = two_queues
    job_id = queue.submit("sim://", b"\x1b@slip\n", kind="receipt")
    assert queue.get(job_id).state is JobState.QUEUED
    assert [job.id for job in queue.jobs(state=JobState.QUEUED)] == [job_id]


def test_send_now_releases_a_held_job_copies_a_failed_one_and_refuses_a_finished_one(two_queues):
    queue, _ = two_queues
    held = queue.submit("sim://", b"\x1b@held\n", kind="receipt", reference="R-3")
    queue.hold(held, "visit ended")
    assert queue.send_now(held, "tcp://10.0.0.2:9100") == held  # the same job: it prints once
    assert (queue.get(held).state, queue.get(held).printer) == (JobState.QUEUED, "tcp://10.0.0.2:9100")

    failed = queue.submit("sim://", b"\x1b@failed\n", kind="receipt", reference="R-4")
    queue._finish(failed, JobState.FAILED, "gave up")  # as the worker ends a job it could not send
    copy = queue.send_now(failed)
    assert copy != failed and queue.get(copy).copy_of == failed and queue.get(copy).state == JobState.QUEUED

    queue.mark_done(failed)
    with pytest.raises(QueueError, match=f"job {failed} is done"):
        queue.send_now(failed)


def test_stopping_the_queue_ends_every_wait_at_once(tmp_path):
    """A slip waits for paper and a watcher waits on it (the touchscreen watches for 15 minutes). When the
    kiosk closes, the queue stops and the watcher returns the job as it stands: before, it polled on until
    its timeout, and the process could not exit until then (the executor joins its threads at exit)."""
    import threading

    db = open_database(tmp_path / "kiosk.db")
    queue = PrintQueue(db)
    try:
        queue.start()
        job_id = queue.submit("tcp://127.0.0.1:9", b"\x1b@slip\n", kind="receipt")  # nothing listens there
        seen: list[JobState] = []
        waiting = threading.Event()

        def watch() -> None:
            waiting.set()
            seen.append(queue.wait_until(job_id, 900.0, lambda job: job.state == JobState.DONE).state)

        watcher = threading.Thread(target=watch, daemon=True)
        watcher.start()
        assert waiting.wait(30)
        queue.stop()
        watcher.join(30)
        assert not watcher.is_alive(), "the watcher still waits on a stopped queue"
        assert seen and seen[0] != JobState.DONE
    finally:
        queue.stop()
        db.conn.close()


def test_closing_the_queue_closes_its_connection_under_the_queues_lock(tmp_path):
    """Every query of the queue runs under its lock; closing the connection under the same lock means no
    thread (a woken watcher, a worker past its join timeout) is inside a query when it goes. Closed from
    outside the lock (as Kiosk.close did), sqlite3 could free the connection under a running statement:
    a UI run crashed (SIGSEGV) at teardown in printers.queue.wait_until."""
    import sqlite3

    db = open_database(tmp_path / "kiosk.db")
    queue = PrintQueue(db)
    queue.start()
    real = db.conn
    held_at_close: list[bool] = []

    class Watched:  # the connection, telling whether the queue's lock is held when it is closed
        def __getattr__(self, name):
            return getattr(real, name)

        def __enter__(self):
            return real.__enter__()

        def __exit__(self, *exc):
            return real.__exit__(*exc)

        def close(self):
            held_at_close.append(queue._lock._is_owned())
            real.close()

    db.conn = Watched()
    queue.close()
    assert held_at_close == [True]
    with pytest.raises(sqlite3.ProgrammingError):  # a late caller fails cleanly
        queue.get(1)
