"""Serving the hall with gunicorn: pre-forked worker processes (both cores), a few threads each.

Run from hall.cli after the database is migrated; gunicorn's master handles SIGTERM/SIGINT (graceful stop)
and returns here, so the caller's `finally` stops the cluster.
"""

from __future__ import annotations

import os

from gunicorn.app.base import BaseApplication


def default_workers() -> int:
    return max(2, min(2 * (os.cpu_count() or 1) + 1, 9))


def _ready(server) -> None:
    """Said once the port is bound and the workers are starting (scripts and tests wait for this line)."""
    import sys

    print(f"hall: ready on {', '.join(str(s) for s in server.LISTENERS)}", file=sys.stderr, flush=True)


class HallServer(BaseApplication):
    def __init__(self, bind: str, *, workers: int, threads: int, access_log: str | None = None):
        self.options = {
            "bind": bind,
            "workers": workers,
            "threads": threads,
            "worker_class": "gthread" if threads > 1 else "sync",
            "timeout": 60,
            "graceful_timeout": 20,
            "keepalive": 30,
            # Bodies up to the API's 8 MiB limit; the API itself answers 413 past it.
            "limit_request_line": 8190,
            "accesslog": access_log,
            "errorlog": "-",
            "loglevel": "warning",
            "proc_name": "hall",
            "when_ready": _ready,
        }
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            if value is not None:
                self.cfg.set(key, value)

    def load(self):
        from hall.wsgi import application

        return application
