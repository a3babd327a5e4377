"""`kiosk apply`: one application without a screen, through the same session core as the touchscreen.

    kiosk apply --service ID --card CARD --answers FILE [--data-dir DIR] [--out DIR] [--printer URL] [--json]
                [--wait SECONDS]

CARD is an IdCard JSON file or a demo card name (`python -m idreader simulate --help` lists them);
FILE is a JSON object of field key -> value. With --json one object is printed (contract, DESIGN.md):
{"service", "decision", "findings", "receipt_no", "licence_no", "documents", "qr", "print"}, plus
"problems": what is incomplete after the commit (empty when nothing is).
Exit codes:
  0  processed: a blocked decision, or committed with its PDFs written and its slip printed;
  2  bad input, one line, nothing stored (unknown service, unreadable JSON, invalid card, an answer for
     an unknown or locked field, an --out that is not a writable folder);
  3  committed, but the documents or the printing are incomplete: the normal output (text or --json,
     with the application number) names each problem. The application is saved: do not apply again;
     `kiosk documents NUMBER --out DIR` writes its PDFs, `kiosk jobs` / `kiosk reprint` print it;
  1  the database refused to save it (nothing submitted).
--printer defaults to the configured printer (sim://, the in-process emulator, in the demo); --wait is
how long to wait for it before reporting the job as pending (default PRINT_WAIT_SECONDS).
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.commands.options import wait_seconds
from kiosk.waits import PRINT_WAIT_SECONDS

if TYPE_CHECKING:
    from collections.abc import Iterator

    from forms.render_worker import RenderWorker
    from idreader import IdCard
    from kiosk.headless import ApplyResult


#: Exit code: the application is committed, its documents or its printing are not complete.
INCOMPLETE = 3


class BadInput(Exception):
    """Input `kiosk apply` cannot use; the message is the one line it prints."""


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser("apply", parents=[common], help="run one application headless",
                                   description=__doc__.split("\n\n")[0])
    parser.add_argument("--service", required=True, metavar="ID", help="service item id (kiosk services)")
    parser.add_argument("--card", required=True, metavar="CARD", help="IdCard JSON file or demo card name")
    parser.add_argument("--answers", required=True, type=Path, metavar="FILE", help="JSON object of answers")
    parser.add_argument("--out", type=Path, metavar="DIR", help="write the PDFs, receipt.png and receipt.bin here")
    parser.add_argument("--printer", metavar="URL", help="printer URL (default: the configured printer)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--wait", type=wait_seconds, default=PRINT_WAIT_SECONDS, metavar="SECONDS",
                        help=f"how long to wait for the printer (default {PRINT_WAIT_SECONDS:g})")
    parser.set_defaults(func=run)


def load_card(spec: str) -> IdCard:
    from idreader import IdCardFormatError, demo_cards
    from idreader.errors import CardFileError

    try:
        return demo_cards.load(spec)
    except (CardFileError, IdCardFormatError) as exc:
        raise BadInput(f"invalid card {spec!r}: {exc}") from None


def load_answers(path: Path) -> dict[str, Any]:
    """The answers file, within the limits of `kiosk.answers_file` (64 KB, no nesting, numbers of at most
    30 characters, answers of at most 2,000): BadInput (exit 2, nothing stored) beyond them. Text fields
    given a non-text value are refused once the service is known (`check_value_kinds`)."""
    from kiosk.answers_file import AnswersFileError, read_answers

    try:
        return read_answers(path)
    except AnswersFileError as exc:
        raise BadInput(str(exc)) from None


def run(args: argparse.Namespace) -> int:
    # The PDFs' child process starts first, before this process imports anything heavy (the card, the
    # configuration, the session, the kiosk): it imports reportlab and loads the font on the other core
    # while this one checks the input, builds the kiosk and walks the session (forms.render_worker: light,
    # it imports neither forms.documents nor reportlab). From the command line kiosk.entry has started it
    # already, before kiosk.cli and the arguments; RenderWorker.start hands over that one.
    # On bad input it is ended unused (exit 2, nothing stored).
    # Then every dataclass this process makes (~150: session, specs, config, printers) takes its methods'
    # code, and every regular expression its engine code, from the compiled caches instead of compiling
    # them again (forms.code_caches: ~40 and ~12 ms; forms.dataclass_fast: a class seen before is made
    # without writing its methods' texts, ~15 ms less). The collector is off first: the cache's keys,
    # thousands of tuples read as it opens, would otherwise cost ~9 young collections (~2 ms).
    from forms.render_worker import RenderWorker

    with RenderWorker.start() as renderer:  # first: the code caches' imports (~20 ms) come after
        from forms.code_caches import cached_code

        with _no_cyclic_gc(), cached_code():
            return _checked(args, renderer)


@contextlib.contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    """The cyclic garbage collector off for the command (reference counting frees as always): one
    application is one short process, in which the collector ran ~95 times while the modules loaded and
    the session walked, traversing every young object (~15-30 ms CPU), to find ~400 objects in cycles
    (peak memory the same, ~53 MB, either way). Restored afterwards (tests run commands in-process), with
    what the command made moved to the oldest generation first (freeze, unfreeze: a move, no traversal):
    else the first allocation after `gc.enable()` collects all of it at once (~30 ms), just before exit."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.freeze()
            gc.unfreeze()
            gc.enable()


def _checked(args: argparse.Namespace, renderer: RenderWorker) -> int:
    from kiosk.config import ConfigError, config_from_args
    from printers.errors import PrinterUrlError

    try:
        card = load_card(args.card)
        answers = load_answers(args.answers)
        config = config_from_args(args)
        if args.printer:
            from kiosk.device_check import check_printer_url  # (the reader's modules: only for --printer)

            check_printer_url(args.printer)
            config = config.model_copy(update={"devices": config.devices.model_copy(
                update={"printer": args.printer})})
        if args.out is not None:
            check_out_dir(args.out)
    except (BadInput, ConfigError, PrinterUrlError) as exc:
        return _bad_input(str(exc))
    return _apply(args, config, card, answers, renderer)


def _apply(args: argparse.Namespace, config: Any, card: IdCard, answers: dict[str, Any],
           renderer: RenderWorker) -> int:
    from forms.errors import SpecError
    from kiosk.answers_file import AnswersFileError, check_value_kinds
    from kiosk.app import Kiosk
    from kiosk.headless import HeadlessApplicant, SaveError
    from kiosk.session import SessionError

    # The start repair (kiosk.recovery: its cost grows with the data dir's documents) waits until the PDFs
    # are being rendered (HeadlessApplicant): until then this thread's work is what the command waits for.
    with Kiosk.build(config, repair_at_start=False) as kiosk:
        if args.service not in kiosk.catalog:
            return _bad_input(f"unknown service {args.service!r}; `kiosk services` lists them")
        try:
            check_value_kinds(kiosk.catalog[args.service], answers, str(args.answers))
        except AnswersFileError as exc:
            return _bad_input(str(exc))
        try:
            with HeadlessApplicant(kiosk, print_wait=args.wait, renderer=renderer) as applicant:
                result = applicant.apply(args.service, card, answers, out_dir=args.out)
        except (SessionError, SpecError) as exc:
            return _bad_input(f"answers file {args.answers}: {exc}")
        except SaveError as exc:
            print(f"kiosk apply: the application could not be saved, nothing was submitted: {exc}", file=sys.stderr)
            return 1
    if args.json:
        print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(describe(result))
    return INCOMPLETE if result.committed and result.problems else 0


def check_out_dir(path: Path) -> None:
    """--out must be a folder this process can write into (created if missing): checked before anything
    is stored."""
    import tempfile

    try:
        path.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=path):
            pass
    except OSError as exc:
        raise BadInput(f"--out {path} is not a writable folder: {exc.strerror or exc}") from None


def describe(result: ApplyResult) -> str:
    """The human-readable summary (without --json)."""
    words = {"approved": "秒批通过 approved", "accepted": "已受理 accepted", "blocked": "未通过预审 blocked"}
    lines = [f"{result.service}: {words[result.decision]}"]
    for finding in result.findings:
        lines.append(f"  [{finding['severity']}] {finding['rule']} ({finding['field']}): {finding['message']}")
    if result.receipt_no:
        lines.append(f"  受理编号 receipt: {result.receipt_no}")
    if result.licence_no:
        lines.append(f"  证书编号 licence: {result.licence_no}")
    lines.extend(f"  document: {path}" for path in result.documents)
    job = result.print
    if job["job_id"] is not None:
        if job["status"] == "printed":
            lines.append(f"  printed: job {job['job_id']}, {job['bytes']} bytes")
        else:
            lines.append(f"  NOT PRINTED: job {job['job_id']} is {job['status']} ({job.get('error', '')}). "
                         f"The application is saved; print it with `kiosk jobs retry {job['job_id']}` "
                         f"or `kiosk reprint {result.licence_no or result.receipt_no}`.")
    lines.extend(f"  INCOMPLETE {problem}" for problem in result.problems
                 if not (problem.startswith("print: job") and job["job_id"] is not None))
    return "\n".join(lines)


def _bad_input(message: str) -> int:
    from kiosk.crash import one_line

    print(f"kiosk apply: {one_line(message)}", file=sys.stderr)
    return 2
