"""The persistent print queue against the TCP emulator and a real SQLite file."""

import threading

import pytest

from printers.errors import QueueError
from printers.queue import PrintQueue, QueueSettings, open_database
from printers.transports import TransportTimeouts


def test_a_job_is_stored_then_printed_with_progress_events(server, printer, print_queue, next_event,
                                                           test_page_bytes):
    job_id = print_queue.submit(server.url, test_page_bytes, kind="test", reference="T-1")
    states = []
    next_event(job_id, lambda e: states.append(e.job.state) or e.job.is_final)
    assert states == ["queued", "printing", "done"]
    job = print_queue.get(job_id)
    assert (job.state, job.attempts, job.size, job.reference) == ("done", 1, len(test_page_bytes), "T-1")
    assert job.finished_at
    assert printer.wait_for_jobs(1, timeout=5)  # recorded when the connection closes
    assert [j.data for j in printer.jobs] == [test_page_bytes]
    assert print_queue.payload(job_id) == test_page_bytes


def test_jobs_for_one_printer_print_in_order(server, printer, print_queue):
    ids = [print_queue.submit(server.url, b"\x1b@" + f"job {n}\n".encode() + b"\x1dV\x00") for n in range(4)]
    for job_id in ids:
        assert print_queue.wait(job_id, timeout=5).state == "done"
    assert printer.wait_for_jobs(4, timeout=5)  # recorded when the connection closes
    assert [job.data[2:7] for job in printer.jobs] == [b"job 0", b"job 1", b"job 2", b"job 3"]


def test_paper_out_mid_queue_waits_then_prints_once(server, printer, print_queue, next_event,
                                                    test_page_bytes):
    first = print_queue.submit(server.url, test_page_bytes)
    assert print_queue.wait(first, timeout=5).state == "done"
    printer.set_paper_out(True)
    second = print_queue.submit(server.url, test_page_bytes + b"second")
    waiting = next_event(second, lambda e: e.waiting == "paper-out")
    assert waiting.status.paper_out
    assert print_queue.get(second).state == "queued"
    assert "paper out" in print_queue.get(second).last_error
    assert printer.wait_for_jobs(1, timeout=5)  # recorded when the connection closes
    assert len(printer.jobs) == 1  # nothing was sent while the paper was out
    printer.load_paper()
    print_queue.retry_now(server.url)  # staff pressed "paper loaded" (the poll would also find it)
    job = print_queue.wait(second, timeout=5)
    assert (job.state, job.attempts) == ("done", 1)
    assert printer.wait_for_jobs(2, timeout=5)  # recorded when the connection closes
    assert [j.data for j in printer.jobs] == [test_page_bytes, test_page_bytes + b"second"]


def test_a_dropped_connection_is_retried_and_prints_once(server, printer, print_queue, test_page_bytes):
    printer.drop_next_job(after_bytes=20)
    job_id = print_queue.submit(server.url, test_page_bytes)
    job = print_queue.wait(job_id, timeout=5)
    assert (job.state, job.attempts) == ("done", 2)
    assert printer.wait_for_jobs(1, timeout=5)  # recorded when the connection closes
    assert printer.dropped_jobs == 1
    assert [j.data for j in printer.jobs] == [test_page_bytes]


def test_a_stalled_printer_fails_with_a_clear_reason_without_hanging(server, printer, print_queue,
                                                                    test_page_bytes):
    printer.set_stalled(True)
    job_id = print_queue.submit(server.url, test_page_bytes)
    job = print_queue.wait(job_id, timeout=10)
    assert (job.state, job.attempts) == ("failed", 3)  # each try ended by the 0.3 s status timeout:
    assert job.last_error == ("gave up after 3 attempts: before sending: printer did not answer status "
                              "query 10 04 01 within 0.3 s")
    assert printer.jobs == []


def test_a_stall_after_the_bytes_makes_the_job_uncertain(server, printer, print_queue, test_page_bytes):
    printer.stall_next_job(after_bytes=len(test_page_bytes))
    job_id = print_queue.submit(server.url, test_page_bytes)
    job = print_queue.wait(job_id, timeout=5)
    assert job.state == "uncertain"
    assert "after sending: printer did not answer" in job.last_error
    assert "reprint or mark it done" in job.last_error


def test_unreachable_printer_fails_after_retries(print_queue):
    import socket

    with socket.create_server(("127.0.0.1", 0)) as listener:
        port = listener.getsockname()[1]
    job_id = print_queue.submit(f"tcp://127.0.0.1:{port}", b"\x1b@x")
    job = print_queue.wait(job_id, timeout=5)
    assert job.state == "failed" and "Connection refused" in job.last_error


def test_bad_printer_url_fails_at_once(print_queue):
    job = print_queue.wait(print_queue.submit("lpt://1", b"x"), timeout=5)
    assert (job.state, job.attempts) == ("failed", 0)
    assert "not a printer URL" in job.last_error


def test_reprint_and_mark_done(server, printer, print_queue, test_page_bytes):
    original = print_queue.submit(server.url, test_page_bytes, reference="R-9")
    print_queue.wait(original, timeout=5)
    copy = print_queue.reprint(original)
    job = print_queue.wait(copy, timeout=5)
    assert (job.state, job.kind, job.copy_of, job.reference) == ("done", "reprint", original, "R-9")
    assert printer.wait_for_jobs(2, timeout=5)  # recorded when the connection closes
    assert [j.data for j in printer.jobs] == [test_page_bytes, test_page_bytes]
    with pytest.raises(QueueError, match="only uncertain or failed"):
        print_queue.mark_done(original)
    with pytest.raises(QueueError, match="no print job 999"):
        print_queue.get(999)


def test_a_job_submitted_while_stopped_is_kept_and_printed_at_start(tmp_path, server, fast_settings):
    db = open_database(tmp_path / "q.db")
    stopped = PrintQueue(db, settings=fast_settings)
    job_id = stopped.submit(server.url, b"\x1b@kept\n")
    assert stopped.get(job_id).state == "queued"
    restarted = PrintQueue(db, settings=fast_settings)
    assert restarted.start() == []
    assert restarted.wait(job_id, timeout=5).state == "done"
    restarted.stop()


def test_stop_returns_while_a_worker_is_stuck(tmp_path, server, printer):
    slow = QueueSettings(timeouts=TransportTimeouts(status=30.0), stop_timeout=0.5)
    print_queue = PrintQueue(open_database(tmp_path / "q.db"), settings=slow)
    print_queue.start()
    printer.set_stalled(True)
    job_id = print_queue.submit(server.url, b"\x1b@stuck\n")
    print_queue.wait(job_id, timeout=5, states=("printing",))
    assert printer.wait_until(lambda: printer.queries_answered == 0 and printer.sessions_opened >= 1, 5)
    print_queue.stop()  # returns after its 0.5 s stop_timeout although the worker waits 30 s for the printer
    stuck = [t for t in threading.enumerate() if t.name == f"print-worker {server.url}"]
    assert stuck and stuck[0].is_alive(), "stop() returned without waiting for the stuck worker"
    assert print_queue.get(job_id).state == "printing"  # that thread finishes it, or the next start recovers it


def test_jobs_inserted_by_another_writer_are_picked_up_on_retry_now(tmp_path, server, printer, print_queue):
    # the kiosk store inserts the job (its own connection, same file), then tells the queue
    db = open_database(tmp_path / "kiosk.db")
    with db.conn:
        job_id = db["print_jobs"].insert({"printer": server.url, "kind": "licence", "payload": b"\x1b@L\n",
                                          "state": "queued", "attempts": 0}).last_pk
    print_queue.retry_now()
    assert print_queue.wait(job_id, timeout=5).state == "done"
    assert printer.wait_for_jobs(1, timeout=5)  # recorded when the connection closes
    assert [j.data for j in printer.jobs] == [b"\x1b@L\n"]
    db.conn.close()
