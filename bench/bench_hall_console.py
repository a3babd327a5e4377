"""The staff console's queue page over a million applications in PostgreSQL; prints figures (not a test).

    .venv/bin/python bench/bench_hall_console.py [--rows 1000000] [--runs 30] [--dir /tmp] [--database URL]

Starts a throwaway PostgreSQL cluster (hall.pgcluster, Debian's binaries; or uses --database), migrates the
hall, seeds --rows cases in one INSERT ... SELECT FROM generate_series (10% waiting for review, 3% accepted,
2% waiting for 补正, the rest closed; 40 items; 60 kiosks; 20 reviewers owning a share), ANALYZEs, then times:

1. Server time of the queue page (Django's full request handling in-process: middleware, session, auth,
   queries, template) for the default view, an item filter, a state filter, 只看我认领的, a deep page and
   "all states". Goal <= 200 ms. Baseline beside it: /healthz through the same stack, and the page's rows
   query alone (the SQL the page runs, timed in PostgreSQL); ratios page / healthz.
2. The same default page over HTTP from `python -m hall serve` (gunicorn process), client round trip.
3. The statistics page (--sessions kiosk sessions and --ratings ratings seeded beside the cases): server
   time for 14 days (the default), one item, 90 days, 366 days (the longest range) and the CSV export.
   Goal <= 200 ms. The first view of a range counts its days that are over into the daily rollup (console
   migration 0003; printed apart), later views read them from it and count only today from the tables.
4. Staff calls (--calls): a kiosk's call posted to the API until it is on the calls page in headless
   Chromium, and the 已收到 click until the kiosk's heartbeat reply carries it. Goal p95 <= 2 s each.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

from figures import report

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PASSWORD = "bench-password-1"


def seed(rows: int) -> None:
    """Kiosks, staff and `rows` cases, straight in SQL (generate_series), then ANALYZE."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.utils import timezone

    from hall.cases import services
    from hall.cases.models import Kiosk

    now = timezone.now()
    Kiosk.objects.bulk_create([Kiosk(kiosk_id=f"B{i:03d}", name=f"自助终端{i}", location=f"{i % 3 + 1}楼大厅",
                                     enrolled_at=now) for i in range(60)])
    users = get_user_model()
    for i in range(20):
        user = users.objects.create_user(f"reviewer{i}", password=PASSWORD, first_name=f"受理员{i}")
        services.set_role(user, "reviewer")
    with connection.cursor() as cur:
        cur.execute("SELECT min(id) FROM cases_kiosk")
        first_kiosk = cur.fetchone()[0]
        cur.execute("SELECT min(id) FROM auth_user WHERE username LIKE 'reviewer%%'")
        first_user = cur.fetchone()[0]
        cur.execute(
            """
            INSERT INTO cases_case (number, service, service_title, office, document_name, outcome, state,
                licence_number, applicant_name, applicant_phone, id_number_hash, id_number_masked, answers, findings,
                promised_days,
                time_limit_days, kiosk_decided_at, submitted_at, correction_due, decision_due, paused_since,
                paused_working_days, correction_count, claimed_at, decided_at, notice, pickup, change_seq,
                updated_at, claimed_by_id, decided_by_id, kiosk_id)
            SELECT 'B' || lpad(g::text, 9, '0'), 'item-' || (g %% 40), '事项' || (g %% 40), '市场监督管理局', '许可证',
                CASE WHEN r < 0.15 THEN 'accepted' WHEN r < 0.95 THEN 'approved' ELSE 'blocked' END,
                CASE WHEN r < 0.10 THEN 'submitted' WHEN r < 0.13 THEN 'accepted'
                     WHEN r < 0.15 THEN 'correction_requested' WHEN r < 0.60 THEN 'approved'
                     WHEN r < 0.95 THEN 'delivered' ELSE 'blocked' END,
                '', '申请人' || g, '13800000000', '', '110***********1234', '{"shop_name": "小店"}'::jsonb,
                '[{"rule": "r1", "severity": "warning", "message": "缺少平面图"}]'::jsonb, NULL, 20, t, t,
                (t + interval '7 days')::date, (t + interval '28 days')::date,
                CASE WHEN r >= 0.13 AND r < 0.15 THEN t + interval '2 days' END,
                0, CASE WHEN r >= 0.13 AND r < 0.15 THEN 1 ELSE 0 END,
                CASE WHEN r < 0.15 AND g %% 3 = 0 THEN t END, NULL, NULL, NULL, g, t,
                CASE WHEN r < 0.15 AND g %% 3 = 0 THEN %s + (g %% 20) END, NULL, %s + (g %% 60)
            FROM (SELECT g, random() AS r, now() - (random() * interval '730 days') AS t
                  FROM generate_series(1, %s) AS g) AS s
            """,
            [first_user, first_kiosk, rows],
        )
    # What autovacuum does on a live hall (sets the visibility map: index-only scans for the queue's count).
    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE cases_case")


def seed_stats(sessions: int, ratings: int) -> None:
    """What the statistics page reads beside the cases: `sessions` kiosk sessions (step statistics, 80% finished,
    the rest abandoned at one of 5 steps) and `ratings` 好差评 (a fifth of them 差评, most answered), over the same
    two years as the cases, then ANALYZE."""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SELECT min(id) FROM cases_kiosk")
        first_kiosk = cur.fetchone()[0]
        cur.execute("SELECT min(id) FROM auth_user WHERE username LIKE 'reviewer%%'")
        first_user = cur.fetchone()[0]
        cur.execute(
            """
            INSERT INTO cases_stepstat (kiosk_id, session_id, service, steps, finished, abandoned_at, at, received_at)
            SELECT %s + (g %% 60), 's' || g, 'item-' || (g %% 40),
                jsonb_build_array(jsonb_build_object('step', 'card', 'seconds', 10 + g %% 50),
                                  jsonb_build_object('step', 'form', 'seconds', 60 + g %% 240),
                                  jsonb_build_object('step', 'materials', 'seconds', 20 + g %% 90),
                                  jsonb_build_object('step', 'print', 'seconds', 15)),
                r < 0.8, CASE WHEN r < 0.8 THEN '' ELSE (ARRAY['card', 'form', 'review', 'materials', 'sign'])
                    [1 + (g %% 5)] END, t, t + interval '3 seconds'
            FROM (SELECT g, random() AS r, now() - (random() * interval '730 days') AS t
                  FROM generate_series(1, %s) AS g) AS s
            """, [first_kiosk, sessions])
        cur.execute(
            """
            WITH e AS (
                INSERT INTO cases_event (event_id, kiosk_id, kind, at, received_at, body)
                SELECT gen_random_uuid(), %s + (g %% 60), 'rating', t, t + interval '3 seconds', '{}'::jsonb
                FROM (SELECT g, now() - (random() * interval '730 days') AS t FROM generate_series(1, %s) AS g) AS s
                RETURNING id, kiosk_id, at, received_at)
            INSERT INTO cases_rating (event_id, kiosk_id, number, service, stars, reason, at, received_at, handling,
                                      due, answer, handled_by_id, handled_at)
            SELECT id, kiosk_id, '', 'item-' || (id %% 40), 1 + (id %% 5), '还行', at, received_at, handling,
                CASE WHEN id %% 5 < 2 THEN (received_at + interval '7 days')::date END,
                CASE WHEN handling = 'answered' THEN '已致电说明' ELSE '' END,
                CASE WHEN handling = 'answered' THEN %s END,
                CASE WHEN handling = 'answered' THEN received_at + interval '1 day' END
            FROM (SELECT *, CASE WHEN id %% 5 >= 2 THEN 'none' WHEN received_at > now() - interval '10 days'
                                 THEN 'open' ELSE 'answered' END AS handling FROM e) AS r
            """, [first_kiosk, ratings, first_user])
        cur.execute("VACUUM ANALYZE cases_stepstat")
        cur.execute("VACUUM ANALYZE cases_rating")
        cur.execute("VACUUM ANALYZE cases_event")


def bench_stats(runs: int) -> None:
    """The statistics page's server time (in-process, as the queue) for the default 14 days, a quarter and
    the longest range (366 days), and the CSV export; the SQL time of its queries beside it."""
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    client = Client()
    assert client.login(username="reviewer0", password=PASSWORD)
    today = timezone.localdate()
    views = [
        ("default (14 days)", "/stats/"),
        ("one item, 14 days", "/stats/?service=item-7"),
        ("90 days", f"/stats/?from={today - dt.timedelta(days=89)}&to={today}"),
        ("366 days (the longest)", f"/stats/?from={today - dt.timedelta(days=365)}&to={today}"),
        ("CSV, 366 days", f"/stats.csv?from={today - dt.timedelta(days=365)}&to={today}"),
    ]
    for label, url in views:
        start = time.perf_counter()
        response = client.get(url)
        first = (time.perf_counter() - start) * 1000
        assert response.status_code == 200, (url, response.status_code)
        seen: list[str] = []

        def record(execute, sql, params, many, context, seen=seen):
            seen.append(context["cursor"].mogrify(sql, params) if params else sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(record):
            client.get(url)
        cpu: list[float] = []
        samples = timed(lambda url=url: client.get(url), runs, cpu)
        print(f"  {label:24s} first view {first:7.0f} ms (counts the range's days that are over into the rollup)")
        timings = sorted(((sql_time(q, [], 3), q) for q in seen
                          if q.lstrip().upper().startswith(("SELECT", "WITH"))), reverse=True)
        sql_ms = sum(t for t, _ in timings)
        slowest = timings[0][1].split(" FROM ")[1][:40] if timings else ""
        print(f"  {label:24s} {summary(samples)}  python cpu {statistics.median(cpu):5.1f} ms  "
              f"{len(seen)} queries {sql_ms:6.2f} ms in PostgreSQL (slowest {timings[0][0]:.1f} ms: {slowest})")


def timed(fn, runs: int, cpu: list[float] | None = None) -> list[float]:
    """Wall-clock ms of each of `runs` calls (after one warm-up); this process's CPU ms go to `cpu`."""
    fn()  # warm: connection, template cache
    out = []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        out.append((time.perf_counter() - start) * 1000)
        if cpu is not None:
            cpu.append((time.process_time() - start_cpu) * 1000)
    return out


def summary(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return f"median {statistics.median(ordered):7.1f} ms  p95 {p95:7.1f} ms  max {ordered[-1]:7.1f} ms"


def sql_time(sql: str, params: list, runs: int) -> float:
    """Median execution time PostgreSQL reports for one query (EXPLAIN ANALYZE), in ms."""
    import json

    from django.db import connection

    times = []
    with connection.cursor() as cur:
        for _ in range(runs):
            cur.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql, params)
            plan = cur.fetchone()[0]
            plan = json.loads(plan) if isinstance(plan, str) else plan
            times.append(plan[0]["Execution Time"] + plan[0]["Planning Time"])
    return statistics.median(times)


def bench_in_process(runs: int) -> None:
    from django.db import connection
    from django.test import Client

    client = Client()
    assert client.login(username="reviewer0", password=PASSWORD)
    health = timed(lambda: client.get("/healthz"), runs)
    print(f"  baseline /healthz            {summary(health)}")
    base = statistics.median(health)
    from django.db import connection as conn

    with conn.cursor() as cur:
        cur.execute("SELECT decision_due, id FROM cases_case WHERE state IN ('submitted', 'correction_requested',"
                    " 'accepted') ORDER BY decision_due, id OFFSET least(9999, (SELECT count(*) / 2 FROM cases_case"
                    " WHERE state IN ('submitted', 'correction_requested', 'accepted'))) LIMIT 1")
        due, pk = cur.fetchone()
    views = [
        ("default (open, by deadline)", "/"),
        ("item filter", "/?service=item-7"),
        ("state = accepted", "/?state=accepted"),
        ("只看我认领的", "/?mine=1"),
        ("page 201 (after row 10,000)", f"/?after={due.isoformat()}_{pk}&page=201"),
        ("all states, newest first", "/?state=all"),
    ]
    for label, url in views:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        seen: list[str] = []

        def record(execute, sql, params, many, context, seen=seen):
            seen.append(context["cursor"].mogrify(sql, params) if params else sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(record):
            client.get(url)
        cpu: list[float] = []
        samples = timed(lambda url=url: client.get(url), runs, cpu)
        rows_sql = next((q for q in seen if "LIMIT 51" in q), None)
        if rows_sql is None:
            print("\n".join(q[:300] for q in seen))
            raise SystemExit("the page's rows query was not found")
        rows_ms = sql_time(rows_sql, [], 5)
        sql_ms = sum(sql_time(q, [], 3) for q in seen if q.lstrip().upper().startswith(("SELECT", "WITH")))
        print(f"  {label:28s} {summary(samples)}  python cpu {statistics.median(cpu):5.1f} ms  "
              f"rows query {rows_ms:6.2f} ms  "
              f"all {len(seen)} queries {sql_ms:6.2f} ms  ratio to healthz {statistics.median(samples) / base:5.1f}x")
        report(f"queue page server time, {label.strip()}", statistics.median(samples), "ms", goal="<= 200 ms",
               ratio=statistics.median(samples) / base, ratio_to="/healthz")


def bench_http(args: argparse.Namespace, url: str, data_dir: Path) -> None:
    port = 8690
    server = subprocess.Popen([sys.executable, "-m", "hall", "serve", "--data-dir", str(data_dir), "--port", str(port),
                               "--database", url, "--workers", "2"], cwd=ROOT, stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(base + "/healthz", timeout=2).read()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    print("  (the hall server did not start; HTTP figures skipped)")
                    return
                time.sleep(0.2)
        jar = CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        opener.open(base + "/login/").read()
        token = next(c.value for c in jar if c.name == "csrftoken")
        body = f"username=reviewer0&password={PASSWORD}&csrfmiddlewaretoken={token}".encode()
        request = urllib.request.Request(base + "/login/", data=body, headers={"Referer": base + "/login/"})
        opener.open(request).read()
        health = timed(lambda: opener.open(base + "/healthz").read(), args.runs)
        page = timed(lambda: opener.open(base + "/").read(), args.runs)
        print(f"  HTTP /healthz (gunicorn)     {summary(health)}")
        ratio = statistics.median(page) / statistics.median(health)
        print(f"  HTTP queue page (gunicorn)   {summary(page)}  ratio {ratio:5.1f}x")
        report("queue page over HTTP (gunicorn)", statistics.median(page), "ms", ratio=ratio, ratio_to="/healthz")
        if args.calls:
            bench_calls(args, base)
    finally:
        server.terminate()
        server.wait(30)


def _post_json(url: str, token: str, body: dict) -> dict:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                     headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as reply:
        return json.loads(reply.read())


def bench_calls(args: argparse.Namespace, base: str) -> None:
    """Staff calls through the real pieces: a kiosk's call posted to the API -> on the calls page in headless
    Chromium (the page polls every 0.7 s); the 已收到 click -> in a heartbeat reply, the kiosk polling every
    1 s after a call as kiosk/sync does (its phase uniform against the click)."""
    sys.path.insert(0, str(ROOT / "tests" / "hall" / "browser"))
    import driver
    from selenium.webdriver.common.by import By

    if not driver.available():
        print("  (no chromium/chromedriver: staff call figures skipped)")
        return
    from hall.cases import tokens
    from hall.console import sample

    kiosk_token = tokens.enrol("BCALL", name="呼叫测试终端", location="一楼大厅")
    profile = Path(tempfile.mkdtemp(prefix="bench-console-chromium-"))
    web = driver.start(profile)
    to_console, to_kiosk = [], []
    try:
        web.get(base + "/login/")
        web.find_element(By.ID, "id_username").send_keys("reviewer0")
        web.find_element(By.ID, "id_password").send_keys(PASSWORD)
        web.find_element(By.ID, "login-submit").click()
        driver.wait_for(web, lambda w: w.find_elements(By.ID, "queue"))
        web.get(base + "/calls/")
        driver.wait_for(web, lambda w: "实时更新中" in w.find_element(By.ID, "live").text)
        cursor = 0
        beat = {"kiosk_id": "BCALL", "at": "2026-11-21T10:00:00+08:00", "version": "0.1.0",
                "modules": {"reader": "ok", "printer": "ok", "paper": "ok", "camera": "ok"},
                "oldest_unsent_s": None, "unsent": 0, "counts": {"applications": 0, "approved": 0, "accepted": 0}}
        for i in range(args.calls):
            call = sample.staff_call(location=f"一楼大厅 {i} 号机")
            call_id = call["body"]["call_id"]
            time.sleep(0.137 * (i % 7))  # calls land at every phase of the page's poll
            start = time.perf_counter()
            _post_json(base + "/api/v1/events", kiosk_token, {"kiosk_id": "BCALL", "sent_at": call["at"],
                                                               "events": [call]})
            row = driver.wait_for(web, lambda w, c=call_id: w.find_element(By.ID, f"call-{c}"), timeout=30)
            to_console.append((time.perf_counter() - start) * 1000)
            phase = (i % 10) / 10  # where in its 1 s cycle the kiosk is when staff click
            row.find_element(By.CSS_SELECTOR, "button.ack").click()
            clicked = time.perf_counter()
            time.sleep(phase)
            while True:
                reply = _post_json(base + "/api/v1/heartbeat", kiosk_token, {**beat, "cursor": cursor})
                cursor = reply["cursor"]
                if any(a["call_id"] == call_id for a in reply["call_acks"]):
                    to_kiosk.append((time.perf_counter() - clicked) * 1000)
                    break
                time.sleep(1.0)
    finally:
        web.quit()
        shutil.rmtree(profile, ignore_errors=True)
    print(f"staff calls ({args.calls}; goal p95 <= 2 s each way):")
    print(f"  kiosk call -> on the console page    {summary(to_console)}")
    print(f"  已收到 click -> in the kiosk's reply   {summary(to_kiosk)}  (kiosk polls each 1 s after a call)")
    for name, samples in (("kiosk call -> on the console page", to_console),
                          ("已收到 -> in the kiosk's reply", to_kiosk)):
        if samples:
            report(f"staff call p95, {name}", sorted(samples)[min(len(samples) - 1, int(len(samples) * 0.95))],
                   "ms", goal="<= 2000 ms")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--dir", default="/tmp")
    parser.add_argument("--sessions", type=int, default=1_000_000, help="kiosk sessions for the statistics page")
    parser.add_argument("--ratings", type=int, default=200_000, help="ratings for the statistics page")
    parser.add_argument("--calls", type=int, default=20, help="staff calls to time through Chromium (0: none)")
    parser.add_argument("--database", help="postgresql:// URL of an empty database (default: a throwaway cluster)")
    args = parser.parse_args()

    from hall import pgcluster

    work = Path(tempfile.mkdtemp(prefix="bench-hall-console-", dir=args.dir))
    work.chmod(0o755)
    cluster = None
    try:
        url = args.database
        if not url:
            cluster = pgcluster.Cluster(work / "pg")
            cluster.init(fast=True)
            cluster.start()
            url = cluster.url
        data_dir = work / "data"
        data_dir.mkdir()
        os.environ.update(HALL_DATA_DIR=str(data_dir), HALL_DATABASE_URL=url, DJANGO_SETTINGS_MODULE="hall.settings")
        import django
        from django.core.management import call_command

        django.setup()
        call_command("migrate", interactive=False, verbosity=0)
        start = time.perf_counter()
        seed(args.rows)
        print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (other work on the machine slows"
              " the wall-clock figures; the python cpu and SQL figures are this page's own)")
        print(f"seeded {args.rows:,} cases in {time.perf_counter() - start:.1f} s (generate_series)")
        from django.db import connection

        with connection.cursor() as cur:
            cur.execute("SELECT state, count(*) FROM cases_case GROUP BY 1 ORDER BY 2 DESC")
            print("  " + ", ".join(f"{state} {n:,}" for state, n in cur.fetchall()))
        print(f"queue page server time, in-process ({args.runs} runs each; goal <= 200 ms):")
        bench_in_process(args.runs)
        if args.sessions:
            start = time.perf_counter()
            seed_stats(args.sessions, args.ratings)
            print(f"seeded {args.sessions:,} kiosk sessions and {args.ratings:,} ratings in "
                  f"{time.perf_counter() - start:.1f} s")
            print(f"statistics page server time, in-process ({args.runs} runs each; goal <= 200 ms):")
            bench_stats(args.runs)
        connection.close()
        print("queue page over HTTP:")
        bench_http(args, url, data_dir)
    finally:
        if cluster is not None:
            cluster.stop()
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
