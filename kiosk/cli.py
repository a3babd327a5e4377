"""The `kiosk` command line: one entry point over two sibling packages that never import each other.

The subcommands that start the touchscreen (`run`, `demo`) live in `kiosk.ui` (they need Qt); the
others in `kiosk.commands` (Qt-free). Both build on `kiosk.services` and the composition root
(`kiosk.app`); only this module knows both (the import contract in pyproject.toml checks it).

Every subcommand accepts `--config FILE` and `--data-dir DIR` (contract, DESIGN.md). A subcommand
module exposes `register(subparsers, common)` where `common` is the parent parser carrying those two
options, and sets `func(args) -> int` on the parser it adds.

Every command runs with umask 077 (files 0600, folders 0700: the data dir holds personal data and
keys). An empty `--data-dir ''` is refused (it would mean the current folder), and so is starting
on a data dir whose QR signing key or audit key was lost: one line each, exit 2.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sqlite3
import sys
from pathlib import Path

from kiosk import crash
from kiosk.datadir import owner_only_umask
from kiosk.logging_setup import configure_logging

# The touchscreen's subcommands (modules under kiosk/ui), listed first by `kiosk --help` ...
UI_COMMAND_MODULES: tuple[str, ...] = ("kiosk.ui.run_command", "kiosk.ui.demo_command")
# ... then the modules under kiosk/commands, in the order `kiosk --help` lists them.
COMMAND_MODULES: tuple[str, ...] = (
    "services", "apply", "documents", "jobs", "reprint", "verify", "scan", "capture", "keys", "audit", "purge",
    "doctor",
)


def build_parser() -> argparse.ArgumentParser:
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
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in (*UI_COMMAND_MODULES, *(f"kiosk.commands.{name}" for name in COMMAND_MODULES)):
        importlib.import_module(module).register(subparsers, common)
    return parser


class _EmptyDataDir:
    """What `--data-dir ''` parses to: refused by `main` with one line (argparse would print usage too)."""


EMPTY_DATA_DIR = _EmptyDataDir()


def _data_dir(text: str) -> Path | _EmptyDataDir:
    return Path(text) if text.strip() else EMPTY_DATA_DIR


def main(argv: list[str] | None = None, *, parser: argparse.ArgumentParser | None = None) -> int:
    """Run one command; whatever it does not handle becomes one line on stderr, never a traceback: an
    unusable data dir, damaged database, missing or unusable signing or audit key exits 2 (nothing was
    stored), anything else exits 1 with the traceback in the log file (`--log-file`, kiosk.crash).
    `parser` replaces `build_parser()` (tests)."""
    owner_only_umask()
    parser = parser or build_parser()
    argv = sys.argv[1:] if argv is None else list(argv)
    args = parser.parse_args(argv)
    configure_logging(getattr(logging, args.log_level))
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
