"""Device addresses that cannot work stop the configuration from loading, with the key path and the reason
(kiosk.device_check through kiosk.config); every address the README documents still loads."""

from __future__ import annotations

import contextlib
import io

import pytest

from kiosk.cli import main
from kiosk.config import ConfigError, hash_pin, load_config, parse_config

PIN_HASH = hash_pin("123456", salt=b"fixed-salt-16byt")


def _devices(**devices: str) -> dict:
    return {"admin": {"pin_hash": PIN_HASH}, "devices": devices}


BAD = [
    ("reader", "http://10.0.0.5/reader", "http:// is not a serial URL pyserial knows"),
    ("reader", "socket://10.0.0.5", "needs HOST:PORT"),
    ("reader", "socket://10.0.0.5:99999", "the port must be a number from 1 to 65535"),
    ("reader", "/dev/ttyUSB0?baudrate=12", "baudrate must be one of"),
    ("reader", "sim://?card=nobody", "card 'nobody' is neither a demo card"),
    ("reader", "sim://?card=adult&hold=nan", "hold must be a number of seconds, 0 or more"),
    ("reader", "sim://?colour=red", "unknown sim:// option 'colour'"),
    ("printer", "lpt://1", "not a printer URL"),
    ("printer", "tcp://10.0.0.5:9100?profile=nope", "unknown printer profile 'nope'"),
    ("printer", "tcp://10.0.0.5:9100?width=500", "width 500 dots is not a positive multiple of 8"),
    ("printer", "tcp://10.0.0.5:9100?width=99992", "width=99992 dots is wider than any receipt printer"),
    ("printer", "tcp://10.0.0.5:9100?mode=fast", "mode='fast' must be one of"),
    ("printer", "tcp://10.0.0.5:9100?profile=generic-80-raster&mode=text",
     "mode=text needs a printer with a Chinese font and profile generic-80-raster has none"),
    ("printer", "tcp://10.0.0.5:9100?timeout=inf", "timeout must be a finite number of seconds"),
    ("printer", "tcp://10.0.0.5:70000", "is not a port number"),
    ("printer", "serial://http://x", "http:// is not a serial URL pyserial knows"),
    ("camera", "rtsp://10.0.0.9/stream", "is not a camera address"),
    ("camera", "/no/such/video.mp4", "no such video file or image folder"),
    ("camera", "100", "a camera device index is 0 to 99"),
]


@pytest.mark.parametrize(("key", "url", "words"), BAD, ids=[f"{k} {u}" for k, u, _ in BAD])
def test_an_address_that_cannot_work_names_its_key(key, url, words):
    with pytest.raises(ConfigError) as caught:
        parse_config(_devices(**{key: url}), source="kiosk.toml")
    message = str(caught.value)
    assert message.startswith(f"kiosk.toml: devices.{key}: "), message
    assert words in message
    assert "Value error" not in message and "\n" not in message


GOOD = [
    ("reader", "/dev/ttyUSB0?baudrate=115200"), ("reader", "COM3"), ("reader", "socket://127.0.0.1:7001"),
    ("reader", "loop://"), ("reader", "rfc2217://10.0.0.5:7000"), ("reader", "sim://"),
    ("reader", "sim://?card=adult&card=hmt&hold=2.5"),
    ("printer", "tcp://192.168.1.50:9100?profile=xprinter-80"), ("printer", "tcp://printer"),
    ("printer", "serial:///dev/ttyS1?baudrate=115200"), ("printer", "serial://socket://127.0.0.1:7000"),
    ("printer", "usb://0x0416:0x5011"), ("printer", "file:///dev/usb/lp0"), ("printer", "cups://receipt"),
    ("printer", "sim://"), ("printer", "tcp://10.0.0.5?profile=generic-58&width=384&mode=raster"),
    ("printer", "tcp://10.0.0.5?profile=epson-tm-t88&timeout=2.5"),
    ("camera", "0"), ("camera", "sim://"), ("camera", "none"),
]


@pytest.mark.parametrize(("key", "url"), GOOD, ids=[f"{k} {u}" for k, u in GOOD])
def test_documented_addresses_load(key, url):
    assert getattr(parse_config(_devices(**{key: url})).devices, key) == url


def test_a_camera_file_or_folder_that_exists_loads(tmp_path):
    video = tmp_path / "hall.mp4"
    video.write_bytes(b"\0")
    assert parse_config(_devices(camera=str(video))).devices.camera == str(video)
    assert parse_config(_devices(camera=str(tmp_path))).devices.camera == str(tmp_path)


def test_a_sim_card_file_that_exists_loads(tmp_path):
    card = tmp_path / "card.json"
    card.write_text("{}", encoding="utf-8")
    assert parse_config(_devices(reader=f"sim://?card={card}")).devices.reader == f"sim://?card={card}"


def test_a_command_with_such_a_config_prints_one_line_and_exits_2(tmp_path):
    config = tmp_path / "kiosk.toml"
    config.write_text(f'[admin]\npin_hash = "{PIN_HASH}"\n[devices]\nprinter = "tcp://10.0.0.5:9100?profile=nope"\n',
                      encoding="utf-8")
    with pytest.raises(ConfigError, match=r"devices\.printer: tcp://10\.0\.0\.5:9100\?profile=nope: unknown"):
        load_config(config)
    answers = tmp_path / "answers.json"
    answers.write_text("{}", encoding="utf-8")
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(["apply", "--config", str(config), "--data-dir", str(tmp_path / "data"), "--service", "x",
                     "--card", "adult", "--answers", str(answers)])
    assert code == 2
    assert err.getvalue().startswith(f"kiosk apply: {config}: devices.printer: ") and err.getvalue().count("\n") == 1
    assert not (tmp_path / "data").exists()
