"""`python -m hall`: serve the hall, enrol and revoke kiosks, add staff.

    python -m hall serve  --data-dir DIR [--port 8600] [--host 127.0.0.1] [--database URL]
    python -m hall enrol  KIOSK_ID --data-dir DIR [--name N] [--location L] [--json]
    python -m hall revoke KIOSK_ID --data-dir DIR
    python -m hall staff add NAME --role reviewer|approver|admin --data-dir DIR [--json]

With no --database the hall runs its own PostgreSQL cluster under DIR (hall.pgcluster). `serve` remembers a
--database URL in DIR, so enrol/revoke/staff on the same DIR reach the same database. The cluster and who
starts it: `serve` holds DIR/hall.lock shared while it runs; enrol/revoke/staff take it exclusively only when
no `serve` holds it, and then start the cluster themselves for the command and stop it after; while a
`serve` runs they use its cluster (and a `serve` that starts meanwhile waits for them).
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import json
import os
import signal
import sys
from collections.abc import Iterator
from pathlib import Path

from hall import datadir, pgcluster

LOCK_FILE = "hall.lock"


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m hall", description="秒办 hall back office")
    sub = p.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="serve the console and the kiosk API (foreground)")
    serve.add_argument("--data-dir", required=True)
    serve.add_argument("--port", type=int, default=8600)
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (0.0.0.0 for the hall's LAN)")
    serve.add_argument("--database", help="postgresql:// URL of an existing server (default: own cluster in DIR)")
    serve.add_argument("--workers", type=int, default=None, help="worker processes (default: one per core, 2 to 8)")
    serve.add_argument("--threads", type=int, default=None,
                       help="threads per worker (default 40: most wait for their group's commit)")
    serve.add_argument("--access-log", default=None, help="file for the access log ('-' for stderr)")

    enrol = sub.add_parser("enrol", help="enrol a kiosk: prints its credential once")
    enrol.add_argument("kiosk_id")
    enrol.add_argument("--data-dir", required=True)
    enrol.add_argument("--name", default="")
    enrol.add_argument("--location", default="")
    enrol.add_argument("--json", action="store_true")

    revoke = sub.add_parser("revoke", help="revoke a kiosk's credential")
    revoke.add_argument("kiosk_id")
    revoke.add_argument("--data-dir", required=True)

    staff = sub.add_parser("staff", help="staff accounts")
    staff_sub = staff.add_subparsers(dest="staff_command", required=True)
    add = staff_sub.add_parser("add", help="add a member of staff: prints a password and an API token once")
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=["reviewer", "approver", "admin"])
    add.add_argument("--data-dir", required=True)
    add.add_argument("--display-name", default="", help="the name the kiosk shows (default NAME)")
    add.add_argument("--json", action="store_true")
    return p


def _setup_django(data_dir: Path, url: str) -> None:
    os.environ["HALL_DATA_DIR"] = str(data_dir)
    os.environ["HALL_DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "hall.settings"
    import django

    django.setup()


def _migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


@contextlib.contextmanager
def _database(data_dir: Path, url: str | None) -> Iterator[str]:
    """The database URL for a one-shot command; with the hall's own cluster, started for the command if no
    `serve` runs (and stopped after it), else serve's."""
    url = url or datadir.remembered_database_url(data_dir)
    if url:
        yield url
        return
    cluster = pgcluster.for_data_dir(data_dir)
    with open(data_dir / LOCK_FILE, "a+") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:  # a serve holds it: its cluster runs
            yield cluster.url
            return
        started = not cluster.running()
        cluster.start()
        try:
            yield cluster.url
        finally:
            if started:
                cluster.stop()


def serve(args: argparse.Namespace) -> int:
    from hall.server import DEFAULT_THREADS, HallServer, PortInUse, check_port, default_workers

    data_dir = datadir.ensure(args.data_dir)
    try:
        check_port(args.host, args.port)
    except PortInUse as e:
        print(f"hall: {e}", file=sys.stderr)
        return 1
    cluster = None
    lock = open(data_dir / LOCK_FILE, "a+")  # noqa: SIM115 - held for the life of the server
    try:
        if args.database:
            datadir.remember_database_url(data_dir, args.database)
            url = args.database
        else:
            datadir.remember_database_url(data_dir, None)
            _wait_exclusive(lock, data_dir)  # a one-shot command using the cluster finishes first
            cluster = pgcluster.for_data_dir(data_dir)
            # SIGTERM/SIGINT before the server takes them over: stop cleanly too.
            signal.signal(signal.SIGTERM, _raise_interrupt)
            cluster.start()
            fcntl.flock(lock, fcntl.LOCK_SH)  # one-shot commands may now use the running cluster
            url = cluster.url
        _setup_django(data_dir, url)
        _migrate()
        from django.db import connections

        connections.close_all()  # the workers fork from here: each opens its own connections
        print(f"hall: serving http://{args.host}:{args.port}/ (data dir {data_dir})", file=sys.stderr, flush=True)
        HallServer(args.host, args.port, workers=args.workers or default_workers(),
                   threads=args.threads or DEFAULT_THREADS,
                   access_log=args.access_log).run()
        return 0
    except KeyboardInterrupt:
        return 0
    except SystemExit as e:
        return e.code if isinstance(e.code, int) else 0
    except pgcluster.ClusterError as e:
        print(f"hall: {e}", file=sys.stderr)
        return 1
    finally:
        if cluster is not None:
            cluster.stop()
        lock.close()


def _wait_exclusive(lock, data_dir: Path, seconds: float = 60.0) -> None:
    import time

    deadline = time.monotonic() + seconds
    while True:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() > deadline:
                raise pgcluster.ClusterError(
                    f"another `python -m hall serve` is running on {data_dir} (it holds {LOCK_FILE}); stop it first"
                ) from None
            time.sleep(0.2)


def _raise_interrupt(signum, frame):
    raise KeyboardInterrupt


def enrol(args: argparse.Namespace) -> int:
    data_dir = datadir.ensure(args.data_dir)
    with _database(data_dir, None) as url:
        _setup_django(data_dir, url)
        _migrate()
        from hall.cases import tokens

        token = tokens.enrol(args.kiosk_id, name=args.name, location=args.location)
    if args.json:
        print(json.dumps({"kiosk_id": args.kiosk_id, "token": token}))
    else:
        print(f"kiosk {args.kiosk_id} enrolled. Its credential (shown only now; put it in the kiosk's config):")
        print(f'[sync]\ntoken = "{token}"')
    return 0


def revoke(args: argparse.Namespace) -> int:
    data_dir = datadir.ensure(args.data_dir)
    with _database(data_dir, None) as url:
        _setup_django(data_dir, url)
        _migrate()
        from hall.cases import tokens

        done = tokens.revoke(args.kiosk_id)
    if not done:
        print(f"hall: no kiosk {args.kiosk_id} is enrolled", file=sys.stderr)
        return 1
    print(f"kiosk {args.kiosk_id}: credential revoked (its posts are refused from now on)")
    return 0


def staff_add(args: argparse.Namespace) -> int:
    import secrets

    data_dir = datadir.ensure(args.data_dir)
    with _database(data_dir, None) as url:
        _setup_django(data_dir, url)
        _migrate()
        from django.contrib.auth import get_user_model
        from django.db import transaction

        from hall.cases import services, tokens

        users = get_user_model()
        if users.objects.filter(username=args.name).exists():
            print(f"hall: staff member {args.name} already exists", file=sys.stderr)
            return 1
        password = secrets.token_urlsafe(12)
        with transaction.atomic():
            user = users.objects.create_user(args.name, password=password, first_name=args.display_name)
            if args.role == "admin":
                user.is_staff = True  # Django's admin pages too
                user.save(update_fields=["is_staff"])
            services.set_role(user, args.role)
            token = tokens.issue_staff_token(user)
    if args.json:
        print(json.dumps({"name": args.name, "password": password, "token": token}, ensure_ascii=False))
    else:
        print(f"staff {args.name} ({args.role}) added. Shown only now:\n  password: {password}\n  API token: {token}")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "serve":
            return serve(args)
        if args.command == "enrol":
            return enrol(args)
        if args.command == "revoke":
            return revoke(args)
        return staff_add(args)
    except pgcluster.ClusterError as e:
        print(f"hall: {e}", file=sys.stderr)
        return 1
