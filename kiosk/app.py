"""The composition root: the one place that builds the kiosk's parts from the configuration.

    with Kiosk.build(config) as kiosk:
        session = kiosk.new_session()                       # the pure applicant session
        reader = kiosk.open_reader(on_event=...)            # real serial reader or the simulator
        issued = kiosk.save(draft)                          # numbers + row + QR + print job, one commit
        kiosk.start_printing(issued.print_job_id)           # the queue worker sends it

Only here (with `kiosk.devices.wire_devices`) is it decided which devices are real and which are
simulated: a `sim://` reader is the protocol simulator on a pty (idreader), a `sim://` printer is the
in-process ESC/POS emulator that keeps every slip as a PNG preview (printers; each capture is registered
to its application so `kiosk purge` removes it). `kiosk.devices` are the wiring; the services over a
built kiosk (the touchscreen's, the technician panel's) are in `kiosk.services`.
Demo mode (`config.demo`) also seeds the registry with the demo's shared data so every
demo card tells its story. At start a background thread repairs what a crash left (kiosk.recovery:
PDFs of committed applications made again, stray temporaries removed); `recovered()` waits for it.
The hall uploader (kiosk.sync, `[sync]` of the config) is built here too: `start_sync()` starts its
thread (the touchscreen's `kiosk run` / `kiosk demo`), `close()` stops it; `uploader()` makes one for
`kiosk sync`. Nothing here touches Qt.

The kiosk's one clock (`kiosk.clock.KioskClock`: card validity, ages, licence dates, numbers, and every
session it makes) is injected here. Tests pass `today=`/`now=`; a test run of a command (`kiosk apply`
in a subprocess or through `kiosk.cli.main`) sets the test clock `KIOSK_TODAY=YYYY-MM-DD`, read ONLY
here (`env_calendar`): the kiosk then lives on that day (the time of day is still the machine's), so a
test's verdicts never change with the machine's date. Record timestamps (store, print queue, audit) keep
the machine's clock: they are compared only with each other.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import os
import re
import threading
from collections.abc import Callable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from forms.compiled import cache_root
from forms.demo_registry import demo_registry
from forms.loader import Catalog, load_catalog
from forms.settings import HallSettings
from kiosk.clock import KioskClock
from kiosk.config import KioskConfig, resolve_data_dir
from kiosk.credentials import load_or_create_signing_key
from kiosk.datadir import holds_applications, owner_only_umask, secure_data_dir
from kiosk.devices import Devices, wire_devices
from kiosk.forms_adapter import FormsDirectory
from kiosk.heap import bound_mmap_threshold
from kiosk.issuing import Issued, record_decision, write_documents
from kiosk.listeners import Listeners
from kiosk.paperfiles import Stage
from kiosk.session import ApplicantSession, ApplicationDraft, Clock, IdleSettings
from kiosk.store import Store, StoreError
from kiosk.store.paperwork import last_application_id
from kiosk.store.registry_view import StoreRegistry, registry_records
from printers.emulator import CapturedJob
from printers.queue import JobEvent, PrintQueue, QueueSettings, open_database

if TYPE_CHECKING:
    from idreader.reader import CardReader
    from kiosk.camera.health import CameraHealth
    from kiosk.recovery import DataLayout, RepairReport
    from kiosk.sync.uploader import Uploader

log = logging.getLogger(__name__)

#: The test clock: the calendar date the kiosk decides with (YYYY-MM-DD), for tests of whole commands.
TEST_TODAY_ENV = "KIOSK_TODAY"

#: Sub-folders of the data dir.
DOCUMENTS_DIR = "applications"
PRINTED_DIR = "printed"
#: The compiled catalog cache: a folder of the user cache folder (forms.compiled.cache_root), keyed by
#: the catalog files' sha256 and the code version, so it is shared by every data dir and never wrong.
CATALOG_CACHE = "catalog"


def idle_settings(config: KioskConfig) -> IdleSettings:
    """The session's idle timeouts, and the elder mode and language every visit starts in."""
    timeouts = config.timeouts
    return IdleSettings(
        card_seconds=timeouts.card_idle_s,
        form_seconds=timeouts.form_idle_s,
        result_seconds=timeouts.result_idle_s,
        rating_seconds=timeouts.rate_idle_s,
        countdown_seconds=round(timeouts.countdown_s),
        elder_mode=config.display.elder_mode_default,
        language=config.language,
    )


def documents_folder(data_dir: Path, number: str) -> Path:
    """Where one application's PDFs go: a folder named after its number, safe on any filesystem."""
    safe = re.sub(r"[^0-9A-Za-z\u4e00-\u9fff-]+", "_", number).strip("_") or "application"
    return data_dir / DOCUMENTS_DIR / safe


def env_calendar(environ: Mapping[str, str] = os.environ) -> tuple[Callable[[], dt.date], Callable[[], dt.datetime]]:
    """`(today, now)` of the kiosk: the machine's, or the day `KIOSK_TODAY` names (the test clock; ValueError
    when it is not a YYYY-MM-DD date) with the machine's time of day."""
    text = environ.get(TEST_TODAY_ENV, "").strip()
    if not text:
        return dt.date.today, dt.datetime.now
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{TEST_TODAY_ENV}={text!r} is not a YYYY-MM-DD date (it is the test clock; "
                         "leave it unset to use the machine's date)") from None
    return (lambda: day), (lambda: dt.datetime.combine(day, dt.datetime.now().time()))


class Kiosk:
    """The built kiosk: store, catalog, session factory, reader factory and printer queue."""

    def __init__(
        self,
        config: KioskConfig,
        data_dir: Path,
        *,
        today: Callable[[], dt.date] | None = None,
        now: Callable[[], dt.datetime] | None = None,
        queue_settings: QueueSettings | None = None,
        on_print_event: Callable[[JobEvent], None] | None = None,
        on_stage: Stage | None = None,
        repair_at_start: bool = True,
    ) -> None:
        """`on_stage(stage, path)` is told "committed", "registered", "temporary", "written" and
        "captured" as an application's files are made (tests stop a process there to kill it).
        `today`/`now` default to `env_calendar()` (the machine's calendar unless the test clock is set).
        `repair_at_start=False` builds the repair's thread without starting it: `start_repair()` starts it
        when the caller's own work can spare the time (`kiosk apply`: once its PDFs are being rendered);
        `recovered()` and `close()` start it if nobody did, so it always runs."""
        _, env_now = env_calendar()
        bound_mmap_threshold()  # a long run's large buffers (PDFs, the hall's batches) go back whole (kiosk.heap)
        self.config = config
        self.data_dir = data_dir
        # ONE clock (kiosk.clock): sessions, decisions and numbers all read it; `today` alone fixes the day;
        # neither: the machine's clock, or the test clock's day (KIOSK_TODAY).
        self.clock = (KioskClock(now) if now is not None else KioskClock.on(today) if today
                      else KioskClock(env_now))
        self.today, self.now = self.clock.today, self.clock.now
        self.on_stage = on_stage
        owner_only_umask()  # documents, captures and keys hold personal data or secrets: 0600
        secure_data_dir(data_dir)
        self.store = Store.open(data_dir)
        try:  # a lost key is never replaced where QR codes were already issued with it
            self.signing_key = load_or_create_signing_key(data_dir, may_create=not holds_applications(data_dir))
        except BaseException:
            self.store.close()
            raise
        self._capture_listeners = Listeners()
        if config.demo:
            seed = demo_registry(self.today())
            self.store.seed_registry(registry_records(seed.businesses, seed.licences, seed.persons))
        self.registry = StoreRegistry(self.store)
        self.catalog: Catalog = load_catalog(cache_dir=cache_root() / CATALOG_CACHE)
        self.directory = FormsDirectory(self.catalog, self.registry, self.hall)
        self.devices: Devices = wire_devices(config.devices, capture_dir=data_dir / PRINTED_DIR,
                                             on_printed=self._captured)
        self.printer_url = self.devices.printer_url
        self.sim_printer = self.devices.sim_printer  # None for a real printer
        settings = queue_settings or QueueSettings()
        self._print_listeners = Listeners(*([on_print_event] if on_print_event else []))
        self._queue_db = open_database(self.store.path)
        self.queue = PrintQueue(
            self._queue_db,
            transport_factory=lambda url: self.devices.printer_transport(settings.timeouts, url),
            settings=settings,
            on_event=self._print_event,
        )
        interrupted = self.queue.start(resume=False)
        if interrupted:
            log.warning("print jobs interrupted by a stop while printing (ask staff): %s", interrupted)
        self.sync: Uploader | None = None  # the hall uploader, started by `start_sync` (kiosk run/demo)
        self._printer_state: dict[str, str] = {"printer": "ok", "paper": "unknown"}
        self.recovery_report: RepairReport | None = None
        self._recovery = threading.Thread(target=self._repair, args=(last_application_id(self.store),),
                                          name="kiosk-recovery", daemon=True)
        if repair_at_start:
            self.start_repair()

    @classmethod
    def build(cls, config: KioskConfig, data_dir: Path | None = None, *, filesystem: Any = None,
              **options: Any) -> Kiosk:
        """Build from a configuration; the data dir defaults to the configuration's. A full or read-only
        disk is refused first, in one line (kiosk.store.disk_check; `filesystem` is the boundary it writes
        through: a test passes one that fails like a full disk)."""
        from kiosk.store.disk_check import check_data_dir

        directory = Path(data_dir or config.data_dir or resolve_data_dir(None, config))
        check_data_dir(directory, filesystem)
        return cls(config, directory, **options)

    def __enter__(self) -> Kiosk:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        self.start_repair()
        self._recovery.join()
        self.stop_sync()
        self.queue.close()  # its own connection, closed under its lock (no watcher mid-query)
        self.store.close()  # the last connection: SQLite folds the WAL in and the store stamps the file intact

    # -- the hall (kiosk.sync) -------------------------------------------------------------------------

    @property
    def location(self) -> str:
        """Where this kiosk stands, as the hall shows it next to a staff call."""
        return f"{self.hall.name} {self.hall.kiosk_id}"

    def uploader(self, **options: Any) -> Uploader | None:
        """A new uploader over this kiosk's store ([sync] url and token), or None when not configured."""
        from kiosk.sync.uploader import Uploader, settings_for

        settings = settings_for(self.config)
        if settings is None:
            return None
        return Uploader(self.store, settings, status=self.device_status, clock=self.now, **options)

    def start_sync(self, **options: Any) -> Uploader | None:
        """Start the uploader thread (the touchscreen's `kiosk run` and `kiosk demo`); None when [sync]
        is not configured (the kiosk works alone and keeps its outbox)."""
        if self.sync is None:
            self.sync = self.uploader(**options)
            if self.sync is not None:
                self.sync.start()
        return self.sync

    def stop_sync(self) -> None:
        sync, self.sync = self.sync, None
        if sync is not None:
            sync.stop()

    def sync_wake(self, call_id: str | None = None) -> None:
        """New outbox events: the running uploader sends them (a staff call at once, then watches its ack)."""
        sync = self.sync
        if sync is None:
            return
        if call_id is not None:
            sync.watch_call(call_id)
        else:
            sync.wake()

    def staff_call_state(self, call_id: str | None) -> str | None:
        """How a staff call stands: "acked" / "sent" / "sending" / "unreachable", "local" when no hall is
        configured (the call only shows on this screen), None when there is no call."""
        if call_id is None:
            return None
        sync = self.sync
        if sync is None:
            return "local"
        return sync.call_state(call_id)

    @functools.cached_property
    def camera_health(self) -> CameraHealth:
        """What the screens saw of the camera, for the heartbeat (made on first use: `kiosk apply` has none)."""
        from kiosk.camera.health import CameraHealth

        return CameraHealth()

    def open_camera(self, url: str | None = None) -> Any:
        """A frame source (kiosk.devices); the configured camera's opening and frames are recorded for the
        heartbeat (kiosk.camera.health), another address the panel tries is not."""
        devices = self.devices
        if url is None or url == devices.camera_url:
            return self.camera_health.track(devices.camera_url, lambda: devices.open_camera())
        return devices.open_camera(url)

    def device_status(self) -> dict[str, Any]:
        """What the heartbeat reports: module states as this process knows them, and today's counts."""
        devices = self.devices
        modules = {
            "reader": "ok",
            "printer": self._printer_state["printer"],
            "paper": self._printer_state["paper"] if not devices.printer_simulated or self.sim_printer is None
            else ("out" if getattr(self.sim_printer, "paper_out", False) else "ok"),
            "camera": self.camera_health.state(devices.camera_url),
        }
        from kiosk.sync.status import today_counts

        return {"modules": modules, "counts": today_counts(self.store, self.today())}

    # -- parts ---------------------------------------------------------------------------------------

    @property
    def hall(self) -> HallSettings:
        return self.config.hall

    def add_capture_listener(self, listener: Callable[[CapturedJob], None]) -> None:
        """Also call `listener` for every slip the sim:// printer printed (on the printer's thread). A bound
        method is held weakly (kiosk.listeners): it goes with its object."""
        self._capture_listeners.add(listener)

    def remove_capture_listener(self, listener: Callable[[CapturedJob], None]) -> None:
        self._capture_listeners.remove(listener)

    def _captured(self, job: CapturedJob) -> None:  # printer thread
        """Register the capture's files to the application printed (they show its holder's data)."""
        from kiosk.recovery import CAPTURE_KINDS, capture_owner

        captures = [path for path in (job.bin_path, job.png_path) if path is not None]
        if captures and self.on_stage is not None:
            self.on_stage("captured", captures[0])
        try:
            owner = capture_owner(self.store, job.data) if captures else None
            for path in captures if owner is not None else ():
                self.store.add_document(owner, CAPTURE_KINDS[path.suffix], path)
        except StoreError as exc:  # printing goes on; the next start or `kiosk doctor` registers them
            log.error("slip capture %s not registered: %s", captures[0], exc)
        self._capture_listeners.notify(job)

    # -- recovery after a crash ------------------------------------------------------------------------

    @property
    def layout(self) -> DataLayout:
        from kiosk.recovery import DataLayout

        return DataLayout(self.data_dir / DOCUMENTS_DIR, self.data_dir / PRINTED_DIR,
                          lambda number: documents_folder(self.data_dir, number))

    def _repair(self, up_to_id: int) -> None:  # the recovery thread
        try:
            from kiosk.recovery import repair_since_marks

            self.recovery_report = repair_since_marks(self.store, self.layout, up_to_id=up_to_id,
                                                      on_stage=self.on_stage)
        except Exception:  # a repair that fails must not stop the kiosk: doctor reports it again
            log.exception("repairing the documents at start failed; run `kiosk doctor`")

    def start_repair(self) -> None:
        """Start the repair of what a crash left (once; see `repair_at_start`). It covers the applications
        committed before this kiosk was built, whenever it starts. Its cost grows with the data dir's
        documents, and while it runs it shares the interpreter with the caller's thread."""
        if self._recovery.ident is None:
            self._recovery.start()

    def recovered(self, timeout: float | None = None) -> RepairReport | None:
        """Wait for the repair started with the kiosk; its report (None when it failed or is still running)."""
        self.start_repair()
        self._recovery.join(timeout)
        return self.recovery_report

    def add_print_listener(self, listener: Callable[[JobEvent], None]) -> None:
        """Also call `listener` for every print-job change (on the queue's worker threads). A bound method
        is held weakly (kiosk.listeners): an `EffectRunner` dropped by its caller stops listening."""
        self._print_listeners.add(listener)

    def remove_print_listener(self, listener: Callable[[JobEvent], None]) -> None:
        self._print_listeners.remove(listener)

    def _print_event(self, event: JobEvent) -> None:
        status = event.status
        if status is not None:  # the heartbeat reports what the printer last said
            self._printer_state["printer"] = "fault" if status.fault or status.error else "ok"
            self._printer_state["paper"] = ("out" if status.paper_out else "low" if status.paper_near_end
                                            else "ok")
        self._print_listeners.notify(event)

    def new_session(self, clock: Clock | None = None) -> ApplicantSession:
        """A fresh applicant session over the real form engine."""
        return ApplicantSession(self.directory, clock or self.clock, idle_settings(self.config))

    def open_reader(self, on_event: Callable[[Any], None] | None = None) -> CardReader:
        """The card reader of the configuration (started); `reader.simulator` is set for sim://."""
        return self.devices.open_reader(on_event=on_event).start()

    # -- the walk after the decision ----------------------------------------------------------------

    def save(self, draft: ApplicationDraft, printer: str | None = None, **options: Any) -> Issued:
        """Commit the application, its numbers, QR and print job in one transaction (the card photo never
        reaches storage). The PDFs come after, from `write_documents`. `on_paperwork=` is told the
        documents' kinds and context inside the transaction (kiosk.issuing.record_decision)."""
        draft = replace(draft, card=draft.card.without_photo())
        issued = record_decision(
            self.store, self.catalog[draft.service_id], draft, hall=self.hall, registry=self.registry,
            signing_key=self.signing_key, printer=printer or self.printer_url, now=self.now(), **options,
        )
        if self.on_stage is not None:
            self.on_stage("committed", documents_folder(self.data_dir, issued.issue.number))
        if draft.material_pages:
            self._attach_pages(issued, draft)
        return issued

    def _attach_pages(self, issued: Issued, draft: ApplicationDraft) -> None:
        """The photographed material pages as registered files (before the PDFs, which append them).
        The decision is committed already: a page that cannot be written is logged and audited, the
        application stands (staff ask for the paper, as for a promised material)."""
        from kiosk.material_pages import attach_pages
        from kiosk.paperfiles import DocumentWriteError

        try:
            attach_pages(self.store, issued.application_id, documents_folder(self.data_dir, issued.issue.number),
                         draft.material_pages, self.on_stage)
        except DocumentWriteError as exc:
            log.error("application %s: material pages not kept: %s", issued.application_id, exc)
            self.store.append_audit("material_pages.lost", issued.issue.number, {
                "pages": len(draft.material_pages), "reason": str(exc)[:200]})

    def write_documents(self, issued: Issued, folder: Path | None = None, **options: Any) -> list[Path]:
        """The application's PDFs (into its folder under the data dir unless `folder` is given), each
        registered before it is written; DocumentWriteError (an OSError) when one cannot be written.
        `renderer=` makes the PDFs (kiosk.issuing.write_documents)."""
        return write_documents(self.store, issued, folder or documents_folder(self.data_dir, issued.issue.number),
                               self.on_stage, **options)

    def start_printing(self, job_id: int) -> None:
        """Wake the queue worker for a job the save transaction queued."""
        self.queue.retry_now(self.queue.get(job_id).printer)
