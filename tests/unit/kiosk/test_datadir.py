"""The data dir's modes on real files: the kiosk's own files are narrowed to owner-only, other files in
the same folder and shared (sticky) folders are left alone; whether a data dir holds applications."""

from __future__ import annotations

import sqlite3
import stat

from kiosk.datadir import WALKED_MARKER, holds_applications, secure_data_dir


def _mode(path):
    return stat.S_IMODE(path.lstat().st_mode)


def test_the_kiosks_files_are_narrowed_and_nothing_else(tmp_path):
    data = tmp_path / "data"
    (data / "keys").mkdir(parents=True)
    (data / "applications" / "R1").mkdir(parents=True)
    files = [data / "kiosk.db", data / "kiosk.db-wal", data / "keys" / "audit.key",
             data / "applications" / "R1" / "receipt.pdf"]
    for path in files:
        path.write_bytes(b"x")
        path.chmod(0o644)
    other = data / "holiday.jpg"
    other.write_bytes(b"x")
    other.chmod(0o644)
    link = data / "printed"
    tmp_path.chmod(0o755)
    link.symlink_to(tmp_path)  # never followed
    for folder in (data, data / "keys", data / "applications", data / "applications" / "R1"):
        folder.chmod(0o755)
    changed = secure_data_dir(data)
    assert set(changed) == {data, data / "keys", data / "applications", data / "applications" / "R1", *files}
    assert all(_mode(path) == 0o600 for path in files) and _mode(data) == 0o700
    assert _mode(other) == 0o644 and _mode(tmp_path) == 0o755
    assert secure_data_dir(data) == []  # nothing left to do


def test_after_one_full_walk_a_start_checks_the_top_level_and_walks_again_when_it_was_widened(tmp_path):
    data = tmp_path / "data"
    deep = data / "applications" / "R1" / "receipt.pdf"
    deep.parent.mkdir(parents=True)
    deep.write_bytes(b"x")
    deep.chmod(0o644)
    assert deep in secure_data_dir(data) and (data / WALKED_MARKER).is_file()
    deep.chmod(0o644)  # put in wider by another tool, under folders nobody else can enter
    assert secure_data_dir(data) == [], "a start does not walk every file again"
    assert _mode(data / "applications") == 0o700 and _mode(data / "applications" / "R1") == 0o700
    (data / "applications").chmod(0o755)  # a restore or a copy widened the folder: walk everything again
    assert set(secure_data_dir(data)) == {data / "applications", deep} and _mode(deep) == 0o600
    deep.chmod(0o644)
    (data / WALKED_MARKER).unlink()  # an older data dir (no marker): walked once
    assert secure_data_dir(data) == [deep]


def test_a_shared_sticky_folder_is_not_narrowed(tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o1777)
    (shared / "kiosk.db").write_bytes(b"")
    (shared / "kiosk.db").chmod(0o644)
    assert secure_data_dir(shared) == [shared / "kiosk.db"]
    assert _mode(shared) == 0o1777


def test_holds_applications(tmp_path):
    assert not holds_applications(tmp_path)
    (tmp_path / "kiosk.db").write_bytes(b"")  # created, never migrated
    assert not holds_applications(tmp_path)
    with sqlite3.connect(tmp_path / "kiosk.db") as conn:
        conn.execute("CREATE TABLE applications (id INTEGER PRIMARY KEY)")
    conn.close()
    assert not holds_applications(tmp_path)
    with sqlite3.connect(tmp_path / "kiosk.db") as conn:
        conn.execute("INSERT INTO applications DEFAULT VALUES")
    conn.close()
    assert holds_applications(tmp_path)
    (tmp_path / "kiosk.db").write_bytes(b"not a database at all, just some bytes" * 100)
    assert holds_applications(tmp_path)  # unreadable: assume it does (never replace its key)
