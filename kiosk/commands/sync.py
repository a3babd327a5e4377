"""`kiosk sync [--wait S] [--json]`: push the outbox to the hall now, then fetch the hall's answers.

Exit 0 when the outbox is empty (every event held by the hall); exit 1 naming the pending count and the
oldest event's age when the hall cannot be reached or refuses the kiosk (the events stay: the running
kiosk keeps trying), when [sync] is not configured, or when the hall rejected events as malformed
(kept, listed). `--wait S` keeps retrying with backoff for up to S seconds (default 10; 0: one try).
Safe beside a running kiosk: it opens only the database (each event id is stored once by the hall, so
two senders never count anything twice) and reports the module states that kiosk last reported.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from typing import Any

from kiosk.commands.options import wait_seconds

DEFAULT_WAIT_SECONDS = 10.0


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser("sync", parents=[common], help="send the outbox to the hall now",
                                   description=__doc__.split("\n\n")[0])
    parser.add_argument("--wait", type=wait_seconds, default=DEFAULT_WAIT_SECONDS, metavar="SECONDS",
                        help=f"keep retrying for up to this many seconds (default {DEFAULT_WAIT_SECONDS:g})")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from kiosk.app import env_calendar
    from kiosk.config import ConfigError, config_from_args, resolve_data_dir
    from kiosk.store import Store
    from kiosk.sync import outbox, replies
    from kiosk.sync.status import stored_status
    from kiosk.sync.uploader import Uploader, format_age, settings_for
    from kiosk.sync.wire import HallError

    try:
        config = config_from_args(args)
    except ConfigError as exc:
        print(f"kiosk sync: {exc}", file=sys.stderr)
        return 2
    today, now = env_calendar()
    with Store.open(resolve_data_dir(args, config)) as store:
        settings = settings_for(config)
        error: str | None = None
        result = None
        if settings is None:
            error = "[sync] is not configured (url and token in the config file): the events stay on this kiosk"
        else:
            uploader = Uploader(store, settings, status=lambda: stored_status(store, today()), clock=now)
            deadline = time.monotonic() + args.wait
            while True:
                result = uploader.push(deadline=deadline + 1)
                if result.error is None:
                    try:
                        uploader.heartbeat()
                    except HallError as exc:  # the events are held; only the answers are late
                        print(f"kiosk sync: events sent, but the heartbeat failed: {exc}", file=sys.stderr)
                    error = None
                    break
                error = str(result.error)
                pause = uploader.backoff_s(uploader.failures)
                if time.monotonic() + pause > deadline:
                    break
                time.sleep(pause)
        backlog = outbox.backlog(store)
        dead = outbox.dead_events(store)
        age = backlog.oldest_age_s(now())
        state = replies.sync_state(store)
    report = {"pending": backlog.unsent, "oldest_unsent_s": age, "waiting_for_documents": backlog.waiting_for_documents,
              "rejected": len(dead), "sent": result.sent if result else 0, "error": error,
              "cursor": state.cursor, "clock_skew_s": state.clock_skew_s}
    if args.json:
        print(json.dumps(report, ensure_ascii=False))
    if error is not None:
        print(f"kiosk sync: {error}; {backlog.unsent} events pending, the oldest {format_age(age)} old",
              file=sys.stderr)
        return 1
    for row in dead:
        print(f"kiosk sync: event {row['event_id']} ({row['kind']}, {row['at']}) rejected by the hall: "
              f"{row['last_error']}", file=sys.stderr)
    if backlog.unsent:
        why = (f" ({backlog.waiting_for_documents} wait for their PDFs: start the kiosk or run `kiosk doctor`)"
               if backlog.waiting_for_documents else "")
        print(f"kiosk sync: {backlog.unsent} events pending{why}, the oldest {format_age(age)} old", file=sys.stderr)
        return 1
    if dead:
        return 1
    if not args.json:
        print(f"kiosk sync: the outbox is empty ({report['sent']} sent now)")
    return 0
