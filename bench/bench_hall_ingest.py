"""Hall ingest benchmark: simulated kiosks posting to a real `python -m hall serve`; prints figures (not a test).

    .venv/bin/python bench/bench_hall_ingest.py [--kiosks 200] [--seconds 20] [--batch 10] [--clients 4]
                                                [--backlog 5000] [--backlog-batch 250] [--dir /tmp]
                                                [--before GIT_REF] [--workers N] [--threads N]

With --before REF it first measures the hall of that commit (extracted with git archive, served with this
venv), then this tree's, with the same load, and prints both and a before -> after table.

Starts `python -m hall serve` as a process with its own PostgreSQL cluster (fsync on, as in a hall) and
enrols the kiosks (one through `python -m hall enrol`, the rest through hall.cases.tokens on the same
database in a helper process of the same source: 200 CLI runs would only time Python's start). Then:

1. Load: --kiosks simulated kiosks (threads spread over --clients processes, each kiosk its own keep-alive
   HTTP connection) post batches of --batch events (applications with a small PDF, step statistics,
   ratings) back to back, and a heartbeat after every 5th batch. Reported: events/s stored, batches/s,
   p50/p95/p99 latency of event posts and of heartbeats, the hall's CPU (gunicorn + PostgreSQL) and the load
   generator's own CPU per event (it shares the 2 cores). Goal >= 2,000 events/s.
   Under saturation the latency is queueing (200 kiosks each waiting on its own post): the p99 goal (<= 100 ms)
   is read at paced loads below saturation, --offered events/s (each kiosk one batch every kiosks*batch/load s,
   latency also counted from when the batch was due, so a kiosk that fell behind counts its wait).
   Beside it the bare baseline: the same clients calling GET /healthz (Django + one SELECT), and the ratio.
2. Backlog: one kiosk back after 3 days offline with --backlog events (the same mix) sends them in batches
   of --backlog-batch, one after another, as the kiosk's uploader does. Goal: drained in <= 30 s.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import http.client
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


def _heartbeat(kiosk_id: str, cursor: int) -> dict:
    return {"kiosk_id": kiosk_id, "at": "2026-11-21T10:00:00+08:00", "cursor": cursor, "version": "0.1.0",
            "modules": {"reader": "ok", "printer": "ok", "paper": "ok", "camera": "ok"},
            "oldest_unsent_s": 1.0, "unsent": 0, "counts": {"applications": 1, "approved": 1, "accepted": 0}}


class Conn:
    def __init__(self, port: int, token: str | None):
        self.port, self.token = port, token
        self.http = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def call(self, method: str, path: str, body: dict | bytes | None = None) -> tuple[int, bytes]:
        headers = {"Content-Type": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        data = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode() if body else None
        for attempt in (1, 2):
            try:
                self.http.request(method, path, body=data, headers=headers)
                reply = self.http.getresponse()
                return reply.status, reply.read()
            except (ConnectionError, http.client.HTTPException):
                self.http.close()
                self.http = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                if attempt == 2:
                    raise
        raise AssertionError


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
    out: mp.Queue = mp.get_context("fork").Queue()
    groups = [kiosks[c::clients] for c in range(clients)]
    procs = [mp.get_context("fork").Process(target=_client, args=(port, g, seconds, batch, mode, out, interval))
             for g in groups]
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
    by = {kind: [r for r in results if r[0] == kind] for kind in ("events", "events_due", "heartbeat", "healthz")}
    return {"wall": wall, "by": by, "errors": sum(1 for r in results if r[3] != 200), "hall_cpu": cpu,
            "pg_cpu": pg, "client_cpu": client_cpu}


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
    figures: dict = {"label": label, "paced": {}}
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
        print(f"\n[{label}] hall from {src}: {args.kiosks} kiosks over {args.clients} client processes, batches of "
              f"{args.batch} events, {args.seconds:.0f} s; hall = gunicorn {args.workers or 'default'} workers x "
              f"{args.threads or 'default'} threads, own PostgreSQL (fsync on); {cpu} CPUs shared by the clients, "
              f"the hall and PostgreSQL; load average before: {os.getloadavg()[0]:.1f}")

        base = run_load(port, kiosks, min(args.seconds, 8), 1, args.clients, "healthz")
        h = base["by"]["healthz"]
        print(f"  baseline GET /healthz:   {len(h) / base['wall']:8.0f} req/s   {_ms(h)}  errors {base['errors']}")

        hall_pids = [hall.proc.pid, hall.postmaster()]

        load = run_load(port, kiosks, args.seconds, args.batch, args.clients, "events", hall_pids=hall_pids)
        ev, hb = load["by"]["events"], load["by"]["heartbeat"]
        stored = sum(r[2] for r in ev)
        rate = stored / load["wall"]
        cpu_per_event_ms = load["hall_cpu"] / max(stored, 1) * 1000
        print(f"  saturation (back to back): {rate:6.0f} events/s  {len(ev) / load['wall']:5.0f} batches/s  "
              f"{_ms(ev)}  errors {load['errors']}")
        print(f"  heartbeats meanwhile:      {len(hb) / load['wall']:6.0f} req/s    {_ms(hb)}")
        print(f"  hall CPU (gunicorn workers + PostgreSQL): {cpu_per_event_ms:.2f} ms per event stored "
              f"-> {1000 / cpu_per_event_ms * (cpu or 1):.0f} events/s if the hall had this machine's {cpu} CPUs "
              "to itself")
        workers_ms = (load["hall_cpu"] - load["pg_cpu"]) / max(stored, 1) * 1000
        pg_ms = load["pg_cpu"] / max(stored, 1) * 1000
        print(f"    of which PostgreSQL {pg_ms:.2f} ms, the hall's workers {workers_ms:.2f} ms")
        client_ms = load["client_cpu"] / max(stored, 1) * 1000
        print(f"  load generator CPU (the {args.clients} client processes, measured apart): {client_ms:.2f} ms per "
              f"event stored, {load['client_cpu'] / load['wall'] / (cpu or 1) * 100:.0f}% of the machine's {cpu} "
              f"CPUs; hall + PostgreSQL {load['hall_cpu'] / load['wall'] / (cpu or 1) * 100:.0f}%; load average "
              f"{os.getloadavg()[0]:.1f}")
        figures.update(rate=rate, cpu_ms=cpu_per_event_ms, pg_ms=pg_ms, workers_ms=workers_ms, client_ms=client_ms,
                       share=load["hall_cpu"] / load["wall"] / (cpu or 1), p99_sat=_pct([r[1] for r in ev], 99))
        p99_h = _pct([r[1] for r in h], 99)
        for offered in [float(x) for x in args.offered.split(",") if x]:
            interval = len(kiosks) * args.batch / offered
            paced = run_load(port, kiosks, args.seconds, args.batch, args.clients, "events", interval=interval,
                             hall_pids=hall_pids)
            pev, due = paced["by"]["events"], paced["by"]["events_due"]
            prate = sum(r[2] for r in pev) / paced["wall"]
            p99_ev = _pct([r[1] for r in pev], 99)
            print(f"  paced (offered {offered:.0f} events/s: each kiosk {args.batch} events every {interval:g} s): "
                  f"{prate:6.0f} events/s  {_ms(pev)}  errors {paced['errors']}")
            print(f"    from when each batch was due (a kiosk behind its schedule waits too): {_ms(due)}; "
                  f"hall CPU {paced['hall_cpu'] / paced['wall'] / (cpu or 1) * 100:.0f}%, load generator "
                  f"{paced['client_cpu'] / paced['wall'] / (cpu or 1) * 100:.0f}% of the {cpu} CPUs; load average "
                  f"{os.getloadavg()[0]:.1f}")
            print(f"    ratio p99 / p99 bare healthz: {p99_ev / p99_h:.1f}x   p99 <= 100 ms at this load: "
                  f"{'met' if p99_ev <= 0.100 else 'NOT met'}")
            figures["paced"][offered] = (prate, p99_ev, _pct([r[1] for r in due], 99))
            if label == "after":
                report(f"hall ingest, paced at {offered:.0f} events/s", prate, "events/s")
                report(f"hall ingest, p99 of an event batch at {offered:.0f} events/s offered", p99_ev * 1000, "ms",
                       goal="<= 100 ms", ratio=p99_ev / p99_h, ratio_to="p99 GET /healthz")
        print(f"  goal >= 2,000 events/s stored at saturation: {'met' if rate >= 2000 else 'NOT met'}")
        if label == "after":
            report("hall ingest, saturation", rate, "events/s", goal=">= 2000 events/s")
            report("hall ingest, CPU per event (workers + PostgreSQL)", cpu_per_event_ms, "ms")

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
    print(f"\nbefore ({before['label']}) -> after ({after['label']}), same run, same load mix:")
    rows = [("saturation, events/s stored", "rate", "{:.0f}"), ("hall CPU per event, ms (workers + PostgreSQL)",
            "cpu_ms", "{:.2f}"), ("  of which the hall's workers, ms", "workers_ms", "{:.2f}"),
            ("  of which PostgreSQL, ms", "pg_ms", "{:.2f}"), ("load generator CPU per event, ms", "client_ms",
            "{:.2f}"), ("share of the 2 CPUs the hall got at saturation", "share", "{:.0%}")]
    for name, key, fmt in rows:
        print(f"  {name:48s} {fmt.format(before[key]):>8s} -> {fmt.format(after[key]):>8s}")
    cpu = os.cpu_count() or 1
    print(f"  {'events/s if the hall had the ' + str(cpu) + ' CPUs to itself':48s} "
          f"{1000 / before['cpu_ms'] * cpu:8.0f} -> {1000 / after['cpu_ms'] * cpu:8.0f}")
    for offered in after["paced"]:
        b, a = before["paced"].get(offered), after["paced"][offered]
        if b:
            print(f"  {'paced ' + format(offered, '.0f') + ' ev/s: stored ev/s, p99 ms':48s} "
                  f"{b[0]:4.0f} {b[1] * 1000:6.0f} -> {a[0]:4.0f} {a[1] * 1000:6.0f}")
    if "drain" in after and "drain" in before:
        print(f"  {'backlog drained, s':48s} {before['drain']:8.1f} -> {after['drain']:8.1f}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--kiosks", type=int, default=200)
    ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--batch", type=int, default=10)
    ap.add_argument("--clients", type=int, default=4)
    ap.add_argument("--backlog", type=int, default=5000)
    ap.add_argument("--backlog-batch", type=int, default=250)
    ap.add_argument("--workers", type=int, default=None)
    ap.add_argument("--threads", type=int, default=None)
    ap.add_argument("--offered", default="200,1000,2000",
                    help="paced phases: offered loads in events/s (each kiosk sends a batch every kiosks*batch/load s)")
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
