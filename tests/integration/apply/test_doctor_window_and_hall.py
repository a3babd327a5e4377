"""`kiosk doctor`'s checks of the camera, the window's Qt plugins, speech, disk space and the hall: each
fails, with what to do, when its part is absent (a camera index with no device, a platform plugin that
does not exist, no speech program, a disk with less room than needed, a hall that refuses the kiosk's
token or does not answer), and makes the exit code 1."""

from __future__ import annotations

import socket

from integration.sync.conftest import TOKEN, ContractHall, write_config

from kiosk.config import load_config
from kiosk.devices import Devices
from kiosk.services import diagnostics


def closed_port() -> int:
    with socket.create_server(("127.0.0.1", 0)) as probe:
        return probe.getsockname()[1]


def lines_by_name(out: str) -> dict[str, str]:
    return {line.split(None, 1)[1].split(": ", 1)[0]: line for line in out.splitlines()}


def test_an_absent_camera_is_a_problem(run_cli, tmp_path):
    config = tmp_path / "kiosk.toml"
    config.write_text(f'demo = true\ndata_dir = "{tmp_path / "data"}"\n[devices]\ncamera = "9"\n', encoding="utf-8")
    run = run_cli("doctor", "--config", config)
    assert run.code == 1
    line = lines_by_name(run.out)["camera 9"]
    assert line.startswith("PROBLEM") and "拍摄仪" in line and "-> check the camera's USB cable" in line
    assert lines_by_name(run.out)["reader sim://"].startswith("OK"), "the other devices are still checked"


def test_the_sim_camera_gives_a_frame():
    check = diagnostics.check_camera(Devices("sim://", "sim://", "sim://"))
    assert check.ok and "1920x1080" in check.detail


def test_a_missing_platform_plugin_is_a_problem(run_cli, tmp_path, monkeypatch):
    monkeypatch.setenv("QT_QPA_PLATFORM", "nosuchplatform")
    run = run_cli("doctor", "--data-dir", tmp_path / "data")
    assert run.code == 1
    line = lines_by_name(run.out)["qt plugins"]
    assert line.startswith("PROBLEM") and "no 'nosuchplatform' platform plugin" in line and "xcb" in line


def test_the_qt_probe_finds_what_the_window_needs():
    probe = diagnostics.qt_probe()
    assert probe["virtual_keyboard"] and "jpeg" in probe["image_formats"] and "offscreen" in probe["platforms"]
    assert probe["pinyin"] == "中", "zhong typed on the 简体中文 layout offers 中 first"
    assert diagnostics.check_qt_plugins(probe, "offscreen").ok
    no_pinyin = diagnostics.check_qt_plugins(dict(probe, pinyin=""), "offscreen")
    assert not no_pinyin.ok and "cannot type Chinese" in no_pinyin.detail
    broken = dict(probe, virtual_keyboard=False, keyboard_error="module \"QtQuick.VirtualKeyboard\" is not installed",
                  image_formats=["png"])
    check = diagnostics.check_qt_plugins(broken, "offscreen")
    assert not check.ok and "virtual keyboard does not load" in check.detail and "jpeg" in check.detail


def test_no_speech_engine_is_a_problem(tmp_path):
    check = diagnostics.check_speech({"speech_engines": ["mock"]}, path=str(tmp_path))  # no espeak-ng there
    assert not check.ok and "elder mode" in check.detail and "espeak-ng" in check.todo


def test_a_nearly_full_disk_is_a_problem(tmp_path):
    assert diagnostics.check_disk(tmp_path).ok
    check = diagnostics.check_disk(tmp_path / "not" / "made", minimum=10**18)
    assert not check.ok and "GB free" in check.detail and "kiosk purge" in check.todo


def test_the_hall_connection_answers_refuses_or_is_down(tmp_path):
    hall = ContractHall().up()
    try:
        good = write_config(tmp_path / "good.toml", tmp_path / "d", hall.url)
        check = diagnostics.check_hall_connection(load_config(good))
        assert check.ok and "answers as kiosk K01" in check.detail
        assert not hall.events and hall.requests == [("/api/v1/events", 0)], "nothing is stored on the hall"
        bad = write_config(tmp_path / "bad.toml", tmp_path / "d", hall.url, token="revoked")
        refused = diagnostics.check_hall_connection(load_config(bad))
        assert not refused.ok and "401" in refused.detail and "enrol" in refused.todo
    finally:
        hall.down()
    down = write_config(tmp_path / "down.toml", tmp_path / "d", f"http://127.0.0.1:{closed_port()}", token=TOKEN)
    unreachable = diagnostics.check_hall_connection(load_config(down), timeout=2)
    assert not unreachable.ok and "连不上大厅系统" in unreachable.detail and "network" in unreachable.todo


def test_doctor_exits_1_when_the_hall_refuses(run_cli, tmp_path):
    hall = ContractHall().up()
    try:
        config = write_config(tmp_path / "kiosk.toml", tmp_path / "data", hall.url, token="revoked")
        run = run_cli("doctor", "--config", config)
    finally:
        hall.down()
    assert run.code == 1
    assert lines_by_name(run.out)["hall connection"].startswith("PROBLEM")
