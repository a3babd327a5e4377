"""Serving the hall with granian: forked worker processes (both cores), a few Python threads each.

Granian (a Rust HTTP server with a WSGI interface) parses HTTP, keeps the kiosks' connections alive and
hands each request to one of the worker's Python threads; Django runs in those threads as under any WSGI
server. Chosen over gunicorn's gthread workers for the cost per request (bench/bench_wsgi_servers.py):
a kiosk posts each event as soon as it exists, so at a hall's load nearly every post carries one event,
and gunicorn's Python HTTP parsing, thread hand-offs and polling were two thirds of the workers' CPU.

Run from hall.cli after the database is migrated: the workers fork from that process (Python's "fork"
start method on Linux), each opens its own database connections. Granian's main process handles
SIGTERM/SIGINT: the workers stop accepting, finish the requests they hold (at most GRACE_S) and exit;
then run() returns, so the caller's `finally` stops the cluster.
"""

from __future__ import annotations

import logging.config
import os
import socket
import sys
import threading
import time

#: Seconds a stopping worker may take to finish its requests before it is killed.
GRACE_S = 20


def default_workers() -> int:
    """One worker process per core (at least 2, at most 8). Each worker's posts are committed in groups by its
    writer thread (hall.cases.group): fewer processes with more threads make bigger groups (a group's
    statement and commit cost PostgreSQL about the same for 1 post as for 10), and Python's GIL lets a
    process use one core anyway. Measured on 2 cores (bench/bench_hall_ingest.py, issue 12): 2 x 48 threads
    0.87 ms of CPU a post at 2,000 events/s, 3 x 24 1.31 ms, 5 x 4 (the old default, no groups) 1.5-2.4 ms."""
    return max(2, min(os.cpu_count() or 1, 8))


#: Threads a worker runs requests in (`--threads`): most of them wait for their group's commit, so many are
#: needed for groups to form; each may hold a database connection (PostgreSQL's max_connections must be at
#: least workers x (threads + 1) + 10: hall/deploy/postgresql-hall.conf).
DEFAULT_THREADS = 40


class _NotTooManyThreads(logging.Filter):
    """Granian warns at every start when a worker has more threads than 2 x cores + 1: the hall's threads mostly
    wait for their group's commit (DEFAULT_THREADS), so that warning would only mislead whoever reads the log."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "seems quite high compared to the number of CPU cores" not in record.getMessage()


class PortInUse(Exception):
    """Something listens on the port already."""


def check_port(host: str, port: int) -> None:
    """PortInUse when anything listens on host:port. Granian's workers bind with SO_REUSEPORT: without this
    check a second hall (or any server with SO_REUSEPORT) on the same port would share its connections
    silently instead of failing to start. A plain bind fails on a listening port whatever its options."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # a closed server's TIME_WAIT is no obstacle
        try:
            s.bind((host, port))
        except OSError as e:
            raise PortInUse(f"cannot listen on {host}:{port}: {e.strerror} (another `python -m hall serve`?)") from e


def _application():
    from hall.wsgi import application

    return application


def _log_config(access_log: str | None) -> dict:
    """Granian's log: warnings and errors on stderr; the access log (one line a request) only when asked."""
    handlers: dict = {"stderr": {"class": "logging.StreamHandler", "stream": "ext://sys.stderr",
                                 "formatter": "plain", "filters": ["threads"]}}
    if access_log:
        handlers["access"] = ({"class": "logging.StreamHandler", "stream": "ext://sys.stderr", "formatter": "plain"}
                              if access_log == "-" else
                              {"class": "logging.FileHandler", "filename": access_log, "formatter": "plain"})
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"plain": {"format": "%(asctime)s %(message)s"}},
        "filters": {"threads": {"()": _NotTooManyThreads}},
        "handlers": handlers,
        "loggers": {
            "_granian": {"handlers": ["stderr"], "level": "WARNING", "propagate": False},
            "granian.access": {"handlers": ["access" if access_log else "stderr"], "level": "INFO",
                               "propagate": False},
        },
    }


class HallServer:
    def __init__(self, host: str, port: int, *, workers: int, threads: int, access_log: str | None = None):
        from granian.constants import Interfaces
        from granian.log import LogLevels
        from granian.server import Server

        self.host, self.port = host, port
        logging.config.dictConfig(_log_config(access_log))
        self._server = Server(
            "hall.wsgi:application",
            address=host,
            port=port,
            interface=Interfaces.WSGI,
            workers=workers,
            # Python threads a worker runs requests in: each holds one database connection (kept: CONN_MAX_AGE)
            # for as long as the thread lives, so threads are few and live long.
            blocking_threads=threads,
            blocking_threads_idle_timeout=600,
            websockets=False,
            log_level=LogLevels.warning,
            log_dictconfig=_log_config(access_log),
            log_access=bool(access_log),
            log_access_format='%(addr)s "%(method)s %(path)s %(protocol)s" %(status)d %(dt_ms).1fms',
            workers_kill_timeout=GRACE_S,
        )
        self._server.on_startup(self._ready)

    def _ready(self) -> None:
        """Says `hall: ready on URL` once a worker accepts connections (scripts and tests wait for this line).
        On Linux each worker listens on its own SO_REUSEPORT socket, bound after it forks: so the main process
        (this hook runs there before the workers start) asks the port from a thread until one answers."""
        threading.Thread(target=self._say_ready, name="hall-ready", daemon=True).start()

    def _say_ready(self) -> None:
        probe = {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}.get(self.host, self.host)
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            try:
                socket.create_connection((probe, self.port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.02)
        host = f"[{self.host}]" if ":" in self.host else self.host
        print(f"hall: ready on http://{host}:{self.port}", file=sys.stderr, flush=True)

    def run(self) -> None:
        self._server.serve(target_loader=lambda _target: _application())
