"""`kiosk jobs`: the print queue for staff — list the jobs, send pending ones, confirm uncertain ones.

    kiosk jobs [--json]                             every print job, oldest first, with what to do about it
    kiosk jobs retry [ID] [--printer URL] [--wait S] send the queued and failed jobs (or job ID), wait
    kiosk jobs done ID                              the operator saw job ID come out whole: mark it printed

A `held` job is an applicant's slip whose visit ended before it printed (paper out, cover open): it
never prints by itself into someone else's visit; `retry` (with or without its ID) sends it.
Listing changes nothing. `retry` and `done` build the kiosk (kiosk.app), whose queue first turns a job
left in `printing` by a process that died into `uncertain`: run them while the kiosk itself is stopped.
Every job goes through the print queue by id (PrintQueue.send_now): a failed job is retried as a copy
(copy_of = its id), so the original keeps its history; a held one is released; a queued job is woken,
and with --printer moved to that printer first.
Exit codes: 0 every job printed; 1 a job failed or is still waiting (paper out, printer silent);
2 bad input (no database, no such job, a job in a state that cannot be retried or confirmed, bad URL).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.commands.options import wait_seconds
from kiosk.config import PRINT_WAIT_SECONDS, ConfigError, KioskConfig, config_from_args, resolve_data_dir
from kiosk.services.job_advice import advice, is_pending, superseded, wait_for_jobs
from kiosk.store import DB_FILE_NAME
from printers.errors import PrinterUrlError, QueueError
from printers.queue import JobRecord, PrintQueue, open_database
from printers.url import parse_printer_url
from printers.vocabulary import JobState

if TYPE_CHECKING:
    from kiosk.app import Kiosk


class JobsInputError(Exception):
    """Input the jobs commands cannot use; the message is the one line they print (exit 2)."""


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser("jobs", parents=[common], help="list, retry or confirm print jobs",
                                   description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="print one JSON list")
    parser.set_defaults(func=run_list)
    actions = parser.add_subparsers(dest="jobs_action", metavar="ACTION")
    retry = actions.add_parser("retry", parents=[common], help="send queued and failed jobs now and wait")
    retry.add_argument("id", nargs="?", type=int, metavar="ID", help="only this job")
    retry.add_argument("--printer", metavar="URL", help="send to this printer instead of the job's own")
    add_wait_option(retry)
    retry.set_defaults(func=run_retry)
    done = actions.add_parser("done", parents=[common], help="an uncertain or failed job did print: mark it")
    done.add_argument("id", type=int, metavar="ID")
    done.set_defaults(func=run_done)


def add_wait_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--wait", type=wait_seconds, default=PRINT_WAIT_SECONDS, metavar="SECONDS",
                        help=f"how long to wait for the printer (default {PRINT_WAIT_SECONDS:g})")


def job_dict(job: JobRecord, copies: dict[int, int]) -> dict[str, Any]:
    return {"id": job.id, "state": job.state, "kind": job.kind, "reference": job.reference,
            "printer": job.printer, "attempts": job.attempts, "last_error": job.last_error,
            "created_at": job.created_at, "finished_at": job.finished_at, "copy_of": job.copy_of,
            "copied_as": copies.get(job.id), "bytes": job.size, "attention": advice(job, copies)}


def describe_job(job: JobRecord, copies: dict[int, int]) -> list[str]:
    """The listing's lines for one job."""
    state = job.state + (f" (copied as job {copies[job.id]})" if job.id in copies else "")
    lines = [f"{job.id:>5}  {state:<24} {job.kind:<8} {job.reference or '-':<28} {job.printer}  "
             f"tries {job.attempts}  created {job.created_at}"]
    if job.last_error and job.state in (JobState.DONE, JobState.FAILED):
        lines.append(f"       last error: {job.last_error}")
    todo = advice(job, copies)
    if todo:
        lines.append(f"       -> {todo}")
    return lines


def outcome_line(job: JobRecord, verb: str = "printed") -> str:
    """One line saying how a job ended (or that it is still waiting)."""
    what = f"job {job.id} ({job.kind} {job.reference or '-'}, {job.size} bytes) to {job.printer}"
    if job.state == JobState.DONE:
        return f"{what}: {verb}" + (f" ({job.last_error})" if job.last_error else "")
    if job.state in (JobState.QUEUED, JobState.PRINTING):
        return f"{what}: NOT PRINTED yet, still {job.state} ({job.last_error or 'no answer yet'}); " \
               f"retry with `kiosk jobs retry {job.id}`"
    return f"{what}: {job.state.upper()} ({job.last_error}); see `kiosk jobs`"


# -- I/O ------------------------------------------------------------------------------------------------

def database_path(args: argparse.Namespace) -> Path:
    """The kiosk database of the command's data dir; JobsInputError when there is none."""
    try:
        data_dir = resolve_data_dir(args)
    except ConfigError as exc:
        raise JobsInputError(str(exc)) from None
    path = data_dir / DB_FILE_NAME
    if not path.is_file():
        raise JobsInputError(f"no kiosk database at {path}")
    return path


def build_kiosk(args: argparse.Namespace) -> Kiosk:
    from kiosk.app import Kiosk

    """The kiosk of the command's configuration (its queue started without resuming: nothing prints
    until asked). JobsInputError when the configuration is bad or there is no database."""
    database_path(args)
    try:
        config: KioskConfig = config_from_args(args)
    except ConfigError as exc:
        raise JobsInputError(str(exc)) from None
    return Kiosk.build(config)


def check_printer(url: str | None) -> None:
    if url is not None:
        try:
            parse_printer_url(url)
        except PrinterUrlError as exc:
            raise JobsInputError(str(exc)) from None


def send(kiosk: Kiosk, job: JobRecord, printer: str | None) -> int:
    """Send one pending job now through the queue (PrintQueue.send_now); the id of the job that prints.
    A move to another printer gets its own audit row."""
    sent = kiosk.queue.send_now(job.id, printer)
    if sent == job.id and printer and printer != job.printer:
        kiosk.store.append_audit("print.moved", job.reference or f"job:{job.id}",
                                 {"job": job.id, "from": job.printer, "to": printer},
                                 records=[f"print_job:{job.id}"])
    return sent


def run_list(args: argparse.Namespace) -> int:
    try:
        path = database_path(args)
    except JobsInputError as exc:
        return bad_input("jobs", str(exc))
    db = open_database(path)
    try:
        jobs = PrintQueue(db).jobs()
    finally:
        db.close()
    copies = superseded(jobs)
    if args.json:
        print(json.dumps([job_dict(job, copies) for job in jobs], ensure_ascii=False, indent=2))
        return 0
    if not jobs:
        print("no print jobs")
        return 0
    for job in jobs:
        print("\n".join(describe_job(job, copies)))
    attention = sum(1 for job in jobs if advice(job, copies))
    print(f"{len(jobs)} jobs, {attention} need attention")
    return 0


def select_for_retry(queue: PrintQueue, job_id: int | None) -> list[JobRecord]:
    jobs = queue.jobs()
    copies = superseded(jobs)
    if job_id is None:
        return [job for job in jobs if is_pending(job, copies)]
    try:
        job = queue.get(job_id)
    except QueueError as exc:
        raise JobsInputError(str(exc)) from None
    if is_pending(job, copies):
        return [job]
    if job.state == JobState.FAILED:
        raise JobsInputError(f"job {job_id} was already retried as job {copies[job_id]}")
    if job.state == JobState.DONE:
        raise JobsInputError(f"job {job_id} has printed; for another copy use `kiosk reprint {job.reference}`")
    if job.state == JobState.UNCERTAIN:
        raise JobsInputError(f"job {job_id} may have printed: check the paper, then `kiosk jobs done {job_id}` "
                             f"or `kiosk reprint {job.reference}`")
    raise JobsInputError(f"job {job_id} is {job.state}")


def run_retry(args: argparse.Namespace) -> int:
    try:
        check_printer(args.printer)
        kiosk = build_kiosk(args)
    except JobsInputError as exc:
        return bad_input("jobs retry", str(exc))
    with kiosk:
        try:
            targets = select_for_retry(kiosk.queue, args.id)
            sent = [send(kiosk, job, args.printer) for job in targets]
        except (JobsInputError, QueueError) as exc:
            return bad_input("jobs retry", str(exc))
        if not sent:
            print("no queued or failed print jobs")
            return 0
        kiosk.store.append_audit("print.retried", "print_jobs", {"jobs": sent},
                                 records=[f"print_job:{job_id}" for job_id in sent])
        records = wait_for_jobs(kiosk.queue, sent, args.wait)
    for record in records:
        print(outcome_line(record))
    return 0 if all(record.state == JobState.DONE for record in records) else 1


def run_done(args: argparse.Namespace) -> int:
    try:
        kiosk = build_kiosk(args)
    except JobsInputError as exc:
        return bad_input("jobs done", str(exc))
    with kiosk:
        try:
            job = kiosk.queue.mark_done(args.id)
        except QueueError as exc:
            return bad_input("jobs done", str(exc))
        kiosk.store.append_audit("print.confirmed", job.reference or f"job:{job.id}", {"job": job.id})
    print(outcome_line(job, "marked printed (confirmed by the operator)"))
    return 0


def bad_input(command: str, message: str) -> int:
    print(f"kiosk {command}: {message}", file=sys.stderr)
    return 2
