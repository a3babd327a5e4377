"""The `kiosk` program's entry point: the installed script (pyproject's [project.scripts]) and `python -m
kiosk` (kiosk/__main__.py) call `main()`.

It starts what a command starts before anything else is imported, then runs kiosk.cli. `kiosk apply`'s
PDF child (forms.render_worker.started_early) is forked here while the process holds the interpreter,
logging and json only; forked from kiosk.cli it waited for argparse, sqlite3 and the command line's own
modules, none of which it uses (~8 ms later into its import of reportlab and the font: issue 17).
This module imports nothing of the kiosk's at its top: kiosk.cli imports `early_start` from it too (for
in-process callers, tests), and that inner block starts nothing when this one already has.
"""

from __future__ import annotations

import contextlib
import sys


def main() -> int:
    """Run the command line of this process (`kiosk ARGS`), then end the process as kiosk.cli does."""
    argv = sys.argv[1:]
    with early_start(argv):
        from kiosk import cli

        code = cli.main(argv)
    cli.end_process(argv, code)
    return code


def early_start(argv: list[str]) -> contextlib.AbstractContextManager[None]:
    """What a command starts before its arguments are parsed: `kiosk apply`'s PDF child, so it imports
    reportlab and the font while this process imports everything else. Nothing for `--help`, which runs
    no command, nor for any other command."""
    if command_word(argv) != "apply" or {"-h", "--help"} & set(argv):
        return contextlib.nullcontext()
    from forms.render_worker import started_early

    return started_early()


def command_word(argv: list[str]) -> str | None:
    """The subcommand's name in `argv`: its first word that is neither an option of `kiosk` itself nor
    the value of one (`kiosk --log-level INFO apply ...`)."""
    words = iter(argv)
    for word in words:
        if word in ("--log-level", "--log-file"):
            next(words, None)
        elif not word.startswith("-"):
            return word
    return None
