"""Benchmark of the technician panel's statistics page on a busy terminal; prints figures (not a test).

    .venv/bin/python bench/bench_stats.py [--applications 1000000] [--days 365] [--runs 5] [--dir DIR]

Seeds a kiosk database (made by `Store.open`, so with every migration and index) with N applications
spread over the last D days (plus about 1.2 visits and 0.3 ratings per application: abandoned and
blocked visits, findings on a fifth of them), in one transaction with executemany. Then:
1. The page's queries in this process (`terminal_statistics`, what the panel's worker runs) over 1, 30
   and all days: counted from the database alone (no cache: the first look after the cache file was
   deleted), then with the cache of days that are over (kiosk.stats_cache: only today is counted;
   what every later look costs). Goal <= 200 ms. Baseline: `SELECT COUNT(*) FROM applications` on the
   same connection (the least any statistic costs).
2. `kiosk stats --json` as a new process (what a technician starts; with its cache), beside
   `python -c pass` and a bare `python -c "import sqlite3; COUNT(*)"` process; the command's own query
   time (its JSON `query_ms`) shows how much of the wall time is Python and the imports.
The database is kept in --dir (default: a temporary dir, removed at the end) and reused when it already
holds the asked number of applications.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from figures import report as record

from kiosk.stats_cache import CACHE_FILE_NAME
from kiosk.store import Store
from kiosk.terminal_stats import FUNNEL_STEPS, terminal_statistics

REPO = Path(__file__).resolve().parents[1]
SERVICES = [f"item-{n:02d}" for n in range(40)]
FINDINGS = [json.dumps([{"rule": f"rule_{n}", "severity": "review", "message": f"预审提示 {n}"}], ensure_ascii=False)
            for n in range(25)]
UNTIL = dt.datetime(2026, 11, 21, 18, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def seed(data_dir: Path, applications: int, days: int) -> float:
    """Fill the database; return the seconds it took."""
    Store.open(data_dir).close()  # every migration, every index
    conn = sqlite3.connect(data_dir / "kiosk.db", isolation_level=None)
    have = conn.execute("SELECT COUNT(*) FROM applications").fetchone()[0]
    if have == applications:
        conn.close()
        return 0.0
    if have:
        raise SystemExit(f"{data_dir} holds {have} applications, not {applications}: use another --dir")
    rng = random.Random(13)
    started = time.perf_counter()
    start = UNTIL.astimezone(dt.UTC) - dt.timedelta(days=days)

    def moments(count: int):
        gap = dt.timedelta(days=days) / count
        for i in range(count):
            yield (start + gap * i).isoformat(timespec="microseconds")

    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("BEGIN")
    conn.executemany(
        "INSERT INTO applications (service, state, decision, answers, findings, receipt_no, created_at, updated_at, "
        "decided_at) VALUES (?, 'submitted', ?, '{}', '[]', ?, ?, ?, ?)",
        ((rng.choice(SERVICES), "approved" if rng.random() < 0.6 else "accepted", f"R{i:08d}", at, at, at)
         for i, at in enumerate(moments(applications))))
    visits = int(applications * 1.2)

    def visit_rows():
        for i, at in enumerate(moments(visits)):
            roll = rng.random()
            finished = roll < 0.83
            abandoned = None if finished else rng.choice(FUNNEL_STEPS[:6])
            outcome = "blocked" if not finished and roll > 0.95 else ("approved" if finished else None)
            findings = rng.choice(FINDINGS) if rng.random() < 0.2 else "[]"
            yield (f"v{i}", rng.choice(SERVICES), at, round(rng.uniform(40, 600), 1), int(finished), abandoned,
                   outcome, findings)

    conn.executemany("INSERT INTO visits (session_id, service, ended_at, seconds, finished, abandoned_at, outcome, "
                     "findings) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", visit_rows())
    conn.executemany("INSERT INTO ratings (at, service, stars) VALUES (?, ?, ?)",
                     ((at, rng.choice(SERVICES), rng.choice((5, 5, 5, 4, 4, 3, 2, 1)))
                      for at in moments(applications * 3 // 10)))
    conn.execute("COMMIT")
    conn.execute("ANALYZE")
    conn.close()
    return time.perf_counter() - started


def timed(fn, runs: int) -> tuple[float, float]:
    """(median, best) milliseconds over `runs` calls after one warm-up call."""
    fn()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples), min(samples)


def process(args: list[str], runs: int, env: dict[str, str]) -> tuple[float, subprocess.CompletedProcess]:
    samples, done = [], None
    for _ in range(runs + 1):
        started = time.perf_counter()
        done = subprocess.run(args, capture_output=True, text=True, env=env, cwd=REPO, check=True)
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples[1:]), done


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--applications", type=int, default=1_000_000)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--dir", type=Path, default=None, help="keep the database here (reused next time)")
    args = parser.parse_args()
    data_dir = args.dir or Path(tempfile.mkdtemp(prefix="bench-stats-"))
    try:
        seconds = seed(data_dir, args.applications, args.days)
        db = data_dir / "kiosk.db"
        size = sum(p.stat().st_size for p in data_dir.glob("kiosk.db*")) / 2**20
        print(f"database: {args.applications:,} applications over {args.days} days, {db} ({size:.0f} MiB); "
              + (f"seeded in {seconds:.1f} s" if seconds else "reused"))
        print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        with Store.open(data_dir) as store:
            count = lambda: store.db.conn.execute("SELECT COUNT(*) FROM applications").fetchone()  # noqa: E731
            base, _ = timed(count, args.runs)
            print("\n1. the statistics page's queries in process (goal <= 200 ms)")
            print(f"   baseline  SELECT COUNT(*) FROM applications      {base:8.1f} ms")
            cache = data_dir / CACHE_FILE_NAME
            cache.unlink(missing_ok=True)
            for days in (1, 30, args.days):
                report = terminal_statistics(store, until=UNTIL, days=days)
                print(f"   {days:>3} days  ({report.totals.applications:>7,} applications, "
                      f"{report.totals.visits:>9,} visits)")
                med, best = timed(lambda days=days: terminal_statistics(store, until=UNTIL, days=days), args.runs)
                print(f"       no cache    median {med:8.1f} ms  best {best:7.1f} ms  ratio to COUNT(*) "
                      f"{med / base:6.1f}x")
                med, best = timed(lambda days=days: terminal_statistics(store, until=UNTIL, days=days, cache=cache),
                                  args.runs)
                print(f"       with cache  median {med:8.1f} ms  best {best:7.1f} ms  ratio to COUNT(*) "
                      f"{med / base:6.1f}x")
                record(f"statistics page, {days} days, with cache", med, "ms", goal="<= 200 ms", ratio=med / base,
                       ratio_to="SELECT COUNT(*)")
        env = dict(os.environ, KIOSK_TODAY=UNTIL.date().isoformat(), TZ="Asia/Shanghai")
        print("\n2. as processes (wall time, median of", args.runs, "after one warm-up)")
        bare, _ = process([sys.executable, "-c", "pass"], args.runs, env)
        sql, _ = process([sys.executable, "-c", f"import sqlite3; sqlite3.connect({str(db)!r})"
                          ".execute('SELECT COUNT(*) FROM applications').fetchone()"], args.runs, env)
        print(f"   python -c pass                                   {bare:8.1f} ms")
        print(f"   python -c 'sqlite3 COUNT(*)'                     {sql:8.1f} ms")
        for days in (30, args.days):
            wall, done = process([sys.executable, "-m", "kiosk", "stats", "--data-dir", str(data_dir), "--days",
                                  str(days), "--until", UNTIL.date().isoformat(), "--json"], args.runs, env)
            query = json.loads(done.stdout)["query_ms"]
            print(f"   kiosk stats --days {days:<3} --json                {wall:8.1f} ms  (its queries {query:.1f} ms)"
                  f"  ratio to python -c pass {wall / bare:4.1f}x, to sqlite3 COUNT(*) {wall / sql:4.1f}x")
            record(f"kiosk stats --days {days} --json process", wall, "ms", ratio=wall / bare,
                   ratio_to="python -c pass")
    finally:
        if args.dir is None:
            shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
