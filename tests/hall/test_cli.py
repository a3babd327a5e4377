"""`python -m hall` as a process: serve with its own PostgreSQL cluster under the data dir (run as the
unprivileged `postgres` user when root), enrol / staff add / revoke while it serves, SIGTERM stops it all."""

from __future__ import annotations

import json
import os
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest

from hall import pgcluster

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _hall(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run([sys.executable, "-m", "hall", *args], capture_output=True, text=True, timeout=180)
    if check:
        assert result.returncode == 0, result.stderr
    return result


def _wait_for_line(proc: subprocess.Popen, marker: str, seconds: float = 120) -> str:
    seen = ""
    while marker not in seen:
        ready, _, _ = select.select([proc.stderr], [], [], seconds)
        assert ready, f"no {marker!r} from python -m hall serve: {seen}"
        line = proc.stderr.readline()  # unbuffered (bufsize=0): what select saw is all there is, no line waits
        assert line, f"python -m hall serve ended: {seen}"  # in a Python buffer select cannot see
        seen += line.decode(errors="replace")
    return seen


def _request(url: str, token: str | None = None, body: dict | None = None) -> tuple[int, dict]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method="POST" if data else "GET")
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=30) as reply:
            return reply.status, json.loads(reply.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"{}")


@pytest.fixture
def data_dir():
    root = Path(tempfile.mkdtemp(prefix="hall-cli-", dir="/tmp"))
    root.chmod(0o755)
    yield root / "hall"
    cluster = pgcluster.for_data_dir(root / "hall")
    cluster.stop()  # a failed test may leave it running
    shutil.rmtree(root, ignore_errors=True)


def test_serve_with_its_own_cluster_and_commands_beside_it(data_dir):
    # Before any serve: the command starts the cluster for itself and stops it after.
    before = json.loads(_hall("enrol", "K01", "--data-dir", str(data_dir), "--json").stdout)
    assert before["kiosk_id"] == "K01" and len(before["token"]) >= 40
    cluster = pgcluster.for_data_dir(data_dir)
    assert not cluster.running()
    if os.geteuid() == 0:
        assert (cluster.data / "PG_VERSION").stat().st_uid != 0  # initdb refuses root: run as postgres

    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "hall", "serve", "--data-dir", str(data_dir), "--port", str(port),
                             "--workers", "2"], stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, bufsize=0)
    try:
        _wait_for_line(proc, "hall: ready")
        base = f"http://127.0.0.1:{port}"
        assert _request(f"{base}/healthz") == (200, {"ok": True})
        assert cluster.running()

        kiosk = json.loads(_hall("enrol", "K02", "--data-dir", str(data_dir), "--json").stdout)
        person = json.loads(_hall("staff", "add", "wang", "--role", "reviewer", "--data-dir", str(data_dir),
                                  "--json").stdout)
        assert set(person) == {"name", "password", "token"} and person["name"] == "wang"
        again = _hall("staff", "add", "wang", "--role", "admin", "--data-dir", str(data_dir), check=False)
        assert again.returncode == 1 and "already exists" in again.stderr

        event_id = str(uuid.uuid4())
        body = {"kiosk_id": "K02", "sent_at": "2026-11-21T10:00:00+08:00", "events": [
            {"id": event_id, "kind": "application", "at": "2026-11-21T10:00:00+08:00",
             "body": {"number": "CLI-0001", "service": "food-licence", "outcome": "accepted", "time_limit_days": 20}}]}
        assert _request(f"{base}/api/v1/events", kiosk["token"], body) == (200, {"held": [event_id], "rejected": []})
        assert _request(f"{base}/api/v1/events", before["token"], body)[0] == 403  # K01 posting as K02
        status, case = _request(f"{base}/api/v1/applications/CLI-0001", person["token"])
        assert status == 200 and case["state"] == "submitted" and case["kiosk_id"] == "K02"
        assert _request(f"{base}/api/v1/applications/CLI-0001")[0] == 401

        assert "revoked" in _hall("revoke", "K02", "--data-dir", str(data_dir)).stdout
        assert _request(f"{base}/api/v1/events", kiosk["token"], body)[0] == 401
        assert _hall("revoke", "NOPE", "--data-dir", str(data_dir), check=False).returncode == 1

        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=60) == 0
        assert not cluster.running()
        assert not (cluster.data / "postmaster.pid").exists()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_serve_refuses_a_port_something_listens_on(data_dir):
    # The server's workers bind with SO_REUSEPORT: without the check a second hall would share the port.
    with socket.socket() as other:
        other.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        other.bind(("127.0.0.1", 0))
        other.listen()
        port = other.getsockname()[1]
        result = _hall("serve", "--data-dir", str(data_dir), "--port", str(port), check=False)
    assert result.returncode == 1 and f"cannot listen on 127.0.0.1:{port}" in result.stderr
    assert not pgcluster.for_data_dir(data_dir).running()
