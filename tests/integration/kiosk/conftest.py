"""Helpers for the kiosk integration tests: a CLI runner over just this area's subcommands."""

from __future__ import annotations

import argparse
import importlib
from pathlib import Path

import pytest

# The subcommands this area provides (kiosk.cli.COMMAND_MODULES is the lead's; it will list them too).
MODULES = ("verify", "keys", "audit", "purge")


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--config", type=Path)
    common.add_argument("--data-dir", type=Path)
    parser = argparse.ArgumentParser(prog="kiosk")
    subparsers = parser.add_subparsers(dest="command")
    for name in MODULES:
        importlib.import_module(f"kiosk.commands.{name}").register(subparsers, common)
    return parser


@pytest.fixture
def run_cli(capsys):
    """Run `kiosk ARGS...` in-process; return (exit code, stdout, stderr)."""

    def run(*argv: str) -> tuple[int, str, str]:
        args = build_parser().parse_args([str(arg) for arg in argv])
        code = int(args.func(args) or 0)
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run
