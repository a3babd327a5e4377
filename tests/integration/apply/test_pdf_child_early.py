"""`kiosk apply`'s PDF child is handed the documents inside the decision's transaction (as soon as their
context is final), so it renders while the parent finishes and commits; what it makes is written only
once the commit is done, and a decision that does not commit leaves nothing. The child is forked before
the command line is even parsed, and the command takes that one."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys

import pytest

from forms.render_worker import RenderWorker
from idreader import demo_cards
from kiosk.app import Kiosk
from kiosk.config import demo_config
from kiosk.headless import HeadlessApplicant, SaveError

PP = "public-place-health-permit"


class WatchedWorker(RenderWorker):
    """The real child process, and what the database held (read from another connection) when the
    documents were handed to it."""

    def __init__(self, process, database) -> None:
        super().__init__(process)
        self.database = database
        self.committed_at_submit: list[int] = []

    def submit(self, kinds, ctx) -> None:
        if not self.committed_at_submit:
            with sqlite3.connect(self.database) as other:
                self.committed_at_submit.append(other.execute("SELECT COUNT(*) FROM applications").fetchone()[0])
        super().submit(kinds, ctx)


def start_watched(database) -> WatchedWorker:
    started = RenderWorker.start()
    return WatchedWorker(started._process, database)


def test_the_child_renders_before_the_commit_and_its_pdfs_are_written_after_it(kit, tmp_path) -> None:
    data = tmp_path / "data"
    with Kiosk.build(demo_config(data)) as kiosk:
        with start_watched(data / "kiosk.db") as worker, HeadlessApplicant(kiosk, renderer=worker) as applicant:
            result = applicant.apply(PP, demo_cards.load("adult"), kit.base_answers(PP), out_dir=tmp_path / "out")
        assert worker.committed_at_submit == [0]  # handed over inside the transaction: not committed yet
        assert worker.used  # and the PDFs came from the child
        assert result.problems == [] and result.print["status"] == "printed"
        assert [p.rsplit("/", 1)[1] for p in result.documents] == ["application.pdf", "licence.pdf",
                                                                   "hygiene_rules.pdf"]
        for path in result.documents:
            with open(path, "rb") as pdf:
                assert pdf.read(5) == b"%PDF-"


def test_a_decision_that_does_not_commit_leaves_nothing_of_what_the_child_rendered(kit, tmp_path) -> None:
    data = tmp_path / "data"
    with Kiosk.build(demo_config(data)) as kiosk:
        with start_watched(data / "kiosk.db") as worker, \
                HeadlessApplicant(kiosk, renderer=worker, printer="nonsense://printer") as applicant, \
                pytest.raises(SaveError):  # the slip cannot be made for that printer: rolled back
            applicant.apply(PP, demo_cards.load("adult"), kit.base_answers(PP), out_dir=tmp_path / "out")
        assert worker.committed_at_submit == [0]  # the child had been handed the documents
        assert kiosk.store.recent_applications() == []
        assert not (tmp_path / "out").exists() or list((tmp_path / "out").iterdir()) == []
        assert not (data / "applications").exists() or list((data / "applications").iterdir()) == []


#: `kiosk ARGV` in a fresh process: the PDF children RenderWorker.start handed out (their pids), whether
#: argparse was loaded when each was started, whether any child process was left unreaped, and whether the
#: process froze its heap at the end, printed by an exit handler (`kiosk apply` run as the process's
#: entry ends the process inside main, after the exit handlers); the exit code is the process's.
#: ARGV starting with ENTRY: as the installed `kiosk` script runs (kiosk.entry.main, the command line from
#: sys.argv); CLI: kiosk.cli.main() without arguments; otherwise kiosk.cli.main(ARGV), as tests call it.
RUN_CLI = """
import atexit, gc, json, os, sys
from forms import render_worker

handed_out = []
argparse_loaded = []
real_start = render_worker.RenderWorker.start.__func__

def start(cls, *args, **kwargs):
    worker = real_start(cls, *args, **kwargs)
    handed_out.append(worker._process.pid if worker._process is not None else None)
    argparse_loaded.append("argparse" in sys.modules)
    return worker

def report():
    try:
        os.waitpid(-1, os.WNOHANG)
        left = True
    except ChildProcessError:
        left = False
    print(json.dumps({"handed_out": handed_out, "argparse_loaded": argparse_loaded, "children_left": left,
                      "frozen": gc.get_freeze_count() > 0}), flush=True)

render_worker.RenderWorker.start = classmethod(start)
atexit.register(report)
argv = json.loads(sys.argv[1])
if argv[0] in ("ENTRY", "CLI"):
    sys.argv = ["kiosk", *argv[1:]]
    if argv[0] == "ENTRY":
        from kiosk.entry import main
    else:
        from kiosk.cli import main
    sys.exit(main())
from kiosk.cli import main
sys.exit(main(argv))
"""


def run_cli(tmp_path, *argv: str) -> dict:
    done = subprocess.run([sys.executable, "-c", RUN_CLI, json.dumps(list(argv))], capture_output=True,
                          text=True, cwd=tmp_path)
    assert done.stdout, done.stderr[-2000:]
    return {**json.loads(done.stdout.splitlines()[-1]), "code": done.returncode}


def test_kiosk_apply_forks_its_pdf_child_before_parsing_and_its_command_takes_that_one(kit, tmp_path) -> None:
    answers = tmp_path / "answers.json"
    answers.write_text("{}", encoding="utf-8")
    run = run_cli(tmp_path, "--log-level", "INFO", "apply", "--data-dir", str(tmp_path / "data"), "--service",
                  PP, "--card", "no-such-card", "--answers", str(answers))
    assert run["code"] == 2  # the card is refused: nothing stored, the child ended unused
    assert len(run["handed_out"]) == 2 and len(set(run["handed_out"])) == 1  # started once, then taken
    assert run["handed_out"][0] is not None and not run["children_left"]
    assert not run["frozen"]  # called with its arguments (as tests do): the caller's heap is left alone


def test_a_command_line_argparse_refuses_or_help_ends_the_early_child_or_starts_none(tmp_path) -> None:
    refused = run_cli(tmp_path, "apply", "--service", PP)  # --card and --answers missing: argparse exits 2
    assert refused["code"] == 2 and len(refused["handed_out"]) == 1 and not refused["children_left"]
    helped = run_cli(tmp_path, "apply", "--help")
    assert helped["code"] == 0 and helped["handed_out"] == []


def test_the_process_entry_freezes_its_heap_once_the_command_is_done(tmp_path) -> None:
    for how in ("ENTRY", "CLI"):
        entry = run_cli(tmp_path, how, "services", "--data-dir", str(tmp_path / "data"))
        assert entry["code"] == 0 and entry["frozen"], how  # no collection of the whole heap at exit
        assert entry["handed_out"] == []  # no PDF child for a command that renders none


def test_the_installed_entry_forks_the_child_before_the_command_line_loads_and_only_once(kit, tmp_path) -> None:
    answers = tmp_path / "answers.json"
    answers.write_text("{}", encoding="utf-8")
    argv = ["--log-level", "INFO", "apply", "--data-dir", str(tmp_path / "data"), "--service", PP, "--card",
            "no-such-card", "--answers", str(answers)]
    entry = run_cli(tmp_path, "ENTRY", *argv)
    assert entry["code"] == 2 and not entry["children_left"]  # refused, the unused child ended and reaped
    assert len(entry["handed_out"]) == 2 and len(set(entry["handed_out"])) == 1  # kiosk.cli took the same
    assert entry["argparse_loaded"][0] is False  # forked before kiosk.cli's imports
    cli = run_cli(tmp_path, "CLI", *argv)  # kiosk.cli.main() alone forks it too, after its own imports
    assert cli["code"] == 2 and len(set(cli["handed_out"])) == 1 and cli["argparse_loaded"][0] is True


#: `kiosk ARGV` as the installed script runs it, with an exit handler of its own that leaves a file.
RUN_ENTRY = """
import atexit, pathlib, sys
from kiosk.entry import main

marker = pathlib.Path(sys.argv[1])
atexit.register(lambda: marker.write_text("exit handlers ran"))
sys.argv = ["kiosk", *sys.argv[2:]]
code = main()
print("main returned")
sys.exit(code)
"""


def test_kiosk_apply_ends_its_process_once_done_with_its_output_logs_and_exit_handlers_complete(
        kit, tmp_path) -> None:
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps(kit.base_answers(PP), ensure_ascii=False), encoding="utf-8")
    marker = tmp_path / "exit-handlers"
    argv = ["--log-level", "INFO", "apply", "--data-dir", str(tmp_path / "data"), "--service", PP, "--card",
            "adult", "--answers", str(answers), "--out", str(tmp_path / "out"), "--json"]
    done = subprocess.run([sys.executable, "-c", RUN_ENTRY, str(marker), *argv], capture_output=True,
                          text=True, cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout)  # the whole JSON object, and nothing after it
    assert result["decision"] == "approved" and result["print"]["status"] == "printed"
    assert "main returned" not in done.stdout  # the process ended inside main, once the command was done
    assert marker.read_text() == "exit handlers ran"
    assert f"print job {result['print']['job_id']} done" in done.stderr  # the log reached stderr
