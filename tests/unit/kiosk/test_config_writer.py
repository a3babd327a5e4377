"""kiosk.config_writer: the technician panel's saves are validated as a whole before anything is written,
keep the old file as .bak, write atomically, and keep the technician's comments."""

from __future__ import annotations

import os
import stat

import pytest

from kiosk.config import ConfigError, load_config
from kiosk.config_writer import backup_path, edited_text, save_config

TEXT = """# kiosk K01, installed 2026-11-02 (keep this note)
demo = true

[devices]
reader = "sim://"   # the USB reader goes here
printer = "sim://"
"""


def test_edited_text_sets_adds_and_removes_keys_and_keeps_comments():
    text = edited_text(TEXT, {"devices.reader": "/dev/ttyUSB0?baudrate=57600", "hall.name": "渝北区政务服务中心",
                              "catalog.disabled": ("a", "b"), "devices.printer": None})
    assert "# kiosk K01, installed 2026-11-02 (keep this note)" in text
    assert 'reader = "/dev/ttyUSB0?baudrate=57600"' in text and "# the USB reader goes here" in text
    assert "printer" not in text
    assert '[hall]\nname = "渝北区政务服务中心"' in text and 'disabled = ["a", "b"]' in text


def test_save_keeps_the_old_file_and_writes_the_new_one_atomically(tmp_path):
    path = tmp_path / "kiosk.toml"
    path.write_text(TEXT, encoding="utf-8")
    config = save_config(path, {"devices.reader": "sim://?card=adult", "timeouts.form_idle_s": 120.0})
    assert config.devices.reader == "sim://?card=adult" and config.timeouts.form_idle_s == 120
    assert backup_path(path).read_text(encoding="utf-8") == TEXT
    assert load_config(path) == config
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kiosk.toml", "kiosk.toml.bak"], "no temporary left"
    save_config(path, {"devices.reader": "sim://"})
    assert "sim://?card=adult" in backup_path(path).read_text(encoding="utf-8"), "the backup is the file before"


@pytest.mark.parametrize(("changes", "words"), [
    ({"devices.reader": "sim://?card=nobody"}, "devices.reader"),
    ({"devices.printer": "tcp://10.0.0.5:9100?profile=nope"}, "devices.printer"),
    ({"timeouts.form_idle_s": -5}, "timeouts.form_idle_s"),
    ({"display.orientation": "upside-down"}, "display.orientation"),
    ({"speaker.volume": 300}, "speaker.volume"),
    ({"demo": False}, "admin.pin_hash is required"),
])
def test_an_invalid_change_is_refused_with_its_key_and_the_file_is_untouched(tmp_path, changes, words):
    path = tmp_path / "kiosk.toml"
    path.write_text(TEXT, encoding="utf-8")
    with pytest.raises(ConfigError, match=words.replace(".", r"\.")):
        save_config(path, changes)
    assert path.read_text(encoding="utf-8") == TEXT and not backup_path(path).exists()


def test_a_missing_file_is_created_without_a_backup(tmp_path):
    path = tmp_path / "new.toml"
    config = save_config(path, {"demo": True, "hall.name": "测试大厅"})
    assert config.hall.name == "测试大厅" and load_config(path) == config and not backup_path(path).exists()


def test_a_file_that_is_not_toml_is_refused_untouched(tmp_path):
    path = tmp_path / "kiosk.toml"
    path.write_text("demo = = true\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid TOML"):
        save_config(path, {"hall.name": "x"})
    assert path.read_text(encoding="utf-8") == "demo = = true\n"
