"""A separate program for the crash tests: records a decision, then waits to be killed with SIGKILL.

    python crash_worker.py DATA_DIR after-commit     commit decision + numbers + print job, say COMMITTED
    python crash_worker.py DATA_DIR in-transaction   allocate and insert, say IN_TRANSACTION before COMMIT

Either way it then blocks reading stdin (as if rendering or printing took long) until killed.
"""

from __future__ import annotations

import sys
from pathlib import Path

from kiosk.store import Store


def main(data_dir: str, mode: str) -> None:
    store = Store.open(Path(data_dir))
    with store.transaction():
        receipt_seq = store.next_value("receipt:K01:20261121")
        licence_seq = store.next_value("licence:2026")
        app = store.add_application(
            service="public-place-health-permit", state="decided", decision="approved",
            answers={"applicant_name": "张伟"}, receipt_no=f"500151-20261121-K01-{receipt_seq:04d}",
            licence_no=f"铜卫公证字〔2026〕第{licence_seq:06d}号", applicant_name="张伟")
        store.enqueue_print_job("tcp://127.0.0.1:9100", app.licence_no, "licence", b"\x1b@" + b"x" * 1000)
        if mode == "in-transaction":
            print("IN_TRANSACTION", flush=True)
            sys.stdin.read()
    print(f"COMMITTED {app.receipt_no} {app.licence_no}", flush=True)
    sys.stdin.read()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
