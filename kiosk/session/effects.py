"""Effects: what the app must do after an event, returned in order by `ApplicantSession.handle`.

Each effect is a frozen dataclass. The app runs them in the order given: `SaveApplication` always
comes before `SubmitPrint` (and in an earlier `handle` call: printing starts only after
`ApplicationSaved` reports the numbers), `WipePersonalData` before the `ShowScreen` of the start.
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.session.state import ApplicationDraft, SessionState


@dataclass(frozen=True)
class Effect:
    """Base class of every session effect."""


@dataclass(frozen=True)
class ShowScreen(Effect):
    """Render `state` on `screen` (a `Step` value or `card_swap`); emitted whenever the view changed."""

    screen: str
    state: SessionState


@dataclass(frozen=True)
class Speak(Effect):
    """Read `text` aloud (elder mode only): each screen's instruction and every error."""

    text: str
    language: str


@dataclass(frozen=True)
class ReadCard(Effect):
    """Start (or keep) polling the ID-card reader; a card swap is noticed until submission."""


@dataclass(frozen=True)
class StopReading(Effect):
    """Stop polling the reader."""


@dataclass(frozen=True)
class StartIdleCountdown(Effect):
    """Show the large "还在吗？" countdown starting at `seconds`, with one big button to continue."""

    seconds: int


@dataclass(frozen=True)
class CountdownChanged(Effect):
    """The countdown's whole seconds left (emitted once per second while it shows)."""

    seconds_left: int


@dataclass(frozen=True)
class StopIdleCountdown(Effect):
    """Hide the countdown (the applicant touched the screen, or the session moved on)."""


@dataclass(frozen=True)
class SaveApplication(Effect):
    """Commit the application (numbers allocated in the same transaction), then send ApplicationSaved
    or SaveFailed. Nothing prints before this has been committed."""

    draft: ApplicationDraft


@dataclass(frozen=True)
class SubmitPrint(Effect):
    """Print the licence slip (approved) or the 受理回执 (accepted) of a saved application: its print
    job `job_id`, queued by the save (a retry of a failed job prints the job's latest copy)."""

    application_id: str
    receipt_no: str
    licence_no: str | None
    outcome: str
    attempt: int
    job_id: int | None = None


@dataclass(frozen=True)
class WatchPrint(Effect):
    """A printed slip is waiting for the printer (paper out, cover open): tell the session when it has
    printed (PrintFinished), so the failure screen goes away by itself. Ends when the visit does."""

    job_id: int | None


@dataclass(frozen=True)
class RecordRating(Effect):
    """Store the 好差评 for the application."""

    application_id: str | None
    service_id: str | None
    stars: int
    reason: str


@dataclass(frozen=True)
class CallStaff(Effect):
    """Alert staff (light, sound, message to the hall desk) from `screen`, with the number if any."""

    screen: str
    number: str | None


@dataclass(frozen=True)
class WipePersonalData(Effect):
    """Drop everything about the applicant held outside the session: PDFs and previews in memory,
    the signature image, camera captures, the reader's last card. The session's own state is
    already clean when this is emitted."""
