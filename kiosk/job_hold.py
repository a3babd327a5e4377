"""An applicant's print job belongs to the visit that made it: when the visit ends unprinted, the job
goes to the technician, never to the printer by itself during someone else's visit.

    hold_for_technician(kiosk, [job_id], "the applicant's visit ended")   # at a wipe or a lookup's end
    hold_leftovers(kiosk)                                                 # when the touchscreen starts

A held job (printers.queue: state `held`) shows in `kiosk jobs` and in the technician panel's job list;
`kiosk jobs retry` or the panel's 重新打印 sends it. Each hold is written to the audit (`print.held`).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING

from printers.vocabulary import JobState

if TYPE_CHECKING:
    from kiosk.app import Kiosk

log = logging.getLogger(__name__)

VISIT_ENDED = "the applicant's visit ended before it printed"
LOOKUP_ENDED = "the reprint's visit to 扫码查询·补打 ended before it printed"
RESTARTED = "the kiosk restarted before it printed"


def hold_for_technician(kiosk: Kiosk, job_ids: Iterable[int], reason: str) -> list[int]:
    """Hold each of these jobs that has not printed (queued now, or queued again later by the worker);
    jobs already done, failed or uncertain are left alone. Returns the ids held now or on requeue."""
    held = []
    for job_id in dict.fromkeys(job_ids):
        job = kiosk.queue.hold(job_id, reason)
        if job.state not in (JobState.HELD, JobState.PRINTING):
            continue
        held.append(job_id)
        kiosk.store.append_audit("print.held", job.reference or f"job:{job_id}",
                                 {"job": job_id, "state": job.state, "reason": reason})
    if held:
        log.warning("print jobs %s held for a technician: %s", held, reason)
    return held


def hold_leftovers(kiosk: Kiosk) -> list[int]:
    """At the touchscreen's start every visit of an earlier run is over: hold every job still queued
    (the queue starts without resuming, but the next applicant's print would wake them)."""
    return hold_for_technician(kiosk, [job.id for job in kiosk.queue.jobs(state=JobState.QUEUED)], RESTARTED)
