"""一码通行: every current permit of one business (统一社会信用代码) as the claims of one signed code.

    permits = business_permits(registry, store, uscc)                  # registry + what this hall issued
    claims = business_claims(registry, store, uscc, today=..., kiosk_id=...)   # None: nothing known
    text = issue_credential(claims, signing_key)                       # "MB1:..." kind 3
    text = printable_code(claims, signing_key)                         # None: too big to print reliably
    shown = business_view(claims, today, "en")                         # a scanned code on 扫码查询

Sources, Qt-free and read-only:
- the registry (`forms.registry.Registry`): for each licence kind, the newest licence of the business
  (`licences_for` is newest first), kept even when it has expired — a verifier must see a lapsed permit;
- this hall's store: each approved application with a licence (or filing) number whose answers hold the
  credit code (an 18-character checksummed code: an answer equal to it names this business). Its
  validity and office come from the signed QR stored with its paperwork (`paperwork.context`), its name
  from the document (`licence.title`, else the item's title); both read once, when the paperwork is
  stored (`application_permits`, kiosk.store.business_codes). Purged applications are left out.
A hall application whose answers name a registry licence's number (延续, 变更, 注销 of that licence)
supersedes it: the registry licence is dropped, and the application's own licence listed if it issued one.
One permit per item (document name): the latest, the hall's over the registry's.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from forms.registry import Registry
from kiosk.credentials import BusinessClaims, Permit, issue_credential, make_qr
from kiosk.credentials.qr import MAX_BUSINESS_VERSION
from kiosk.session.slip_words import slip_words
from kiosk.store import Store
from printers.layouts import business_code_slip
from printers.model import Receipt

#: Registry licence kinds as a verifier reads them.
LICENCE_ITEMS = {"public-place-health": "公共场所卫生许可证", "food-business": "食品经营许可证"}

#: The newest permit of each item this hall issued to a business, oldest item first: by the index of
#: migration 10 (application_codes) and the permits of migration 11 (application_permits), so nothing
#: is parsed per earlier application (SQLite's MAX() picks the bare columns of the newest row).
_ISSUED = ("SELECT p.item, a.licence_no, p.office, p.valid_to, MAX(c.application_id) AS newest "
           "FROM application_codes c JOIN applications a ON a.id = c.application_id "
           "JOIN application_permits p ON p.application_id = c.application_id "
           "WHERE c.uscc = ? AND a.decision = 'approved' AND a.purged_at IS NULL AND a.licence_no != '' "
           "GROUP BY p.item ORDER BY newest")
#: This hall's approved applications naming the business whose answers may hold a number (a substring
#: match on the stored JSON, either escaping; `_names` then compares whole answers).
_NAMING = ("SELECT a.answers FROM application_codes c JOIN applications a ON a.id = c.application_id "
           "WHERE c.uscc = ? AND a.decision = 'approved' AND a.purged_at IS NULL "
           "AND (instr(a.answers, ?) > 0 OR instr(a.answers, ?) > 0)")


def _answer_values(answers_json: str) -> set[str]:
    try:
        answers = json.loads(answers_json or "{}")
    except ValueError:
        return set()
    if not isinstance(answers, dict):
        return set()
    return {value.strip() for value in answers.values() if isinstance(value, str)}


def hall_permits(store: Store, uscc: str) -> list[Permit]:
    """The permits this hall issued to `uscc` (approved applications naming it with a licence or filing
    number), the newest of each item, ordered by when that newest was issued."""
    return [Permit(item=row["item"], number=row["licence_no"], office=row["office"],
                   valid_to=dt.date.fromisoformat(row["valid_to"]) if row["valid_to"] else None)
            for row in store.select(_ISSUED, (uscc,))]


def named_here(store: Store, uscc: str, number: str) -> bool:
    """Whether an approved application of this hall naming `uscc` has an answer equal to `number`
    (延续, 变更, 注销 of that licence)."""
    escaped = (json.dumps(number, ensure_ascii=False)[1:-1], json.dumps(number)[1:-1])
    return any(number in _answer_values(row["answers"]) for row in store.select(_NAMING, (uscc, *escaped)))


def business_permits(registry: Registry | None, store: Store | None, uscc: str) -> list[Permit]:
    """Every current permit of the business: registry licences (newest per kind) not superseded by this
    hall, then the permits this hall issued (a later one of the same item replaces an earlier one)."""
    permits: list[Permit] = []
    kinds: set[str] = set()
    for licence in registry.licences_for(uscc) if registry is not None else []:
        if licence.kind in kinds:
            continue  # an older licence of a kind already listed
        kinds.add(licence.kind)
        if store is not None and named_here(store, uscc, licence.number):
            continue  # renewed, changed or cancelled here
        permits.append(Permit(LICENCE_ITEMS.get(licence.kind, licence.kind), licence.number,
                              licence.office or "", licence.valid_to))
    return _latest_by_item([*permits, *(hall_permits(store, uscc) if store is not None else [])])


def _latest_by_item(permits: Iterable[Permit]) -> list[Permit]:
    """One permit per item, the last given (the hall's after the registry's, later after earlier): a
    business holds one 公共场所卫生许可证; a second 新办 of it replaces the first."""
    latest: dict[str, Permit] = {}
    for permit in permits:
        latest.pop(permit.item, None)
        latest[permit.item] = permit
    return list(latest.values())


def business_claims(registry: Registry | None, store: Store | None, uscc: str, *, today: dt.date,
                    kiosk_id: str) -> BusinessClaims | None:
    """The claims of the business's 一码通行 code, or None when neither source knows the business."""
    business = registry.business(uscc) if registry is not None else None
    permits = business_permits(registry, store, uscc)
    if business is None and not permits:
        return None
    return BusinessClaims(uscc=uscc, name=business.name if business else "", issued=today,
                          kiosk_id=kiosk_id, permits=tuple(permits))


def printable_code(claims: BusinessClaims, signing_key: Ed25519PrivateKey) -> str | None:
    """The signed code when its QR is within MAX_BUSINESS_VERSION (what a slip prints and a phone reads
    reliably), else None: a business with too many permits gets none rather than an unreadable one."""
    text = issue_credential(claims, signing_key)
    return text if make_qr(text).version <= MAX_BUSINESS_VERSION else None


def business_view(claims: BusinessClaims, today: dt.date, language: str = "zh") -> dict[str, object]:
    """A scanned 一码通行 code as the 扫码查询 page shows it: the business and each permit the signed code
    vouches for (item, number, office, valid until: ISO date or 长期), one that has expired marked."""
    long_term = slip_words(language)["long_term"]
    return {"name": claims.name, "uscc": claims.uscc, "issued": claims.issued.isoformat(),
            "permits": [{"item": p.item, "number": p.number, "office": p.office,
                         "valid_to": p.valid_to.isoformat() if p.valid_to else long_term,
                         "expired": p.expired_on(today)} for p in claims.permits]}


def onecode_slip(claims: BusinessClaims, text: str, *, hall_name: str, printed_at: dt.datetime,
                 language: str = "zh") -> Receipt:
    """The slip printed on request at 扫码查询: the business, its permits (expired ones marked), the code;
    its own words in the session's language (kiosk.session.slip_words)."""
    return business_code_slip(uscc=claims.uscc, business_name=claims.name, qr_text=text, hall_name=hall_name,
                              kiosk_id=claims.kiosk_id, printed_at=printed_at, words=slip_words(language),
                              permits=[(p.item, p.number, p.office, p.valid_to) for p in claims.permits])
