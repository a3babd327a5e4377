"""Documents after kill -9: real processes killed between the commit and the files, then the start-up
repair and `kiosk doctor` make every PDF again, remove the orphan temporaries, register the printed-slip
captures, and `kiosk purge` leaves no personal file behind."""

from __future__ import annotations

import datetime as dt
import os
import select
import shutil
import signal
import subprocess
import sys
import threading
from pathlib import Path

from idreader import demo_cards
from kiosk.app import Kiosk
from kiosk.config import demo_config
from kiosk.recovery import RepairMarks, write_marks
from kiosk.store import Store, purge_expired
from kiosk.store.paperwork import unregister_documents

PP = "public-place-health-permit"
CRASH = Path(__file__).with_name("crash_apply.py")
START_TIMEOUT = 60.0  # seconds a child may take to start and reach its stage (2 busy cores)
PDFS = ("application", "licence", "hygiene_rules")
HOUR_AGO = 3600


def crash_at(kit, data: Path, answers: Path, stage: str, count: int = 1) -> str:
    """Run crash_apply.py until it reports STAGE in its last application, then SIGKILL it."""
    child = subprocess.Popen([sys.executable, str(CRASH), str(data), str(answers), stage, str(count)],
                             cwd=kit.REPO, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        line = ""
        while not line.startswith(("STOPPED", "NOT STOPPED")):
            ready, _, _ = select.select([child.stdout], [], [], START_TIMEOUT)
            assert ready, f"no STOPPED line within {START_TIMEOUT} s"
            line = child.stdout.readline()
            assert line, child.stderr.read()
        assert line.startswith("STOPPED"), line
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=START_TIMEOUT)
    finally:
        if child.poll() is None:
            child.kill()
        child.communicate()
    assert child.returncode == -signal.SIGKILL
    return line.split(None, 2)[2].strip()


def live_files(store: Store, app_id: int) -> dict[str, Path]:
    return {d.kind: Path(d.path) for d in store.documents_for(app_id) if d.path and Path(d.path).exists()}


def live_pdfs(store: Store, app_id: int) -> set[str]:
    return {kind for kind in live_files(store, app_id) if kind in PDFS}


def files_under(*folders: Path) -> list[Path]:
    return sorted(p for folder in folders if folder.exists() for p in folder.rglob("*") if p.is_file())


def test_kill_9_between_commit_and_files_then_start_and_doctor_repair_and_purge_removes_all(kit, run_cli, tmp_path):
    data = tmp_path / "data"
    answers = kit.write_json(tmp_path / "answers.json", kit.base_answers(PP))

    crash_at(kit, data, answers, "committed", count=2)  # 1 complete; 2 committed, no file yet
    with Store.open(data, create=False) as store:
        assert live_pdfs(store, 1) == set(PDFS)
        assert live_pdfs(store, 2) == set()

    temporary = Path(crash_at(kit, data, answers, "temporary"))  # 3: rows registered, a .tmp half way
    assert temporary.name.startswith(".application.pdf.") and temporary.exists()
    with Store.open(data, create=False) as store:  # this child's start regenerated application 2
        assert live_pdfs(store, 2) == set(PDFS)
        assert live_pdfs(store, 3) == set()

    capture = Path(crash_at(kit, data, answers, "captured"))  # 4: slip printed, capture not registered
    assert capture.parent == data / "printed" and capture.exists()
    with Store.open(data, create=False) as store:
        assert live_pdfs(store, 3) == set(PDFS)  # the start regenerated 3 ...
        assert temporary.exists()  # ... and left a temporary that may still be another process's
        assert live_pdfs(store, 4) == set()
        registered = {Path(d.path) for app in range(1, 5) for d in store.documents_for(app) if d.path}
        assert capture not in registered
        [licence_4] = [a.licence_no for a in store.recent_applications() if a.id == 4]

    old = temporary.stat().st_mtime - HOUR_AGO  # the technician comes an hour later
    os.utime(temporary, (old, old))
    run = run_cli("doctor", "--data-dir", data)
    [line] = [line for line in run.out.splitlines() if " documents: " in line]
    assert line.startswith("OK       documents: fixed: regenerated the PDFs of 1 application(s) "
                           f"({licence_4}, 3 file(s))"), line
    assert "removed 1 orphan temporary file(s)" in line
    assert "registered 2 unregistered file(s) to their application" in line
    assert not temporary.exists()

    with Store.open(data, create=False) as store:
        for app in range(1, 5):
            assert live_pdfs(store, app) == set(PDFS), app
        assert {d.kind for d in store.documents_for(4) if d.path} >= {"printed_bin", "printed_png"}
        registered = {Path(d.path) for app in range(1, 5) for d in store.documents_for(app) if d.path}
        licence_text = kit.pdf_text(live_files(store, 4)["licence"])
    personal = files_under(data / "applications", data / "printed")
    assert set(personal) == registered  # every file holding personal data is registered
    assert not [p for p in data.rglob("*.tmp")]
    assert licence_4 in licence_text and "张伟" in licence_text

    again = run_cli("doctor", "--data-dir", data)
    assert "OK       documents: every committed application has its documents; no stray files" in again.out

    with Store.open(data, create=False) as store:  # 400 days after the last one, by the store's own clock
        future = max(dt.datetime.fromisoformat(a.created_at) for a in store.recent_applications()) \
            + dt.timedelta(days=400)
    with Store.open(data, create=False, clock=lambda: future) as store:
        report = purge_expired(store, 365, data_dir=data)
        assert report.application_ids == [1, 2, 3, 4]
        assert store.select("SELECT context FROM paperwork WHERE context != ''") == []
    assert files_under(data / "applications", data / "printed") == []


def test_the_start_repair_runs_beside_the_kiosk_never_before_it(kit, tmp_path):
    data = tmp_path / "data"
    answers = kit.write_json(tmp_path / "answers.json", kit.base_answers(PP))
    folder = Path(crash_at(kit, data, answers, "committed"))
    assert not folder.exists()

    holding, release = threading.Event(), threading.Event()

    def on_stage(stage: str, path: Path) -> None:  # the repair's first step waits until the test says
        if stage == "registered":
            holding.set()
            release.wait(START_TIMEOUT)

    kiosk = Kiosk.build(demo_config(data), on_stage=on_stage)
    try:
        assert holding.wait(START_TIMEOUT)
        assert kiosk.catalog[PP] and kiosk.recovered(timeout=0) is None  # built and usable while it repairs
        release.set()
        report = kiosk.recovered(START_TIMEOUT)
        assert report is not None
        assert report.files_regenerated == 3
        assert sorted(p.name for p in folder.iterdir()) == sorted(f"{kind}.pdf" for kind in PDFS)
        [application] = kiosk.store.recent_applications()
        assert report.regenerated == [application.licence_no]
        assert application.licence_no in kit.pdf_text(folder / "licence.pdf")
    finally:
        release.set()
        kiosk.close()


def test_a_deferred_start_repair_waits_for_its_caller_yet_always_runs(kit, tmp_path):
    """`kiosk apply` builds its kiosk with the repair deferred until its PDFs are being rendered: nothing is
    repaired before `start_repair`, and `recovered` or `close` start it when nobody did."""
    data = tmp_path / "data"
    answers = kit.write_json(tmp_path / "answers.json", kit.base_answers(PP))
    folder = Path(crash_at(kit, data, answers, "committed", count=2))  # 2 committed without its PDFs
    for run in ("recovered", "close"):
        if folder.exists():
            shutil.rmtree(folder)
            with Store.open(data, create=False) as store:  # as the crash left it: no file, no registration
                unregister_documents(store, [d.id for d in store.documents_for(2) if d.path])
                write_marks(store, RepairMarks())  # and no start repair since
        kiosk = Kiosk.build(demo_config(data), repair_at_start=False)
        try:
            assert kiosk.catalog[PP] and not folder.exists()
            assert kiosk._recovery.ident is None  # not started: the caller's work comes first
            if run == "recovered":
                report = kiosk.recovered(START_TIMEOUT)
                assert report is not None and report.files_regenerated == 3
        finally:
            kiosk.close()
        assert sorted(p.name for p in folder.iterdir()) == sorted(f"{kind}.pdf" for kind in PDFS), run


def test_repair_adopts_what_belongs_and_removes_only_old_strays(kit, run_cli, tmp_path):
    from kiosk.app import DOCUMENTS_DIR, PRINTED_DIR, documents_folder
    from kiosk.recovery import DataLayout, repair

    data = tmp_path / "data"
    answers = kit.write_json(tmp_path / "answers.json", kit.base_answers(PP))
    result = run_cli("apply", "--data-dir", data, "--service", PP, "--card", "adult", "--answers", answers,
                     "--json").json()
    folder = documents_folder(data, result["licence_no"])
    layout = DataLayout(data / DOCUMENTS_DIR, data / PRINTED_DIR, lambda number: documents_folder(data, number))
    with Store.open(data, create=False) as store:  # as an older version left it: written, never registered
        store.db.conn.execute("UPDATE documents SET path = '' WHERE kind = 'licence'")
    strays = [data / DOCUMENTS_DIR / "no-such-number" / "licence.pdf", folder / ".licence.pdf.x1y2.tmp",
              data / PRINTED_DIR / "job-99.bin"]
    for stray in strays:
        stray.parent.mkdir(parents=True, exist_ok=True)
        stray.write_bytes(b"personal data of nobody known")

    with Store.open(data, create=False) as store:
        young = repair(store, layout)  # a stray younger than a minute may be another process's write
        assert young.adopted == [(folder / "licence.pdf").resolve()]
        assert (young.regenerated, young.removed, young.temporaries_removed, young.failed) == ([], [], [], [])
        assert all(stray.exists() for stray in strays)

        later = repair(store, layout, clock=lambda: strays[0].stat().st_mtime + HOUR_AGO)
        assert later.temporaries_removed == [strays[1]]
        assert sorted(later.removed) == sorted([strays[0].resolve(), strays[2].resolve()])
        assert later.adopted == [] and later.regenerated == []
        assert not any(stray.exists() for stray in strays)
        assert {d.kind for d in store.documents_for(1) if d.path} >= set(PDFS) | {"printed_bin", "printed_png"}


def test_the_start_repair_leaves_this_processs_fresh_captures_to_their_listener(kit, run_cli, tmp_path):
    """The start repair (up_to_id: what was committed before this process) must not adopt the slip capture
    of an application this process has just printed: the sim printer's listener registers it, and adopting
    it first raced that listener (a spurious "documents repaired" warning on stderr)."""
    from kiosk.app import DOCUMENTS_DIR, PRINTED_DIR, documents_folder
    from kiosk.recovery import DataLayout, repair

    data = tmp_path / "data"
    answers = kit.write_json(tmp_path / "answers.json", kit.base_answers(PP))
    run_cli("apply", "--data-dir", data, "--service", PP, "--card", "adult", "--answers", answers, "--json")
    layout = DataLayout(data / DOCUMENTS_DIR, data / PRINTED_DIR, lambda number: documents_folder(data, number))
    with Store.open(data, create=False) as store:  # the capture as it stands before its listener ran
        store.db.conn.execute("UPDATE documents SET path = '' WHERE kind IN ('printed_bin', 'printed_png')")
        report = repair(store, layout, up_to_id=0)
        assert (report.adopted, report.removed) == ([], [])
        assert sorted(p.suffix for p in (data / PRINTED_DIR).glob("job-*.*")) == [".bin", ".png"]


def test_the_start_repair_looks_only_at_what_came_after_its_marks(kit, run_cli, tmp_path):
    """A start repair's cost follows what is new, not the data dir's history: what one start found whole
    the next does not look at again (a file deleted there later is `kiosk doctor`'s to find, and it does),
    while what came after is repaired as before, and a young file holds the mark back until it is decided.
    A reprint of an old application makes a new capture, which is registered once, not adopted again."""
    from kiosk.app import DOCUMENTS_DIR, PRINTED_DIR, documents_folder
    from kiosk.headless import HeadlessApplicant
    from kiosk.recovery import DataLayout, read_marks, repair, repair_since_marks

    data = tmp_path / "data"
    layout = DataLayout(data / DOCUMENTS_DIR, data / PRINTED_DIR, lambda number: documents_folder(data, number))
    with Kiosk.build(demo_config(data)) as kiosk:
        for _ in range(2):
            with HeadlessApplicant(kiosk) as applicant:
                first_result = applicant.apply(PP, demo_cards.load("adult"), kit.base_answers(PP))
        kiosk.recovered(START_TIMEOUT)
    with Store.open(data, create=False) as store:
        first = repair_since_marks(store, layout, up_to_id=2)
        assert not first.changed and read_marks(store).applications == 2
        captures = read_marks(store).captures
        assert captures == 2  # job-1 and job-2, both registered by the printer's listener
        old = live_files(store, 1)["licence"]
    os.remove(old)  # deleted by hand long after: not a crash's doing
    with Store.open(data, create=False) as store:
        again = repair_since_marks(store, layout, up_to_id=2)
        assert not again.changed and Path(old).exists() is False  # not looked at: settled

    run_cli("reprint", first_result.licence_no, "--data-dir", data)  # application 2's slip again: job-3
    with Store.open(data, create=False) as store:
        reprinted = {d.path for d in store.documents_for(2) if d.kind == "printed_bin"}
        assert len(reprinted) == 2
    with Kiosk.build(demo_config(data)) as kiosk:  # application 3 is committed, its folder then emptied
        with HeadlessApplicant(kiosk) as applicant:
            third = applicant.apply(PP, demo_cards.load("adult"), kit.base_answers(PP))
        kiosk.recovered(START_TIMEOUT)
    folder = documents_folder(data, third.licence_no)
    for pdf in folder.glob("*.pdf"):
        pdf.unlink()
    young = folder / ".licence.pdf.a1b2.tmp"
    young.write_bytes(b"another process's write in progress")
    with Store.open(data, create=False) as store:
        report = repair_since_marks(store, layout, up_to_id=3)
        assert report.regenerated == [third.licence_no] and report.lost_registrations == 3
        assert read_marks(store).applications == 2  # the young temporary holds it back
        later = repair_since_marks(store, layout, up_to_id=3)
        assert later.regenerated == [] and young.exists()
        aged = young.stat().st_mtime - HOUR_AGO
        os.utime(young, (aged, aged))
        done = repair_since_marks(store, layout, up_to_id=3)
        assert done.temporaries_removed == [young] and read_marks(store) == RepairMarks(3, 4)
        write_marks(store, RepairMarks(3, 0))  # every capture looked at again: each is registered already
        captures_again = repair_since_marks(store, layout, up_to_id=3)
        assert captures_again.adopted == [] and read_marks(store) == RepairMarks(3, 4)
        assert {d.path for d in store.documents_for(2) if d.kind == "printed_bin"} == reprinted  # not twice

        full = repair(store, layout)  # kiosk doctor: everything, and finds the file deleted by hand
        assert full.lost_registrations == 1 and len(full.regenerated) == 1
        assert Path(old).exists()
