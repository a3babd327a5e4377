"""Configuration: TOML parsing, defaults, errors that name the key path, PIN hashing, data-dir choice."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from kiosk.config import (
    DEMO_ADMIN_PIN,
    ConfigError,
    KioskConfig,
    demo_config,
    hash_pin,
    parse_config,
    resolve_data_dir,
    verify_pin,
)

PIN_HASH = hash_pin("123456", salt=b"fixed-salt-16byt")


def _config(**sections) -> dict:
    data = {"admin": {"pin_hash": PIN_HASH}}
    data.update(sections)
    return data


def test_defaults_are_the_tongliang_hall():
    config = parse_config(_config())
    assert config.hall.name == "铜梁区政务服务中心"
    assert config.hall.district_code == "500151"
    assert config.hall.licence_prefix == "铜"
    assert config.hall.kiosk_id == "K01"
    assert config.hall.shop_area_threshold_m2 == 300
    assert config.hall.report_max_age_days == 365
    assert config.hall.health_office == "铜梁区卫生健康委员会"
    timeouts = config.timeouts
    assert (timeouts.form_idle_s, timeouts.result_idle_s, timeouts.countdown_s) == (90, 30, 20)
    assert config.display.size == (1080, 1920)
    assert config.language == "zh" and config.demo is False


def test_values_from_the_file_override_defaults():
    config = parse_config(_config(language="en", retention_days=30, display={"orientation": "landscape"},
                                  hall={"district_code": "510100", "shop_area_threshold_m2": 200},
                                  devices={"printer": "tcp://10.0.0.5:9100"}))
    assert config.display.size == (1920, 1080)
    assert config.hall.district_code == "510100" and config.hall.shop_area_threshold_m2 == 200
    assert config.devices.printer == "tcp://10.0.0.5:9100" and config.devices.reader == "sim://"
    assert config.retention_days == 30 and config.language == "en"


@pytest.mark.parametrize(("data", "key", "reason"), [
    (_config(hall={"district_code": "5001"}), "hall.district_code", "String should match pattern"),
    (_config(hall={"distrct_code": "500151"}), "hall.distrct_code", "unknown key"),
    (_config(colour="red"), "colour", "unknown key"),
    (_config(timeouts={"form_idle_s": -1}), "timeouts.form_idle_s", "greater than 0"),
    (_config(display={"orientation": "diagonal"}), "display.orientation", "portrait"),
    (_config(language="fr"), "language", "'zh' or 'en'"),
    (_config(retention_days=0), "retention_days", "greater than or equal to 1"),
    ({"admin": {"pin_hash": "1234"}}, "admin.pin_hash", "never put the PIN itself"),
    ({}, "admin.pin_hash is required", "demo = false"),
])
def test_errors_name_the_key_path_and_the_reason(data, key, reason):
    with pytest.raises(ConfigError) as caught:
        parse_config(data, source="kiosk.toml")
    message = str(caught.value)
    assert message.startswith("kiosk.toml: ")
    assert key in message
    assert reason in message


def test_pin_hash_verifies_only_the_right_pin():
    stored = hash_pin("2468")
    assert stored.startswith("scrypt$") and "2468" not in stored
    assert verify_pin("2468", stored)
    assert not verify_pin("2469", stored)
    assert not verify_pin("2468", "garbage")


@pytest.mark.parametrize("pin", ["12", "abcd", "1234567890123"])
def test_bad_pins_are_refused(pin):
    with pytest.raises(ConfigError, match="4 to 12 digits"):
        hash_pin(pin)


def test_demo_config_is_all_simulated_with_its_own_data_dir():
    config = demo_config(Path("/srv/demo-data"))
    assert config.demo is True
    assert {config.devices.reader, config.devices.printer, config.devices.camera} == {"sim://"}
    assert config.data_dir == Path("/srv/demo-data")
    assert config.admin.pin_hash is not None and verify_pin(DEMO_ADMIN_PIN, config.admin.pin_hash)
    assert isinstance(config, KioskConfig)


def test_demo_config_default_data_dir_is_separate_from_the_real_one():
    config = demo_config()
    real = parse_config(_config())
    args = argparse.Namespace(config=None, data_dir=None)
    assert config.data_dir is not None and config.data_dir.name == "demo"
    assert resolve_data_dir(args, real) == config.data_dir.parent


def test_data_dir_precedence():
    in_file = parse_config(_config(data_dir="/var/lib/miaoban"))
    assert resolve_data_dir(argparse.Namespace(data_dir=Path("/tmp/x")), in_file) == Path("/tmp/x")
    assert resolve_data_dir(argparse.Namespace(data_dir=None), in_file) == Path("/var/lib/miaoban")
