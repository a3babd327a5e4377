"""End to end against the real hall: `python -m hall serve` (its own PostgreSQL cluster), enrolled
kiosks, staff added with `python -m hall staff add`, staff actions through hall.cases.services
(hall_staff.py, a separate process), and the kiosk's own commands as processes.

A 受理 application at the kiosk (`kiosk apply`) reaches the hall (`kiosk sync`; GET
/api/v1/applications/N), staff send a 补正 notice, the kiosk's heartbeat brings it and the lookup shows
it, staff decide, and the lookup, the slip's QR and `kiosk verify` show the decision. A crash after the
hall stored a batch replays without a duplicate row; a staff call reaches the hall within 2 s and its
ack comes back; a revoked, forged or other kiosk's credential stores nothing.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.app import Kiosk
from kiosk.config import SyncConfig, demo_config
from kiosk.effect_runner import EffectRunner
from kiosk.lookup import LookupDesk
from kiosk.session import CallStaff, RecordRating
from kiosk.sync import outbox, replies

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]
pytestmark = pytest.mark.slow


class RealHall:
    def __init__(self, data_dir: Path, port: int) -> None:
        self.data_dir, self.port = data_dir, port
        self.url = f"http://127.0.0.1:{port}"
        self.process: subprocess.Popen | None = None
        self.tokens: dict[str, str] = {}

    def hall(self, *argv: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "hall", *argv, "--data-dir", str(self.data_dir)], cwd=REPO,
                              capture_output=True, text=True, timeout=120)

    def staff(self, action: str, *args: str) -> dict:
        run = subprocess.run([sys.executable, str(HERE / "hall_staff.py"), str(self.data_dir), action, *args],
                             cwd=REPO, capture_output=True, text=True, timeout=120)
        assert run.returncode == 0, run.stderr
        return json.loads(run.stdout.strip().splitlines()[-1])

    def get(self, path: str, token: str) -> tuple[int, dict]:
        request = urllib.request.Request(self.url + path, headers={"Authorization": f"Bearer {token}"})
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as exc:
            return exc.code, {}

    def healthy(self) -> bool:
        try:
            with urllib.request.urlopen(self.url + "/healthz", timeout=2) as response:
                return response.status == 200
        except OSError:
            return False


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def real_hall() -> Iterator[RealHall]:
    root = Path(tempfile.mkdtemp(prefix="sync-hall-", dir="/tmp"))
    root.chmod(0o755)  # the cluster runs as postgres when the tests run as root
    hall = RealHall(root / "hall", _free_port())
    hall.data_dir.mkdir()
    hall.data_dir.chmod(0o755)  # explicit: the kiosk's tests run with umask 077 (owner_only_umask)
    log = open(root / "serve.log", "w")  # noqa: SIM115 - closed below
    hall.process = subprocess.Popen([sys.executable, "-m", "hall", "serve", "--data-dir", str(hall.data_dir),
                                     "--port", str(hall.port), "--workers", "2"], cwd=REPO, stdout=log,
                                    stderr=subprocess.STDOUT, start_new_session=True)
    try:
        for _ in range(900):  # a condition: the hall answers /healthz (at most ~3 minutes of tries)
            if hall.healthy():
                break
            assert hall.process.poll() is None, (root / "serve.log").read_text()
            with contextlib.suppress(subprocess.TimeoutExpired):  # wait on the process: it must not exit
                hall.process.wait(0.2)
        for kiosk_id in ("K01", "K02"):
            run = hall.hall("enrol", kiosk_id, "--json", "--location", "一楼大厅")
            assert run.returncode == 0, run.stderr
            hall.tokens[kiosk_id] = json.loads(run.stdout)["token"]
        for name, role, display in (("wangfang", "reviewer", "王芳"), ("liqiang", "approver", "李强")):
            run = hall.hall("staff", "add", name, "--role", role, "--display-name", display, "--json")
            assert run.returncode == 0, run.stderr
            hall.tokens[name] = json.loads(run.stdout)["token"]
        assert hall.healthy(), "the hall did not become ready"
        yield hall
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(hall.process.pid, signal.SIGTERM)
        try:
            hall.process.wait(60)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(hall.process.pid, signal.SIGKILL)
            hall.process.wait(10)
        log.close()
        shutil.rmtree(root, ignore_errors=True)


def config_file(tmp_path: Path, hall: RealHall, kiosk_id: str = "K01", token: str | None = None) -> Path:
    path = tmp_path / f"kiosk-{kiosk_id}.toml"
    path.write_text(f'demo = true\ndata_dir = "{tmp_path / "k"}"\n[hall]\nkiosk_id = "{kiosk_id}"\n'
                    f'[sync]\nurl = "{hall.url}"\ntoken = "{token or hall.tokens[kiosk_id]}"\n', encoding="utf-8")
    return path


def kiosk(*argv: object, timeout: float = 180) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kiosk", *map(str, argv)], cwd=REPO, capture_output=True,
                          text=True, timeout=timeout, env={**os.environ, "PYTHONUNBUFFERED": "1"})


def look_up(tmp_path: Path, text: str) -> dict:
    with Kiosk.build(demo_config(tmp_path / "k")) as built:
        return LookupDesk(built, EffectRunner(built)).lookup(text).hall or {}


def test_an_accepted_application_through_the_hall_and_back_to_the_kiosk(tmp_path, real_hall, kit):
    cfg = config_file(tmp_path, real_hall)
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps(kit.IB_ANSWERS, ensure_ascii=False), encoding="utf-8")
    applied = kiosk("apply", "--config", cfg, "--service", kit.IB, "--card", "adult", "--answers", answers, "--json")
    assert applied.returncode == 0, applied.stderr
    result = json.loads(applied.stdout)
    number, qr = result["receipt_no"], result["qr"]
    assert result["decision"] == "accepted"

    synced = kiosk("sync", "--config", cfg, "--wait", "30")
    assert synced.returncode == 0, synced.stderr
    status, case = real_hall.get(f"/api/v1/applications/{number}", real_hall.tokens["wangfang"])
    assert status == 200 and case["state"] == "submitted" and case["kiosk_id"] == "K01"
    assert case["service"] == kit.IB and case["outcome"] == "accepted"
    assert real_hall.get(f"/api/v1/applications/{number}", "not-a-token")[0] == 401

    assert real_hall.staff("correct", number)["state"] == "correction_requested"
    assert kiosk("sync", "--config", cfg, "--wait", "30").returncode == 0  # the heartbeat brings the notice
    hall = look_up(tmp_path, number)
    assert hall["state"] == "correction_requested"
    assert hall["notice"]["items"] == ["经营场所使用证明（租赁合同复印件）", "经营者近期免冠照片"]

    real_hall.staff("accept", number)
    assert real_hall.staff("approve", number)["state"] == "approved"
    assert kiosk("sync", "--config", cfg, "--wait", "30").returncode == 0
    assert look_up(tmp_path, number)["state"] == "approved"
    assert look_up(tmp_path, qr)["state"] == "approved", "the slip's QR shows the decision too"
    verified = kiosk("verify", qr, "--config", cfg, "--json")
    assert verified.returncode == 0, verified.stderr
    assert json.loads(verified.stdout)["hall"]["state"] == "approved"
    status, case = real_hall.get(f"/api/v1/applications/{number}", real_hall.tokens["liqiang"])
    assert [step["to"] for step in case["history"] if step.get("to")][-1] == "approved"
    counted = real_hall.staff("count", number)
    assert counted["cases"] == 1 and counted["events"]["application"] >= 1


def test_a_crash_after_the_hall_stored_a_batch_leaves_no_duplicate_row(tmp_path, real_hall):
    config = demo_config(tmp_path / "k").model_copy(update={"sync": SyncConfig(
        url=real_hall.url, token=real_hall.tokens["K01"])})
    before = real_hall.staff("count", "-")["events"].get("rating", 0)
    with Kiosk.build(config) as built:
        runner = EffectRunner(built)
        for stars in (1, 2, 3):
            runner.execute(RecordRating(None, "residence-permit", stars, "等候时间"))

        class Crash(BaseException):
            pass

        def die(stage, ids):
            raise Crash()

        with pytest.raises(Crash):
            built.uploader(on_stage=die).push()
        assert real_hall.staff("count", "-")["events"]["rating"] == before + 3, "the hall stored the batch"
        assert outbox.backlog(built.store).unsent == 3, "the kiosk never marked it"
        assert built.uploader().push().sent == 3
        assert outbox.backlog(built.store).unsent == 0
    assert real_hall.staff("count", "-")["events"]["rating"] == before + 3, "replayed: no duplicate row"


def test_a_staff_call_reaches_the_real_hall_within_two_seconds_and_the_ack_returns(tmp_path, real_hall):
    config = demo_config(tmp_path / "k").model_copy(update={"sync": SyncConfig(
        url=real_hall.url, token=real_hall.tokens["K01"])})
    seen = threading.Condition()

    def stage(name, ids):  # the uploader's thread: the hall held a batch, or a heartbeat reply was applied
        with seen:
            seen.notify_all()

    with Kiosk.build(config) as built:
        built.start_sync(on_stage=stage)
        runner = EffectRunner(built)
        runner.execute(CallStaff("materials", None))
        call_id = runner.last_call_id
        with seen:
            assert seen.wait_for(lambda: built.staff_call_state(call_id) == "sent", 2.0), "held within 2 s"
        assert real_hall.staff("ack", call_id)["acked_by"] == "wangfang"
        with seen:  # the kiosk polls every second while a call waits for its ack
            assert seen.wait_for(lambda: built.staff_call_state(call_id) == "acked", 5.0), "the ack came back"
        assert replies.call_ack(built.store, call_id)["by_name"] == "王芳"


@pytest.mark.parametrize("case", ["revoked", "forged", "other kiosk"])
def test_a_refused_credential_stores_nothing_on_the_real_hall(tmp_path, real_hall, case):
    if case == "revoked":
        assert real_hall.hall("revoke", "K02").returncode == 0
        cfg = config_file(tmp_path, real_hall, "K02")
    elif case == "forged":
        cfg = config_file(tmp_path, real_hall, "K01", token="forged-" + real_hall.tokens["K01"][7:])
    else:
        cfg = config_file(tmp_path, real_hall, "K02", token=real_hall.tokens["K01"])  # K01's token as K02
    with Kiosk.build(demo_config(tmp_path / "k")) as built:
        EffectRunner(built).execute(RecordRating(None, "residence-permit", 4, "refused-credential-" + case))
    before = real_hall.staff("count", "-")["events"]
    run = kiosk("sync", "--config", cfg, "--wait", "0")
    assert run.returncode == 1
    assert ("403" if case == "other kiosk" else "401") in run.stderr and "1 events pending" in run.stderr
    assert real_hall.staff("count", "-")["events"] == before, "nothing stored"
