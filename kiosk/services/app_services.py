"""`AppServices`: the touchscreen's `KioskServices` over the composition root (`kiosk.app.Kiosk`).

Qt-free (kiosk.ui renders it; the headless player and the integration tests drive it without a screen).
The Kiosk (kiosk.devices) decides which devices are real (`sim://` reader = the protocol simulator, `sim://` printer =
the ESC/POS emulator). This adapter runs what the session's effects ask for, always on the caller's
worker thread (the bridge never calls it from the GUI thread except the non-blocking reader switches):

- the reader runs for the app's lifetime; `start_reading` / `stop_reading` only open and close a gate.
  A card read while the gate was closed is kept (in memory, until lifted or wiped) and reported when
  the gate opens, so a card laid before choosing the service is not lost ("find fails until removed");
- saving, printing, ratings and staff calls run in `kiosk.effect_runner.EffectRunner` (shared with
  `kiosk apply`); once an application is saved its PDFs are written on a documents thread, so printing
  never waits for them;
- the card screen's `start_reading` also warms the form engine on a daemon thread (the first time): the
  rule-engine's parser and every catalog condition are compiled while the applicant takes the card out,
  not after the card is read (that first compile cost ~1-3 s between the read and the form);
- a print job belongs to its visit: at WipePersonalData the visit's unprinted jobs are held for a
  technician (`EffectRunner.end_session`), and at start every job still queued from an earlier run is
  held (`kiosk.job_hold.hold_leftovers`), so none prints by itself into another applicant's visit;
- the technician panel's 读卡测试 (`test_read`) takes the card from the same reader (never a second open
  of the port) and keeps it from the next applicant; `reopen_reader(url)` switches to a new address
  saved in the panel; `config_path` is the file the panel saves to (None: the demo's built-in config);
- 扫码查询·补打 is `kiosk.lookup.LookupDesk` (masked status; reprint only with the holder's ID card;
  throttled), on `lookup_clock` (time.monotonic unless a test injects one).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import logging
import queue
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

from forms.conditions import compile_all
from forms.demo_registry import LI_NA
from idreader import IdCard, demo_cards, mask_id_number
from idreader.reader import CardReader
from kiosk.app import Kiosk
from kiosk.effect_runner import PRINT_TIMEOUT_SECONDS, EffectRunner
from kiosk.job_hold import hold_leftovers
from kiosk.lookup import LookupAnswer, LookupDesk
from kiosk.reprint_policy import ThrottlePolicy
from kiosk.services.popular import HOT_DAYS, applied_counts
from kiosk.services.runtime import reader_event_to_session
from kiosk.session import (
    ApplicationSaved,
    CardRead,
    CardRemoved,
    Effect,
    Event,
    WipePersonalData,
)
from kiosk.store import StoreError
from kiosk.sync.bodies import iso
from kiosk.sync.outbox import add_event
from kiosk.sync.steps import StepTracker
from kiosk.terminal_stats import record_visit
from printers.emulator import CapturedJob
from printers.queue import QueueSettings

#: How many written PDF paths `documents()` remembers (the headless player asks after its scenarios).
DOCUMENTS_KEPT = 200
DEMO_QUEUE_SETTINGS = QueueSettings(paper_poll_interval=0.25, backoff_initial=0.5, max_attempts=3)
_log = logging.getLogger(__name__)


class ServicesError(RuntimeError):
    """A request the services cannot serve (unknown demo action, no simulator)."""


def condition_texts(spec: Any) -> list[str]:
    """Every condition a spec holds: its rules', its fields' `show_if` and its materials' `when`."""
    texts = [rule.condition for rule in spec.rules]
    texts += [field.show_if for field in spec.fields if getattr(field, "show_if", None)]
    texts += [material.when for material in spec.materials if getattr(material, "when", None)]
    return texts


def story_cards() -> dict[str, IdCard]:
    """The demo drawer's cards: the idreader demo deck (adult 张伟 owns a barber's shop: approved on the
    spot, see forms/demo_registry.py for every card's story), plus 李娜, who has no card in the deck:
    her hukou is in 成都 and she lives in 铜梁 (居住证, accepted for review)."""
    adult = demo_cards.get("adult")
    cards = dict(demo_cards.all_cards())
    cards["lina"] = dataclasses.replace(
        adult, name="李娜", sex="女", sex_code="2", id_number=LI_NA, birth_date=dt.date(1990, 7, 8),
        address="四川省成都市锦江区春熙路1号")
    return cards


class AppServices:
    """Everything the bridge needs, over one `Kiosk`. Close with `close()`."""

    def __init__(self, config: Any, data_dir: Path | None = None, *, print_timeout: float = PRINT_TIMEOUT_SECONDS,
                 queue_settings: QueueSettings | None = None, lookup_clock: Callable[[], float] = time.monotonic,
                 lookup_policy: ThrottlePolicy | None = None, sync: bool = False, config_path: Path | None = None,
                 **kiosk_options: Any) -> None:
        """`sync=True` (kiosk run, kiosk demo) starts the hall uploader when [sync] is configured;
        `config_path`: the file `config` was read from (the technician panel saves its changes there)."""
        self.config_path = Path(config_path) if config_path is not None else None
        if queue_settings is None and config.demo:
            queue_settings = DEMO_QUEUE_SETTINGS
        self.kiosk = Kiosk.build(config, data_dir, queue_settings=queue_settings, **kiosk_options)
        hold_leftovers(self.kiosk)  # every visit of an earlier run is over
        if sync:
            self.kiosk.start_sync()
        self.runner = EffectRunner(self.kiosk, print_timeout=print_timeout)
        self.steps = StepTracker(self.kiosk.now)  # the visit's steps, for the hall's statistics
        self.lookup_desk = LookupDesk(self.kiosk, self.runner, clock=lookup_clock, policy=lookup_policy)
        self._lock = threading.Lock()
        self._reader: CardReader | None = None
        self._on_event: Callable[[Event], None] | None = None
        self._reading = False
        self._held_card: CardRead | None = None
        self._test_reads: list[queue.SimpleQueue[CardRead | None]] = []  # the panel's 读卡测试 waiting
        self._warmed = False
        self._slip_listener: Callable[[bytes], None] | None = None
        self._documents = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kiosk-documents")
        self.document_futures: list[Future[list[Path]]] = []  # PDFs being written
        self._written: deque[Path] = deque(maxlen=DOCUMENTS_KEPT)  # the PDFs written last (headless player)
        self._cards = story_cards()
        self.kiosk.add_capture_listener(self._job_printed)
        self._ensure_reader()  # opened here (a worker thread at start), never on the GUI thread

    # --- KioskServices: catalog and reader ------------------------------------------------------

    @property
    def catalog(self) -> Any:
        return self.kiosk.catalog

    @property
    def directory(self) -> Any:
        return self.kiosk.directory

    def popular_services(self) -> tuple[dict[str, int], tuple[str, ...]]:
        """热门: applications per service on this terminal in the last 30 days, and the configured list
        that fills the row up (kiosk.services.popular; worker thread: one indexed SQLite query)."""
        since = self.kiosk.store.now() - dt.timedelta(days=HOT_DAYS)
        return applied_counts(self.kiosk.store, since), tuple(self.kiosk.config.display.hot_items)

    @property
    def printer(self) -> Any:
        """The emulated printer behind a sim:// printer URL (None for a real printer)."""
        return self.kiosk.sim_printer

    @property
    def store(self) -> Any:
        return self.kiosk.store

    @property
    def reader(self) -> CardReader:
        """The card reader, open for the app's lifetime (the technician panel asks it for SAM status)."""
        return self._ensure_reader()

    @property
    def simulator(self) -> Any:
        reader = self._ensure_reader()
        return reader.simulator

    def _ensure_reader(self) -> CardReader:
        with self._lock:
            if self._reader is None:
                self._reader = self.kiosk.open_reader(on_event=self._reader_event)
            return self._reader

    def test_read(self, timeout: float) -> CardRead | None:
        """读卡测试 (the technician panel, on a worker): the card read while no visit was reading, or the
        next card read within `timeout` s, from the reader the app holds; None when none came. The card
        is not kept for the next applicant."""
        waiter: queue.SimpleQueue[CardRead | None] = queue.SimpleQueue()
        with self._lock:
            held, self._held_card = self._held_card, None
            if held is not None:
                return held
            self._test_reads.append(waiter)
        try:
            return waiter.get(timeout=timeout)
        except queue.Empty:
            return None
        finally:
            with self._lock:
                if waiter in self._test_reads:
                    self._test_reads.remove(waiter)

    def cancel_test_reads(self) -> None:
        """The panel closed: a 读卡测试 still waiting ends now (None), so the next applicant's card is theirs."""
        with self._lock:
            waiters, self._test_reads = self._test_reads, []
        for waiter in waiters:
            waiter.put(None)

    def reopen_reader(self, url: str) -> CardReader:
        """Close the reader and open the one at `url` (saved in the technician panel): the kiosk's devices
        name it from now on. Runs on a worker (closing a port waits for the reader thread)."""
        with self._lock:
            old, self._reader, self._held_card = self._reader, None, None
        if old is not None:
            old.stop()
        self.kiosk.devices = dataclasses.replace(self.kiosk.devices, reader_url=url)
        return self._ensure_reader()

    def start_reading(self, on_event: Callable[[Event], None]) -> None:
        self._ensure_reader()
        self._warm_conditions()
        with self._lock:
            self._on_event = on_event
            self._reading = True
            held, self._held_card = self._held_card, None
        if held is not None:
            on_event(held)

    def stop_reading(self) -> None:
        with self._lock:
            self._reading = False

    def _warm_conditions(self) -> None:
        """Compile every catalog condition once, on a daemon thread (the first card screen only): from the
        compiled cache, or (after an update) parsed and translated, the cache written once at the end."""
        with self._lock:
            if self._warmed:
                return
            self._warmed = True
        texts = [text for spec in self.kiosk.catalog.values() for text in condition_texts(spec)]

        def warm() -> None:
            for text in compile_all(texts):  # `kiosk services check` reports them; the session will too
                _log.warning("catalog condition does not compile: %s", text)

        threading.Thread(target=warm, name="kiosk-warm-conditions", daemon=True).start()

    def _reader_event(self, event: object) -> None:  # reader thread
        session_event = reader_event_to_session(event)
        if session_event is None:
            return
        with self._lock:
            reading, on_event = self._reading, self._on_event
            if isinstance(session_event, CardRead) and self._test_reads and not reading:
                for waiter in self._test_reads:  # the technician's test card: nobody's visit
                    waiter.put(session_event)
                self._test_reads.clear()
                return
            if not reading:
                if isinstance(session_event, CardRead):
                    self._held_card = session_event
                elif isinstance(session_event, CardRemoved):
                    self._held_card = None
                return
        if on_event is not None:
            on_event(session_event)

    # --- KioskServices: effects -------------------------------------------------------------------

    def execute(self, effect: Effect) -> list[Event]:
        if isinstance(effect, WipePersonalData):
            with self._lock:
                self._held_card = None
            self.runner.end_session()  # the visit is over: its unprinted slip goes to the technician
            self._record_steps()
            return []
        events = self.runner.execute(effect)
        for event in events:
            issued = self.runner.issued(event.application_id) if isinstance(event, ApplicationSaved) else None
            if issued is not None:  # the PDFs on their own thread: printing never waits for them
                self._collect_documents()
                self.document_futures.append(self._documents.submit(self.kiosk.write_documents, issued))
        return events

    # --- the hall (kiosk.sync) ----------------------------------------------------------------------

    def screen_shown(self, screen: str, service_id: str | None = None, *, outcome: str | None = None,
                     findings: Any = None) -> None:
        """A screen of the visit was shown (GUI thread; memory only): the step statistics' source."""
        self.steps.shown(screen, service_id, outcome=outcome, findings=findings)
        if service_id:
            self.runner.service_id = service_id

    def _record_steps(self) -> None:
        """The visit ended: its steps go to the outbox (their own transaction: nothing else changes)."""
        body, details = self.steps.end_with_details()
        if body is None:
            return
        try:
            with self.kiosk.store.transaction():  # the hall's event and the terminal's own statistics
                add_event(self.kiosk.store, "step_stats", body, at=iso(self.kiosk.now()))
                record_visit(self.kiosk.store, body, outcome=details["outcome"], findings=details["findings"])
        except StoreError as exc:  # statistics only: the next visit goes on
            _log.error("the visit's step statistics were not recorded: %s", exc)
            return
        self.kiosk.sync_wake()

    def staff_call_state(self) -> str | None:
        """How this visit's latest staff call stands (memory and one small read; None: no call):
        acked / sent / sending / unreachable / local (no hall configured)."""
        return self.kiosk.staff_call_state(self.runner.last_call_id)

    def _collect_documents(self) -> None:
        """Fold the finished PDF futures into `_written` (the last DOCUMENTS_KEPT paths): a kiosk that
        runs for weeks keeps neither a future per applicant nor a path per document."""
        with self._lock:
            done = [future for future in self.document_futures if future.done()]
            self.document_futures = [future for future in self.document_futures if not future.done()]
        for future in done:
            if future.exception() is None:
                self._written.extend(future.result())

    def _job_printed(self, job: CapturedJob) -> None:  # printer thread
        listener = self._slip_listener
        if listener is None:
            return
        buffer = io.BytesIO()
        job.render().save(buffer, format="PNG")
        listener(buffer.getvalue())

    def preview_application(self, state: Any) -> bytes | None:
        """The 申请表 PDF as it stands (worker thread), before anything is saved: no number yet."""
        from forms.documents import render_application_form
        from kiosk.paperwork import document_context, issue_record
        from kiosk.session import ApplicationDraft

        if state.card is None or state.service_id is None or state.outcome not in ("approved", "accepted"):
            return None
        answers = state.answers_dict()
        number = state.card.id_number
        shown = [  # the screen is seen by the queue behind: the ID number is shown masked, as elsewhere
            (key, dataclasses.replace(answers[key], value=mask_id_number(number)) if answers[key].value == number
             else answers[key])
            for key in state.visible_fields if key in answers
        ]
        card = dataclasses.replace(state.card.without_photo(), id_number=mask_id_number(number))
        draft = ApplicationDraft(
            service_id=state.service_id, card=card, answers=tuple(shown),
            findings=state.findings, outcome=state.outcome, delivery=state.delivery,
            commitment=state.commitment, materials_promised=state.materials_promised, language=state.language,
        )
        issue = issue_record(self.kiosk.catalog[state.service_id], draft, self.kiosk.hall, self.kiosk.registry,
                             self.kiosk.now(), receipt_no="（提交后生成）")
        return render_application_form(document_context(issue))

    # --- 扫码查询·补打 (kiosk.lookup) ---------------------------------------------------------------

    def lookup(self, text: str, language: str = "zh") -> LookupAnswer:
        return self.lookup_desk.lookup(text, language)

    def reprint_for_holder(self, text: str, card: IdCard, language: str = "zh") -> LookupAnswer:
        return self.lookup_desk.reprint(text, card, language)

    def print_hall_notice(self, text: str, language: str = "zh") -> LookupAnswer:
        return self.lookup_desk.print_notice(text, language)

    def print_business_codes(self, card: IdCard, language: str = "zh") -> LookupAnswer:
        return self.lookup_desk.print_business_codes(card, language)

    def lookup_outcome(self, job_id: int, number: str = "") -> LookupAnswer:
        return self.lookup_desk.outcome(job_id, number)

    def end_lookup(self) -> list[int]:
        return self.lookup_desk.end_visit()

    def lookup_touch(self) -> None:
        self.lookup_desk.touch()

    def lookup_idle(self) -> bool:
        return self.lookup_desk.idle_expired()

    # --- demo -------------------------------------------------------------------------------------

    def demo_cards(self) -> dict[str, IdCard]:
        return dict(self._cards) if self.kiosk.devices.reader_simulated else {}

    def demo_action(self, action: str, argument: str = "") -> str:
        if action in ("place_card", "lift_card", "reader_fault"):
            simulator = self.simulator
            if simulator is None:
                raise ServicesError("the reader is not simulated")
            if action == "place_card":
                return f"已放置：{simulator.place_card(self._cards[argument]).display_name}"
            if action == "lift_card":
                simulator.remove_card()
                return "已拿开证件"
            # one lost reply is asked again unseen (idreader.reader): 无应答 lasts two polls so the demo shows it
            simulator.inject_fault(argument, count=2 if argument == "silence" else 1,
                                   on="read" if argument == "lift_mid_read" else "any")
            return f"读卡器故障：{argument}"
        printer = self.kiosk.sim_printer
        if printer is None:
            raise ServicesError("the printer is not simulated")
        printer_actions = {
            "paper_out": lambda: printer.set_paper_out(True),
            "paper_in": printer.load_paper,
            "cover_open": lambda: printer.set_cover_open(True),
            "cover_closed": lambda: printer.set_cover_open(False),
        }
        if action not in printer_actions:
            raise ServicesError(f"unknown demo action {action!r}")
        printer_actions[action]()
        self.kiosk.queue.retry_now()
        return f"打印机：{action}"

    def set_slip_listener(self, listener: Callable[[bytes], None] | None) -> None:
        self._slip_listener = listener

    def open_camera(self, url: str | None = None) -> Any:
        return self.kiosk.open_camera(url)

    def documents(self, timeout: float = 30.0) -> list[Path]:
        """Wait for the PDFs written so far (headless player) and return their paths."""
        for future in list(self.document_futures):
            future.result(timeout)
        self._collect_documents()
        return list(self._written)

    def close(self) -> None:
        with self._lock:
            reader, self._reader = self._reader, None
            self._on_event = None
        if reader is not None:
            reader.stop()
        self._documents.shutdown(wait=True)
        self.kiosk.remove_capture_listener(self._job_printed)
        self.runner.close()
        self.kiosk.close()
