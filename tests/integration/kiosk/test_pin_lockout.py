"""Wrong technician PINs counted in a real SQLite file: a restart (a new Store, a new Kiosk on the same data
dir) forgives none of them, the locks escalate 5 min -> 30 min -> until `kiosk keys reset-lockout`, every
wrong PIN and lock is audited without the PIN, and the reset command (in-process and as a real process)
unlocks even a kiosk that is running. Wall time is a fake clock; nothing sleeps."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import sqlite_utils

from kiosk.app import Kiosk
from kiosk.cli import main
from kiosk.config import DEMO_ADMIN_PIN, hash_pin, load_config
from kiosk.pin_policy import UNTIL_RESET
from kiosk.services.technician import PinGate, kiosk_pin_gate
from kiosk.store import DB_FILE_NAME, Store, migrations
from kiosk.store.pin_attempts import PinAttempts

PIN = "4711"
PIN_HASH = hash_pin(PIN, salt=b"lockout-test-slt")
REPO = Path(__file__).resolve().parents[3]


class WallClock:
    """Unix seconds that move only when told."""

    def __init__(self) -> None:
        self.now = 1_790_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def wall() -> WallClock:
    return WallClock()


def gate_on(store: Store, wall: WallClock) -> PinGate:
    return PinGate(PIN_HASH, attempts=PinAttempts(store, now=wall))


def restart(data_dir: Path, wall: WallClock, wrong: int = 0) -> tuple[PinGate, list]:
    """Open the data dir's database afresh (as a restarted kiosk does), enter `wrong` wrong PINs, close.
    Returns a gate on a new store left open, and the outcomes of the wrong PINs."""
    with Store.open(data_dir) as store:
        gate = gate_on(store, wall)
        outcomes = [gate.record(False) for _ in range(wrong)]
    return gate_on(Store.open(data_dir), wall), outcomes


def test_wrong_pins_survive_a_restart_and_escalate(tmp_path, wall):
    data = tmp_path / "data"
    gate, outcomes = restart(data, wall, wrong=4)
    assert [o.tries_left for o in outcomes] == [4, 3, 2, 1]
    assert gate.failures == 4 and gate.refusal() is None, "4 wrong PINs are remembered by a new store"
    assert gate.check("0000").status == "locked", "the fifth (after the restart) locks the pad"
    gate.attempts.store.close()

    gate, _ = restart(data, wall)
    wall.now += 100
    refused = gate.refusal()
    assert refused is not None and refused.locked_seconds == pytest.approx(200)
    assert "已锁定 5 分钟" in refused.message and "3 分 20 秒" in refused.message
    assert gate.check(PIN).status == "locked" and not gate.is_open, "the right PIN waits too"
    gate.attempts.store.close()

    wall.now += 200
    gate, outcomes = restart(data, wall, wrong=5)  # the lock ran out; the count did not start again
    assert [o.status for o in outcomes] == ["wrong"] * 4 + ["locked"]
    assert outcomes[-1].locked_seconds == 1800 and "30 分钟" in outcomes[-1].message
    wall.now += 1799
    assert gate.refusal().locked_seconds == pytest.approx(1)
    gate.attempts.store.close()

    wall.now += 1
    gate, outcomes = restart(data, wall, wrong=5)
    assert outcomes[-1].status == "locked" and outcomes[-1].locked_seconds == UNTIL_RESET
    wall.now += 365 * 86400.0
    refused = gate.refusal()
    assert refused.locked_seconds == UNTIL_RESET and "kiosk keys reset-lockout" in refused.message
    assert gate.failures == 15
    gate.attempts.store.close()


def test_a_right_pin_starts_the_count_again(tmp_path, wall):
    gate, _ = restart(tmp_path, wall, wrong=4)
    assert gate.check(PIN).status == "open"
    gate.attempts.store.close()
    gate, _ = restart(tmp_path, wall)
    assert gate.failures == 0
    assert gate.check("0000").tries_left == 4
    gate.attempts.store.close()


def test_each_wrong_pin_and_each_lock_is_audited_without_the_pin(tmp_path, wall):
    with Store.open(tmp_path) as store:
        gate = gate_on(store, wall)
        for _ in range(15):
            gate.record(False)
            wall.now += 3600
        rows = [row for row in store.audit_rows() if row["event"].startswith("technician.")]
        assert [row["event"] for row in rows].count("technician.wrong") == 15
        locks = [row["detail"] for row in rows if row["event"] == "technician.locked"]
        assert locks == ['{"failures":5,"level":1,"seconds":300.0}', '{"failures":10,"level":2,"seconds":1800.0}',
                         '{"failures":15,"level":3,"until_reset":true}']
        written = [(row["event"], row["subject"], row["detail"]) for row in store.audit_rows()]
        assert PIN not in str(written), "never the PIN (the hashes and times may hold any digits)"
        assert store.verify_audit().ok


def test_the_kiosk_itself_remembers_across_a_restart(tmp_path, wall):
    """Through the composition root the panel uses (`kiosk_pin_gate`), twice on the same data dir: a demo
    configuration without a hash of its own takes the demo PIN."""
    file = tmp_path / "kiosk.toml"
    file.write_text(f'demo = true\ndata_dir = "{tmp_path / "data"}"\n', encoding="utf-8")
    config = load_config(file)
    with Kiosk.build(config) as kiosk:
        gate = kiosk_pin_gate(kiosk, now=wall)
        assert [gate.check("1111").status for _ in range(5)] == ["wrong"] * 4 + ["locked"]
    with Kiosk.build(config) as kiosk:
        gate = kiosk_pin_gate(kiosk, now=wall)
        assert gate.check(DEMO_ADMIN_PIN).status == "locked", "the restart forgave nothing"
        wall.now += 300
        assert gate.check(DEMO_ADMIN_PIN).status == "open"


def lock_for_good(data_dir: Path, wall: WallClock) -> None:
    with Store.open(data_dir) as store:
        gate = gate_on(store, wall)
        for _ in range(15):
            gate.record(False)
            wall.now += 3600  # past each timed lock
        assert gate.refusal().locked_seconds == UNTIL_RESET


def test_reset_lockout_through_the_cli(tmp_path, wall, capsys):
    data = tmp_path / "data"
    lock_for_good(data, wall)
    assert main(["keys", "reset-lockout", "--data-dir", str(data)]) == 0
    out = capsys.readouterr().out
    assert "unlocked" in out and "15" in out
    with Store.open(data) as store:
        gate = gate_on(store, wall)
        assert gate.refusal() is None and gate.failures == 0
        assert gate.check(PIN).status == "open"
        resets = [row for row in store.audit_rows() if row["event"] == "technician.lockout_reset"]
        assert len(resets) == 1 and '"failures":15' in resets[0]["detail"]
        assert "kiosk keys reset-lockout" in resets[0]["detail"]
    assert main(["keys", "reset-lockout", "--data-dir", str(data)]) == 0
    assert "was not locked" in capsys.readouterr().out


def test_reset_lockout_as_a_process_unlocks_a_running_kiosk(tmp_path, wall):
    """The technician runs the real command on the machine while the kiosk holds the database open: the
    kiosk's gate takes PINs again without a restart."""
    data = tmp_path / "data"
    lock_for_good(data, wall)
    with Store.open(data) as store:
        gate = gate_on(store, wall)
        assert gate.refusal() is not None
        env = {**os.environ, "PYTHONPATH": str(REPO)}
        done = subprocess.run([sys.executable, "-m", "kiosk", "keys", "reset-lockout", "--data-dir", str(data)],
                              capture_output=True, text=True, timeout=60, env=env, cwd=tmp_path)
        assert done.returncode == 0, done.stderr
        assert "unlocked" in done.stdout and done.stderr == ""
        assert gate.refusal() is None
        assert gate.check(PIN).status == "open"


def test_reset_lockout_without_a_database_is_one_line_and_creates_nothing(tmp_path, capsys):
    missing = tmp_path / "nowhere"
    assert main(["keys", "reset-lockout", "--data-dir", str(missing)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no kiosk database" in err and str(missing) in err
    assert not (missing / DB_FILE_NAME).exists()


def test_a_database_from_before_the_lockouts_table_is_upgraded(tmp_path, wall):
    """A kiosk database at schema version 2 (as shipped) gains the lockouts table when opened."""
    path = tmp_path / DB_FILE_NAME
    tmp_path.chmod(0o700)
    conn = sqlite3.connect(path, isolation_level=None)
    db = sqlite_utils.Database(conn)
    conn.execute("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
                 "applied_at TEXT NOT NULL)")
    for version, name, step in migrations.MIGRATIONS[:2]:
        step(db, migrations.MigrationContext())
        conn.execute("INSERT INTO schema_migrations VALUES (?, ?, '2026-11-01T00:00:00+00:00')", (version, name))
    conn.close()
    with Store.open(tmp_path, create=False) as store:
        assert "lockouts" in store.db.table_names()
        gate = gate_on(store, wall)
        assert gate.failures == 0 and gate.check("0000").tries_left == 4
