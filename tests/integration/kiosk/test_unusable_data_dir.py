"""A damaged database, a full disk and a read-only data dir: one line saying what and where, exit 2, no
traceback, and nothing written. Real SQLite files with garbage written over them; a full or read-only disk
through the data dir's FileSystem boundary (kiosk.store.disk_check), and on a real tmpfs where this machine
lets the test mount one (root with CAP_SYS_ADMIN)."""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import uuid
from pathlib import Path

import pytest

from kiosk.app import Kiosk
from kiosk.cli import main
from kiosk.config import demo_config
from kiosk.store import DB_FILE_NAME, DataDirNotWritable, DiskFullError
from kiosk.store.disk_check import MIN_FREE_BYTES, FileSystem, check_data_dir

PP = "public-place-health-permit"
#: Approved for the adult demo card (its report date is kept under a year old, as the rule wants).
GOOD_ANSWERS = {"staff_count": 3, "staff_health_certified": 3, "staff_trained": 3, "hygiene_manager": "张伟",
                "has_central_ac": "否", "hygiene_report_result": "合格",
                "hygiene_report_date": (dt.date.today() - dt.timedelta(days=50)).isoformat()}


@pytest.fixture(scope="module")
def answers_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("answers") / "answers.json"
    path.write_text(json.dumps(GOOD_ANSWERS, ensure_ascii=False), encoding="utf-8")
    return path


def run_main(*argv: object) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(arg) for arg in argv])
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def used_data_dir(tmp_path_factory, answers_file) -> Path:
    """A data dir with one application and its print job (its receipt number is in `receipt.txt`)."""
    folder = tmp_path_factory.mktemp("used")
    code, out, err = run_main("apply", "--data-dir", folder / "data", "--service", PP, "--card", "adult",
                              "--answers", answers_file, "--json")
    assert code == 0, err
    (folder / "receipt.txt").write_text(json.loads(out)["receipt_no"], encoding="utf-8")
    with contextlib.closing(sqlite3.connect(folder / "data" / DB_FILE_NAME)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # every page in kiosk.db itself, none only in the WAL
    return folder


def _damaged_copy(source: Path, target: Path, *, offset: int, size: int) -> Path:
    """A copy of the data dir (modes kept) whose database has `size` bytes of garbage written at `offset`."""
    shutil.copytree(source / "data", target)
    with (target / DB_FILE_NAME).open("r+b") as handle:
        handle.seek(offset)
        handle.write(hashlib.sha256(b"garbage").digest() * (size // 32))
    return target


@pytest.mark.parametrize(("where", "offset"), [("header", 0), ("middle pages", 4096 * 3)])
@pytest.mark.parametrize("command", ["apply", "jobs", "reprint"])
def test_a_damaged_database_gets_one_line_and_exit_2(used_data_dir, answers_file, tmp_path, where, offset, command):
    data = _damaged_copy(used_data_dir, tmp_path / "data", offset=offset, size=4096 * 10)
    db = data / DB_FILE_NAME
    before = db.read_bytes()
    receipt = (used_data_dir / "receipt.txt").read_text(encoding="utf-8")
    argv = {"apply": ["apply", "--service", PP, "--card", "adult", "--answers", answers_file],
            "jobs": ["jobs"], "reprint": ["reprint", receipt, "--wait", "1"]}[command]
    code, out, err = run_main(*argv, "--data-dir", data)
    if command == "jobs" and where == "middle pages":
        # listing reads only the print_jobs pages; they are intact, so the list is still shown
        assert code == 0 and "1 jobs" in out
        return
    assert (code, out) == (2, "")
    assert err.startswith(f"kiosk {command}: database damaged: {db}: ") and err.endswith(", run kiosk doctor\n")
    assert err.count("\n") == 1 and "Traceback" not in err
    assert db.read_bytes() == before  # nothing was written over the evidence


class ScriptedDisk(FileSystem):
    """The real file system, except that writes fail with `error` and free space reads as `free`."""

    def __init__(self, *, error: int | None = None, free: int | None = None) -> None:
        self.error, self.free = error, free

    def free_bytes(self, folder: Path) -> int:
        return self.free if self.free is not None else super().free_bytes(folder)

    def write_file(self, path: Path, data: bytes) -> None:
        if self.error is not None:
            raise OSError(self.error, os.strerror(self.error), str(path))
        super().write_file(path, data)


@pytest.mark.parametrize(("disk", "error", "words"), [
    (ScriptedDisk(error=errno.ENOSPC), DiskFullError, "disk full: {dir}: No space left on device"),
    (ScriptedDisk(error=errno.EDQUOT), DiskFullError, "disk full: {dir}: Disk quota exceeded"),
    (ScriptedDisk(free=300 * 1024), DiskFullError, "disk full: {dir}: 300 KB free, the kiosk needs at least 8 MB"),
    (ScriptedDisk(error=errno.EROFS), DataDirNotWritable, "data dir read-only: {dir}: Read-only file system"),
    (ScriptedDisk(error=errno.EACCES), DataDirNotWritable, "data dir read-only: {dir}: Permission denied"),
], ids=["ENOSPC", "EDQUOT", "300 KB free", "EROFS", "EACCES"])
def test_the_kiosk_does_not_start_on_a_full_or_read_only_disk(tmp_path, disk, error, words):
    data = tmp_path / "data"
    with pytest.raises(error) as caught:
        Kiosk.build(demo_config(data), filesystem=disk)
    assert str(caught.value).startswith(words.format(dir=data))
    assert sorted(path.name for path in data.iterdir()) == []  # no database, no key: nothing half-made


def test_a_data_dir_with_room_passes_and_leaves_no_probe(tmp_path):
    check_data_dir(tmp_path / "data", ScriptedDisk(free=MIN_FREE_BYTES))
    assert list((tmp_path / "data").iterdir()) == []


def test_a_data_dir_that_is_a_file_gets_one_line(tmp_path, answers_file):
    (tmp_path / "file").write_text("x", encoding="utf-8")
    code, out, err = run_main("apply", "--data-dir", tmp_path / "file" / "data", "--service", PP, "--card", "adult",
                              "--answers", answers_file)
    assert (code, out) == (2, "")
    assert err == f"kiosk apply: data dir unusable: {tmp_path / 'file' / 'data'}: Not a directory\n"


@contextlib.contextmanager
def tmpfs(path: Path, options: str):
    path.mkdir()
    try:
        mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", options, f"kiosk-test-{uuid.uuid4().hex[:8]}",
                                  str(path)], capture_output=True, timeout=10, check=False)
    except OSError:
        mounted = None
    if mounted is None or mounted.returncode != 0:
        pytest.skip("cannot mount a tmpfs here (needs root with CAP_SYS_ADMIN); the FileSystem tests cover it")
    try:
        yield path
    finally:
        subprocess.run(["umount", str(path)], check=True, timeout=10)


def test_a_real_full_disk_at_start(tmp_path, answers_file):
    with tmpfs(tmp_path / "disk", "size=1m") as disk:
        (disk / "filler").write_bytes(b"\0" * (1024 * 1024 - 64 * 1024))
        code, out, err = run_main("apply", "--data-dir", disk / "data", "--service", PP, "--card", "adult",
                                  "--answers", answers_file)
        assert (code, out) == (2, "")
        assert err.startswith(f"kiosk apply: disk full: {disk / 'data'}: ") and err.count("\n") == 1
        assert not (disk / "data" / DB_FILE_NAME).exists()


def test_a_real_read_only_data_dir(tmp_path, answers_file):
    with tmpfs(tmp_path / "disk", "ro,size=1m") as disk:
        code, out, err = run_main("apply", "--data-dir", disk, "--service", PP, "--card", "adult",
                                  "--answers", answers_file)
        assert (code, out) == (2, "")
        assert err == (f"kiosk apply: data dir read-only: {disk}: Read-only file system; give the kiosk a "
                       "writable data dir (--data-dir or data_dir in the configuration)\n")


def test_a_signing_key_that_cannot_be_read_gets_one_line(used_data_dir, answers_file, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(used_data_dir / "data", data)
    key = data / "keys" / "qr-signing-key.pem"
    key.write_bytes(b"-----BEGIN PRIVATE KEY-----\ngarbage\n-----END PRIVATE KEY-----\n")
    code, out, err = run_main("apply", "--data-dir", data, "--service", PP, "--card", "adult",
                              "--answers", answers_file)
    assert (code, out) == (2, "")
    assert err.startswith(f"kiosk apply: {key}: not a PEM private key") and err.count("\n") == 1, err
