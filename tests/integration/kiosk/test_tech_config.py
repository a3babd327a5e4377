"""kiosk.services.tech_config over a real Kiosk (SQLite store, print queue, sim:// printer) and a real
configuration file: a printer switch moves the waiting jobs to the new printer (a TCP emulator) where they
print, the audit names the keys with credentials masked, a refusal is audited and changes nothing."""

from __future__ import annotations

import json

import pytest

from kiosk.app import Kiosk
from kiosk.config import load_config
from kiosk.config_writer import backup_path
from kiosk.services.tech_config import ConfigDesk
from printers.emulator import EmulatedPrinter, EmulatorServer

TEXT = 'demo = true\n\n[devices]\nprinter = "sim://"\n'


@pytest.fixture
def kiosk(tmp_path, today):
    path = tmp_path / "config.toml"
    path.write_text(TEXT, encoding="utf-8")
    built = Kiosk(load_config(path), tmp_path / "data", today=lambda: today)
    built.config_path = path
    yield built
    built.close()


def config_rows(kiosk):
    return [(row["event"], json.loads(row["detail"])) for row in kiosk.store.audit_rows()
            if row["event"].startswith("config.")]


def test_a_printer_switch_moves_the_waiting_jobs_to_the_new_printer(kiosk):
    kiosk.sim_printer.set_paper_out(True)
    job = kiosk.queue.submit(kiosk.printer_url, b"\x1b@waiting for paper\n", kind="test", reference="W-1")
    kiosk.start_printing(job)
    kiosk.queue.wait_until(job, 10.0, lambda record: record.state == "queued" and "paper" in record.last_error)
    printer = EmulatedPrinter()
    with EmulatorServer(printer) as server:
        url = server.url
        outcome = ConfigDesk(kiosk, kiosk.config_path).save({"devices.printer": url}, "printer")
        assert outcome.ok and "1 个等待中的任务" in outcome.text, outcome.text
        assert kiosk.printer_url == url and kiosk.devices.printer_url == url
        assert kiosk.queue.wait(job, 10.0).state == "done" and printer.wait_for_jobs(1, 10.0)
    assert kiosk.sim_printer.jobs_printed == 0
    assert load_config(kiosk.config_path).devices.printer == url
    assert backup_path(kiosk.config_path).read_text(encoding="utf-8") == TEXT
    event, detail = config_rows(kiosk)[-1]
    assert event == "config.changed" and detail["changes"]["devices.printer"] == {"from": "sim://", "to": url}


def test_credentials_in_an_address_never_reach_the_audit_log(kiosk):
    url = "cups://operator:s3cret@printhost:631/kiosk"
    outcome = ConfigDesk(kiosk, kiosk.config_path).save({"devices.printer": url}, "printer")
    rows = config_rows(kiosk)
    assert "s3cret" not in repr(rows) and "operator" not in repr(rows)
    if outcome.ok:  # accepted: the masked address is recorded
        assert rows[-1][1]["changes"]["devices.printer"]["to"] == "cups://***@printhost:631/kiosk"


def test_a_refused_change_is_audited_and_changes_nothing(kiosk):
    before = kiosk.config
    outcome = ConfigDesk(kiosk, kiosk.config_path).save({"timeouts.form_idle_s": -1}, "settings")
    assert not outcome.ok and "timeouts.form_idle_s" in outcome.text and "原配置未改动" in outcome.text
    assert kiosk.config is before and kiosk.config_path.read_text(encoding="utf-8") == TEXT
    assert config_rows(kiosk)[-1] == ("config.refused", {"what": "settings", "keys": ["timeouts.form_idle_s"],
                                                         "reason": config_rows(kiosk)[-1][1]["reason"], "by": "panel"})


def test_nothing_changed_writes_nothing(kiosk):
    outcome = ConfigDesk(kiosk, kiosk.config_path).save({"devices.printer": "sim://"}, "printer")
    assert outcome.ok and "没有改动" in outcome.text and not backup_path(kiosk.config_path).exists()
    assert config_rows(kiosk) == []
