"""Configuration files on disk: a full file loads; syntax errors and missing files name the file."""

from __future__ import annotations

import argparse

import pytest

from kiosk.config import ConfigError, config_from_args, hash_pin, load_config

FULL = """
language = "en"
demo = false
data_dir = "{data_dir}"
retention_days = 90

[hall]
name = "铜梁区政务服务中心"
district_code = "500151"
licence_prefix = "铜"
kiosk_id = "K02"

[devices]
reader = "/dev/ttyUSB0?baudrate=115200"
printer = "tcp://192.168.1.50:9100"
camera = "0"

[timeouts]
form_idle_s = 120

[display]
orientation = "landscape"
elder_mode_default = true

[admin]
pin_hash = "{pin_hash}"
"""


def test_a_full_file_loads(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text(FULL.format(data_dir=tmp_path / "data", pin_hash=hash_pin("1357")), encoding="utf-8")
    config = load_config(path)
    assert config.hall.kiosk_id == "K02"
    assert config.timeouts.form_idle_s == 120 and config.timeouts.result_idle_s == 30
    assert config.display.size == (1920, 1080) and config.display.elder_mode_default
    overridden = config_from_args(argparse.Namespace(config=path, data_dir=tmp_path / "other"))
    assert overridden.data_dir == tmp_path / "other" and overridden.hall.kiosk_id == "K02"


def test_syntax_errors_and_missing_files_name_the_file(tmp_path):
    broken = tmp_path / "broken.toml"
    broken.write_text("[hall\nname = 1\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"broken\.toml: not valid TOML"):
        load_config(broken)
    with pytest.raises(ConfigError, match=r"missing\.toml: cannot read"):
        load_config(tmp_path / "missing.toml")
    wrong_type = tmp_path / "wrong.toml"
    wrong_type.write_text('[admin]\npin_hash = "x"\n[hall]\nshop_area_threshold_m2 = "big"\n',
                          encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(wrong_type)
    assert "wrong.toml" in str(caught.value)
    assert "hall.shop_area_threshold_m2" in str(caught.value) and "admin.pin_hash" in str(caught.value)
