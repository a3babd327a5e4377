"""Holding a job for the technician (PrintQueue.hold / release) against the TCP emulator and a real
SQLite file: a held job never prints by itself — not when the paper comes back, not after a restart —
and prints exactly once when an operator releases it."""

from printers.queue import PrintQueue, QueueSettings, open_database
from printers.transports import TransportTimeouts

WAIT = 5.0


def test_a_job_held_while_waiting_for_paper_is_not_printed_when_paper_returns(
        server, printer, print_queue, next_event, test_page_bytes):
    printer.set_paper_out(True)
    first = print_queue.submit(server.url, test_page_bytes + b"first visit", kind="licence", reference="L-1")
    next_event(first, lambda e: e.waiting == "paper-out")
    held = print_queue.hold(first, "the applicant's visit ended before it printed")
    assert held.state == "held"
    assert held.last_error.startswith("held for a technician: the applicant's visit ended")
    assert "paper out" in held.last_error
    printer.load_paper()
    second = print_queue.submit(server.url, test_page_bytes + b"next visit", kind="licence", reference="L-2")
    print_queue.retry_now(server.url)  # the next applicant's print wakes the worker
    assert print_queue.wait(second, WAIT).state == "done"
    assert printer.wait_for_jobs(1, WAIT)
    assert [job.data for job in printer.jobs] == [test_page_bytes + b"next visit"]
    assert print_queue.get(first).state == "held"

    released = print_queue.release(first)  # the technician sends it
    assert released.state == "queued"
    assert print_queue.wait(first, WAIT).state == "done"
    assert printer.wait_for_jobs(2, WAIT)
    assert [job.data for job in printer.jobs] == [test_page_bytes + b"next visit", test_page_bytes + b"first visit"]


def test_a_job_being_sent_when_its_visit_ends_is_held_when_the_worker_would_queue_it_again(
        tmp_path, server, printer, test_page_bytes):
    # The printer does not answer the status query before the job: the worker holds the job `printing`
    # for the whole status timeout, then (nothing sent) would queue it again for a retry.
    settings = QueueSettings(max_attempts=3, backoff_initial=0.01, backoff_max=0.05, paper_poll_interval=60.0,
                             timeouts=TransportTimeouts(connect=1.0, status=2.0, write=2.0))
    db = open_database(tmp_path / "kiosk.db")
    queue = PrintQueue(db, settings=settings)
    queue.start()
    try:
        printer.set_stalled(True)
        job_id = queue.submit(server.url, test_page_bytes, kind="licence", reference="L-1")
        queue.wait(job_id, WAIT, states=("printing",))
        assert queue.hold(job_id, "the applicant's visit ended").state == "printing"  # in the worker's hands
        job = queue.wait(job_id, WAIT, states=("held", "done", "failed"))
        assert job.state == "held" and "visit ended" in job.last_error and "did not answer" in job.last_error
        printer.set_stalled(False)
        marker = queue.submit(server.url, b"\x1b@next visit\n\x1dV\x00", kind="licence", reference="L-2")
        queue.retry_now()
        assert queue.wait(marker, WAIT).state == "done"
        assert printer.wait_for_jobs(1, WAIT)
        assert [job.data for job in printer.jobs] == [b"\x1b@next visit\n\x1dV\x00"]
        assert queue.get(job_id).state == "held"
    finally:
        queue.stop()
        db.conn.close()


def test_a_held_job_stays_held_across_a_restart(tmp_path, server, printer, fast_settings, test_page_bytes):
    db = open_database(tmp_path / "kiosk.db")
    queue = PrintQueue(db, settings=fast_settings)  # not started: nothing is sent
    job_id = queue.submit(server.url, test_page_bytes, kind="receipt", reference="R-1")
    assert queue.hold(job_id, "the kiosk restarted before it printed").state == "held"
    db.conn.close()
    db = open_database(tmp_path / "kiosk.db")
    restarted = PrintQueue(db, settings=fast_settings)
    restarted.start(resume=True)
    try:
        marker = restarted.submit(server.url, b"\x1b@marker\n\x1dV\x00", kind="test")
        assert restarted.wait(marker, WAIT).state == "done"
        assert printer.wait_for_jobs(1, WAIT)
        assert [job.data for job in printer.jobs] == [b"\x1b@marker\n\x1dV\x00"]
        assert restarted.get(job_id).state == "held"
    finally:
        restarted.stop()
        db.conn.close()


def test_hold_leaves_finished_jobs_alone_and_release_needs_a_held_job(server, printer, print_queue,
                                                                      test_page_bytes):
    import pytest

    from printers.errors import QueueError

    job_id = print_queue.submit(server.url, test_page_bytes)
    assert print_queue.wait(job_id, WAIT).state == "done"
    assert print_queue.hold(job_id, "visit ended").state == "done"
    with pytest.raises(QueueError, match="is done, not held"):
        print_queue.release(job_id)


def test_reprint_of_a_held_job_closes_it(server, printer, print_queue, next_event, test_page_bytes):
    printer.set_paper_out(True)
    job_id = print_queue.submit(server.url, test_page_bytes, kind="licence", reference="L-9")
    # Not "wait for queued": a job is queued from its submit on, and the worker may be sending it
    # (printing) at that instant, when hold is only noted for later. Wait for the worker's verdict.
    next_event(job_id, lambda e: e.waiting == "paper-out")
    assert print_queue.hold(job_id, "visit ended").state == "held"
    printer.load_paper()
    copy = print_queue.reprint(job_id)
    assert print_queue.wait(copy, WAIT).state == "done"
    original = print_queue.get(job_id)
    assert original.state == "failed" and f"reprint it as job {copy}" in original.last_error
    assert printer.wait_for_jobs(1, WAIT) and len(printer.jobs) == 1
