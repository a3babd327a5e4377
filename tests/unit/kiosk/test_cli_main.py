"""`kiosk.cli.main` is the last line of defence: an exception no command handled becomes one line naming
the log file, exit 1; the traceback goes to that file (ID and phone numbers masked), and to stderr only with
--log-level DEBUG. The failing command is a real subcommand given to `main` through its `parser` argument."""

from __future__ import annotations

import argparse
import contextlib
import errno
import io
import os
from pathlib import Path

import pytest

from kiosk.cli import main

ID_NUMBER = "500151198503120019"


def parser_with(func) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kiosk")
    parser.add_argument("--log-level", default="WARNING")
    parser.add_argument("--log-file", type=Path)
    commands = parser.add_subparsers(dest="command")
    command = commands.add_parser("boom")
    command.add_argument("--data-dir", type=Path)
    command.set_defaults(func=func)
    return parser


def run(func, *argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv), parser=parser_with(func))
    return code, out.getvalue(), err.getvalue()


def lookup_fails(args):
    record = {"id_number": ID_NUMBER}
    return record["phone"]  # a KeyError no command expected


def test_an_unexpected_error_is_one_line_naming_the_log(tmp_path):
    log = tmp_path / "log" / "kiosk.log"
    code, out, err = run(lookup_fails, "--log-file", str(log), "boom")
    assert (code, out) == (1, "")
    assert err == f"kiosk boom: internal error (KeyError: 'phone'); the details are in {log}\n"
    text = log.read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in text and "lookup_fails" in text and "KeyError: 'phone'" in text
    assert ID_NUMBER not in text


def test_personal_data_in_the_message_is_masked_on_screen_and_in_the_log(tmp_path):
    def fails(args):
        raise ValueError(f"no such holder {ID_NUMBER}\nphone 13812345678")

    log = tmp_path / "kiosk.log"
    code, _, err = run(fails, "--log-file", str(log), "boom")
    assert code == 1
    assert err == (f"kiosk boom: internal error (ValueError: no such holder 5001**********0019 phone 138****5678); "
                   f"the details are in {log}\n")
    assert ID_NUMBER not in log.read_text(encoding="utf-8") and "13812345678" not in log.read_text(encoding="utf-8")
    assert log.stat().st_mode & 0o777 == 0o600


def test_debug_also_shows_the_traceback(tmp_path):
    code, _, err = run(lookup_fails, "--log-level", "DEBUG", "--log-file", str(tmp_path / "kiosk.log"), "boom")
    assert code == 1
    assert "Traceback (most recent call last)" in err
    assert err.rstrip().endswith(f"the details are in {tmp_path / 'kiosk.log'}")


def test_a_log_that_cannot_be_written_is_said_in_the_same_line(tmp_path):
    (tmp_path / "file").write_text("x", encoding="utf-8")
    log = tmp_path / "file" / "kiosk.log"
    code, _, err = run(lookup_fails, "--log-file", str(log), "boom")
    assert code == 1
    assert err == (f"kiosk boom: internal error (KeyError: 'phone'); the traceback could not be written to {log} "
                   "(File exists): run again with --log-level DEBUG to see it\n")


def test_ctrl_c_is_one_line_exit_130(tmp_path):
    def interrupted(args):
        raise KeyboardInterrupt

    assert run(interrupted, "--log-file", str(tmp_path / "kiosk.log"), "boom") == (130, "", "kiosk boom: interrupted\n")


@pytest.mark.parametrize(("errno_name", "words"), [("ENOSPC", "disk full: /data/x.pdf: No space left on device"),
                                                   ("EROFS", "read-only file system: /data/x.pdf: Read-only")])
def test_a_disk_that_fills_while_running_is_one_line_exit_1(tmp_path, errno_name, words):
    number = getattr(errno, errno_name)

    def writes(args):
        raise OSError(number, os.strerror(number), "/data/x.pdf")

    code, _, err = run(writes, "--log-file", str(tmp_path / "kiosk.log"), "boom")
    assert code == 1
    assert err.startswith(f"kiosk boom: {words}") and err.count("\n") == 1
    assert not (tmp_path / "kiosk.log").exists()


@pytest.mark.parametrize("command", [["apply", "--service", "x", "--card", "adult", "--answers", "a.json"],
                                     ["jobs", "retry"], ["reprint", "R-1"]])
@pytest.mark.parametrize("wait", ["inf", "nan", "-1", "1e9", "soon"])
def test_wait_must_be_a_finite_number_of_seconds(command, wait, tmp_path, capsys):
    with pytest.raises(SystemExit) as exited:
        main([*command, "--data-dir", str(tmp_path / "data"), "--wait", wait])
    assert exited.value.code == 2
    assert "--wait" in capsys.readouterr().err
    assert not (tmp_path / "data").exists(), "refused before anything was created"
