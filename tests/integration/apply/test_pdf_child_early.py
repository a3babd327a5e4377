"""`kiosk apply`'s PDF child is handed the documents inside the decision's transaction (as soon as their
context is final), so it renders while the parent finishes and commits; what it makes is written only
once the commit is done, and a decision that does not commit leaves nothing."""

from __future__ import annotations

import sqlite3

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
