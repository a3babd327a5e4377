"""The configuration as plain data (kiosk.config) validated by the pydantic schema (kiosk.config_schema):
the two agree field for field, a file gives the same values and the same dump as the validated model,
and a command on the demo configuration never imports pydantic (issue 17)."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic_core import PydanticUndefined

from kiosk import config as plain
from kiosk import config_schema
from kiosk.config import demo_config, hash_pin, parse_config

CLASSES = sorted(plain.PLAIN_SECTIONS)
FULL = {
    "language": "en", "demo": False, "data_dir": "/var/lib/miaoban", "retention_days": 90,
    "hall": {"district_code": "510100", "kiosk_id": "K07", "offices": {"health": "某卫健委"}},
    "devices": {"printer": "tcp://10.0.0.5:9100?profile=xprinter-80", "camera": "none"},
    "timeouts": {"form_idle_s": 120}, "display": {"orientation": "landscape", "hot_items": ["residence-permit"]},
    "catalog": {"disabled": ["food-business-licence"]}, "speaker": {"volume": 35},
    "admin": {"pin_hash": hash_pin("123456", salt=b"fixed-salt-16byt")},
    "sync": {"url": "http://10.0.0.5:8600/", "token": "t0k3n", "batch_events": 50},
}


def _default(field: dataclasses.Field) -> object:
    if field.default_factory is not dataclasses.MISSING:
        return field.default_factory()
    return PydanticUndefined if field.default is dataclasses.MISSING else field.default


@pytest.mark.parametrize("name", CLASSES)
def test_each_plain_section_has_the_fields_and_defaults_of_its_schema_model(name: str) -> None:
    model = getattr(config_schema, name)
    fields = {f.name: _default(f) for f in dataclasses.fields(plain.PLAIN_SECTIONS[name])}
    schema = {}
    for key, info in model.model_fields.items():
        value = info.default_factory() if info.default_factory else info.default
        schema[key] = config_schema.to_plain(value)  # a section's default: its own default model
    assert fields == schema


def test_a_file_gives_the_values_and_the_dump_of_the_validated_model() -> None:
    config = parse_config(FULL)
    model = config_schema.KioskConfig.model_validate(FULL)
    assert type(config) is plain.KioskConfig and type(config.hall).__module__ == "forms.settings"
    for mode, exclude_none in (("json", True), ("json", False), ("python", False)):
        assert config.model_dump(mode=mode, exclude_none=exclude_none) == model.model_dump(
            mode=mode, exclude_none=exclude_none), (mode, exclude_none)
    assert config.sync.url == "http://10.0.0.5:8600" and config.sync.configured
    assert config.display.hot_items == ("residence-permit",) and config.data_dir == Path("/var/lib/miaoban")


def test_model_copy_replaces_fields_and_keeps_the_rest_frozen() -> None:
    config = demo_config(Path("/tmp/demo-data"))
    moved = config.model_copy(update={"devices": config.devices.model_copy(update={"printer": "tcp://h:9100"})})
    assert moved.devices.printer == "tcp://h:9100" and moved.devices.reader == config.devices.reader == "sim://"
    assert config.devices.printer == "sim://" and moved.hall == config.hall
    with pytest.raises(dataclasses.FrozenInstanceError):
        moved.demo = False  # type: ignore[misc]


DEMO_PROBE = """
import argparse, sys
from kiosk.config import config_from_args
config = config_from_args(argparse.Namespace(config=None, data_dir=sys.argv[1]))
print(config.demo, config.hall.health_office, "pydantic" in sys.modules)
"""


def test_the_demo_configuration_needs_no_pydantic(tmp_path: Path) -> None:
    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path / "no-config")}  # no platform config file
    result = subprocess.run([sys.executable, "-c", DEMO_PROBE, str(tmp_path)], env=env, capture_output=True,
                            text=True, check=True)
    assert result.stdout.split() == ["True", "铜梁区卫生健康委员会", "False"]
