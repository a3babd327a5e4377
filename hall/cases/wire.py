"""The kiosk <-> hall wire contract (PLAN.md): validating what a kiosk posts. Pure; no database.

An event whose body does not fit is *rejected* (named in the reply's "rejected" with the reason; the kiosk
keeps it as dead and shows it in doctor); the batch itself is refused only when its envelope is wrong.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import uuid
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

KINDS = ("application", "rating", "staff_call", "step_stats")


class WireError(ValueError):
    """The request's envelope is not the contract's (400)."""


class _Open(BaseModel):
    model_config = ConfigDict(extra="allow")


def _aware(value: dt.datetime) -> dt.datetime:
    if value.tzinfo is None:
        raise ValueError("time without a UTC offset")
    return value


class Applicant(_Open):
    name: str = ""
    id_number: str = ""
    phone: str | None = None


class Document(_Open):
    name: str = Field(min_length=1, max_length=200)
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    pdf_b64: str


class Page(_Open):
    material: str = Field(max_length=200)
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    png_b64: str


class Finding(_Open):
    rule: str = ""
    severity: str = ""
    message: str = ""


class Application(_Open):
    number: str = Field(min_length=1, max_length=64)
    service: str = Field(min_length=1, max_length=100)
    service_title: str = ""
    outcome: Literal["approved", "accepted", "blocked"]
    decided_at: dt.datetime | None = None
    licence_number: str | None = None
    document_name: str = ""
    office: str = ""
    promised_days: int | None = None
    time_limit_days: int = 20
    applicant: Applicant = Applicant()
    answers: dict[str, Any] = {}
    findings: list[Finding] = []
    documents: list[Document] = []
    material_pages: list[Page] = []

    _aware_decided = field_validator("decided_at")(lambda v: v if v is None else _aware(v))


class RatingBody(_Open):
    number: str | None = None
    service: str = ""
    stars: int = Field(ge=1, le=5)
    reason: str = ""


class StaffCallBody(_Open):
    call_id: uuid.UUID
    screen: str = ""
    service: str | None = None
    number: str | None = None
    location: str = ""


class Step(_Open):
    step: str
    entered_at: dt.datetime | None = None
    seconds: float = 0.0


class StepStats(_Open):
    session_id: str = Field(min_length=1, max_length=64)
    service: str | None = None
    steps: list[Step] = []
    finished: bool = False
    abandoned_at: str | None = None


BODIES: dict[str, type[BaseModel]] = {
    "application": Application, "rating": RatingBody, "staff_call": StaffCallBody, "step_stats": StepStats,
}


class Incoming(BaseModel):
    """One event, checked: its id, kind, kiosk time and body model."""

    id: uuid.UUID
    kind: str
    at: dt.datetime
    body: Any

    _aware_at = field_validator("at")(_aware)


def envelope(data: Any, max_events: int) -> tuple[str, list[Any]]:
    """(kiosk_id, raw events) of an events request, or WireError. Over max_events -> OverflowError."""
    if not isinstance(data, dict) or not isinstance(data.get("kiosk_id"), str):
        raise WireError("the body must be a JSON object with kiosk_id and events")
    events = data.get("events")
    if not isinstance(events, list):
        raise WireError("events must be a list")
    if len(events) > max_events:
        raise OverflowError(f"{len(events)} events in one batch; at most {max_events}")
    return data["kiosk_id"], events


def check_event(raw: Any) -> tuple[Incoming | None, str | None, str]:
    """(event, None, id) when the event fits the contract, else (None, reason, id as given)."""
    given = str(raw.get("id", "")) if isinstance(raw, dict) else ""
    if not isinstance(raw, dict):
        return None, "event is not a JSON object", given
    try:
        event = Incoming.model_validate(raw)
    except ValidationError as e:
        return None, _reason(e), given
    if event.kind not in BODIES:
        return None, f"unknown kind {event.kind!r}", given
    try:
        event.body = BODIES[event.kind].model_validate(event.body)
    except ValidationError as e:
        return None, _reason(e), given
    if event.kind == "application":
        for item in (*event.body.documents, *event.body.material_pages):
            data = item.pdf_b64 if isinstance(item, Document) else item.png_b64
            try:
                content = base64.b64decode(data, validate=True)
            except (binascii.Error, ValueError):
                return None, f"{getattr(item, 'name', None) or item.material}: not base64", given
            if hashlib.sha256(content).hexdigest() != item.sha256:
                return None, f"{getattr(item, 'name', None) or item.material}: sha256 does not match", given
    return event, None, str(event.id)


def _reason(error: ValidationError) -> str:
    first = error.errors()[0]
    where = ".".join(str(p) for p in first.get("loc", ()))
    return f"{where}: {first.get('msg', 'invalid')}"[:300]


def heartbeat(data: Any) -> dict[str, Any]:
    """The heartbeat request, checked: kiosk_id, at, cursor (int >= 0); the rest kept as sent."""
    if not isinstance(data, dict) or not isinstance(data.get("kiosk_id"), str):
        raise WireError("the body must be a JSON object with kiosk_id")
    cursor = data.get("cursor", 0)
    if isinstance(cursor, bool) or not isinstance(cursor, int) or cursor < 0:
        raise WireError("cursor must be a non-negative integer")
    at = data.get("at")
    kiosk_time = None
    if isinstance(at, str):
        try:
            kiosk_time = dt.datetime.fromisoformat(at)
        except ValueError:
            kiosk_time = None
        if kiosk_time is not None and kiosk_time.tzinfo is None:
            kiosk_time = None
    return {**data, "cursor": cursor, "kiosk_time": kiosk_time}
