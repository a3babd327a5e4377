"""Plain values read from the store: an application row and a document row."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class ApplicationRecord:
    """One row of `applications`. `answers` may hold the full ID number (it is application data);
    retention (`kiosk purge`) blanks it with the other personal fields once the row is old enough."""

    id: int
    service: str
    state: str
    decision: str | None
    answers: dict[str, Any] = field(repr=False)  # may hold the full ID number: kept out of repr()
    findings: list[dict[str, Any]] = field(repr=False)
    receipt_no: str | None
    licence_no: str | None
    applicant_name: str | None
    applicant_id_masked: str | None
    delivery: dict[str, Any] | None = field(repr=False)
    created_at: str
    updated_at: str
    decided_at: str | None
    purged_at: str | None

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> ApplicationRecord:
        return cls(
            id=row["id"], service=row["service"], state=row["state"], decision=row["decision"],
            answers=json.loads(row["answers"]), findings=json.loads(row["findings"]),
            receipt_no=row["receipt_no"], licence_no=row["licence_no"],
            applicant_name=row["applicant_name"], applicant_id_masked=row["applicant_id_masked"],
            delivery=json.loads(row["delivery"]) if row["delivery"] else None,
            created_at=row["created_at"], updated_at=row["updated_at"], decided_at=row["decided_at"],
            purged_at=row["purged_at"],
        )


@dataclass(frozen=True)
class DocumentRecord:
    """One row of `documents`: a file produced for an application, with its SHA-256."""

    id: int
    application_id: int
    kind: str
    path: str
    sha256: str
    created_at: str
