"""The emulator's stream scanner: DLE EOT queries come out, data inside commands never does."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from printers.emulator import EmulatedPrinter
from printers.escpos_parser import EscPosScanner

RASTER_WITH_DLE_EOT = b"\x1dv0\x00\x02\x00\x02\x00" + b"\x10\x04\x01\x10"  # 2 bytes x 2 rows
QR_STORE_WITH_DLE_EOT = b"\x1d(k\x06\x001P0\x10\x04\x02"
JOB = (b"\x1b@\x1c&" + "中文".encode("gbk") + b"\n" + RASTER_WITH_DLE_EOT + QR_STORE_WITH_DLE_EOT
       + b"\x1b*\x21\x01\x00\x10\x04\x04" + b"\x1dV\x41\x10")


def scan(chunks):
    scanner = EscPosScanner()
    data, queries, cuts = bytearray(), [], 0
    for chunk in chunks:
        for event in scanner.feed(chunk):
            if event.kind == "data":
                data += event.data
            elif event.kind == "query":
                queries.append(event.query)
            else:
                cuts += 1
    return bytes(data), queries, cuts


def test_queries_are_taken_out_and_command_data_is_left_alone():
    stream = b"\x10\x04\x01" + JOB[:9] + b"\x10\x04\x04" + JOB[9:] + b"\x10\x04\x02"
    data, queries, cuts = scan([stream])
    assert data == JOB
    assert queries == [1, 4, 2]
    assert cuts == 1


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=len(JOB) + 6), max_size=8))
def test_any_split_gives_the_same_result(cuts_at):
    stream = JOB + b"\x10\x04\x01"
    points = sorted(set(cuts_at))
    chunks = [stream[a:b] for a, b in zip([0, *points], [*points, len(stream)], strict=True)]
    assert scan(chunks) == (JOB, [1], 1)


def test_session_answers_from_printer_state():
    printer = EmulatedPrinter()
    session = printer.open_session()
    assert session.feed(b"\x10\x04\x01\x10\x04\x02\x10\x04\x04") == b"\x12\x12\x12"
    printer.set_paper_out(True)
    printer.set_paper_near_end(True)
    assert session.feed(b"\x10\x04\x01\x10\x04\x02\x10\x04\x04") == b"\x1a\x32\x7e"
    printer.load_paper()
    printer.set_cover_open(True)
    assert session.feed(b"\x10\x04\x01\x10\x04\x02\x10\x04\x04") == b"\x1a\x16\x12"
    assert session.end() is None  # only status queries: not a job
    assert printer.jobs == []


def test_control_commands_change_the_state():
    from printers.emulator import EmulatorError, apply_command

    printer = EmulatedPrinter()
    assert apply_command(printer, "paper-out").startswith("ok: paper-out")
    assert printer.status_byte(4) == 0x72
    assert apply_command(printer, "paper-low") == "ok: paper-out, paper-low; 0 jobs"
    assert apply_command(printer, "paper-ok") == "ok: ready; 0 jobs"
    apply_command(printer, "cover-open")
    assert printer.status_byte(2) == 0x16
    apply_command(printer, "cover-closed")
    apply_command(printer, "stall")
    assert printer.stalled
    apply_command(printer, "resume")
    assert apply_command(printer, "drop 30") == "ok: ready; 0 jobs, drop armed after 30 bytes"
    assert apply_command(printer, "") == ""
    with pytest.raises(EmulatorError, match="unknown emulator command 'jam'"):
        apply_command(printer, "jam")
    with pytest.raises(EmulatorError, match="byte count"):
        apply_command(printer, "drop lots")


def test_only_the_last_jobs_are_kept_in_memory_but_numbering_goes_on():
    printer = EmulatedPrinter(keep_jobs=2, render_png=False)
    for n in range(3):
        session = printer.open_session()
        session.feed(f"job {n}".encode())
        session.end()
    assert [job.number for job in printer.jobs] == [2, 3]
    assert printer.jobs_printed == 3
    assert printer.wait_for_jobs(3, timeout=0)


def test_serial_sessions_split_jobs_at_each_cut():
    printer = EmulatedPrinter(render_png=False)
    session = printer.open_session(split_on_cut=True)
    session.feed(b"\x1b@one\x1dV\x00\x1b@tw")
    session.feed(b"o\x1dV\x41\x03")
    assert [(job.data, job.ended_by) for job in printer.jobs] == [
        (b"\x1b@one\x1dV\x00", "cut"), (b"\x1b@two\x1dV\x41\x03", "cut")]
    assert session.end() is None


def test_width_must_be_a_real_paper_width():
    from printers.emulator import EmulatorError

    with pytest.raises(EmulatorError, match="multiple of 8 dots"):
        EmulatedPrinter(width_dots=500)


def test_a_restarted_emulator_numbers_on_after_the_captured_jobs(tmp_path):
    (tmp_path / "job-7.bin").write_bytes(b"\x1b@")
    for other in ("job-2.bin", "job-30.png", "job-x.bin", "job-40.bin.tmp", "ajob-50.bin"):  # not job-N.bin
        (tmp_path / other).write_bytes(b"")
    printer = EmulatedPrinter(capture_dir=tmp_path, render_png=False)
    session = printer.open_session()
    session.feed(b"\x1b@new job\n")
    job = session.end()
    assert job.number == 8 and (tmp_path / "job-8.bin").read_bytes().endswith(b"new job\n")
    assert (tmp_path / "job-7.bin").read_bytes() == b"\x1b@"
    assert EmulatedPrinter(capture_dir=tmp_path / "none yet", render_png=False).open_session() is not None
