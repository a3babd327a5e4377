"""Which businesses an application names: the credit codes (统一社会信用代码) among its answers, kept in
`application_codes` (migration 10) so 一码通行 (kiosk.onecode) finds this hall's permits of a business
by an index, not by a LIKE over every application's answers; and the permit its paperwork vouches for,
kept in `application_permits` (migration 11) so 一码通行 does not parse every earlier application's
paperwork and decode its signed QR each time it builds a business's code (it did: 0.1 ms per earlier
application of the business, on every application).

A code is an answer that is a valid credit code (GB 32100 checksum) once stripped and is not a valid
ID number: an 18-digit ID number passes the credit code's checksum one time in 31, and a person's ID
number must not be copied here (it stays in the answers, which the retention purge blanks). kiosk.onecode
still compares each answer with the code it looks for.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
from typing import Any

from forms.checksums import is_valid_id18, is_valid_uscc
from kiosk.credentials import CredentialError, split_credential


def is_credit_code(text: str) -> bool:
    return len(text) == 18 and is_valid_uscc(text) and not is_valid_id18(text)


def credit_codes(answers: Mapping[str, Any] | str | None) -> set[str]:
    """The credit codes among one application's answers (a mapping, or the stored JSON)."""
    if isinstance(answers, str):
        try:
            answers = json.loads(answers or "{}")
        except ValueError:
            return set()
    if not isinstance(answers, Mapping):
        return set()
    return {value.strip() for value in answers.values()
            if isinstance(value, str) and is_credit_code(value.strip())}


def index_codes(conn: sqlite3.Connection, application_id: int, answers: Mapping[str, Any] | str | None) -> None:
    """Make `application_codes` hold exactly the codes of these answers (in the caller's transaction)."""
    conn.execute("DELETE FROM application_codes WHERE application_id = ?", (application_id,))
    conn.executemany("INSERT INTO application_codes (uscc, application_id) VALUES (?, ?)",
                     [(code, application_id) for code in sorted(credit_codes(answers))])


def paperwork_permit(context_json: str | None) -> tuple[str, str, str | None] | None:
    """(item, office, valid until as ISO text or None) of the permit an application's stored paperwork
    vouches for: office and validity from its signed QR, the item (document name) from the document
    (`licence.title`, else the item's title, else the QR's service). None when unreadable."""
    try:
        context = json.loads(context_json or "")["context"]
        claims = split_credential(context["qr_text"])[0]
        licence = context.get("licence") or {}
        item = licence.get("title") or context.get("service_title") or claims.service
    except (ValueError, KeyError, TypeError, AttributeError, CredentialError):
        return None
    expires = getattr(claims, "expires", None)
    return str(item), str(claims.office), expires.isoformat() if expires else None


def index_permit(conn: sqlite3.Connection, application_id: int, context_json: str | None) -> None:
    """Make `application_permits` hold the permit of this paperwork, or none (in the caller's transaction)."""
    conn.execute("DELETE FROM application_permits WHERE application_id = ?", (application_id,))
    permit = paperwork_permit(context_json)
    if permit is not None:
        conn.execute("INSERT INTO application_permits (application_id, item, office, valid_to) VALUES (?, ?, ?, ?)",
                     (application_id, *permit))
