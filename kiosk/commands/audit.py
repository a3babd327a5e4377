"""`kiosk audit verify` and `kiosk audit show [--last N]`: the append-only, keyed (HMAC) audit log.

`verify` checks every row's MAC with the audit key (keys/audit.key), the chain, the head kept outside the
database (keys/audit.head), and every application and print job against the digest its audit entries
recorded. Exit 0 when all hold, 1 naming the first bad row (or the application or print job) otherwise,
2 when there is no database or the audit key is missing.
"""

from __future__ import annotations

import argparse
import sys

from kiosk.config import ConfigError, resolve_data_dir
from kiosk.store import Store, StoreError


def register(subparsers, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser("audit", parents=[common], help="verify or show the audit log",
                                   description=__doc__.splitlines()[0])
    actions = parser.add_subparsers(dest="audit_action", metavar="ACTION", required=True)
    verify = actions.add_parser("verify", parents=[common],
                                help="prove no audit row, application or print job was changed or removed")
    verify.set_defaults(func=run_verify)
    show = actions.add_parser("show", parents=[common], help="print the last audit rows")
    show.add_argument("--last", type=int, default=20, metavar="N", help="how many rows (default 20)")
    show.set_defaults(func=run_show)


def _open(args: argparse.Namespace, command: str) -> Store | None:
    try:
        return Store.open(resolve_data_dir(args), create=False)
    except (StoreError, ConfigError) as exc:
        print(f"kiosk audit {command}: {exc}", file=sys.stderr)
        return None


def run_verify(args: argparse.Namespace) -> int:
    store = _open(args, "verify")
    if store is None:
        return 2
    with store:
        report = store.verify_audit()
    if report.ok:
        print(f"audit log OK: {report.describe()}")
        return 0
    where = f" at row {report.first_bad_id}" if report.first_bad_id is not None else ""
    print(f"audit log BROKEN{where}: {report.reason}")
    return 1


def run_show(args: argparse.Namespace) -> int:
    store = _open(args, "show")
    if store is None:
        return 2
    with store:
        head = store.audit_rows(after_id=0, limit=None)[-max(args.last, 0):] if args.last else []
    for row in head:
        print(f"{row['id']:>6}  {row['at']}  {row['event']:<22} {row['subject']}  {row['detail']}")
    return 0
