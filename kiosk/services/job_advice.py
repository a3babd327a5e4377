"""What a print job needs from an operator, and waiting for jobs to end: shared by `kiosk jobs`,
`kiosk reprint`, `kiosk doctor` and the technician panel (kiosk.services.technician).

`superseded`, `is_pending` and `advice` are pure (over `printers.queue.JobRecord`); `wait_for_jobs`
waits through the queue's one waiting loop (PrintQueue.wait_until), which re-reads jobs another process
prints.
"""

from __future__ import annotations

import time
from collections.abc import Iterable

from printers.queue import JobRecord, PrintQueue
from printers.vocabulary import JobState


def superseded(jobs: Iterable[JobRecord]) -> dict[int, int]:
    """Job id -> the id of the latest copy made of it (a failed job retried, an uncertain one reprinted)."""
    copies: dict[int, int] = {}
    for job in jobs:
        if job.copy_of is not None:
            copies[job.copy_of] = max(job.id, copies.get(job.copy_of, 0))
    return copies


def is_pending(job: JobRecord, copies: dict[int, int]) -> bool:
    """Queued, held for a technician, or failed and not yet retried: what `kiosk jobs retry` sends."""
    return job.state in (JobState.QUEUED, JobState.HELD) or (job.state == JobState.FAILED and job.id not in copies)


def advice(job: JobRecord, copies: dict[int, int]) -> str | None:
    """What the operator should do about a job (None: nothing)."""
    why = f" ({job.last_error})" if job.last_error else ""
    ref = job.reference or "NUMBER"
    if job.state == JobState.QUEUED:
        return f"waiting to print{why}: fix the printer, then `kiosk jobs retry {job.id}`"
    if job.state == JobState.HELD:
        return (f"HELD for a technician{why}: its applicant's visit ended before it printed; fix the "
                f"printer, then `kiosk jobs retry {job.id}` and hand the slip over")
    if job.state == JobState.PRINTING:
        return (f"printing now; if no kiosk is running it was interrupted: check the paper, then "
                f"`kiosk jobs done {job.id}` if the slip is whole or `kiosk reprint {ref}` if not")
    if job.state == JobState.UNCERTAIN:
        return (f"UNCERTAIN whether it printed{why}: check the paper; if the slip is whole "
                f"`kiosk jobs done {job.id}`, if not `kiosk reprint {ref}`")
    if job.state == JobState.FAILED and job.id not in copies:
        return f"FAILED{why}: fix the printer, then `kiosk jobs retry {job.id}`"
    return None


def wait_for_jobs(queue: PrintQueue, job_ids: list[int], timeout: float) -> list[JobRecord]:
    """Each job once it has ended, or as it stands when `timeout` seconds (in all) have passed (the
    queue's one waiting loop, PrintQueue.wait_until, re-reads jobs another process prints)."""
    deadline = time.monotonic() + timeout
    return [queue.wait_until(job_id, max(deadline - time.monotonic(), 0.0), lambda job: job.is_final)
            for job_id in job_ids]
