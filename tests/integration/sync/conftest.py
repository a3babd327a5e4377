"""The sync tests' parts: a contract hall (a real HTTP server in a thread speaking the wire contract of
PLAN.md over real sockets), kiosks with configs pointing at it, and `kiosk` child processes.

The contract hall stores each event id once (a dict keyed by id: the hall's ON CONFLICT DO NOTHING),
counts every event it received (so a replay shows up as received twice, stored once), answers 401 for a
token it does not know and 403 for a body naming another kiosk, 413 over its limits, and can be taken
down (connections refused: the socket is closed) or made to hold its answer (`hold`) after storing a
batch, so a test can kill the sender exactly there. The end-to-end tests use the real hall
(tests/integration/sync/test_real_hall.py).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from kiosk.app import env_calendar

REPO = Path(__file__).resolve().parents[3]
TOKEN = "k01-token-for-tests"
MAX_EVENTS = 500
MAX_BYTES = 8 * 1024 * 1024

IB_ANSWERS = {"organisation_form": "个人经营", "proposed_name": "铜梁区巴川张记理发店", "business_scope": "理发服务",
              "business_address": "重庆市铜梁区巴川街道中兴路 90 号", "capital": 5, "employees": 2,
              "delivery": "窗口领取"}
IB = "individual-business-registration"


class ContractHall:
    """The hall's side of the wire contract, in memory, on a real port."""

    def __init__(self, tokens: dict[str, str] | None = None) -> None:
        self.tokens = dict(tokens or {TOKEN: "K01"})
        self.events: dict[str, dict[str, Any]] = {}  # event id -> event (stored once)
        self.received = 0  # events received, replays included
        self.requests: list[tuple[str, int]] = []  # (path, events in it)
        self.heartbeats: list[dict[str, Any]] = []
        self.changes: list[dict[str, Any]] = []  # what the next heartbeat replies carry (seq, change)
        self.acks: list[dict[str, Any]] = []
        self.max_events = MAX_EVENTS
        self.max_bytes = MAX_BYTES
        self.reject: set[str] = set()  # event ids answered as malformed
        self.server_time: dt.datetime | None = None  # None: the machine's time
        self.hold = threading.Event()  # set: store the batch, then wait for `release` before answering
        self.release = threading.Event()
        self.holding = threading.Event()  # set once a held batch is stored
        self.lock = threading.Condition()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.port = _free_port()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def up(self) -> ContractHall:
        hall = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                raw = self.rfile.read(length)
                token = (self.headers.get("Authorization") or "").removeprefix("Bearer ")
                kiosk = hall.tokens.get(token)
                if kiosk is None:
                    return self._answer(401, {"error": "bad or revoked token"})
                body = json.loads(raw)
                if body.get("kiosk_id") != kiosk:
                    return self._answer(403, {"error": "kiosk id does not match the token"})
                if self.path == "/api/v1/events":
                    return self._events(body, len(raw))
                if self.path == "/api/v1/heartbeat":
                    return self._heartbeat(body)
                return self._answer(404, {"error": "no such path"})

            def _events(self, body: dict[str, Any], size: int) -> None:
                events = body["events"]
                if len(events) > hall.max_events or size > hall.max_bytes:
                    with hall.lock:
                        hall.requests.append(("413", len(events)))
                    return self._answer(413, {"error": "too large"})
                held, rejected = [], []
                with hall.lock:
                    hall.requests.append((self.path, len(events)))
                    for event in events:
                        hall.received += 1
                        if event["id"] in hall.reject:
                            rejected.append({"id": event["id"], "reason": "malformed body"})
                            continue
                        hall.events.setdefault(event["id"], event)
                        held.append(event["id"])
                    hall.lock.notify_all()
                if hall.hold.is_set():
                    hall.holding.set()
                    hall.release.wait(30)
                self._answer(200, {"held": held, "rejected": rejected})

            def _heartbeat(self, body: dict[str, Any]) -> None:
                with hall.lock:
                    hall.heartbeats.append(body)
                    cursor = int(body.get("cursor") or 0)
                    changes = [change for seq, change in enumerate(hall.changes, start=1) if seq > cursor]
                    acks = list(hall.acks)
                    hall.lock.notify_all()
                now = hall.server_time or env_calendar()[1]().astimezone()  # the kiosk test clock's time
                self._answer(200, {"server_time": now.isoformat(), "cursor": len(hall.changes),
                                   "changes": changes, "call_acks": acks})

            def _answer(self, status: int, payload: dict[str, Any]) -> None:
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def down(self) -> None:
        """Stop answering: the port is closed (connection refused)."""
        if self._server is not None:
            self.release.set()
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def wait_for(self, predicate, timeout: float = 10.0) -> bool:
        with self.lock:
            return self.lock.wait_for(lambda: predicate(self), timeout)

    def of_kind(self, kind: str) -> list[dict[str, Any]]:
        with self.lock:
            return [event for event in self.events.values() if event["kind"] == kind]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def hall() -> Iterator[ContractHall]:
    server = ContractHall().up()
    yield server
    server.down()


def write_config(path: Path, data_dir: Path, url: str | None, token: str = TOKEN, **sync: Any) -> Path:
    lines = ["demo = true", f'data_dir = "{data_dir}"']
    if url is not None:
        lines += ["[sync]", f'url = "{url}"', f'token = "{token}"']
        lines += [f"{key} = {value!r}" for key, value in sync.items()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def kiosk_cmd(*argv: object, **options: Any) -> subprocess.Popen:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen([sys.executable, "-m", "kiosk", *map(str, argv)], cwd=REPO, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **options)


def run_kiosk(*argv: object, timeout: float = 120) -> subprocess.CompletedProcess:
    process = kiosk_cmd(*argv)
    out, err = process.communicate(timeout=timeout)
    return subprocess.CompletedProcess(process.args, process.returncode, out, err)


@pytest.fixture(scope="session")
def kit():
    """This folder's helpers (test files cannot import conftest under --import-mode=importlib)."""
    return sys.modules[__name__]
