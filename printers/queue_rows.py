"""The writes of the print_jobs table, on a caller's sqlite3 connection: the print queue's only SQL.

`PrintQueue` (printers.queue) writes every job change through these functions on its own connection.
The kiosk's store calls `insert_job` and `blank_payloads` on ITS connection, inside its own transaction,
so a job is committed together with the application it prints and the audit row that names it
(commit-before-print), and a purge blanks slips in the same commit as the applications. No other module
writes print_jobs (tests/unit/printers/test_one_writer.py checks the source tree).

Every function takes the timestamp to write (`stamp`, ISO 8601) from its caller's clock.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from printers.queue_schema import TABLE
from printers.vocabulary import JobState

FINISHED = (JobState.DONE, JobState.FAILED)


def insert_job(conn: sqlite3.Connection, *, printer: str, payload: bytes, kind: str, reference: str,
               stamp: str, copy_of: int | None = None) -> int:
    """A new `queued` job; returns its id. Committed with the caller's transaction."""
    cursor = conn.execute(
        f"INSERT INTO {TABLE} (printer, reference, kind, payload, state, attempts, last_error, created_at, "
        "updated_at, copy_of) VALUES (?, ?, ?, ?, ?, 0, '', ?, ?, ?)",
        (printer, reference, kind, bytes(payload), JobState.QUEUED.value, stamp, stamp, copy_of))
    return int(cursor.lastrowid)


def finished_job_ids(conn: sqlite3.Connection, references: Iterable[str]) -> list[int]:
    """The ids of the done or failed jobs printed for these references (what a purge blanks)."""
    marks = ", ".join("?" for _ in FINISHED)
    return [job_id for reference in references for (job_id,) in conn.execute(
        f"SELECT id FROM {TABLE} WHERE reference = ? AND state IN ({marks}) ORDER BY id",
        (reference, *FINISHED))]


def blank_payloads(conn: sqlite3.Connection, job_ids: Iterable[int], stamp: str) -> int:
    """Drop the bytes (the slip, personal data) of finished jobs; returns how many still had bytes."""
    marks = ", ".join("?" for _ in FINISHED)
    blanked = 0
    for job_id in job_ids:
        blanked += conn.execute(
            f"UPDATE {TABLE} SET payload = x'', updated_at = ? WHERE id = ? AND state IN ({marks}) "
            "AND length(payload) > 0", (stamp, job_id, *FINISHED)).rowcount
    return blanked


def move_queued_job(conn: sqlite3.Connection, job_id: int, printer: str, stamp: str) -> bool:
    """Point a still-queued job at another printer; False when it is no longer queued."""
    return conn.execute(
        f"UPDATE {TABLE} SET printer = ?, updated_at = ? WHERE id = ? AND state = ?",
        (printer, stamp, job_id, JobState.QUEUED.value)).rowcount == 1
