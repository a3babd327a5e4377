"""`kiosk doctor`: every check passes in demo mode with the simulators; each kind of problem is named
with what to do, and makes the exit code 1."""

from __future__ import annotations

import socket
import sqlite3

PP = "public-place-health-permit"
CHECKS = ("config", "data dir", "database", "audit chain", "print queue", "documents", "hall sync", "keys",
          "catalog", "font", "reader sim://", "printer sim://", "camera sim://", "qt plugins", "speech", "disk space",
          "hall connection")


def closed_port() -> int:
    with socket.create_server(("127.0.0.1", 0)) as probe:
        return probe.getsockname()[1]


def test_demo_mode_passes_every_check(run_cli, kit, tmp_path):
    data = tmp_path / "data"
    fresh = run_cli("doctor", "--data-dir", data)
    assert fresh.code == 0, fresh.out
    answers = kit.write_json(tmp_path / "answers.json", kit.base_answers(PP))
    assert run_cli("apply", "--data-dir", data, "--service", PP, "--card", "adult", "--answers", answers).code == 0
    run = run_cli("doctor", "--data-dir", data)
    assert run.code == 0, run.out
    lines = run.out.splitlines()
    assert [line.split(None, 1)[1].split(": ", 1)[0] for line in lines] == list(CHECKS)
    assert all(line.startswith("OK") for line in lines)
    assert "SAM status 0x90" in run.out
    checks = run_cli("doctor", "--data-dir", data, "--json").json()
    assert all(check["ok"] for check in checks)


def test_problems_are_named_with_what_to_do(run_cli, kit, tmp_path):
    data = tmp_path / "data"
    answers = kit.write_json(tmp_path / "answers.json", kit.base_answers(PP))
    assert run_cli("apply", "--data-dir", data, "--service", PP, "--card", "adult", "--answers", answers).code == 0
    (data / "keys" / "qr-signing-key.pem").chmod(0o644)
    with sqlite3.connect(data / "kiosk.db") as conn:
        conn.execute("DROP TRIGGER audit_no_update")  # someone with a SQLite shell edits a row
        conn.execute("UPDATE audit SET detail = '{}' WHERE id = 1")
    conn.close()
    reader, printer = f"{tmp_path}/no-such-reader", f"tcp://127.0.0.1:{closed_port()}?timeout=0.5"
    config = tmp_path / "kiosk.toml"
    config.write_text(f'demo = true\ndata_dir = "{data}"\n[devices]\nreader = "{reader}"\n'
                      f'printer = "{printer}"\n', encoding="utf-8")
    run = run_cli("doctor", "--config", config)
    assert run.code == 1
    problems = {line.split(None, 1)[1].split(": ", 1)[0]: line for line in run.out.splitlines()
                if line.startswith("PROBLEM")}
    assert set(problems) == {"audit chain", "keys", f"reader {reader}", f"printer {printer}"}
    assert "chmod 600" in problems["keys"]
    assert "broken at row 1" in problems["audit chain"]
    assert all(" -> " in line for line in problems.values())


def test_a_bad_configuration_is_a_problem(run_cli, tmp_path):
    config = tmp_path / "kiosk.toml"
    config.write_text('demo = true\n[hall]\ndistrict_code = "abc"\n', encoding="utf-8")
    run = run_cli("doctor", "--config", config)
    assert run.code == 1
    first = run.out.splitlines()[0]
    assert first.startswith("PROBLEM  config:") and "district_code" in first
