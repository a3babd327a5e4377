"""`kiosk` imports only the command that runs (issue 17): the table in kiosk.cli names each subcommand's
module and help without importing it; a module is imported when its name is parsed."""

from __future__ import annotations

import argparse
import importlib
import json
import subprocess
import sys

import pytest

from kiosk.cli import COMMAND_MODULES, COMMANDS, build_parser

#: Libraries no `kiosk --help` should load (each costs tens to hundreds of milliseconds).
HEAVY = ("pydantic", "sqlite_utils", "numpy", "escpos", "reportlab", "cv2", "zxingcpp", "rule_engine",
         "pypinyin", "PySide6", "cryptography", "yaml", "forms", "kiosk.config", "kiosk.app")


def modules_after(argv: list[str]) -> list[str]:
    """The modules a fresh `kiosk ARGV` process had imported when it exited."""
    code = ("import contextlib, io, json, sys\nfrom kiosk.cli import main\n"
            "with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):\n"
            "    try:\n        main(json.loads(sys.argv[1]))\n    except SystemExit:\n        pass\n"
            "print(json.dumps(sorted(sys.modules)))\n")
    result = subprocess.run([sys.executable, "-c", code, json.dumps(argv)], capture_output=True, text=True,
                            check=True)
    return json.loads(result.stdout)


def loaded(modules: list[str], prefixes: tuple[str, ...]) -> list[str]:
    return [m for m in modules if any(m == p or m.startswith(p + ".") for p in prefixes)]


def test_kiosk_help_imports_no_command_and_no_heavy_library() -> None:
    modules = modules_after(["--help"])
    assert loaded(modules, ("kiosk.commands", "kiosk.ui", "kiosk.services")) == []
    assert loaded(modules, HEAVY) == []


def test_a_command_imports_its_own_module_only() -> None:
    modules = modules_after(["verify", "--help"])
    assert "kiosk.commands.verify" in modules
    others = [c.module for c in COMMANDS if c.name != "verify"]
    assert [m for m in others if m in modules] == []
    assert loaded(modules, ("PySide6", "kiosk.ui")) == []


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c.name)
def test_each_row_matches_what_its_module_registers(command) -> None:
    """The table's help is the one the module gives (kiosk --help shows the table's)."""
    common = argparse.ArgumentParser(add_help=False)
    parser = argparse.ArgumentParser(prog="kiosk")
    subparsers = parser.add_subparsers(dest="command")
    importlib.import_module(command.module).register(subparsers, common)
    assert list(subparsers.choices) == [command.name]
    (pseudo,) = subparsers._choices_actions
    assert pseudo.help == command.help


def test_the_parser_loads_a_command_when_its_name_is_parsed() -> None:
    args = build_parser().parse_args(["audit", "show", "--last", "3"])
    assert (args.command, args.audit_action, args.last) == ("audit", "show", 3)
    assert args.func.__module__ == "kiosk.commands.audit"


def test_the_test_runners_list_of_command_modules_is_the_tables() -> None:
    assert tuple(c.module.rpartition(".")[2] for c in COMMANDS
                                    if c.module.startswith("kiosk.commands.")) == COMMAND_MODULES
    assert "apply" in COMMAND_MODULES and "demo" not in COMMAND_MODULES


def test_a_line_naming_its_command_builds_that_subcommand_alone_and_a_mistyped_one_lists_them_all(
        capsys) -> None:
    from kiosk.cli import _known_command

    assert _known_command(["--log-level", "INFO", "audit", "show"]) == "audit"
    assert _known_command(["--log-file", "apply", "verify", "X"]) == "verify"  # a value is not the command
    assert _known_command(["aduit", "show"]) is None and _known_command(["--self-test"]) is None
    alone = build_parser("audit")
    (subparsers,) = [action for action in alone._actions if isinstance(action, argparse._SubParsersAction)]
    assert list(subparsers.choices) == ["audit"]
    args = alone.parse_args(["audit", "show", "--last", "3"])
    assert (args.command, args.audit_action, args.last) == ("audit", "show", 3)
    with pytest.raises(SystemExit):
        build_parser(_known_command(["aduit"])).parse_args(["aduit"])
    assert "choose from 'run', 'demo', 'services'" in capsys.readouterr().err
