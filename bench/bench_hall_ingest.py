"""Hall ingest benchmark: simulated kiosks posting to a real `python -m hall serve`; prints figures (not a test).

    .venv/bin/python bench/bench_hall_ingest.py [--kiosks 200] [--seconds 20] [--offered 200,500,1000,2000,3000]
                                                [--max-events 200] [--heartbeat 30] [--batch 10,25,50]
                                                [--clients 4] [--backlog 5000] [--backlog-batch 250]
                                                [--dir /tmp] [--before GIT_REF] [--workers N] [--threads N]

With --before REF it first measures the hall of that commit (extracted with git archive, served with this
venv), then this tree's, with the same load, and prints both and a before -> after table.

Starts `python -m hall serve` as a process with its own PostgreSQL cluster (fsync and synchronous_commit on,
as in a hall) and enrols the kiosks (one through `python -m hall enrol`, the rest through hall.cases.tokens
on the same database in a helper process of the same source: 200 CLI runs would only time Python's start).
Beside the load the bare baseline: the same clients calling GET /healthz (Django + one SELECT), and the ratio.

1. The uploader model (the goal's figures), at each --offered load (events/s from all kiosks together):
   what kiosk.sync.uploader does. Each of the --kiosks kiosks produces events at random (Poisson arrivals,
   offered/kiosks a second each; the mix: half applications with a small PDF, step statistics, ratings).
   Its uploader is woken by a new event, posts EVERY pending event (at most --max-events, the kiosk's
   [sync] batch_events = 200) in one request, waits for the hall's answer, and then posts whatever
   accumulated meanwhile; a heartbeat every --heartbeat s (heartbeat_s = 30). So a lightly loaded hall gets
   posts of one or two events; when answers slow down, posts grow, as real kiosks' would. Latency is
   counted per EVENT from when it was produced until the hall's answer holding it (its wait in the outbox
   and behind the kiosk's previous post count: batching is not free). Reported: events/s stored (held by
   answers within the load's --seconds), posts/s and events per post, p50/p95/p99 of that latency, events
   still unsent when the load stops (kiosks go on sending for 5 s), CPU per event stored and per post of the hall's
   server's worker processes, of PostgreSQL and of the load generator (it shares the 2 cores; measured apart).
   Goals: >= 2,000 events/s stored; p99 <= 100 ms read at the highest offered load the hall keeps up with
   (stored >= 97 % of offered, nothing left unsent). Above that load the queue grows, posts hit 200
   events, and the stored rate is the hall's saturation.
2. Fixed batches (the older model, for comparison): every kiosk posts --batch events back to back (a
   heartbeat after every 5th post), for each size in --batch (10,25,50): events/s and CPU per event. A real
   kiosk never sends 10 at a time while more are waiting; these show what the per-post cost is.
3. Backlog: one kiosk back after 3 days offline with --backlog events (the same mix) sends them in batches
   of --backlog-batch, one after another, as the kiosk's uploader does, then all again (a replay: nothing
   stored twice). Goal: drained in <= 30 s.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import multiprocessing as mp
import os
import random
import re
import select
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

from figures import report

PDF = b"%PDF-1.4\n" + os.urandom(2048)
PDF_DOC = {"name": "application.pdf", "sha256": hashlib.sha256(PDF).hexdigest(),
           "pdf_b64": base64.b64encode(PDF).decode()}


def _event(kiosk_id: str, i: int) -> dict:
    at = "2026-11-21T10:00:00+08:00"
    kind = i % 10
    if kind < 5:
        return {"id": str(uuid.uuid4()), "kind": "application", "at": at, "body": {
            "number": f"{kiosk_id}-{uuid.uuid4().hex[:12]}", "service": "public-place-health-permit",
            "service_title": "公共场所卫生许可", "outcome": "accepted" if i % 3 else "approved", "decided_at": at,
            "licence_number": None, "document_name": "卫生许可证", "office": "卫生健康委员会", "promised_days": 5,
            "time_limit_days": 20,
            "applicant": {"name": "张伟", "id_number": "110101199001011234", "phone": "13800000000"},
            "answers": {"shop_name": "张伟理发店", "address": "铜梁区巴川街道 1 号", "area_m2": 60},
            "findings": [{"rule": "r1", "severity": "info", "message": "请核对营业面积"}], "documents": [PDF_DOC],
            "material_pages": []}}
    if kind < 9:
        return {"id": str(uuid.uuid4()), "kind": "step_stats", "at": at, "body": {
            "session_id": uuid.uuid4().hex, "service": "public-place-health-permit", "finished": True,
            "abandoned_at": None, "steps": [{"step": s, "entered_at": at, "seconds": 7.5}
                                            for s in ("catalog", "card", "form", "review", "print")]}}
    return {"id": str(uuid.uuid4()), "kind": "rating", "at": at,
            "body": {"number": None, "service": "public-place-health-permit", "stars": 1 + i % 5, "reason": "还行"}}


#: After the load's last event, how long a kiosk goes on sending what it has pending.
DRAIN_S = 5.0

_MARK = re.compile(rb"@@(\d+)([ABC])@@")


class Batches:
    """A kiosk's event batches as ready JSON bytes: the batch's JSON is made once per shape and only the
    fresh ids are filled in per batch (the load generator shares the 2 cores with the hall: its CPU per
    batch is kept to a few tens of microseconds, and measured)."""

    def __init__(self, kiosk_id: str, batch: int):
        self.kiosk_id, self.batch, self.i = kiosk_id, batch, 0
        self.shapes: dict[int, list] = {}

    def _shape(self, start: int) -> list:
        events = []
        for k in range(self.batch):
            e = _event(self.kiosk_id, start + k)
            e["id"] = f"@@{k}A@@"
            if e["kind"] == "application":
                e["body"]["number"] = f"@@{k}B@@"
            elif e["kind"] == "step_stats":
                e["body"]["session_id"] = f"@@{k}C@@"
            events.append(e)
        raw = json.dumps({"kiosk_id": self.kiosk_id, "sent_at": events[0]["at"], "events": events},
                         ensure_ascii=False).encode()
        parts = _MARK.split(raw)  # text, k, kind, text, k, kind, ..., text
        return [parts[0], *[(parts[j + 1].decode(), parts[j + 2], parts[j + 3]) for j in range(0, len(parts) - 1, 3)]]

    def next(self) -> bytes:
        start = self.i % 10
        shape = self.shapes.get(start) or self.shapes.setdefault(start, self._shape(start))
        self.i += self.batch
        out = [shape[0]]
        for _, kind, tail in shape[1:]:
            if kind == b"A":
                out.append(str(uuid.uuid4()).encode())
            elif kind == b"B":
                out.append(f"{self.kiosk_id}-{uuid.uuid4().hex[:12]}".encode())
            else:
                out.append(uuid.uuid4().hex.encode())
            out.append(tail)
        return b"".join(out)


class Events:
    """A kiosk's events as ready JSON fragments, joined into a request of any size (the uploader model sends
    whatever is pending): each of the 10 event shapes is made once and only its fresh ids are filled in per
    event (the load generator shares the 2 cores with the hall: its CPU is kept small, and measured)."""

    def __init__(self, kiosk_id: str):
        self.kiosk_id, self.i = kiosk_id, 0
        self.head = (b'{"kiosk_id":' + json.dumps(kiosk_id).encode() + b',"sent_at":"2026-11-21T10:00:00+08:00",'
                     b'"events":[')
        self.shapes = []
        for k in range(10):
            e = _event(kiosk_id, k)
            e["id"] = "@@0A@@"
            if e["kind"] == "application":
                e["body"]["number"] = "@@0B@@"
            elif e["kind"] == "step_stats":
                e["body"]["session_id"] = "@@0C@@"
            parts = _MARK.split(json.dumps(e, ensure_ascii=False).encode())
            self.shapes.append([parts[0], *[(parts[j + 2], parts[j + 3]) for j in range(0, len(parts) - 1, 3)]])

    def request(self, n: int) -> bytes:
        """The body of one POST /api/v1/events holding the kiosk's next `n` events."""
        out = [self.head]
        for k in range(n):
            if k:
                out.append(b",")
            shape = self.shapes[(self.i + k) % 10]
            out.append(shape[0])
            for kind, tail in shape[1:]:
                if kind == b"A":
                    out.append(str(uuid.uuid4()).encode())
                elif kind == b"B":
                    out.append(f"{self.kiosk_id}-{uuid.uuid4().hex[:12]}".encode())
                else:
                    out.append(uuid.uuid4().hex.encode())
                out.append(tail)
        self.i += n
        out.append(b"]}")
        return b"".join(out)


def _heartbeat(kiosk_id: str, cursor: int) -> dict:
    return {"kiosk_id": kiosk_id, "at": "2026-11-21T10:00:00+08:00", "cursor": cursor, "version": "0.1.0",
            "modules": {"reader": "ok", "printer": "ok", "paper": "ok", "camera": "ok"},
            "oldest_unsent_s": 1.0, "unsent": 0, "counts": {"applications": 1, "approved": 1, "accepted": 0}}


class Conn:
    """One kiosk's keep-alive HTTP/1.1 connection, on a bare socket: the request written in one send, the
    reply read by its Content-Length (http.client parsed every reply's headers with the email package:
    0.2-0.3 ms of the load generator's CPU a post, on the cores the hall needs)."""

    def __init__(self, port: int, token: str | None):
        self.port = port
        self.auth = f"Authorization: Bearer {token}\r\n".encode() if token else b""
        self.sock: socket.socket | None = None
        self.buf = b""

    def _reply(self) -> tuple[int, bytes]:
        while b"\r\n\r\n" not in self.buf:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("the hall closed the connection")
            self.buf += chunk
        head, _, rest = self.buf.partition(b"\r\n\r\n")
        status = int(head[9:12])
        length = _LENGTH.search(head)
        if length is None:
            raise ConnectionError(f"a reply without Content-Length: {head[:200]!r}")
        size = int(length.group(1))
        while len(rest) < size:
            chunk = self.sock.recv(max(65536, size - len(rest)))
            if not chunk:
                raise ConnectionError("the hall closed the connection")
            rest += chunk
        body, self.buf = rest[:size], rest[size:]
        if _CLOSE.search(head):
            self.close()
        return status, body

    def close(self) -> None:
        if self.sock is not None:
            self.sock.close()
        self.sock, self.buf = None, b""

    def call(self, method: str, path: str, body: dict | bytes | None = None) -> tuple[int, bytes]:
        data = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode() if body else b""
        request = (f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                   f"Content-Length: {len(data)}\r\n").encode() + self.auth + b"\r\n" + data
        for attempt in (1, 2):
            try:
                if self.sock is None:
                    self.sock = socket.create_connection(("127.0.0.1", self.port), timeout=60)
                self.sock.sendall(request)
                return self._reply()
            except (OSError, ValueError):  # a keep-alive connection the hall closed: once more on a new one
                self.close()
                if attempt == 2:
                    raise
        raise AssertionError


_LENGTH = re.compile(rb"(?im)^content-length:\s*(\d+)")
_CLOSE = re.compile(rb"(?im)^connection:\s*close")


def _client(port: int, kiosks: list[tuple[str, str]], seconds: float, batch: int, mode: str, out: mp.Queue,
            interval: float = 0.0) -> None:
    """One client process: a thread per kiosk until `seconds` pass; puts (kind, latency, events, status).
    With `interval`, each kiosk sends one batch per interval (an open, paced load), else back to back."""
    stop_at = time.perf_counter() + seconds
    results: list[tuple[str, float, int, int]] = []
    lock = threading.Lock()

    def kiosk(kiosk_id: str, token: str) -> None:
        conn = Conn(port, token)
        mine: list[tuple[str, float, int, int]] = []
        cursor, n = 0, 0
        batches = Batches(kiosk_id, batch)
        next_at = time.perf_counter() + (random.random() * interval)
        while time.perf_counter() < stop_at:
            due = next_at
            if interval:
                pause = next_at - time.perf_counter()
                if pause > 0:
                    time.sleep(pause)
                next_at += interval
            if mode == "healthz":
                t0 = time.perf_counter()
                status, _ = conn.call("GET", "/healthz")
                mine.append(("healthz", time.perf_counter() - t0, 0, status))
                continue
            data = batches.next()
            t0 = time.perf_counter()
            status, body = conn.call("POST", "/api/v1/events", data)
            done = time.perf_counter()
            held = len(json.loads(body)["held"]) if status == 200 else 0
            mine.append(("events", done - t0, held, status))
            if interval:  # from when it was due: a kiosk that fell behind its schedule counts its wait too
                mine.append(("events_due", done - due, 0, status))
            n += 1
            if n % 5 == 0:
                t0 = time.perf_counter()
                status, body = conn.call("POST", "/api/v1/heartbeat", _heartbeat(kiosk_id, cursor))
                if status == 200:
                    cursor = json.loads(body)["cursor"]
                mine.append(("heartbeat", time.perf_counter() - t0, 0, status))
        with lock:
            results.extend(mine)

    _run_kiosks(kiosk, kiosks, out, results)


def _uploader_client(port: int, kiosks: list[tuple[str, str]], seconds: float, rate: float, max_events: int,
                     heartbeat_s: float, out: mp.Queue) -> None:
    """One client process of the uploader model: a thread per kiosk until `seconds` pass. Each kiosk produces
    events at random (Poisson arrivals, `rate` per second); its uploader, woken by a new event as
    kiosk.sync.uploader is, posts every pending event (at most `max_events`) in one request, waits for the
    answer, then posts what accumulated meanwhile; a heartbeat every `heartbeat_s` after a post, as the
    uploader's. Puts rows (kind, latency s, events, status, events in the request); for "event" rows the
    latency runs from when the event was produced until the hall's answer (its wait in the outbox counts)."""
    t_start = time.perf_counter()
    stop_at = t_start + seconds
    results: list[tuple] = []
    lock = threading.Lock()

    def kiosk(kiosk_id: str, token: str) -> None:
        rng = random.Random(kiosk_id)
        conn = Conn(port, token)
        mine: list[tuple] = []
        events = Events(kiosk_id)
        produced: list[float] = []  # production times of pending events, oldest first
        next_event = t_start + rng.expovariate(rate)
        next_beat = t_start + rng.random() * heartbeat_s
        cursor = 0
        while True:
            now = time.perf_counter()
            while next_event <= now and next_event < stop_at:
                produced.append(next_event)
                next_event += rng.expovariate(rate)
            if not produced:
                if next_event >= stop_at:
                    break
                time.sleep(max(0.0, next_event - now))  # the uploader idles until the next event wakes it
                continue
            n = min(len(produced), max_events)
            data = events.request(n)
            status, body = conn.call("POST", "/api/v1/events", data)
            done = time.perf_counter()
            held = len(json.loads(body)["held"]) if status == 200 else 0
            mine.append(("post", done - produced[0], held, status, n, done <= stop_at))
            if status == 200:
                mine.extend(("event", done - at, 1, status, n, done <= stop_at) for at in produced[:n])
                del produced[:n]
            if done >= next_beat:
                t0 = time.perf_counter()
                status, body = conn.call("POST", "/api/v1/heartbeat", _heartbeat(kiosk_id, cursor))
                if status == 200:
                    cursor = json.loads(body)["cursor"]
                mine.append(("heartbeat", time.perf_counter() - t0, 0, status, 0, True))
                next_beat += heartbeat_s
            if done >= stop_at + DRAIN_S:  # past its load the hall could not keep up: what is left is counted
                break
        mine.append(("unsent", 0.0, len(produced), 200, 0, False))
        with lock:
            results.extend(mine)

    _run_kiosks(kiosk, kiosks, out, results)


def _run_kiosks(kiosk, kiosks: list[tuple[str, str]], out: mp.Queue, results: list) -> None:
    """One thread per simulated kiosk, all at once; their results to the parent when every one is done."""
    threads = [threading.Thread(target=kiosk, args=k) for k in kiosks]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    out.put(results)


def _pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def _cpu_of_tree(roots: list[int]) -> float:
    """CPU seconds (user + system) used so far by the processes under `roots` (live ones, roots included)."""
    parent: dict[int, int] = {}
    ticks: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parent[int(entry)] = int(fields[1])
        ticks[int(entry)] = int(fields[11]) + int(fields[12]) + int(fields[13]) + int(fields[14])
    total = 0
    for pid in ticks:
        p = pid
        while p > 1:
            if p in roots:
                total += ticks[pid]
                break
            p = parent.get(p, 0)
    return total / os.sysconf("SC_CLK_TCK")


def run_load(port: int, kiosks: list[tuple[str, str]], seconds: float, batch: int, clients: int, mode: str,
             interval: float = 0.0, hall_pids: list[int] | None = None) -> dict:
    """Fixed batches (back to back, or one every `interval` s per kiosk), or GET /healthz (mode "healthz")."""
    return _run(lambda g, out: (port, g, seconds, batch, mode, out, interval), _client, kiosks, clients, hall_pids)


def run_uploader(port: int, kiosks: list[tuple[str, str]], seconds: float, offered: float, clients: int,
                 hall_pids: list[int], max_events: int, heartbeat_s: float) -> dict:
    """The uploader model at `offered` events/s in all (each kiosk offered/kiosks events/s)."""
    rate = offered / len(kiosks)
    return _run(lambda g, out: (port, g, seconds, rate, max_events, heartbeat_s, out), _uploader_client, kiosks,
                clients, hall_pids)


def _run(args_of, target, kiosks, clients: int, hall_pids: list[int] | None) -> dict:
    out: mp.Queue = mp.get_context("fork").Queue()
    groups = [kiosks[c::clients] for c in range(clients)]
    procs = [mp.get_context("fork").Process(target=target, args=args_of(g, out)) for g in groups]
    cpu0 = _cpu_of_tree(hall_pids or [])
    pg0 = _cpu_of_tree((hall_pids or [])[1:])
    own0 = os.times()
    t0 = time.perf_counter()
    for p in procs:
        p.start()
    results = [r for _ in procs for r in out.get()]
    for p in procs:
        p.join()
    wall = time.perf_counter() - t0
    cpu = _cpu_of_tree(hall_pids or []) - cpu0
    pg = _cpu_of_tree((hall_pids or [])[1:]) - pg0
    own = os.times()
    client_cpu = (own.children_user - own0.children_user) + (own.children_system - own0.children_system)
    kinds = ("events", "events_due", "heartbeat", "healthz", "post", "event", "unsent")
    by = {kind: [r for r in results if r[0] == kind] for kind in kinds}
    return {"wall": wall, "by": by, "errors": sum(1 for r in results if r[3] != 200), "hall_cpu": cpu,
            "pg_cpu": pg, "client_cpu": client_cpu}


def _per_post(r: dict, requests: int) -> dict:
    """CPU per request (ms): the hall's workers, PostgreSQL, the load generator (a post's cost, whatever it holds)."""
    k = 1000 / max(requests, 1)
    return {"post_ms": r["hall_cpu"] * k, "post_pg_ms": r["pg_cpu"] * k,
            "post_workers_ms": (r["hall_cpu"] - r["pg_cpu"]) * k, "post_client_ms": r["client_cpu"] * k}


def _ms(rows) -> str:
    lat = [r[1] * 1000 for r in rows]
    return (f"p50 {_pct(lat, 50):6.1f} ms  p95 {_pct(lat, 95):6.1f} ms  p99 {_pct(lat, 99):6.1f} ms  "
            f"(n={len(lat)})")


def _wait_ready(proc: subprocess.Popen, seconds: float = 180) -> None:
    seen = ""
    deadline = time.monotonic() + seconds
    while "hall: ready" not in seen:
        ready, _, _ = select.select([proc.stderr], [], [], max(deadline - time.monotonic(), 0.1))
        if not ready or time.monotonic() > deadline:
            raise SystemExit(f"the hall did not get ready: {seen}")
        line = proc.stderr.readline()
        if not line:
            raise SystemExit(f"the hall ended: {seen}")
        seen += line.decode(errors="replace")


def run_backlog(port: int, token: str, backlog: int, batch: int, hall: Hall) -> dict:
    """A kiosk back after 3 days offline sends its backlog batch after batch, then replays it all."""
    conn = Conn(port, token)
    events = [_event("BACKLOG", i) for i in range(backlog)]
    size = len(json.dumps(events).encode()) / 1e6
    t0 = time.perf_counter()
    lat = []
    held = 0
    for k in range(0, len(events), batch):
        part = events[k:k + batch]
        t1 = time.perf_counter()
        status, body = conn.call("POST", "/api/v1/events", {"kiosk_id": "BACKLOG", "sent_at": part[0]["at"],
                                                            "events": part})
        lat.append(time.perf_counter() - t1)
        if status != 200:
            raise SystemExit(f"backlog batch refused: {status} {body[:200]!r}")
        held += len(json.loads(body)["held"])
    drain = time.perf_counter() - t0
    print(f"  backlog: {held} events ({size:.1f} MB JSON) in batches of {batch}: drained in "
          f"{drain:5.1f} s ({held / drain:.0f} events/s, median batch {statistics.median(lat) * 1000:.0f} ms)"
          f"   (goal <= 30 s: {'met' if drain <= 30 else 'NOT met'})")
    # Replay: the same backlog again (the kiosk crashed before marking it sent): nothing new stored.
    t0 = time.perf_counter()
    again = 0
    for k in range(0, len(events), batch):
        part = events[k:k + batch]
        status, body = conn.call("POST", "/api/v1/events", {"kiosk_id": "BACKLOG", "sent_at": part[0]["at"],
                                                            "events": part})
        again += len(json.loads(body)["held"])
    replay = time.perf_counter() - t0
    print(f"  replay of the whole backlog (already held): {replay:5.1f} s, {again} held again")
    stored = hall.django("""
from django.db import connection
with connection.cursor() as cur:
    cur.execute("SELECT count(*) FROM cases_event e JOIN cases_kiosk k ON k.id = e.kiosk_id "
                "WHERE k.kiosk_id = 'BACKLOG'")
    print(json.dumps(cur.fetchone()[0]))
""")
    print(f"  events stored for the backlog kiosk after the replay: {stored} (no duplicates: {stored == held})")
    return {"drain": drain, "replay": replay, "stored": stored}


class Hall:
    """`python -m hall serve` from a source tree (this one, or another commit's: --before), its own cluster."""

    def __init__(self, src: Path, root: Path, workers: int | None, threads: int | None):
        self.src, self.data_dir = src, root / "hall"
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        cmd = [sys.executable, "-m", "hall", "serve", "--data-dir", str(self.data_dir), "--port", str(self.port)]
        if workers:
            cmd += ["--workers", str(workers)]
        if threads:
            cmd += ["--threads", str(threads)]
        self.env = {**os.environ, "PYTHONPATH": str(src)}
        # stderr unbuffered: no line waits in a Python buffer that select cannot see.
        self.proc = subprocess.Popen(cmd, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, bufsize=0, cwd=src,
                                     env=self.env)

    def django(self, code: str):
        """Run `code` in a process of this hall's source with Django set up on its database; its printed JSON."""
        prelude = (f"import json, os, sys\nfrom pathlib import Path\n"
                   f"os.environ.update(HALL_DATA_DIR={str(self.data_dir)!r}, DJANGO_SETTINGS_MODULE='hall.settings')\n"
                   "from hall import pgcluster\n"
                   "os.environ['HALL_DATABASE_URL'] = pgcluster.for_data_dir(Path(os.environ['HALL_DATA_DIR'])).url\n"
                   "import django\ndjango.setup()\n")
        out = subprocess.run([sys.executable, "-c", prelude + code], capture_output=True, text=True, cwd=self.src,
                             env=self.env)
        if out.returncode:
            raise SystemExit(f"hall helper failed: {out.stderr[-2000:]}")
        return json.loads(out.stdout.strip().splitlines()[-1])

    def postmaster(self) -> int:
        return self.django("print(json.dumps(int((pgcluster.for_data_dir(Path(os.environ['HALL_DATA_DIR'])).data "
                           "/ 'postmaster.pid').read_text().split()[0])))")

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def measure(label: str, src: Path, args) -> dict:
    """Every phase against one hall; the figures."""
    root = Path(tempfile.mkdtemp(prefix="bench-hall-", dir=args.dir))
    root.chmod(0o755)
    hall = Hall(src, root, args.workers, args.threads)
    figures: dict = {"label": label, "uploader": {}, "fixed": {}}
    try:
        _wait_ready(hall.proc)
        first = json.loads(subprocess.run([sys.executable, "-m", "hall", "enrol", "B0000", "--data-dir",
                                           str(hall.data_dir), "--json"], capture_output=True, text=True, check=True,
                                          cwd=src, env=hall.env).stdout)
        enrolled = hall.django(f"""
from hall.cases import tokens
print(json.dumps([[f"B{{i:04d}}", tokens.enrol(f"B{{i:04d}}")] for i in range(1, {args.kiosks})]
                 + [["BACKLOG", tokens.enrol("BACKLOG")]]))
""")
        kiosks = [(first["kiosk_id"], first["token"])] + [tuple(k) for k in enrolled[:-1]]
        backlog_token = enrolled[-1][1]
        port = hall.port
        cpu = os.cpu_count()
        print(f"\n[{label}] hall from {src}: {args.kiosks} kiosks over {args.clients} client processes, "
              f"{args.seconds:.0f} s a phase; hall = {args.workers or 'default'} workers x "
              f"{args.threads or 'default'} threads, own PostgreSQL (fsync on); {cpu} CPUs shared by the clients, "
              f"the hall and PostgreSQL; load average before: {os.getloadavg()[0]:.1f}")

        base = run_load(port, kiosks, min(args.seconds, 8), 1, args.clients, "healthz")
        h = base["by"]["healthz"]
        print(f"  baseline GET /healthz:   {len(h) / base['wall']:8.0f} req/s   {_ms(h)}  errors {base['errors']}")

        hall_pids = [hall.proc.pid, hall.postmaster()]

        p99_h = _pct([r[1] for r in h], 99)
        n = cpu or 1
        print(f"  uploader model: each kiosk's events come at random (Poisson), its uploader posts all pending "
              f"(<= {args.max_events} a request) and a heartbeat every {args.heartbeat:g} s; latency from when an "
              f"event was produced to the hall's answer")
        for offered in [float(x) for x in args.offered.split(",") if x]:
            r = run_uploader(port, kiosks, args.seconds, offered, args.clients, hall_pids, args.max_events,
                             args.heartbeat)
            posts, evs = r["by"]["post"], r["by"]["event"]
            unsent = sum(x[2] for x in r["by"]["unsent"])
            stored = sum(x[2] for x in posts)
            rate = sum(x[2] for x in posts if x[5]) / args.seconds  # held by answers within the load's seconds
            lat = [x[1] for x in evs]
            f = {"rate": rate, "p50": _pct(lat, 50), "p95": _pct(lat, 95), "p99": _pct(lat, 99),
                 "batch": stored / max(len(posts), 1), "unsent": unsent,
                 "cpu_ms": r["hall_cpu"] / max(stored, 1) * 1000, "pg_ms": r["pg_cpu"] / max(stored, 1) * 1000,
                 "workers_ms": (r["hall_cpu"] - r["pg_cpu"]) / max(stored, 1) * 1000,
                 "client_ms": r["client_cpu"] / max(stored, 1) * 1000,
                 "share": r["hall_cpu"] / r["wall"] / n, "client_share": r["client_cpu"] / r["wall"] / n,
                 **_per_post(r, len(posts))}
            figures["uploader"][offered] = f
            hb = r["by"]["heartbeat"]
            print(f"  offered {offered:5.0f} ev/s: stored {rate:5.0f} ev/s  {len(posts) / r['wall']:4.0f} posts/s of "
                  f"{f['batch']:5.1f} events (max {max((x[4] for x in posts), default=0)})  latency p50 "
                  f"{f['p50'] * 1000:6.1f} p95 {f['p95'] * 1000:6.1f} p99 {f['p99'] * 1000:6.1f} ms (n={len(lat)})  "
                  f"unsent at the end {unsent}  errors {r['errors']}")
            print(f"      CPU per event stored: hall {f['cpu_ms']:.2f} ms (workers {f['workers_ms']:.2f} + PostgreSQL "
                  f"{f['pg_ms']:.2f}), load generator {f['client_ms']:.2f} ms; hall {f['share']:.0%} and load "
                  f"generator {f['client_share']:.0%} of the {n} CPUs; heartbeats {len(hb)} p99 "
                  f"{_pct([x[1] for x in hb], 99) * 1000:.0f} ms; load average {os.getloadavg()[0]:.1f}")
            print(f"      CPU per post: hall {f['post_ms']:.2f} ms (workers {f['post_workers_ms']:.2f} + PostgreSQL "
                  f"{f['post_pg_ms']:.2f}), load generator {f['post_client_ms']:.2f} ms")
        best = max(figures["uploader"].items(), key=lambda kv: kv[1]["rate"], default=None)
        if best:
            offered, f = best
            figures.update(rate=f["rate"], cpu_ms=f["cpu_ms"], pg_ms=f["pg_ms"], workers_ms=f["workers_ms"],
                           client_ms=f["client_ms"], share=f["share"])
            print(f"  goal >= 2,000 events/s stored: {f['rate']:.0f} (offered {offered:.0f}): "
                  f"{'met' if f['rate'] >= 2000 else 'NOT met'}")
            kept = [(o, g) for o, g in figures["uploader"].items() if g["unsent"] == 0 and g["rate"] >= 0.97 * o]
            if kept:
                o, g = max(kept, key=lambda kv: kv[0])
                print(f"  goal p99 <= 100 ms at a load the hall keeps up with: {g['p99'] * 1000:.0f} ms at "
                      f"{o:.0f} ev/s offered ({g['rate']:.0f} stored): {'met' if g['p99'] <= 0.100 else 'NOT met'}"
                      f"   (ratio to p99 GET /healthz {g['p99'] / p99_h:.1f}x)")
            if label == "after":
                report("hall ingest, events/s stored (uploader model)", f["rate"], "events/s", goal=">= 2000 events/s")
                report("hall ingest, CPU per event (workers + PostgreSQL)", f["cpu_ms"], "ms")
                for o, g in figures["uploader"].items():
                    report(f"hall ingest, p99 produced->held at {o:.0f} events/s offered", g["p99"] * 1000, "ms",
                           goal="<= 100 ms" if g["unsent"] == 0 else None, ratio=g["p99"] / p99_h,
                           ratio_to="p99 GET /healthz")

        for batch in [int(x) for x in args.batch.split(",") if x]:
            load = run_load(port, kiosks, args.seconds, batch, args.clients, "events", hall_pids=hall_pids)
            ev = load["by"]["events"]
            stored = sum(r[2] for r in ev)
            f = {"rate": stored / load["wall"], "p99": _pct([r[1] for r in ev], 99),
                 "cpu_ms": load["hall_cpu"] / max(stored, 1) * 1000, "pg_ms": load["pg_cpu"] / max(stored, 1) * 1000,
                 "workers_ms": (load["hall_cpu"] - load["pg_cpu"]) / max(stored, 1) * 1000,
                 "client_ms": load["client_cpu"] / max(stored, 1) * 1000, "share": load["hall_cpu"] / load["wall"] / n,
                 **_per_post(load, len(ev) + len(load["by"]["heartbeat"]))}
            figures["fixed"][batch] = f
            print(f"  fixed batches of {batch:3d}, back to back (a heartbeat every 5th): {f['rate']:5.0f} ev/s  "
                  f"{len(ev) / load['wall']:4.0f} posts/s  {_ms(ev)}  errors {load['errors']}")
            print(f"      CPU per event: hall {f['cpu_ms']:.2f} ms (workers {f['workers_ms']:.2f} + PostgreSQL "
                  f"{f['pg_ms']:.2f}), load generator {f['client_ms']:.2f} ms; hall {f['share']:.0%} of the {n} CPUs; "
                  f"load average {os.getloadavg()[0]:.1f}")
            print(f"      CPU per request (posts and heartbeats): hall {f['post_ms']:.2f} ms (workers "
                  f"{f['post_workers_ms']:.2f} + PostgreSQL {f['post_pg_ms']:.2f}), load generator "
                  f"{f['post_client_ms']:.2f} ms")

        if args.backlog > 0:
            figures.update(run_backlog(port, backlog_token, args.backlog, args.backlog_batch, hall))
            if label == "after":
                report(f"hall ingest, backlog of {args.backlog} events drained", figures["drain"], "s",
                       goal="<= 30 s")
        else:
            print("  backlog: none asked for (--backlog 0)")
    finally:
        hall.stop()
        shutil.rmtree(root, ignore_errors=True)
    return figures


def _source_of(ref: str, into: Path) -> Path:
    """The tree of git commit `ref` of this repository, extracted under `into`."""
    repo = Path(__file__).resolve().parent.parent
    out = into / f"src-{ref.replace('/', '_')}"
    out.mkdir(parents=True)
    archive = subprocess.run(["git", "-C", str(repo), "archive", ref], capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(out)], input=archive, check=True)
    return out


def _compare(before: dict, after: dict) -> None:
    print(f"\nbefore ({before['label']}) -> after ({after['label']}), same run, same load:")
    for offered, a in after["uploader"].items():
        b = before["uploader"].get(offered)
        if b:
            print(f"  uploader model, offered {offered:5.0f} ev/s: stored {b['rate']:5.0f} -> {a['rate']:5.0f} ev/s; "
                  f"p50/p95/p99 {b['p50'] * 1000:.0f}/{b['p95'] * 1000:.0f}/{b['p99'] * 1000:.0f} -> "
                  f"{a['p50'] * 1000:.0f}/{a['p95'] * 1000:.0f}/{a['p99'] * 1000:.0f} ms; events a post "
                  f"{b['batch']:.1f} -> {a['batch']:.1f}; hall CPU per event {b['cpu_ms']:.2f} -> {a['cpu_ms']:.2f} ms "
                  f"(workers {b['workers_ms']:.2f} -> {a['workers_ms']:.2f}, PostgreSQL {b['pg_ms']:.2f} -> "
                  f"{a['pg_ms']:.2f}); unsent at the end {b['unsent']} -> {a['unsent']}")
    for batch, a in after["fixed"].items():
        b = before["fixed"].get(batch)
        if b:
            print(f"  fixed batches of {batch:3d}: {b['rate']:5.0f} -> {a['rate']:5.0f} ev/s; hall CPU per event "
                  f"{b['cpu_ms']:.2f} -> {a['cpu_ms']:.2f} ms (workers {b['workers_ms']:.2f} -> {a['workers_ms']:.2f}, "
                  f"PostgreSQL {b['pg_ms']:.2f} -> {a['pg_ms']:.2f})")
    cpu = os.cpu_count() or 1
    if "cpu_ms" in before and "cpu_ms" in after:
        print(f"  at the highest stored rate: hall CPU per event {before['cpu_ms']:.2f} -> {after['cpu_ms']:.2f} ms, "
              f"events/s if the hall had the {cpu} CPUs to itself {1000 / before['cpu_ms'] * cpu:.0f} -> "
              f"{1000 / after['cpu_ms'] * cpu:.0f}")
    if "drain" in after and "drain" in before:
        print(f"  backlog drained: {before['drain']:.1f} -> {after['drain']:.1f} s")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--kiosks", type=int, default=200)
    ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--batch", default="10,25,50",
                    help="fixed-batch phases, back to back (the older load model), e.g. 10,25,50; '' for none")
    ap.add_argument("--max-events", type=int, default=200, help="the uploader's batch_events ([sync], kiosk.config)")
    ap.add_argument("--heartbeat", type=float, default=30.0, help="the uploader's heartbeat_s")
    ap.add_argument("--clients", type=int, default=4)
    ap.add_argument("--backlog", type=int, default=5000)
    ap.add_argument("--backlog-batch", type=int, default=250)
    ap.add_argument("--workers", type=int, default=None)
    ap.add_argument("--threads", type=int, default=None)
    ap.add_argument("--offered", default="200,500,1000,2000,3000",
                    help="uploader-model phases: events/s produced by all the kiosks together")
    ap.add_argument("--before", default=None, metavar="GIT_REF",
                    help="first measure the hall of this commit (git archive), then this tree's, and compare")
    ap.add_argument("--dir", default="/tmp")
    args = ap.parse_args()

    here = Path(__file__).resolve().parent.parent
    if not args.before:
        measure("after", here, args)
        return 0
    scratch = Path(tempfile.mkdtemp(prefix="bench-hall-src-", dir=args.dir))
    try:
        before = measure(f"before: {args.before}", _source_of(args.before, scratch), args)
        after = measure("after: this tree", here, args)
        _compare(before, after)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
