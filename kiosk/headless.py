"""One application without a screen: `kiosk apply` drives the same session core as the touchscreen.

The walk sends the events an applicant's touches would send (service, card, answers, next, materials,
commitment, delivery, confirm) and runs the session's effects the way the UI's workers do: a
`SaveApplication` commits the application through `Kiosk.save`, a `SubmitPrint` wakes the print queue
and waits for the job to end. Nothing here knows Qt.

Once the decision is committed the result is always returned with its numbers: a fault in printing,
in writing the PDFs or the slip files is named in `problems` (the application stays saved; its PDFs
can be made again with `kiosk documents NUMBER`), never raised.
"""

from __future__ import annotations

import contextlib
import io
import logging
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from forms import engine
from forms.answers import Answers
from forms.documents.errors import DocumentError
from forms.errors import SpecError
from forms.spec import ServiceSpec
from idreader import IdCard
from kiosk import heap
from kiosk.app import Kiosk
from kiosk.config import PRINT_WAIT_SECONDS
from kiosk.effect_runner import EffectRunner
from kiosk.issuing import Issued
from kiosk.paperfiles import write_registered
from kiosk.session import (
    AnswersChanged,
    ApplicationSaved,
    CallStaff,
    CardRead,
    CommitmentConfirmed,
    Confirmed,
    DeliveryChosen,
    Event,
    MaterialsConfirmed,
    Next,
    ServiceChosen,
    WatchPrint,
)
from kiosk.store import StoreError
from printers.emulator import PNG_COMPRESS_LEVEL

if TYPE_CHECKING:
    from forms.render_worker import RenderWorker

log = logging.getLogger(__name__)


@dataclass
class ApplyResult:
    """The `kiosk apply --json` object (contract, DESIGN.md)."""

    service: str
    decision: str
    findings: list[dict[str, str]]
    receipt_no: str | None = None
    licence_no: str | None = None
    documents: list[str] = field(default_factory=list)
    qr: str | None = None
    print: dict[str, Any] = field(default_factory=lambda: {"status": "none", "job_id": None, "bytes": 0})
    problems: list[str] = field(default_factory=list)  # what is incomplete after the commit

    @property
    def committed(self) -> bool:
        return self.receipt_no is not None

    def to_dict(self) -> dict[str, Any]:
        return {
            "service": self.service, "decision": self.decision, "findings": self.findings,
            "receipt_no": self.receipt_no, "licence_no": self.licence_no, "documents": self.documents,
            "qr": self.qr, "print": self.print, "problems": self.problems,
        }

HEADLESS_SKIPS = (WatchPrint, CallStaff)
"""Effects for a person at the screen: `kiosk apply` reports a waiting slip as a problem instead."""


class SaveError(RuntimeError):
    """The application could not be saved (the database refused it): nothing was submitted."""


class HeadlessApplicant:
    """Plays one applicant's visit against a built `Kiosk`."""

    def __init__(self, kiosk: Kiosk, *, print_wait: float = PRINT_WAIT_SECONDS, pdfs: bool = True,
                 printer: str | None = None, renderer: RenderWorker | None = None) -> None:
        """`pdfs=False` skips the PDFs (they can be made again from the stored application at any time).
        `renderer` (forms.render_worker, started by `kiosk apply`) renders them in a child process from
        the moment the application is committed, while the slip prints; without it they are rendered here."""
        self.kiosk = kiosk
        self.pdfs = pdfs
        self.renderer = renderer if pdfs else None
        self.runner = EffectRunner(kiosk, print_timeout=print_wait, printer=printer,
                                   on_paperwork=self._paperwork_ready if self.renderer is not None else None)
        self.session = kiosk.new_session()  # idle timeouts act only on Tick events, which a script never sends
        self._out_dir: Path | None = None
        self._writer: _DocumentsWriter | None = None

    def close(self) -> None:
        """The visit is over: the runner stops listening and forgets it (also when the object is dropped:
        the kiosk holds the runner's listener weakly), and the C heap's free pages go back to the system
        (kiosk.heap.trim, as the touchscreen does after each visit: a core playing thousands of
        applications on one Kiosk otherwise kept the free pages its PDFs and batches left between live
        blocks; about 1 ms)."""
        self.runner.close()
        heap.trim()

    def __enter__(self) -> HeadlessApplicant:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def apply(self, service_id: str, card: IdCard, answers: Mapping[str, Any],
              out_dir: Path | None = None) -> ApplyResult:
        self._out_dir, self._writer = out_dir, None
        try:
            return self._apply(service_id, card, answers, out_dir)
        finally:
            if self._writer is not None:  # never a thread still writing once the visit is over
                self._writer.join()

    def _apply(self, service_id: str, card: IdCard, answers: Mapping[str, Any],
               out_dir: Path | None) -> ApplyResult:
        self._send(ServiceChosen(service_id))
        self._send(CardRead(card))
        state = self.session.state
        if state.step == "card":  # the card itself was refused (expired): the form never opens
            return self._card_refused(service_id, card, answers)
        self._send(AnswersChanged(tuple(answers.items())))
        self._send(Next())
        if self.session.state.step == "prereview":
            self._send(Next())
        if self.session.state.step == "materials":
            promised = promisable(self.kiosk.catalog[service_id], self.session.state.materials)
            self._send(MaterialsConfirmed(promised))
            self._send(CommitmentConfirmed("agree"))
            self._send(Next())
        state = self.session.state
        findings = [_finding(f) for f in state.findings]
        if state.step != "result":
            return ApplyResult(service_id, "blocked", findings)
        if state.outcome == "accepted":
            self._send(DeliveryChosen("pickup"))
        problems: list[str] = []
        try:
            self._send(Confirmed())
        except Exception as exc:  # after the commit (printing): the number must still be reported
            if self._committed() is None:
                raise
            log.exception("printing failed after the application was saved")
            problems.append(f"print: {exc}")
        issued = self._committed()
        if issued is None:
            notice = self.session.state.notice
            raise SaveError(notice.what_happened if notice else f"not saved (step {self.session.state.step})")
        number = issued.issue.number
        slip_problems: list[str] = []
        if out_dir is not None:  # first: the PDFs' child process may still be rendering meanwhile
            try:
                self._write_slip(issued, out_dir)
            except (OSError, StoreError, ValueError) as exc:
                slip_problems.append(f"receipt.bin/receipt.png: {exc}")
        documents: list[Path] = []
        if self.pdfs:
            try:
                if self._writer is not None and self._writer.issued.application_id == issued.application_id:
                    documents = self._writer.result()
                else:
                    options = {"renderer": self.renderer.files} if self.renderer is not None else {}
                    documents = self.kiosk.write_documents(issued, out_dir, **options)
            except (OSError, DocumentError, StoreError) as exc:
                problems.append(f"documents: {exc} (the application is saved; `kiosk documents {number} "
                                f"--out DIR` writes its PDFs)")
        problems.extend(slip_problems)
        printed = self._print_status(issued)
        if printed["status"] != "printed" and not any(p.startswith("print:") for p in problems):
            what = f"job {printed['job_id']} is {printed['status']}" if printed["job_id"] else "not sent"
            problems.append(f"print: {what}" + (f" ({printed['error']})" if printed.get("error") else ""))
        return ApplyResult(
            service_id, issued.issue.draft.outcome, findings, issued.issue.receipt_no,
            issued.issue.licence_no, [str(p) for p in documents], issued.issue.qr_text, printed, problems,
        )

    def _committed(self) -> Issued | None:
        saved = self.session.state.saved
        return self.runner.issued(saved.application_id) if saved is not None else None

    # -- effects ---------------------------------------------------------------------------------

    def _send(self, event: Event) -> None:
        pending = [event]
        while pending:
            for effect in self.session.handle(pending.pop(0)):
                if isinstance(effect, HEADLESS_SKIPS):  # no one at a screen: a waiting slip is a problem
                    continue                             # line (exit 3), not a staff call or a watch
                events = self.runner.execute(effect)
                if self.renderer is not None:
                    self._submit_documents(events)
                pending.extend(events)

    def _paperwork_ready(self, kinds: tuple[str, ...], context: Any) -> None:
        """The decision's transaction has the documents' context: the child process starts rendering now,
        while this one makes the business code, the hall's event and the slip and commits (its PDFs are
        written only once the commit is done, `write_documents`; a rollback leaves them unused)."""
        try:
            if self.renderer is not None:
                self.renderer.submit(kinds, context)
        except Exception:  # never a reason to lose the decision: the PDFs are then rendered here
            log.exception("the PDF renderer process was not handed the documents")
        self.kiosk.start_repair()  # if deferred (kiosk apply): now, beside the rendering and the commit

    def _submit_documents(self, events: list[Event]) -> None:
        """Committed: the child process renders the PDFs while the slip prints, and a thread writes them as
        they come (their files' fsyncs and the child's answer are waits: they overlap the printing, which
        this thread waits for next)."""
        for event in events:
            if isinstance(event, ApplicationSaved):
                issued = self.runner.issued(event.application_id)
                if issued is not None and issued.context is not None and self.renderer is not None:
                    self.renderer.submit(issued.kinds, issued.context)
                    if self.pdfs and self._writer is None:
                        self._writer = _DocumentsWriter(self.kiosk, issued, self._out_dir, self.renderer)

    def _print_status(self, issued: Issued) -> dict[str, Any]:
        """The `print` object of the result: printed, or pending / failed / uncertain with the reason."""
        job = self.runner.last_job
        if job is None:
            return {"status": "none", "job_id": None, "bytes": 0}
        status = {"done": "printed", "failed": "failed", "uncertain": "uncertain"}.get(job.state, "pending")
        result: dict[str, Any] = {"status": status, "job_id": job.id, "bytes": issued.print_bytes}
        if job.state != "done" and job.last_error:
            result["error"] = job.last_error
        return result

    def _write_slip(self, issued: Issued, out_dir: Path) -> None:
        """receipt.bin (the ESC/POS bytes that went to the printer) and receipt.png (what they print),
        registered to the application like its PDFs (they show the holder's data)."""
        payload = self.kiosk.queue.payload(issued.print_job_id)
        width = self.kiosk.sim_printer.width_dots if self.kiosk.sim_printer else 576
        png = self._printed_png(payload, width)
        if png is None:
            preview = io.BytesIO()
            interpret(payload, width).save(preview, format="PNG", compress_level=PNG_COMPRESS_LEVEL)
            png = preview.getvalue()
        files = [("slip_bin", "receipt.bin", payload), ("slip_png", "receipt.png", png)]
        write_registered(self.kiosk.store, issued.application_id, out_dir, files, self.kiosk.on_stage)

    def _printed_png(self, payload: bytes, width: int) -> bytes | None:
        """The PNG the simulated printer already rendered of exactly these bytes at this width (the same
        interpreter and encoder: the same file), so the slip is not interpreted twice; None otherwise."""
        printer = self.kiosk.sim_printer
        if printer is None:
            return None
        for job in reversed(list(printer.jobs)):  # a job is listed only once its files are written
            if job.data == payload and job.width_dots == width and job.png_path is not None:
                try:
                    return job.png_path.read_bytes()
                except OSError:
                    return None
        return None

    def _card_refused(self, service_id: str, card: IdCard, answers: Mapping[str, Any]) -> ApplyResult:
        """A card refused at the card step (expired, or excluded by the item's rules from its own data, as a
        minor): report the item's own review findings (PP-CARD-VALID, PP-ADULT and the rest)."""
        rules = self.kiosk.directory.rules_for(service_id)
        today = self.kiosk.today()
        prefilled = rules.prefill(card, today)
        given = Answers(prefilled)
        with contextlib.suppress(SpecError):  # an answer the form refuses: review the prefilled form
            given = engine.apply_answers(rules.spec, given, answers, rules.context(card, today))
        findings = [_finding(f) for f in rules.review(card, given, today)]
        notice = self.session.state.notice
        if not any(f["severity"] == "block" for f in findings) and notice is not None:
            findings.append({"rule": notice.code, "field": "", "severity": "block",
                             "message": f"{notice.what_happened}{notice.what_to_do}"})
        return ApplyResult(service_id, "blocked", findings)


class _DocumentsWriter:
    """`Kiosk.write_documents` of one committed application on its own thread; `result()` joins it and
    returns its paths or raises what it raised."""

    def __init__(self, kiosk: Kiosk, issued: Issued, out_dir: Path | None, renderer: RenderWorker) -> None:
        self.issued = issued
        self._paths: list[Path] = []
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._write, args=(kiosk, out_dir, renderer.files),
                                        name="kiosk-apply-documents")
        self._thread.start()

    def _write(self, kiosk: Kiosk, out_dir: Path | None, renderer: Any) -> None:
        try:
            self._paths = kiosk.write_documents(self.issued, out_dir, renderer=renderer)
        except BaseException as exc:  # handed to the caller's thread by result()
            self._error = exc

    def join(self) -> None:
        self._thread.join()

    def result(self) -> list[Path]:
        self.join()
        if self._error is not None:
            raise self._error
        return self._paths


def interpret(payload: bytes, width: int) -> Any:
    """The slip's image from its ESC/POS bytes (printers.escpos_interpreter, imported here: it loads Pillow,
    which `kiosk apply` needs only after its PDFs' context is handed to the child process)."""
    from printers.escpos_interpreter import interpret as interpret_escpos

    return interpret_escpos(payload, width)


def promisable(spec: ServiceSpec, names: tuple[str, ...]) -> tuple[str, ...]:
    """The materials a script can promise under 告知承诺 (it has no camera to photograph the rest)."""
    how = {m.name: m.how for m in spec.materials}
    return tuple(name for name in names if how.get(name) in ("promise", "camera_or_promise"))


def _finding(finding: Any) -> dict[str, str]:
    return {"rule": finding.rule, "field": finding.field, "severity": finding.severity, "message": finding.message}
