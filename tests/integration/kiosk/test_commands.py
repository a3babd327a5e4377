"""`kiosk verify`, `kiosk keys`, `kiosk audit`, `kiosk purge` run in-process on real data dirs."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import subprocess
import sys

from kiosk.config import hash_pin, verify_pin
from kiosk.credentials import (
    Claims,
    b45decode,
    b45encode,
    issue_credential,
    load_or_create_signing_key,
    make_qr,
)
from kiosk.store import DB_FILE_NAME, Store

CLAIMS = Claims(kind="receipt", number="500151-20261121-K01-0007", service="residence-permit", holder="李*",
                issued=dt.date(2026, 11, 21), expires=None, office="铜梁区政务服务中心", kiosk_id="K01")


def test_verify_text_valid(tmp_path, run_cli):
    text = issue_credential(CLAIMS, load_or_create_signing_key(tmp_path))
    code, out, _ = run_cli("verify", text, "--data-dir", tmp_path)
    assert code == 0
    assert out.startswith("VALID")
    assert "500151-20261121-K01-0007" in out and "李*" in out and "长期 none" in out


def test_verify_json_and_image(tmp_path, run_cli):
    text = issue_credential(CLAIMS, load_or_create_signing_key(tmp_path))
    png = tmp_path / "receipt-qr.png"
    make_qr(text).save(png, scale=3, border=4)
    code, out, _ = run_cli("verify", "--image", png, "--json", "--data-dir", tmp_path)
    assert code == 0
    result = json.loads(out)
    assert result["valid"] is True and result["claims"] == CLAIMS.to_dict()


def test_verify_tampered_wrong_key_and_malformed(tmp_path, run_cli):
    text = issue_credential(CLAIMS, load_or_create_signing_key(tmp_path / "kiosk"))
    raw = bytearray(b45decode(text[4:]))
    raw[20] ^= 0x20
    tampered = "MB1:" + b45encode(bytes(raw))
    code, out, _ = run_cli("verify", tampered, "--data-dir", tmp_path / "kiosk")
    assert code == 1 and out.startswith("INVALID") and "altered" in out
    load_or_create_signing_key(tmp_path / "other")
    code, out, _ = run_cli("verify", text, "--data-dir", tmp_path / "other")
    assert code == 1 and "unknown key" in out
    code, out, _ = run_cli("verify", "https://example.com", "--data-dir", tmp_path / "kiosk")
    assert code == 1 and "does not start with" in out


def test_verify_with_an_exported_public_key(tmp_path, run_cli):
    text = issue_credential(CLAIMS, load_or_create_signing_key(tmp_path / "kiosk"))
    exported = tmp_path / "kiosk-public.pem"
    code, _, err = run_cli("keys", "export", exported, "--data-dir", tmp_path / "kiosk")
    assert code == 0 and "key id" in err
    assert exported.read_text().startswith("-----BEGIN PUBLIC KEY-----")
    code, out, _ = run_cli("verify", text, "--public-key", exported, "--data-dir", tmp_path / "empty")
    assert code == 0 and out.startswith("VALID")


def test_keys_export_to_stdout_creates_the_key_on_first_run(tmp_path, run_cli):
    code, out, _ = run_cli("keys", "export", "--data-dir", tmp_path)
    assert code == 0 and out.startswith("-----BEGIN PUBLIC KEY-----")
    assert (tmp_path / "keys" / "qr-signing-key.pem").exists()


def test_verify_usage_errors(tmp_path, run_cli):
    code, _, err = run_cli("verify", "--data-dir", tmp_path)
    assert code == 2 and "either" in err
    code, _, err = run_cli("verify", "MB1:XX", "--data-dir", tmp_path)
    assert code == 2 and "no signing key" in err
    load_or_create_signing_key(tmp_path)
    not_an_image = tmp_path / "photo.png"
    not_an_image.write_text("not an image at all")
    code, out, _ = run_cli("verify", "--image", not_an_image, "--data-dir", tmp_path)
    assert code == 1 and "not a readable image" in out


def test_hash_pin_reads_a_line_from_stdin():
    program = ("import argparse, sys; from kiosk.commands.keys import run_hash_pin; "
               "sys.exit(run_hash_pin(argparse.Namespace()))")
    done = subprocess.run([sys.executable, "-c", program], input="975310\n", capture_output=True, text=True,
                          timeout=30, check=False)
    assert done.returncode == 0, done.stderr
    stored = done.stdout.strip()
    assert verify_pin("975310", stored) and not verify_pin("975311", stored)
    assert "975310" not in stored and stored != hash_pin("975310")  # salted
    refused = subprocess.run([sys.executable, "-c", program], input="12\n", capture_output=True, text=True,
                             timeout=30, check=False)
    assert refused.returncode == 2 and "4 to 12 digits" in refused.stderr


def _store_with_rows(data_dir, count):
    with Store.open(data_dir) as store:
        for index in range(count):
            store.add_application(service="s", state="decided", answers={}, receipt_no=f"R{index}")


def test_audit_verify_ok_then_broken(tmp_path, run_cli):
    _store_with_rows(tmp_path, 3)
    code, out, _ = run_cli("audit", "verify", "--data-dir", tmp_path)
    assert code == 0 and "3 rows" in out
    conn = sqlite3.connect(tmp_path / DB_FILE_NAME)
    conn.execute("DROP TRIGGER audit_no_update")
    conn.execute("UPDATE audit SET subject = 'R9' WHERE id = 2")
    conn.commit()
    conn.close()
    code, out, _ = run_cli("audit", "verify", "--data-dir", tmp_path)
    assert code == 1 and "row 2" in out
    code, out, _ = run_cli("audit", "show", "--last", "2", "--data-dir", tmp_path)
    assert code == 0 and len(out.splitlines()) == 2


def test_audit_without_a_database(tmp_path, run_cli):
    code, _, err = run_cli("audit", "verify", "--data-dir", tmp_path)
    assert code == 2 and "no kiosk database" in err
    assert not (tmp_path / DB_FILE_NAME).exists()


def test_purge_dry_run_then_real(tmp_path, run_cli):
    old = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    with Store.open(tmp_path, clock=lambda: old) as store:
        store.add_application(service="s", state="decided", answers={"phone": "13812345678"},
                              receipt_no="R-old", applicant_name="张伟")
    _store_with_rows(tmp_path, 1)
    config = tmp_path / "kiosk.toml"
    config.write_text(f'retention_days = 30\n[admin]\npin_hash = "{hash_pin("1234")}"\n', encoding="utf-8")
    code, out, _ = run_cli("purge", "--dry-run", "--config", config, "--data-dir", tmp_path)
    assert code == 0 and "would purge 1 application" in out and "retention 30 days" in out
    code, out, _ = run_cli("purge", "--config", config, "--data-dir", tmp_path)
    assert code == 0 and "purged 1 application" in out
    with Store.open(tmp_path) as store:
        assert store.find_application("R-old").applicant_name is None
        assert store.find_application("R0").purged_at is None
    code, out, _ = run_cli("purge", "--days", "1", "--data-dir", tmp_path)
    assert code == 0 and "purged 0 application" in out


def test_purge_with_a_bad_config_names_the_key(tmp_path, run_cli):
    config = tmp_path / "kiosk.toml"
    config.write_text("retention_days = -5\n", encoding="utf-8")
    code, _, err = run_cli("purge", "--config", config, "--data-dir", tmp_path)
    assert code == 2 and "retention_days" in err
