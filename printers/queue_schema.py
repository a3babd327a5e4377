"""The `print_jobs` table: the persistent print queue's schema, shared with the kiosk's store.

The kiosk's storage migrations call `ensure_schema(db)`, and so does the print queue when it is
given a database of its own (tests, the technician CLI). It is idempotent.

A job is stored before it is sent. States:
    queued    waiting for the worker (new, or a transient fault with `next_attempt_at` in the future)
    printing  claimed by one process (`owner`) and handed to the transport; if that process dies here
              the job is NOT resent on restart: it becomes `uncertain` and an operator decides
              (reprint or mark done). A job another live process is printing is left alone.
    uncertain the process died while the job was printing; ask the operator before printing twice
    held      kept for a technician: the applicant's visit it belonged to ended before it printed (paper
              out, cover open), so it must not print on its own into someone else's visit; only an
              operator sends it again (PrintQueue.release: back to queued)
    done      the printer took every byte and reported ready afterwards
    failed    gave up (permanent fault, or retries exhausted); `last_error` says why
    cancelled an operator cancelled it before it printed (PrintQueue.cancel; the technician panel's
              取消任务); never sent again
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from printers.vocabulary import JobState

if TYPE_CHECKING:
    from printers.sqlite_lib import Database  # or a sqlite_utils.Database (the storage migrations)

TABLE = "print_jobs"
STATES = tuple(state.value for state in JobState)  # the words stored in `state`

COLUMNS: dict[str, type] = {
    "id": int,
    "printer": str,          # printer URL the job is meant for
    "reference": str,        # what the paper is for: a receipt or licence number
    "kind": str,             # licence | receipt | test | reprint
    "payload": bytes,        # the ESC/POS bytes, exactly as they go on the wire
    "state": str,
    "attempts": int,
    "last_error": str,
    "created_at": str,       # ISO 8601 UTC
    "updated_at": str,
    "next_attempt_at": str,
    "finished_at": str,
    "copy_of": int,          # for a reprint: the job it copies
    "owner": str,            # while printing: "<boot id>:<pid>" of the process sending it
}


INDEXES = (f"idx_{TABLE}_state", f"idx_{TABLE}_reference")  # the names sqlite-utils gives them


def ensure_schema(db: Database) -> None:
    """Create the print_jobs table and its indexes if they are missing (sqlite-utils is imported only
    then: an up-to-date database is checked with plain SQL)."""
    conn = db.conn
    columns = {row[1] for row in conn.execute(f"PRAGMA table_info({TABLE})")}
    indexes = {row[1] for row in conn.execute(f"PRAGMA index_list({TABLE})")}
    if "owner" in columns and set(INDEXES) <= indexes:
        return
    if TABLE not in db.table_names():
        db[TABLE].create(COLUMNS, pk="id", not_null={"printer", "kind", "payload", "state", "attempts"},
                         defaults={"attempts": 0, "state": JobState.QUEUED.value, "last_error": ""})
    elif "owner" not in db[TABLE].columns_dict:
        db[TABLE].add_column("owner", str)
    db[TABLE].create_index(["state"], if_not_exists=True)
    db[TABLE].create_index(["reference"], if_not_exists=True)
