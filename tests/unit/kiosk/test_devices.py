"""Device wiring is decided once (kiosk.devices): every connection to a sim:// printer reaches the one
emulator the wiring made, so `kiosk doctor`, the technician panel and the queue see the same printer;
a real printer URL makes no emulator."""

from __future__ import annotations

from kiosk.commands.doctor import check_printer
from kiosk.config import DeviceSettings
from kiosk.devices import wire_devices
from kiosk.services.checks import PRINTER_TIMEOUTS
from printers.transports import probe_status


def test_a_sim_printer_is_made_once_and_every_transport_reaches_it():
    devices = wire_devices(DeviceSettings(reader="sim://", printer="sim://?width=384", camera="sim://"))
    assert devices.printer_simulated and devices.reader_simulated
    assert devices.sim_printer is not None and devices.sim_printer.width_dots == 384
    devices.sim_printer.set_paper_out(True)
    assert probe_status(devices.printer_transport(PRINTER_TIMEOUTS)).code == "paper-out"
    assert probe_status(devices.printer_transport(PRINTER_TIMEOUTS, "sim://")).code == "paper-out"


def test_doctor_checks_the_printer_the_kiosk_wired_not_a_fresh_emulator():
    devices = wire_devices(DeviceSettings(reader="sim://", printer="sim://", camera="sim://"))
    assert check_printer(devices).ok
    devices.sim_printer.set_cover_open(True)
    check = check_printer(devices)
    assert not check.ok and check.todo == "close the printer cover"


def test_a_real_printer_url_makes_no_emulator():
    devices = wire_devices(DeviceSettings(reader="/dev/ttyUSB0", printer="tcp://127.0.0.1:9", camera="sim://"))
    assert devices.sim_printer is None and not devices.printer_simulated and not devices.reader_simulated


def test_doctor_names_a_bad_printer_url_in_one_problem_line(tmp_path, capsys):
    """The configuration refuses a printer URL that cannot work (kiosk.device_check), so doctor reports it
    as the configuration's problem, naming the key, in one line, and exits 1 without a traceback."""
    from kiosk.cli import main

    config = tmp_path / "kiosk.toml"
    config.write_text('demo = true\n[devices]\nprinter = "bogus://x"\n', encoding="utf-8")
    code = main(["doctor", "--config", str(config), "--data-dir", str(tmp_path / "data")])
    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    assert code == 1 and "Traceback" not in captured.out + captured.err
    problems = [line for line in lines if line.startswith("PROBLEM")]
    assert len(problems) == 1 and "devices.printer" in problems[0] and "bogus://x" in problems[0], lines


def test_the_sim_printer_keeps_only_the_last_slips_in_memory(tmp_path):
    """Each slip shows its holder's name: a demo kiosk running for months (the soak: thousands of visits)
    kept the emulator's last 200 in memory; now the last 16, while every slip's files stay on disk."""
    devices = wire_devices(DeviceSettings(printer="sim://"), capture_dir=tmp_path)
    printer = devices.sim_printer
    printer.render_png = False
    for n in range(20):
        session = printer.open_session()
        session.feed(f"slip {n}".encode())
        session.end()
    assert [job.data for job in printer.jobs] == [f"slip {n}".encode() for n in range(4, 20)]
    assert printer.jobs_printed == 20 and len(list(tmp_path.glob("job-*.bin"))) == 20
