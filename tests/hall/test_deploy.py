"""The hall's systemd unit (hall/deploy/, README "In production"): systemd accepts it, and its ExecStart
command line, run as systemd would (the EnvironmentFile's settings, ${HALL_DATABASE_URL} expanded), really
starts `python -m hall serve` against a PostgreSQL database — the session's throwaway cluster here — and
stops cleanly on the unit's KillSignal within its TimeoutStopSec. The PostgreSQL settings file names only
settings this PostgreSQL knows, and keeps the two that must stay on."""

from __future__ import annotations

import configparser
import os
import select
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

import pytest

DEPLOY = Path(__file__).resolve().parents[2] / "hall" / "deploy"
UNIT = DEPLOY / "miaoban-hall.service"
ENV_FILE = DEPLOY / "miaoban-hall.env"
VENV_PYTHON = "/opt/miaoban-hall/bin/python"


def _unit() -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.optionxform = str  # systemd keys are case-sensitive
    parser.read(UNIT, encoding="utf-8")
    return parser


def _env_file() -> dict[str, str]:
    pairs = (line.split("=", 1) for line in ENV_FILE.read_text(encoding="utf-8").splitlines()
             if line.strip() and not line.lstrip().startswith("#"))
    return {key.strip(): value.strip() for key, value in pairs}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_systemd_accepts_the_unit(tmp_path: Path) -> None:
    analyze = shutil.which("systemd-analyze")
    assert analyze, "systemd-analyze (Debian's systemd) is needed to check the hall's unit"
    text = UNIT.read_text(encoding="utf-8").replace(VENV_PYTHON, sys.executable)
    text = text.replace("EnvironmentFile=/etc/miaoban-hall.env", f"EnvironmentFile={ENV_FILE}")
    (tmp_path / UNIT.name).write_text(text, encoding="utf-8")
    result = subprocess.run([analyze, "verify", str(tmp_path / UNIT.name)], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0 and not (result.stdout + result.stderr).strip(), result.stdout + result.stderr


def test_the_units_command_line_serves_the_hall_on_a_database_and_stops_on_its_signal(hall_pg) -> None:
    service = _unit()["Service"]
    assert service["EnvironmentFile"] == "/etc/miaoban-hall.env" and service["StateDirectory"] == "hall"
    env_file = _env_file()
    assert env_file["HALL_DATABASE_URL"].startswith("postgresql://") and env_file["HALL_SECURE_COOKIES"] == "1"
    command = shlex.split(service["ExecStart"])
    assert command[:4] == [VENV_PYTHON, "-m", "hall", "serve"]
    assert "${HALL_DATABASE_URL}" in command and "/var/lib/hall" in command
    # As systemd runs it: the environment file's settings, ${VAR} expanded; here against the test cluster,
    # this checkout's Python, a scratch state directory and a free port.
    data_dir = Path(tempfile.mkdtemp(prefix="hall-unit-", dir="/tmp"))
    port = _free_port()
    values = {"${HALL_DATABASE_URL}": hall_pg.url, VENV_PYTHON: sys.executable, "/var/lib/hall": str(data_dir),
              "8600": str(port)}
    argv = [values.get(arg, arg) for arg in command]
    env = {**os.environ, **env_file, "HALL_DATABASE_URL": hall_pg.url}
    # Unbuffered stderr: no line waits in a Python buffer that select cannot see.
    proc = subprocess.Popen(argv, env=env, stderr=subprocess.PIPE, bufsize=0, stdin=subprocess.DEVNULL)
    try:
        seen = ""
        while "hall: ready" not in seen:
            ready, _, _ = select.select([proc.stderr], [], [], 120)
            line = proc.stderr.readline() if ready else b""
            if not line:
                pytest.fail(f"the unit's ExecStart did not come up: {seen}", pytrace=False)
            seen += line.decode(errors="replace")
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=30) as reply:
            assert reply.status == 200
        proc.send_signal(getattr(signal, service["KillSignal"]))
        assert proc.wait(float(service["TimeoutStopSec"])) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)
        shutil.rmtree(data_dir, ignore_errors=True)


def test_the_postgresql_settings_are_known_and_keep_commits_durable() -> None:
    from django.db import connection

    settings = {}
    for line in (DEPLOY / "postgresql-hall.conf").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            key, value = (part.strip() for part in line.split("=", 1))
            settings[key] = value.strip("'")
    assert settings["fsync"] == "on" and settings["synchronous_commit"] == "on"
    with connection.cursor() as cursor:
        cursor.execute("SELECT lower(name) FROM pg_settings WHERE lower(name) = ANY(%s)", [list(settings)])
        known = {row[0] for row in cursor.fetchall()}
        assert known == set(settings)
        cursor.execute("SELECT count(*) FROM pg_timezone_names WHERE name = %s", [settings["timezone"]])
        assert cursor.fetchone()[0] == 1
