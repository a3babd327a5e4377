"""The child process of forms.render_worker (`python -m forms.documents.worker`): it imports reportlab
and loads the CJK font while the parent (`kiosk apply`) goes on, reads one request on stdin, renders the
PDFs and writes them back on stdout (wire format: forms.render_worker). The parent's end, `RenderWorker`
and `render_files`, is in forms.render_worker (it must not import this package) and named here too.
"""

from __future__ import annotations

import gc
import json
import logging
import signal
import sys
import threading
from typing import IO, Any

from forms.render_worker import CODE_KIND, DEFAULT_TIMEOUT, MODULE, RenderWorker, render_files

__all__ = ["CODE_KIND", "DEFAULT_TIMEOUT", "MODULE", "RenderWorker", "render_files", "serve"]


# -- the child ----------------------------------------------------------------------------------------


class _Collect(logging.Handler):
    """Keeps the child's warnings to send them to the parent, which logs them as its own."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[list[Any]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append([record.name, record.levelno, record.getMessage()])


def _read_request(stream: IO[bytes], into: list[bytes]) -> None:
    try:
        size = int(stream.readline())
        into.append(stream.read(size))
    except (OSError, ValueError):
        pass


def serve(stdin: IO[bytes], stdout: IO[bytes]) -> int:
    """The child: warm up (reportlab, the font) while the request comes, render, answer, exit. Ctrl-C is
    the parent's to handle (it ends this process): no second traceback on the terminal."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    collect = _Collect()
    logging.getLogger().addHandler(collect)
    request: list[bytes] = []
    reader = threading.Thread(target=_read_request, args=(stdin, request), daemon=True)
    reader.start()  # the parent never blocks on a full pipe while this process imports
    error = ""
    pdfs: list[bytes] = []
    try:
        # reportlab imports Pillow's Image module at its own import (~20 ms), for raster images, which
        # these documents have only when the applicant signed on the screen: loaded then, on first use.
        from assets.lazymodules import defer

        defer("PIL.Image")
        # reportlab's rl_safe_eval compiles a pattern joined from a set, whose order changes with each
        # process's hash seed: compiled outside the code cache (in it, every run would add one more).
        import reportlab.lib.rl_safe_eval  # noqa: F401

        from forms.code_caches import cached_code

        # The renderers' classes. The model's (~10) come with this package: the forked child imports it in a
        # block of its own (forms.render_worker._serve_forked); `python -m` has made them already.
        with cached_code(CODE_KIND):
            import forms.documents as documents
            from forms.documents import render_document
            from forms.documents.snapshot import context_from_json

            for name in ("render_application_form", "render_licence", "render_hygiene_rules",
                         "render_receipt"):
                getattr(documents, name)  # imports the renderers (reportlab, as forms.documents does) now
            from forms.documents.fonts import register_fonts
            from forms.documents.layout import styles

        register_fonts()
        styles()
        reader.join()
        if not request:
            return 0  # the parent needed no documents (a blocked application) or is gone
        body = json.loads(request[0])
        ctx = context_from_json(body["context"])
        pdfs = [render_document(kind, ctx) for kind in body["kinds"]]
    except Exception as exc:  # the parent renders them itself, and raises what it raises
        error = f"{type(exc).__name__}: {exc}"
        pdfs = []
    header = json.dumps({"ok": not error, "sizes": [len(pdf) for pdf in pdfs], "error": error,
                         "logs": collect.records}, ensure_ascii=False).encode()
    try:
        stdout.write(b"%d\n" % len(header) + header)
        for pdf in pdfs:
            stdout.write(pdf)
        stdout.flush()
    except OSError:
        return 1
    return 0


if __name__ == "__main__":
    # One request, then the process ends: the cyclic collector would run ~45 times over reportlab's import
    # and the renders (~10 ms CPU) to find ~500 objects (peak memory within 1 MB either way); at exit
    # nothing is collected either (frozen), as `kiosk apply`'s own process does (kiosk/__main__.py).
    gc.disable()
    code = serve(sys.stdin.buffer, sys.stdout.buffer)
    gc.freeze()
    raise SystemExit(code)
