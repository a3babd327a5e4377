"""The PDFs of one application rendered in a child process, on the second core, while the parent goes on.

This module is the parent's end (light: it imports neither forms.documents nor reportlab, so `kiosk apply`
starts the child before anything heavy); the child is `forms.documents.worker`.

    with RenderWorker.start() as worker:       # at once: the child imports reportlab and loads the font
        ...                                     # meanwhile the parent builds, reviews, commits, prints
        worker.submit(kinds, ctx)               # as soon as the context is known (the commit)
        files = worker.files(kinds, ctx)        # [(kind, "licence.pdf", bytes)]: the child's, or rendered here

`kiosk apply` is one short process: before this, a third of its time was reportlab's import, the CJK
font's tables and the three renders, one after the other on one core (issue 17). The child
(`python -m forms.documents.worker`) does the import and the font while the parent imports the rest,
builds the kiosk and walks the session; it renders as soon as the parent has committed, while the parent
waits for the slip to print. The child runs exactly the same renderers on the same stored context (the
`forms.documents.snapshot` JSON that goes into the database), so its PDFs are the ones the parent
would have made.

Never a lost or different document: whatever goes wrong on the child's side (it cannot start, dies,
answers garbage, or takes longer than `timeout`), `files` renders in this process instead, the same way
(`render_files`), and a DocumentError is raised here as before. Warnings the child logs are logged here
under the same logger names. One request per child; `close` ends it (killed if still running) and
reaps it, so no process outlives the command.

Wire format (stdin, then stdout): the request is a length line and a JSON object {"kinds": [...],
"context": SNAPSHOT}; the answer is a length line and a JSON object {"ok": bool, "sizes": [...],
"error": str, "logs": [[logger, level, message], ...]}, followed by the PDFs' bytes in order.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import select
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:  # subprocess and signal (~3 ms before the fork) only where a child is started or killed
    import subprocess

    from forms.documents import DocumentContext

#: The child's module (`python -m forms.documents.worker`).
MODULE = "forms.documents.worker"
log = logging.getLogger(MODULE)  # the child's module: one logger for both ends

#: How long the parent waits for the child's answer before rendering the documents itself.
DEFAULT_TIMEOUT = 30.0
#: The child's own kind of files of forms.code_caches (the parent, running at the same time, has its own).
CODE_KIND = "documents"


def render_files(kinds: Sequence[str], ctx: DocumentContext) -> list[tuple[str, str, bytes]]:
    """(kind, file name, PDF bytes) of each document kind, in order, rendered in this process."""
    from forms.documents import DocumentKind, render_document

    return [(kind, f"{DocumentKind(kind).value}.pdf", render_document(kind, ctx)) for kind in kinds]


def _child_argv() -> list[str] | None:
    """How to start the child: this interpreter with `-m` (the frozen kiosk also takes `-m MODULE`,
    kiosk/__main__.py); `-X importtime` passed on, so `python -X importtime` still shows every import a
    command causes. None when there is no interpreter to start."""
    if not sys.executable:
        return None
    options = [f"-X{name}" if value is True else f"-X{name}={value}"
               for name, value in getattr(sys, "_xoptions", {}).items() if name == "importtime"]
    return [sys.executable, *options, "-m", MODULE]


class RenderWorker:
    """The parent's end of one child renderer (see the module docstring)."""

    def __init__(self, process: subprocess.Popen[bytes] | _ForkedChild | None,
                 timeout: float = DEFAULT_TIMEOUT) -> None:
        self._process = process
        self.timeout = timeout
        self._sent: tuple[tuple[str, ...], str] | None = None
        self.used = False  # True once documents came from the child (tests, diagnostics)

    @classmethod
    def start(cls, timeout: float = DEFAULT_TIMEOUT) -> RenderWorker:
        """Start the child now; a worker that cannot start renders in this process (never raises). Forked
        when this process has one thread (`kiosk apply` at its start: see `_fork_child`), else a new
        interpreter (`python -m forms.documents.worker`). The child `started_early` started, if it waits
        unused, is the one returned."""
        if _early:
            worker = _early.pop()
            worker.timeout = timeout
            return worker
        if _can_fork():
            try:
                return cls(_fork_child(), timeout)
            except OSError as exc:
                log.info("PDF renderer process not forked (%s); starting a new one", exc)
        argv = _child_argv()
        process = None
        if argv is not None:
            env = dict(os.environ)
            if not getattr(sys, "frozen", False):  # the child imports this checkout's forms, as the parent
                root = str(Path(__file__).resolve().parents[1])
                env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
            import subprocess

            try:
                process = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env,
                                           close_fds=True)
            except OSError as exc:
                log.info("PDF renderer process not started (%s); rendering here", exc)
        return cls(process, timeout)

    def __enter__(self) -> RenderWorker:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def submit(self, kinds: Sequence[str], ctx: DocumentContext) -> None:
        """Send the child its one request (returns at once; `files` collects the answer)."""
        process = self._process
        if process is None or self._sent is not None or process.stdin is None:
            return
        from forms.documents.snapshot import context_to_json

        snapshot = context_to_json(ctx)
        body = json.dumps({"kinds": list(kinds), "context": snapshot}, ensure_ascii=False).encode()
        self._sent = (tuple(kinds), snapshot)
        try:
            process.stdin.write(b"%d\n" % len(body) + body)  # the child reads its stdin from its start
            process.stdin.close()
        except OSError as exc:
            log.info("PDF renderer process gone (%s); rendering here", exc)
            self._drop()

    def files(self, kinds: Sequence[str], ctx: DocumentContext) -> list[tuple[str, str, bytes]]:
        """The documents of `kinds` for `ctx`: the child's answer, or rendered here if it has none."""
        from forms.documents import DocumentKind
        from forms.documents.snapshot import context_to_json

        self.submit(kinds, ctx)
        if self._sent is not None and self._sent == (tuple(kinds), context_to_json(ctx)):
            answer = self._answer()
            if answer is not None:
                self.used = True
                return [(kind, f"{DocumentKind(kind).value}.pdf", data)
                        for kind, data in zip(kinds, answer, strict=True)]
        return render_files(kinds, ctx)

    def _answer(self) -> list[bytes] | None:
        process = self._process
        if process is None or process.stdout is None:
            return None
        try:
            reader = _Reader(process.stdout, time.monotonic() + self.timeout)
            header = json.loads(reader.read(int(reader.line())))
            for name, level, message in header.get("logs", []):
                logging.getLogger(name).log(level, "%s", message)
            if not header.get("ok"):
                log.info("the PDF renderer process failed (%s); rendering here", header.get("error"))
                return None
            return [reader.read(size) for size in header["sizes"]]
        except (OSError, ValueError, KeyError, TypeError, TimeoutError) as exc:
            log.warning("no answer from the PDF renderer process (%s); rendering here", exc)
            self._drop()
            return None

    def _drop(self) -> None:
        process, self._process = self._process, None
        if process is not None:
            _end(process)

    def close(self) -> None:
        """End the child (killed if still running: no request came, or its answer is not needed) and reap it."""
        self._drop()


#: The child `started_early` started, until `RenderWorker.start` hands it out (at most one).
_early: list[RenderWorker] = []


@contextlib.contextmanager
def started_early() -> Iterator[None]:
    """The child started now, before the command line is even parsed, for the command's own
    `RenderWorker.start()` to take (`kiosk apply`, from kiosk.entry): it forks while the process holds only
    the interpreter and the modules both ends need, and imports reportlab and the font during the
    parent's whole start (~10 ms sooner than from the command itself). Ended and reaped at the block's
    end if nothing took it (bad arguments); the one taken is its taker's to close. Inside a block that
    already holds a child (kiosk.entry's, around kiosk.cli's), it starts none: the outer block ends it."""
    if _early:
        yield
        return
    _early.append(RenderWorker.start())
    try:
        yield
    finally:
        while _early:
            _early.pop().close()


def _can_fork() -> bool:
    """A fork copies only the thread that calls it: with any other thread running (a test runner's, the
    touchscreen's), a lock it held would stay locked in the child forever. Then a new interpreter."""
    return hasattr(os, "fork") and threading.active_count() == 1


class _ForkedChild:
    """The child made by `os.fork`, with the part of `subprocess.Popen` RenderWorker uses."""

    def __init__(self, pid: int, stdin: IO[bytes], stdout: IO[bytes]) -> None:
        self.pid, self.stdin, self.stdout = pid, stdin, stdout
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode

    def kill(self) -> None:
        import signal

        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)

    def wait(self) -> int:
        if self.returncode is None:
            _, status = os.waitpid(self.pid, 0)
            self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode


def _fork_child() -> _ForkedChild:
    """The child as a copy of this process (`kiosk apply` forks it first thing): it starts with the
    interpreter, the standard library and the logging this process has already loaded, where a new
    `python -m` would spend ~40 ms starting and ~30 ms on site and the same imports again (issue 17).
    It serves exactly as `python -m forms.documents.worker` does, and ends with `os._exit`: never this
    process's atexit handlers, buffers or `finally` blocks a second time."""
    request_read, request_write = os.pipe()
    answer_read, answer_write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        code = 1
        try:
            os.close(request_write)
            os.close(answer_read)
            code = _serve_forked(request_read, answer_write)
        except BaseException:  # the parent renders the documents itself; this says why on stderr
            with contextlib.suppress(BaseException):
                import traceback

                traceback.print_exc()
        finally:
            os._exit(code)
    os.close(request_read)
    os.close(answer_write)
    return _ForkedChild(pid, os.fdopen(request_write, "wb"), os.fdopen(answer_read, "rb"))


def _serve_forked(request_fd: int, answer_fd: int) -> int:
    import gc

    gc.disable()  # as `python -m forms.documents.worker` (its __main__): one request, then the end
    os.dup2(2, 1)  # never a stray print into the parent's --json output (its stdout, fd 1): to stderr
    root = logging.getLogger()  # the parent's handlers write to its stderr and log file: the child's
    for handler in root.handlers[:]:  # warnings go back in the answer and are logged by the parent
        root.removeHandler(handler)
    from forms.code_caches import cached_code

    with cached_code(CODE_KIND):  # the package's model (~10 dataclasses) comes with it
        from forms.documents.worker import serve

    with open(request_fd, "rb") as stdin, open(answer_fd, "wb") as stdout:
        return serve(stdin, stdout)


def _end(process: subprocess.Popen[bytes] | _ForkedChild) -> None:
    for stream in (process.stdin, process.stdout):
        if stream is not None:
            with contextlib.suppress(OSError):  # a pipe the child broke
                stream.close()
    if process.poll() is None:
        process.kill()
    process.wait()


class _Reader:
    """Reads a pipe with one deadline for the whole answer (TimeoutError past it, EOFError as OSError)."""

    def __init__(self, stream: IO[bytes], deadline: float) -> None:
        self.fd = stream.fileno()
        self.deadline = deadline
        self.buffer = bytearray()

    def _more(self) -> None:
        left = self.deadline - time.monotonic()
        if left <= 0 or not select.select([self.fd], [], [], left)[0]:
            raise TimeoutError("timed out")
        chunk = os.read(self.fd, 1 << 20)
        if not chunk:
            raise OSError("the renderer process ended without an answer")
        self.buffer += chunk

    def line(self) -> bytes:
        while b"\n" not in self.buffer:
            self._more()
        line, _, rest = bytes(self.buffer).partition(b"\n")
        self.buffer = bytearray(rest)
        return line

    def read(self, size: int) -> bytes:
        while len(self.buffer) < size:
            self._more()
        data = bytes(self.buffer[:size])
        del self.buffer[:size]
        return data
