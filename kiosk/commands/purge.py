"""`kiosk purge [--dry-run] [--days N]`: apply the retention setting to old applications.

Blanks the personal fields of applications older than `retention_days` (or --days), keeping numbers,
decision, service and dates, deletes their document files inside the data dir, and writes an audit
row. --dry-run only reports what would change.
"""

from __future__ import annotations

import argparse
import sys

from kiosk.config import ConfigError, config_from_args, resolve_data_dir
from kiosk.store import Store, StoreError, purge_expired


def register(subparsers, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser("purge", parents=[common], help="purge old personal data",
                                   description=__doc__.splitlines()[0])
    parser.add_argument("--dry-run", action="store_true", help="report what would be purged; change nothing")
    parser.add_argument("--days", type=int, metavar="N", help="retention in days (default: the config's)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        config = config_from_args(args)
        days = args.days if args.days is not None else config.retention_days
        if days < 1:
            raise ConfigError("--days must be at least 1")
        data_dir = resolve_data_dir(args, config)
        store = Store.open(data_dir, create=False)
    except (ConfigError, StoreError) as exc:
        print(f"kiosk purge: {exc}", file=sys.stderr)
        return 2
    with store:
        report = purge_expired(store, days, data_dir=data_dir, dry_run=args.dry_run)
    verb = "would purge" if args.dry_run else "purged"
    print(f"{verb} {len(report.application_ids)} application(s) created before {report.cutoff} "
          f"(retention {days} days); document files {'to remove' if args.dry_run else 'removed'}: "
          f"{len(report.files_removed)}; finished print jobs blanked: {report.print_jobs_blanked}")
    for path in report.files_left:
        print(f"  left in place (outside the data dir): {path}")
    return 0
