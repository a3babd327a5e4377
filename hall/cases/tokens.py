"""Bearer tokens of kiosks and staff: made here, stored only as their sha256, looked up by it.

A token is 32 random bytes (URL-safe base64): a sha256 of it is enough to store (no salt or slow hash is
needed for a random secret of that length, and a lookup by hash is a single index probe per request).
"""

from __future__ import annotations

import hashlib
import secrets

from django.http import HttpRequest
from django.utils import timezone

from hall.cases import sql
from hall.cases.models import Kiosk, StaffToken


def new_token() -> str:
    """A fresh bearer token (shown once; only its hash is stored)."""
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def bearer(request: HttpRequest) -> str | None:
    """The token of an `Authorization: Bearer TOKEN` header, or None."""
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


class Revoked(Exception):
    """The credential a kiosk request carried is no longer valid (found in the request's own transaction)."""


#: Token hash -> the kiosk it named when the database last said so, per worker process. Only a hint: every
#: request that acts checks it again inside its own transaction, in a statement it sends anyway (verify
#: below), so a revoked or replaced token is refused from the next request on, as without the cache.
_CLAIMED: dict[str, Kiosk] = {}
_CLAIMED_MAX = 10_000


def claimed_kiosk(request: HttpRequest) -> tuple[Kiosk, str] | None:
    """(kiosk, token hash) the request's bearer token names, or None when it names none. From this worker's
    memory when it has seen the token before (no database round trip), else looked up and remembered.
    Not yet proof: the caller checks it in its transaction (VERIFY) and calls forget() when that fails."""
    token = bearer(request)
    if token is None:
        return None
    digest = token_hash(token)
    kiosk = _CLAIMED.get(digest)
    if kiosk is None:
        kiosk = kiosk_for(request)
        if kiosk is None:
            return None
        if len(_CLAIMED) >= _CLAIMED_MAX:
            _CLAIMED.clear()
        _CLAIMED[digest] = kiosk
    return kiosk, digest


def forget(digest: str) -> None:
    """The token's kiosk is not to be trusted from memory any more (its check failed)."""
    _CLAIMED.pop(digest, None)


#: The check inside the request's transaction: the kiosk still holds this token. FOR KEY SHARE also makes a
#: revocation (an UPDATE of token_hash, a unique key) wait for the batch being stored, or the batch wait for
#: the revocation and then find no row.
VERIFY = "SELECT 1 FROM cases_kiosk WHERE id = %s AND token_hash = %s AND revoked_at IS NULL FOR KEY SHARE"


def kiosk_for(request: HttpRequest) -> Kiosk | None:
    """The enrolled, unrevoked kiosk whose token the request carries, or None.

    Asked of the database (one unique-index probe, a statement prepared once per connection). The kiosk API
    goes through claimed_kiosk, which remembers the answer per worker and has it confirmed inside each
    request's own transaction (VERIFY). The Kiosk carries only id, kiosk_id, name and location."""
    token = bearer(request)
    if token is None:
        return None
    with sql.cursor() as cur:
        sql.execute(cur, "SELECT id, kiosk_id, name, location FROM cases_kiosk "
                    "WHERE token_hash = %s AND revoked_at IS NULL", [token_hash(token)])
        row = cur.fetchone()
    if row is None:
        return None
    kiosk = Kiosk(id=row[0], kiosk_id=row[1], name=row[2], location=row[3])
    kiosk._state.adding, kiosk._state.db = False, "default"
    return kiosk


def staff_for(request: HttpRequest):
    """The active member of staff whose API token the request carries, or None."""
    token = bearer(request)
    if token is None:
        return None
    found = (StaffToken.objects.select_related("user")
             .filter(token_hash=token_hash(token), revoked_at__isnull=True, user__is_active=True).first())
    return found.user if found else None


def enrol(kiosk_id: str, *, name: str = "", location: str = "") -> str:
    """Enrol a kiosk (or re-enrol it: its old token stops working); the new token, shown once."""
    token = new_token()
    now = timezone.now()
    kiosk, created = Kiosk.objects.get_or_create(
        kiosk_id=kiosk_id,
        defaults={"name": name or kiosk_id, "location": location, "token_hash": token_hash(token), "enrolled_at": now},
    )
    if not created:
        kiosk.token_hash, kiosk.revoked_at, kiosk.enrolled_at = token_hash(token), None, now
        if name:
            kiosk.name = name
        if location:
            kiosk.location = location
        kiosk.save(update_fields=["token_hash", "revoked_at", "enrolled_at", "name", "location"])
    return token


def revoke(kiosk_id: str) -> bool:
    """Revoke a kiosk's credential (its posts are refused from now on); False if no such kiosk."""
    return bool(Kiosk.objects.filter(kiosk_id=kiosk_id).update(revoked_at=timezone.now(), token_hash=None))


def issue_staff_token(user) -> str:
    """A new API token for a member of staff (shown once)."""
    token = new_token()
    StaffToken.objects.create(user=user, token_hash=token_hash(token), created_at=timezone.now())
    return token
