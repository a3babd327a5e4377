"""Event bodies of the kiosk -> hall contract, built from what the kiosk records (pure).

`application_body` carries the full ID number (the hall masks it and audits a reveal); it lives only in
the outbox row until the hall holds it (kiosk.sync.outbox drops a sent body). Times are ISO 8601 with
the kiosk's UTC offset.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

#: The legal decision limit in working days unless the item promises fewer (行政许可法 art. 42).
LEGAL_TIME_LIMIT_DAYS = 20


def iso(moment: dt.datetime) -> str:
    """ISO 8601 with an offset (a naive kiosk time is the machine's local time)."""
    return (moment if moment.tzinfo else moment.astimezone()).isoformat(timespec="seconds")


def application_body(*, number: str, spec: Any, outcome: str, decided_at: dt.datetime, licence_no: str | None,
                     office: str, applicant_name: str, id_number: str, phone: str | None,
                     answers: Mapping[str, Any], findings: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    promised = getattr(spec, "processing_days", None)
    limit = getattr(spec, "time_limit_days", None) or LEGAL_TIME_LIMIT_DAYS
    return {
        "number": number,
        "service": spec.id,
        "service_title": spec.title,
        "outcome": outcome,
        "decided_at": iso(decided_at),
        "licence_number": licence_no,
        "document_name": spec.result_name or spec.title,
        "office": office,
        "promised_days": promised if outcome == "accepted" else None,
        "time_limit_days": min(limit, promised) if promised and outcome == "accepted" else limit,
        "applicant": {"name": applicant_name, "id_number": id_number, "phone": phone},
        "answers": dict(answers),
        "findings": [{"rule": f.get("rule"), "severity": str(f.get("severity")), "message": f.get("message"),
                      **({"field": f["field"]} if f.get("field") else {})} for f in findings],
        "documents": [],
        "material_pages": [],
    }


def rating_body(*, number: str | None, service: str | None, stars: int, reason: str) -> dict[str, Any]:
    return {"number": number, "service": service or "", "stars": int(stars), "reason": reason or ""}


def staff_call_body(*, call_id: str, screen: str, service: str | None, number: str | None,
                    location: str) -> dict[str, Any]:
    return {"call_id": call_id, "screen": screen, "service": service, "number": number, "location": location}
