"""The worker pool behind the screens: slow work (saving, printing, PDFs, demo actions) runs off the GUI
thread and its result comes back on the GUI thread as a queued Qt signal.

`submit(work, done, personal)` runs `work()` on a worker, then `done(result)` on the GUI thread. A
`personal` result (the applicant's visit) is dropped when the visit was wiped meanwhile (`wipe()`);
a None result is dropped. `post(callback, value)` hands a value from any thread to the GUI thread.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot

WORKER_THREADS = 2
WATCH_THREADS = 1
"""Long waits (a slip waiting for paper) run apart, so they never hold up saving, printing or a rating."""
_log = logging.getLogger(__name__)


class Worker(QObject):
    _posted = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = ThreadPoolExecutor(max_workers=WORKER_THREADS, thread_name_prefix="kiosk-ui-worker")
        self._watch_pool = ThreadPoolExecutor(max_workers=WATCH_THREADS, thread_name_prefix="kiosk-ui-watch")
        self._generation = 0  # bumped on every wipe: late results of a wiped visit are dropped
        self._pending = 0
        self._closed = False
        self._posted.connect(self._on_posted)

    @property
    def generation(self) -> int:
        return self._generation

    @property
    def busy(self) -> bool:
        """True while submitted work has not reported back."""
        return self._pending > 0

    def wipe(self) -> None:
        """The visit was wiped: personal results still running are dropped when they arrive."""
        self._generation += 1

    def submit(self, work: Callable[[], Any], done: Callable[[Any], None], personal: bool = True,
               watch: bool = False) -> None:
        """`watch=True`: a long wait, run on its own thread (not counted as busy work)."""
        generation = self._generation
        if not watch:
            self._pending += 1

        def run() -> None:
            try:
                result = work()
            except Exception:
                _log.exception("ui: background work failed")
                result = None
            self._posted.emit(("done" if not watch else "watched", generation, personal, done, result))

        (self._watch_pool if watch else self._pool).submit(run)

    def submit_impersonal(self, work: Callable[[], Any], done: Callable[[Any], None]) -> None:
        """`submit` for work whose result outlives a wipe (technician panel, lookup page)."""
        self.submit(work, done, personal=False)

    def post(self, callback: Callable[[Any], None], value: Any) -> None:  # any thread
        self._posted.emit(("post", callback, value))

    @Slot(object)
    def _on_posted(self, item: tuple) -> None:
        if item[0] == "post":
            item[1](item[2])
            return
        kind, generation, personal, done, result = item
        if kind == "done":
            self._pending -= 1
        if result is not None and (generation == self._generation or not personal):
            done(result)

    @property
    def closed(self) -> bool:
        """True once the window closed the pools: nothing more may be submitted."""
        return self._closed

    def close(self) -> None:
        self._closed = True
        self._pool.shutdown(wait=False, cancel_futures=True)
        self._watch_pool.shutdown(wait=False, cancel_futures=True)
