"""PrintQueue.cancel: an operator's "do not print this" on a real queue over the TCP emulator."""

from __future__ import annotations

import pytest

from printers.errors import QueueError


def test_a_job_waiting_for_paper_is_cancelled_and_the_next_job_prints(print_queue, printer, server, events):
    printer.set_paper_out(True)
    job = print_queue.submit(server.url, b"\x1b@first\n", reference="A-1")
    while not (event := events.get(timeout=10.0)).waiting:  # the worker waits for paper for this job
        pass
    assert event.job.id == job
    cancelled = print_queue.cancel(job, "cancelled by the technician")
    assert cancelled.state == "cancelled" and cancelled.is_final
    assert cancelled.last_error == "cancelled by the technician"
    printer.set_paper_out(False)
    print_queue.retry_now()
    second = print_queue.submit(server.url, b"\x1b@second\n", reference="A-2")
    assert print_queue.wait(second, 10.0).state == "done"
    # the queue has sent the job; the emulator counts it once it has read it to the end (its own thread)
    assert printer.wait_for_jobs(1, 10.0) and printer.jobs_printed == 1
    assert print_queue.get(job).state == "cancelled" and b"second" in printer.jobs[-1].data


@pytest.mark.parametrize("state", ["held", "failed"])
def test_held_and_failed_jobs_can_be_cancelled(print_queue, printer, server, state):
    printer.set_paper_out(True)
    job = print_queue.submit(server.url if state == "held" else "bogus://x", b"\x1b@job\n")
    if state == "held":
        print_queue.hold(job, "visit over")
    assert print_queue.wait_until(job, 10.0, lambda record: record.state == state).state == state
    assert print_queue.cancel(job, "no").state == "cancelled"


def test_a_printed_or_cancelled_job_cannot_be_cancelled(print_queue, server):
    job = print_queue.submit(server.url, b"\x1b@done\n")
    assert print_queue.wait(job, 10.0).state == "done"
    with pytest.raises(QueueError, match="only a job that has not printed"):
        print_queue.cancel(job, "too late")
    assert print_queue.get(job).state == "done"
