"""The PDFs' child process (forms.documents.worker): it gives the very bytes this process renders, and
whatever goes wrong on its side (gone, garbage, silent past the timeout, a context it cannot read) the
documents are rendered here instead, the same; no child outlives `close`."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys

import pytest
from reportlab import rl_config

from forms.documents.demo import demo_context
from forms.documents.worker import RenderWorker, render_files

KINDS = ("application", "licence", "hygiene_rules")


@pytest.fixture
def invariant(monkeypatch: pytest.MonkeyPatch) -> None:
    """PDFs without their creation date and random id, here and in the child (RL_invariant)."""
    monkeypatch.setattr(rl_config, "invariant", 1)
    monkeypatch.setenv("RL_invariant", "1")


def stand_in(code: str) -> subprocess.Popen[bytes]:
    """A child that is not the renderer: `code` run by this interpreter on the same pipes."""
    return subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE)


def test_the_childs_pdfs_are_the_bytes_rendered_here(invariant: None) -> None:
    ctx = demo_context()
    with RenderWorker.start() as worker:
        worker.submit(KINDS, ctx)
        files = worker.files(KINDS, ctx)
        assert worker.used
    assert files == render_files(KINDS, ctx)
    assert [name for _, name, _ in files] == ["application.pdf", "licence.pdf", "hygiene_rules.pdf"]
    assert all(data.startswith(b"%PDF-") for _, _, data in files)


def test_a_child_that_is_gone_or_answers_garbage_means_rendering_here(invariant: None) -> None:
    ctx = demo_context()
    expected = render_files(KINDS, ctx)
    for code in ("pass", "import sys; sys.stdin.buffer.read(); print('nonsense')",
                 "import sys; sys.stdin.buffer.read(); sys.stdout.write('5\\n{\"ok\"'); sys.stdout.flush()"):
        with RenderWorker(stand_in(code)) as worker:
            assert worker.files(KINDS, ctx) == expected
            assert not worker.used


def test_a_silent_child_is_ended_after_the_timeout(invariant: None) -> None:
    ctx = demo_context()
    process = stand_in("import select, sys; sys.stdin.buffer.read(); select.select([], [], [])")  # never answers
    with RenderWorker(process, timeout=0.2) as worker:
        assert worker.files(["licence"], ctx) == render_files(["licence"], ctx)
        assert not worker.used
    assert process.returncode is not None  # killed and reaped


def test_a_failure_in_the_child_is_told_and_the_document_error_raised_here(
        caplog: pytest.LogCaptureFixture) -> None:
    ctx = demo_context()
    with RenderWorker.start() as worker, caplog.at_level(logging.INFO, "forms.documents.worker"):
        with pytest.raises(ValueError):  # an unknown kind: the child fails, this process raises as before
            worker.files(["no-such-document"], ctx)
        assert not worker.used
    assert "the PDF renderer process failed" in caplog.text


def test_close_ends_a_child_that_got_no_request() -> None:
    worker = RenderWorker.start()
    process = worker._process
    assert process is not None
    worker.close()
    assert process.returncode is not None
    worker.close()  # twice is harmless


def test_the_child_exits_by_itself_when_no_documents_are_needed() -> None:
    """A blocked application: the parent closes the pipe without a request; the child ends, exit 0."""
    process = subprocess.Popen([sys.executable, "-m", "forms.documents.worker"], stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE)
    out, _ = process.communicate(b"")
    assert process.returncode == 0
    assert out == b""


def test_the_parents_end_imports_neither_the_documents_nor_reportlab() -> None:
    """kiosk apply starts the child before anything heavy: forms.render_worker loads no forms.documents."""
    code = ("import sys\nfrom forms.render_worker import RenderWorker\n"
            "print(sorted(m for m in sys.modules if m.startswith(('forms.documents', 'reportlab'))))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["[]"]


FORK_OR_NOT = """
import json, sys, threading
from forms.documents.demo import demo_context
from forms.render_worker import RenderWorker, _ForkedChild

def attempt():
    worker = RenderWorker.start()
    forked = isinstance(worker._process, _ForkedChild)
    files = worker.files(["licence"], demo_context())
    used, process = worker.used, worker._process
    worker.close()
    return {"forked": forked, "used": used, "reaped": process.returncode is not None, "pdf": files[0][2].hex()}

alone = attempt()
stop = threading.Event()
other = threading.Thread(target=stop.wait)
other.start()
try:
    beside_a_thread = attempt()
finally:
    stop.set()
    other.join()
print(json.dumps([alone, beside_a_thread]))
"""


def test_a_single_threaded_process_forks_the_child_and_one_with_threads_starts_a_new_interpreter() -> None:
    """kiosk apply forks its child (no interpreter start, no imports again); a process with other threads
    (a test runner's, the touchscreen's) must not fork, since a lock another thread held would stay locked
    in the child: it starts `python -m forms.documents.worker`. Both give the same PDF, and both are reaped."""
    done = subprocess.run([sys.executable, "-c", FORK_OR_NOT], capture_output=True, text=True, check=True,
                          env={**os.environ, "RL_invariant": "1"})
    alone, beside_a_thread = json.loads(done.stdout)
    assert (alone["forked"], beside_a_thread["forked"]) == (True, False)
    assert alone["used"] and beside_a_thread["used"]  # the PDFs came from the child both times
    assert alone["reaped"] and beside_a_thread["reaped"]
    assert alone["pdf"] == beside_a_thread["pdf"]
    assert done.stdout.count("\n") == 1  # the forked child printed nothing into this process's output
