"""`kiosk stats [--days N] [--until DATE] [--csv FILE] [--json]`: this terminal's statistics.

Per day and item over the last N local days (default 30) ending on DATE (default: today on this machine's
clock, the clock the records are written with): applications,
秒批 / 受理, visits that left blocked by pre-review, the median time at the terminal, where visits were
abandoned step by step, the most frequent pre-review findings and the 好差评 grades. `--csv FILE` also
writes the Excel-ready export (UTF-8 with BOM, one header row, one line per day and item). Exit 0; 2 when
there is no database or the options are wrong. Read-only beside a running kiosk (the database is read on
a read-only connection; days that are over are kept in `<data dir>/stats-cache.db`, rebuilt at will).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sqlite3
import sys
import time
from pathlib import Path
from typing import Any

MAX_DAYS = 3660


def _days(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= MAX_DAYS:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of days from 1 to {MAX_DAYS}")
    return int(text)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a YYYY-MM-DD date") from None


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser("stats", parents=[common], help="this terminal's statistics (CSV for Excel)",
                                   description=__doc__.split("\n\n")[0])
    parser.add_argument("--days", type=_days, default=30, metavar="N", help="how many days back (default 30)")
    parser.add_argument("--until", type=_date, metavar="YYYY-MM-DD", help="the last day (default today)")
    parser.add_argument("--csv", type=Path, metavar="FILE", help="also write the CSV export to FILE")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.set_defaults(func=run)


def _data_dir(args: argparse.Namespace) -> Path:
    """--data-dir as given (the configuration is read only without it: it is the slow import here)."""
    if getattr(args, "data_dir", None) is not None:
        return Path(args.data_dir)
    from kiosk.config import ConfigError, resolve_data_dir
    from kiosk.services.statistics import StatisticsUnavailable

    try:
        return resolve_data_dir(args)
    except ConfigError as exc:
        raise StatisticsUnavailable(str(exc)) from exc


def run(args: argparse.Namespace) -> int:
    from kiosk.services.statistics import StatisticsUnavailable, format_text, open_statistics, write_csv
    from kiosk.terminal_stats import terminal_statistics

    try:
        db, cache = open_statistics(_data_dir(args))
    except StatisticsUnavailable as exc:
        print(f"kiosk stats: {exc}", file=sys.stderr)
        return 2
    now = dt.datetime.now().astimezone()
    until = now if args.until is None else dt.datetime.combine(args.until, dt.time(23, 59, 59)).astimezone()
    started = time.perf_counter()
    try:
        report = terminal_statistics(db, until=until, days=args.days, cache=cache)
    except sqlite3.Error as exc:
        print(f"kiosk stats: cannot read {db}: {exc}; run `kiosk doctor`", file=sys.stderr)
        return 2
    query_ms = (time.perf_counter() - started) * 1000
    if args.csv is not None:
        try:
            write_csv(report, args.csv)
        except OSError as exc:
            print(f"kiosk stats: cannot write {args.csv}: {exc.strerror or exc}; choose another file", file=sys.stderr)
            return 2
    if args.json:
        print(json.dumps(dict(report.as_dict(), query_ms=round(query_ms, 1)), ensure_ascii=False))
    else:
        print(format_text(report))
        if args.csv is not None:
            print(f"\nCSV: {args.csv}")
    return 0
