"""Which businesses an application names: the credit codes (统一社会信用代码) among its answers, kept in
`application_codes` (migration 10) so 一码通行 (kiosk.onecode) finds this hall's permits of a business
by an index, not by a LIKE over every application's answers.

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
