"""`kiosk reprint NUMBER [--reason TEXT] [--printer URL] [--wait S]`: a technician prints another copy of
a receipt or licence slip, on the machine.

NUMBER is a receipt number (500151-20261121-K01-0001) or a licence / filing number; either finds the
application, and the latest print job made for it is copied (PrintQueue.reprint: the same ESC/POS bytes,
copy_of = that job; an uncertain or held original is closed, so nobody is asked about it again). The copy
is audited (`print.reprinted`) with the masked holder and the reason (default "technician reprint"); the
applicants' own reprint at the touchscreen needs the holder's ID card instead (kiosk.lookup). The command
waits for the printer and says what happened.
Exit codes: 0 printed; 1 the printer failed or the copy is still waiting (or the last job has not printed
yet: retry that one instead); 2 bad input (unknown number, bad printer URL, no database).
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from kiosk.commands.jobs import (
    JobsInputError,
    add_wait_option,
    bad_input,
    build_kiosk,
    check_printer,
    outcome_line,
    wait_for_jobs,
)
from printers.errors import QueueError
from printers.queue import JobRecord
from printers.vocabulary import JobState

if TYPE_CHECKING:
    from kiosk.app import Kiosk

DEFAULT_REASON = "technician reprint"
#: The reason is one line of at most this many characters.
MAX_REASON_LENGTH = 200


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser("reprint", parents=[common], help="print another copy of a slip",
                                   description=__doc__.split("\n\n")[0])
    parser.add_argument("number", metavar="NUMBER", help="receipt or licence number")
    parser.add_argument("--printer", metavar="URL", help="printer URL (default: the one the slip went to)")
    parser.add_argument("--reason", metavar="TEXT", default=DEFAULT_REASON,
                        help=f"why the copy is made, for the audit log (default: {DEFAULT_REASON!r})")
    add_wait_option(parser)
    parser.set_defaults(func=run)


def latest_job(kiosk: Kiosk, number: str) -> JobRecord:
    """The newest print job for the application with this receipt or licence number."""
    references = {number.strip()}
    application = kiosk.store.find_application(number.strip())
    if application is not None:
        references |= {n for n in (application.receipt_no, application.licence_no) if n}
    jobs = [job for job in kiosk.queue.jobs() if job.reference in references]
    if not jobs:
        what = "print job" if application is not None else "application or print job"
        raise JobsInputError(f"no {what} with number {number!r}")
    return max(jobs, key=lambda job: job.id)


def masked_holder(kiosk: Kiosk, number: str) -> dict[str, str]:
    """The application's holder as the audit keeps it: masked name and masked ID number."""
    from kiosk.credentials import mask_holder_name

    application = kiosk.store.find_application(number.strip())
    if application is None:
        return {"name": "", "id": ""}
    return {"name": mask_holder_name(application.applicant_name or ""), "id": application.applicant_id_masked or ""}


def check_reason(reason: str) -> str:
    """The reason as audited: one line, not empty, at most MAX_REASON_LENGTH characters."""
    text = " ".join(reason.split())
    if not text:
        raise JobsInputError("--reason: give a reason for the copy (one line of text)")
    if len(text) > MAX_REASON_LENGTH:
        raise JobsInputError(f"--reason: at most {MAX_REASON_LENGTH} characters, not {len(text)}")
    return text


def run(args: argparse.Namespace) -> int:
    try:
        reason = check_reason(args.reason)
        check_printer(args.printer)
        kiosk = build_kiosk(args)
    except JobsInputError as exc:
        return bad_input("reprint", str(exc))
    with kiosk:
        try:
            job = latest_job(kiosk, args.number)
        except JobsInputError as exc:
            return bad_input("reprint", str(exc))
        if job.state in (JobState.QUEUED, JobState.PRINTING):
            print(f"job {job.id} for {job.reference} has not printed yet ({job.state}); "
                  f"send it with `kiosk jobs retry {job.id}` instead of making a copy")
            return 1
        try:
            copy_id = kiosk.queue.reprint(job.id, printer=args.printer)
        except QueueError as exc:
            return bad_input("reprint", str(exc))
        kiosk.store.append_audit("print.reprinted", job.reference or f"job:{job.id}", {
            "job": copy_id, "copy_of": job.id, "holder": masked_holder(kiosk, args.number), "reason": reason,
            "by": "command"}, records=[f"print_job:{copy_id}"])
        (record,) = wait_for_jobs(kiosk.queue, [copy_id], args.wait)
    print(outcome_line(record, f"printed (a copy of job {job.id})"))
    return 0 if record.state == JobState.DONE else 1
