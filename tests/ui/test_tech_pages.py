"""The technician panel's pages in the real QML app offscreen, over a kiosk built from a configuration FILE
(so saving writes it): devices (读卡测试 on the reader simulator, the printer URL built and switched, the
speaker), the catalog switches and the next applicant's catalog, the settings page (validated, saved with
the old file kept, reloaded and applied), cancelling a print job, and a job that may have printed asking
before it prints again. Screenshots of every page go to /tmp/panel-shots/."""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

from idreader import demo_cards
from kiosk.config import load_config
from kiosk.config_writer import backup_path
from kiosk.services.app_services import AppServices
from kiosk.session import ApplicantSession
from kiosk.ui.driver import UiDriver
from ui.test_technician import unlock, wait_idle

SHOTS = Path("/tmp/panel-shots")
CONFIG_TEXT = """# the hall's kiosk (a technician's comment that must survive the panel's edits)
demo = true
language = "zh"

[hall]
name = "铜梁区政务服务中心"

[devices]
reader = "sim://"
printer = "sim://"
camera = "sim://"
"""


@pytest.fixture
def config_file(tmp_path) -> Path:
    path = tmp_path / "kiosk.toml"
    path.write_text(CONFIG_TEXT + f'data_dir = "{tmp_path / "data"}"\n'.replace("data_dir", "#"), encoding="utf-8")
    path.write_text(CONFIG_TEXT, encoding="utf-8")
    return path


@pytest.fixture
def file_services(tmp_path, clock, kiosk_calendar, config_file) -> Iterator[AppServices]:
    built = AppServices(load_config(config_file), tmp_path / "data", print_timeout=20.0, config_path=config_file,
                        **kiosk_calendar(clock))
    yield built
    built.close()


@pytest.fixture
def panel_ui(qtbot, file_services, clock) -> Iterator[UiDriver]:
    from kiosk.ui.app import build_ui

    session = ApplicantSession(file_services.directory, clock)
    ui = build_ui(file_services, session=session, orientation="portrait", demo=True, tick_interval=None)
    driver = UiDriver(ui, file_services, clock, qtbot)
    yield driver
    ui.close()


def open_page(ui, key: str, name: str) -> None:
    ui.click(f"techTab_{key}")
    ui.item(name)
    wait_idle(ui)


def shot(ui, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    ui.grab(str(SHOTS / f"{name}.png"))


def test_every_page_opens_and_is_photographed(panel_ui):
    ui = panel_ui
    unlock(ui)
    shot(ui, "1-status")
    for key, name in (("devices", "techDevicesPage"), ("catalog", "techCatalogPage"),
                      ("settings", "techSettingsPage")):
        open_page(ui, key, name)
        shot(ui, f"2-{key}")
    ui.click("techTab_camera")
    ui.item("techCameraPage")
    ui.click("camClose")
    ui.item("techStatusPage")
