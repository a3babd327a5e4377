"""Files and keys of a real data dir: owner-only modes, a lost signing key refused, key rotation, and an
empty `--data-dir` refused. `kiosk` runs as a child process (with a permissive umask of its parent) or
in-process through kiosk.cli.main."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest

import kiosk.cli
from kiosk.app import Kiosk
from kiosk.config import demo_config
from kiosk.credentials import SigningKeyMissing, key_id, load_public_key_file
from kiosk.credentials.keys import private_key_path

PP = "public-place-health-permit"
TIMEOUT = 120.0


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


def _everything(root: Path) -> list[Path]:
    return [root, *sorted(root.rglob("*"))]


@pytest.fixture
def cli(capsys):
    """`kiosk ARGS...` through kiosk.cli.main in this process (its umask restored afterwards)."""

    def run(*argv: object) -> tuple[int, str, str]:
        umask = os.umask(0o022)
        os.umask(umask)
        try:
            code = kiosk.cli.main([str(arg) for arg in argv])
        finally:
            os.umask(umask)
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run


@pytest.fixture
def applied(kit, tmp_path):
    """A data dir after one `kiosk apply` in a child process started with umask 022 (files 0644 unless the
    kiosk sets its own)."""
    data, out = tmp_path / "data", tmp_path / "out"
    answers = kit.write_json(tmp_path / "answers.json", kit.base_answers(PP))
    child = kit.kiosk_process("apply", "--data-dir", data, "--service", PP, "--card", "adult", "--answers",
                              answers, "--out", out, "--json", umask=0o022)
    stdout, stderr = child.communicate(timeout=TIMEOUT)
    assert child.returncode == 0, stderr
    return data, out, stdout


def test_the_data_dir_is_0700_and_every_file_in_it_0600(applied):
    data, out, _ = applied
    paths = _everything(data)
    names = {path.relative_to(data).as_posix() for path in paths}
    assert {"kiosk.db", "keys/qr-signing-key.pem", "keys/audit.key", "keys/audit.head", "lookup.key"} <= names
    assert any(name.startswith("printed/") for name in names)  # the emulated printer's slip captures
    wide = {path.relative_to(data).as_posix() or ".": oct(_mode(path)) for path in paths
            if _mode(path) != (0o700 if path.is_dir() else 0o600)}
    assert wide == {}
    documents = sorted(out.iterdir())  # --out: the same personal data, the same modes
    assert documents and all(_mode(path) == 0o600 for path in documents)


def test_wider_modes_left_by_an_older_version_are_narrowed_at_start(applied):
    data, _, _ = applied
    for path in _everything(data):
        path.chmod(0o755 if path.is_dir() else 0o644)
    with Kiosk.build(demo_config(data)):
        pass
    wide = [path for path in _everything(data) if _mode(path) & 0o077]
    assert wide == []


def test_a_lost_signing_key_is_never_silently_replaced(applied, cli):
    data, _, _ = applied
    key = private_key_path(data)
    key.unlink()
    with pytest.raises(SigningKeyMissing, match="restore the file from a backup"):
        Kiosk.build(demo_config(data))
    code, out, err = cli("keys", "export", "--data-dir", data)
    assert (code, out) == (2, "")
    assert err.startswith("kiosk keys export: the QR signing key") and err.count("\n") == 1
    code, out, err = cli("reprint", "--data-dir", data, "500151-20261121-K01-0001")  # builds the kiosk
    assert code == 2 and err.count("\n") == 1 and "is missing" in err and "Traceback" not in err
    assert not key.exists()


def test_a_new_empty_data_dir_makes_its_keys(cli, tmp_path):
    code, out, _ = cli("keys", "export", "--data-dir", tmp_path / "new")
    assert code == 0 and out.startswith("-----BEGIN PUBLIC KEY-----")
    assert _mode(private_key_path(tmp_path / "new")) == 0o600


def test_rotation_keeps_every_earlier_qr_verifiable(applied, cli, tmp_path):
    import json

    data, _, stdout = applied
    old_qr = json.loads(stdout)["qr"]
    code, before, _ = cli("keys", "export", "--data-dir", data)
    code, out, err = cli("keys", "rotate", "--data-dir", data)
    assert code == 0, err
    assert "signing key rotated" in out and "1 retired" in out
    (retired,) = (data / "keys" / "retired").iterdir()
    assert retired.read_text() == before and _mode(retired) == 0o600
    code, after, _ = cli("keys", "export", "--data-dir", data)
    assert code == 0 and after != before  # export gives the current key
    code, out, _ = cli("verify", "--data-dir", data, old_qr)
    assert code == 0 and "a retired key of this kiosk" in out
    code, out, _ = cli("verify", "--data-dir", data, "--json", old_qr)
    assert code == 0 and json.loads(out)["retired_key"] is True
    (tmp_path / "old.pem").write_text(before)
    (tmp_path / "new.pem").write_text(after)
    code, _, _ = cli("verify", "--public-key", tmp_path / "new.pem", old_qr)
    assert code == 1
    code, _, _ = cli("verify", "--public-key", tmp_path / "new.pem", "--public-key", tmp_path / "old.pem", old_qr)
    assert code == 0
    with Kiosk.build(demo_config(data)) as kiosk:  # the kiosk signs with the new key now
        assert key_id(kiosk.signing_key.public_key()) != key_id(load_public_key_file(retired))
        events = [row["event"] for row in kiosk.store.audit_rows()]
    assert "keys.rotated" in events
    assert cli("audit", "verify", "--data-dir", data)[0] == 0


def test_rotate_without_a_key_is_one_line(cli, tmp_path):
    code, out, err = cli("keys", "rotate", "--data-dir", tmp_path)
    assert (code, out) == (2, "") and err.startswith("kiosk keys rotate: no signing key") and err.count("\n") == 1


def test_an_empty_data_dir_option_is_refused_and_nothing_is_written(kit, tmp_path):
    work = tmp_path / "cwd"
    work.mkdir()
    answers = kit.write_json(tmp_path / "answers.json", kit.base_answers(PP))
    for argv in (("apply", "--data-dir", "", "--service", PP, "--card", "adult", "--answers", answers),
                 ("keys", "export", "--data-dir="), ("audit", "verify", "--data-dir", " ")):
        child = _kiosk_in(work, *argv)
        stdout, stderr = child.communicate(timeout=TIMEOUT)
        assert (child.returncode, stdout) == (2, ""), stderr
        assert stderr.count("\n") == 1 and "--data-dir is empty" in stderr
    assert list(work.iterdir()) == []


def _kiosk_in(cwd: Path, *argv: object):
    import subprocess

    repo = Path(__file__).resolve().parents[3]
    env = {**os.environ, "PYTHONPATH": str(repo)}
    return subprocess.Popen([sys.executable, "-m", "kiosk", *map(str, argv)], cwd=cwd, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
