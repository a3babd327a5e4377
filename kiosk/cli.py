"""The `kiosk` command line: one entry point over two sibling packages that never import each other.

The subcommands that start the touchscreen (`run`, `demo`) live in `kiosk.ui` (they need Qt); the
others in `kiosk.commands` (Qt-free). Both build on `kiosk.services` and the composition root
(`kiosk.app`); only this module knows both (the import contract in pyproject.toml checks it).

Every subcommand accepts `--config FILE` and `--data-dir DIR` (contract, DESIGN.md). A subcommand
module exposes `register(subparsers, common)` where `common` is the parent parser carrying those two
options, and sets `func(args) -> int` on the parser it adds.

Only the command that runs is imported. `COMMANDS` below lists every subcommand as (name, module, help);
the parser holds a cheap placeholder per row, and the row's module is imported (and its `register`
called) only when argparse meets that name on the command line. So `kiosk --help` imports no command
module, and `kiosk apply` none but kiosk.commands.apply (issue 17: 0.33 s -> well under 0.1 s).
To add a subcommand:
  1. write `kiosk/commands/NAME.py` (Qt-free) or `kiosk/ui/NAME_command.py` (Qt) with
     `register(subparsers, common)` that calls `subparsers.add_parser(NAME, parents=[common], help=HELP)`;
     keep its top-level imports light (import heavy libraries inside `run`), since `kiosk NAME --help`
     imports the module;
  2. add one row `Command(NAME, "kiosk.commands.NAME", HELP)` to `COMMANDS`, with the same help text
     (tests/unit/kiosk/test_cli_lazy.py checks that each row's help and name match what its module
     registers, and that `kiosk --help` imports none of them).

Every command runs with umask 077 (files 0600, folders 0700: the data dir holds personal data and
keys). An empty `--data-dir ''` is refused (it would mean the current folder), and so is starting
on a data dir whose QR signing key or audit key was lost: one line each, exit 2.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import logging
import os
import sqlite3
import sys
from pathlib import Path

from kiosk import crash
from kiosk.datadir import owner_only_umask
from kiosk.entry import command_word, early_start
from kiosk.logging_setup import configure_logging


class Command:
    """One subcommand: its name, the module whose `register(subparsers, common)` adds it (imported only
    when the command runs), and its one-line help for `kiosk --help`. (A plain class: dataclasses costs
    `kiosk --help` 15 ms.)"""

    __slots__ = ("help", "module", "name")

    def __init__(self, name: str, module: str, help: str) -> None:
        self.name, self.module, self.help = name, module, help

    def __repr__(self) -> str:
        return f"Command({self.name!r}, {self.module!r}, {self.help!r})"


#: Every subcommand in the order `kiosk --help` lists them: the touchscreen's (kiosk.ui) first.
COMMANDS: tuple[Command, ...] = (
    Command("run", "kiosk.ui.run_command", "run the kiosk with the configured devices"),
    Command("demo", "kiosk.ui.demo_command", "run the touchscreen with simulated devices"),
    Command("services", "kiosk.commands.services", "list the service catalog, or check its YAML files"),
    Command("apply", "kiosk.commands.apply", "run one application headless"),
    Command("documents", "kiosk.commands.documents", "write a stored application's PDFs again"),
    Command("jobs", "kiosk.commands.jobs", "list, retry or confirm print jobs"),
    Command("reprint", "kiosk.commands.reprint", "print another copy of a slip"),
    Command("verify", "kiosk.commands.verify", "verify a signed QR credential offline"),
    Command("keys", "kiosk.commands.keys", "export the QR public key; hash a PIN"),
    Command("audit", "kiosk.commands.audit", "verify or show the audit log"),
    Command("purge", "kiosk.commands.purge", "purge old personal data"),
    Command("doctor", "kiosk.commands.doctor", "check config, storage and devices"),
    Command("sync", "kiosk.commands.sync", "send the outbox to the hall now"),
    Command("stats", "kiosk.commands.stats", "this terminal's statistics (CSV for Excel)"),
    Command("scan", "kiosk.commands.scan", "verify the QR in a photo and show its status"),
    Command("capture", "kiosk.commands.capture", "flatten a photo of a page (document camera)"),
)

#: The modules under kiosk/commands, by short name (kept for the test runners that register them).
COMMAND_MODULES: tuple[str, ...] = tuple(
    command.module.rpartition(".")[2] for command in COMMANDS if command.module.startswith("kiosk.commands.")
)


class _LazySubcommands(argparse._SubParsersAction):
    """argparse's subcommand action with a placeholder parser per `Command`: the first time a command's
    name is parsed, the placeholder is dropped and the command's module registers the real parser."""

    def __init__(self, *args, common: argparse.ArgumentParser, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._common = common
        self._pending: dict[str, Command] = {}

    def add_lazy(self, command: Command) -> None:
        self.add_parser(command.name, help=command.help, add_help=False)
        self._pending[command.name] = command

    def load(self, name: str) -> argparse.ArgumentParser:
        """The real parser of command `name` (its module imported and registered on first use)."""
        command = self._pending.pop(name, None)
        if command is not None:
            del self._name_parser_map[name]
            self._choices_actions[:] = [action for action in self._choices_actions if action.dest != name]
            importlib.import_module(command.module).register(self, self._common)
            if name not in self._name_parser_map:
                raise RuntimeError(f"{command.module}.register did not add the subcommand {name!r}")
        return self._name_parser_map[name]

    def __call__(self, parser, namespace, values, option_string=None) -> None:
        self.load(values[0])
        super().__call__(parser, namespace, values, option_string)


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The `kiosk` parser; given the name of the `command` the line runs, with that subcommand alone (each
    placeholder is a parser: ~0.2 ms); otherwise with every one (`kiosk --help`, a mistyped name)."""
    common = argparse.ArgumentParser(add_help=False)
    # SUPPRESS: an option given before a nested subcommand is not reset by the nested parser's default;
    # read them with getattr(args, "config", None).
    common.add_argument("--config", type=Path, metavar="FILE", default=argparse.SUPPRESS,
                        help="configuration file (TOML)")
    common.add_argument("--data-dir", type=_data_dir, metavar="DIR", default=argparse.SUPPRESS,
                        help="where the database and keys live")
    parser = argparse.ArgumentParser(prog="kiosk", description="秒办 self-service kiosk")
    parser.add_argument("--log-level", default="WARNING", choices=["DEBUG", "INFO", "WARNING", "ERROR"],
                        help="log to stderr from this level (ID and phone numbers are always masked)")
    parser.add_argument("--log-file", type=Path, metavar="FILE", default=None,
                        help="where the traceback of an unexpected error is written "
                             "(default: kiosk.log in the platform's user log folder)")
    # The installation's check of itself (kiosk.commands.selftest, imported only when asked for).
    parser.add_argument("--self-test", action="store_true",
                        help="check this installation end to end in a throwaway folder (reader simulator, an "
                             "application, PDFs, a print over TCP, the QR, the hall outbox, the screen); "
                             "exit 0 when every step passes")
    parser.add_argument("--no-screen", action="store_true", help="with --self-test: leave out the screen step")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", action=_LazySubcommands, common=common)
    for row in COMMANDS:
        if command in (None, row.name):
            subparsers.add_lazy(row)
    return parser


class _EmptyDataDir:
    """What `--data-dir ''` parses to: refused by `main` with one line (argparse would print usage too)."""


EMPTY_DATA_DIR = _EmptyDataDir()


def _data_dir(text: str) -> Path | _EmptyDataDir:
    return Path(text) if text.strip() else EMPTY_DATA_DIR


def _quiet_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush does not fail on the closed pipe."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


def main(argv: list[str] | None = None, *, parser: argparse.ArgumentParser | None = None) -> int:
    """Run one command; whatever it does not handle becomes one line on stderr, never a traceback: an
    unusable data dir, damaged database, missing or unusable signing or audit key exits 2 (nothing was
    stored), anything else exits 1 with the traceback in the log file (`--log-file`, kiosk.crash).
    `parser` replaces `build_parser()` (tests). Without `argv`, the process's own command line, and the
    process ends as `end_process` says (the installed script calls kiosk.entry, which does the same)."""
    owner_only_umask()
    entry = argv is None
    argv = sys.argv[1:] if argv is None else list(argv)
    with early_start(argv):  # nested in kiosk.entry's own block: starts nothing more
        code = _main(argv, parser or build_parser(_known_command(argv)))
    if entry:
        end_process(argv, code)
    return code


def end_process(argv: list[str], code: int) -> None:
    """The command of this process's command line is done and the process ends: the interpreter's
    collection at exit would traverse every object still alive (catalog, rules, fonts: ~35-45 ms of every
    `kiosk apply`, issue 17) only to free memory the exit frees anyway. Frozen, they are left alone;
    atexit handlers (logging's flush) still run. `kiosk apply` then ends the process at once
    (`_end_process`); every other command returns."""
    import gc

    gc.freeze()
    if command_word(argv) == "apply":
        _end_process(code)


def _end_process(code: int) -> None:
    """End this process now with `code`, as the interpreter would once `main` returns, without tearing
    down its modules one object at a time (~5 ms of `kiosk apply`, whose every file, database, thread
    and child is closed, joined and reaped by the time it returns): the exit handlers run (logging's
    flush and close), then stdout and stderr are flushed. With a thread still running, returns (the
    interpreter then waits for it as usual)."""
    import atexit
    import threading

    if threading.active_count() > 1:
        return
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a reader that left (`| head`), a closed stream
            stream.flush()
    os._exit(code)


def _known_command(argv: list[str]) -> str | None:
    word = command_word(argv)
    return word if any(row.name == word for row in COMMANDS) else None


def _main(argv: list[str], parser: argparse.ArgumentParser) -> int:
    args = parser.parse_args(argv)
    configure_logging(getattr(logging, args.log_level))
    if getattr(args, "self_test", False) and not args.command:
        from kiosk.commands.selftest import run_self_test

        return run_self_test(screen=not args.no_screen)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return 2
    name = f"kiosk {args.command}"
    if getattr(args, "data_dir", None) is EMPTY_DATA_DIR:
        print(f"{name}: --data-dir is empty; give the data folder, or leave the option out "
              "to use the configured one", file=sys.stderr)
        return 2
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        print(f"{name}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `kiosk services --json | head`: the reader left; what it read was whole
        _quiet_stdout()
        return 0
    except Exception as exc:
        if isinstance(exc, _cannot_start_faults()):  # nothing could be stored: the kiosk cannot start
            print(f"{name}: {crash.one_line(str(exc))}", file=sys.stderr)
            return 2
        known = _known_fault(exc, args)
        if known is not None:
            print(f"{name}: {crash.one_line(known[0])}", file=sys.stderr)
            return known[1]
        log_path = getattr(args, "log_file", None) or crash.default_log_path()
        line = crash.report_unexpected(exc, argv, log_path, debug=args.log_level == "DEBUG")
        print(f"{name}: {crash.one_line(line)}", file=sys.stderr)
        return 1


def _cannot_start_faults() -> tuple[type[Exception], ...]:
    """The faults that stop a command before it stores anything (imported only when one is raised: the
    store and the credentials cost `kiosk --help` a quarter of a second)."""
    from kiosk.credentials import SigningKeyMissing
    from kiosk.credentials.errors import KeyFileError
    from kiosk.store.audit_files import AuditKeyMissing
    from kiosk.store.errors import DataDirUnusable

    return DataDirUnusable, KeyFileError, SigningKeyMissing, AuditKeyMissing


def _known_fault(exc: Exception, args: argparse.Namespace) -> tuple[str, int] | None:
    """The line and exit code for a damaged database met outside the store's own check (the print
    queue's own connection: exit 2, it refused before writing) or a disk that filled up or turned
    read-only while the command ran (exit 1: part of the work may be done); else None."""
    if isinstance(exc, sqlite3.DatabaseError):
        from kiosk.config import resolve_data_dir
        from kiosk.store.store import DB_FILE_NAME

        try:
            db_path = resolve_data_dir(args) / DB_FILE_NAME
        except Exception:
            db_path = None
        line = crash.damaged_database_line(exc, db_path)
        return (line, 2) if line else None
    if isinstance(exc, OSError):
        line = crash.filesystem_line(exc)
        return (line, 1) if line else None
    return None
