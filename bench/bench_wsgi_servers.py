"""WSGI servers' own cost per request: a trivial WSGI app behind gunicorn (gthread, the hall's server before)
and granian (the hall's server now), 200 kept-alive connections posting a 3 kB body; prints figures.

    .venv/bin/python bench/bench_wsgi_servers.py [--rates 500,1000] [--seconds 8] [--workers 5] [--threads 4]

Why: a kiosk posts each event as soon as it exists, so at a hall's usual load a post carries one event and
what the server itself spends per request (HTTP parsing, keep-alive, handing the request to a Python thread)
counts as much as the hall's own code (bench_hall_ingest.py: CPU per post). The app does nothing but read
the body and answer 20 bytes, so the CPU measured (the server's processes, user + system, from /proc) is
the server's. The load generator (asyncio, one process) is measured apart. Both servers are run with the
hall's defaults (hall.server: 2 x cores + 1 worker processes, 4 threads each); the bare baseline is
granian's Rust side alone: the same app with 1 blocking thread a worker.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

APP = '''
def application(environ, start_response):
    body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
    out = b'{"held":["%d"]}' % len(body)
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(out)))])
    return [out]
'''
BODY = b"x" * 3000
CONNECTIONS = 200


def _cpu_of_tree(root: int) -> float:
    parent, ticks = {}, {}
    for e in os.listdir("/proc"):
        if e.isdigit():
            try:
                f = Path(f"/proc/{e}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            parent[int(e)], ticks[int(e)] = int(f[1]), sum(int(x) for x in f[11:15])
    total = 0
    for pid, t in ticks.items():
        p = pid
        while p > 1:
            if p == root:
                total += t
                break
            p = parent.get(p, 0)
    return total / os.sysconf("SC_CLK_TCK")


async def _load(port: int, rate: float, seconds: float) -> list[float]:
    lat: list[float] = []
    req = (b"POST /api/v1/events HTTP/1.1\r\nHost: hall\r\nContent-Type: application/json\r\n"
           b"Content-Length: %d\r\n\r\n" % len(BODY)) + BODY

    async def kiosk(end: float) -> None:
        r, w = await asyncio.open_connection("127.0.0.1", port)
        while time.monotonic() < end:
            await asyncio.sleep(random.expovariate(rate / CONNECTIONS))
            t = time.monotonic()
            w.write(req)
            await w.drain()
            head = await r.readuntil(b"\r\n\r\n")
            length = next(int(line.split(b":")[1]) for line in head.split(b"\r\n")
                          if line.lower().startswith(b"content-length"))
            await r.readexactly(length)
            lat.append(time.monotonic() - t)
        w.close()

    end = time.monotonic() + seconds
    await asyncio.gather(*[kiosk(end) for _ in range(CONNECTIONS)])
    return lat


def _wait_port(port: int) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)
    raise SystemExit("the server did not listen")


def measure(name: str, cmd: list[str], cwd: str, port: int, rates: list[float], seconds: float) -> dict:
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    out = {}
    try:
        _wait_port(port)
        time.sleep(1)  # every worker up
        for rate in rates:
            c0, o0, t0 = _cpu_of_tree(proc.pid), os.times(), time.monotonic()
            lat = sorted(asyncio.run(_load(port, rate, seconds)))
            wall, cpu, o = time.monotonic() - t0, _cpu_of_tree(proc.pid) - c0, os.times()
            client = (o.user + o.system) - (o0.user + o0.system)
            out[rate] = cpu / len(lat) * 1000
            print(f"  {name:34s} offered {rate:5.0f}/s: {len(lat) / wall:5.0f} req/s  server CPU "
                  f"{cpu / len(lat) * 1000:.3f} ms/request  load generator {client / len(lat) * 1000:.3f} ms  "
                  f"p50 {lat[len(lat) // 2] * 1000:5.1f} p99 {lat[int(len(lat) * 0.99)] * 1000:6.1f} ms  "
                  f"load average {os.getloadavg()[0]:.1f}", flush=True)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rates", default="500,1000")
    ap.add_argument("--seconds", type=float, default=8)
    ap.add_argument("--workers", type=int, default=max(2, min(2 * (os.cpu_count() or 1) + 1, 9)))
    ap.add_argument("--threads", type=int, default=4)
    args = ap.parse_args()
    rates = [float(x) for x in args.rates.split(",")]
    bindir = Path(sys.executable).parent
    with tempfile.TemporaryDirectory() as tmp:
        Path(tmp, "app.py").write_text(APP)
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        w, t = str(args.workers), str(args.threads)
        print(f"{CONNECTIONS} kept-alive connections, 3 kB posts, a trivial WSGI app; {w} workers x {t} threads; "
              f"{os.cpu_count()} CPUs shared with the load generator")
        gun = measure("gunicorn gthread", [str(bindir / "gunicorn"), "-b", f"127.0.0.1:{port}", "-w", w, "--threads", t,
                                           "-k", "gthread", "--keep-alive", "30", "app:application"],
                      tmp, port, rates, args.seconds)
        common = [str(bindir / "granian"), "--interface", "wsgi", "--host", "127.0.0.1", "--port", str(port),
                  "--workers", w, "--no-ws", "--log-level", "warning"]
        gra = measure("granian", [*common, "--blocking-threads", t, "app:application"], tmp, port, rates, args.seconds)
        bare = measure("granian, 1 thread a worker (baseline)", [*common, "--blocking-threads", "1", "app:application"],
                       tmp, port, rates, args.seconds)
    for rate in rates:
        print(f"  offered {rate:5.0f}/s: server CPU per request gunicorn {gun[rate]:.3f} -> granian {gra[rate]:.3f} ms "
              f"({gra[rate] / gun[rate]:.2f}x; baseline {bare[rate]:.3f} ms, granian/baseline "
              f"{gra[rate] / bare[rate]:.2f}x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
