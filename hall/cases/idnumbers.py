"""Full ID numbers at rest: encrypted (AES-256-GCM), a keyed hash (HMAC-SHA256) to find a case by number,
and the masked form screens show. Pure functions of the key (settings.HALL_ID_KEY, from the data dir's
`id_key` file: hall.datadir.id_key); no database.

A sealed number is VERSION + 12-byte random nonce + ciphertext with its tag, bound to the case's number
(associated data): a sealed value copied onto another case does not open. The hash is keyed, so a leaked
table cannot be searched by hashing every possible number (there are few enough birth dates and serials
for that). Without the key file the numbers cannot be revealed: back it up apart from the database.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from functools import cache

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

#: First byte of a sealed value: which key layout sealed it (one so far).
VERSION = b"\x01"
#: The key file holds 64 random bytes: the AES-256 key, then the HMAC key.
KEY_BYTES = 64


def mask(number: str) -> str:
    """The number with all but its first 3 and last 4 characters hidden ("" stays "")."""
    return number[:3] + "*" * (len(number) - 7) + number[-4:] if len(number) > 7 else "*" * len(number)


def normalise(number: str) -> str:
    """The form a number is hashed in: no spaces, the check letter upper case."""
    return "".join(number.split()).upper()


@cache
def _keys(key: bytes) -> tuple[AESGCM, bytes]:
    if len(key) != KEY_BYTES:
        raise ValueError(f"the ID number key must be {KEY_BYTES} bytes, not {len(key)}")
    return AESGCM(key[:32]), key[32:]


def _key() -> bytes:
    from django.conf import settings

    return settings.HALL_ID_KEY


def seal(number: str, case_number: str, *, key: bytes | None = None) -> bytes | None:
    """The ID number encrypted for the case `case_number`; None for no number."""
    if not number:
        return None
    aead, _ = _keys(key or _key())
    nonce = os.urandom(12)
    return VERSION + nonce + aead.encrypt(nonce, number.encode("utf-8"), case_number.encode("utf-8"))


def open_sealed(sealed: bytes | memoryview | None, case_number: str, *, key: bytes | None = None) -> str:
    """The ID number `seal` made for `case_number` ("" for None); InvalidTag if it was not sealed for this
    case or with this key."""
    if sealed is None:
        return ""
    sealed = bytes(sealed)
    if sealed[:1] != VERSION:
        raise ValueError(f"unknown sealed ID number version {sealed[:1]!r}")
    aead, _ = _keys(key or _key())
    return aead.decrypt(sealed[1:13], sealed[13:], case_number.encode("utf-8")).decode("utf-8")


def lookup_hash(number: str, *, key: bytes | None = None) -> str:
    """HMAC-SHA256 (hex) of the normalised number: equal numbers, equal hashes; "" for no number."""
    if not number:
        return ""
    _, mac_key = _keys(key or _key())
    return hmac.new(mac_key, normalise(number).encode("utf-8"), hashlib.sha256).hexdigest()


def protect(number: str, case_number: str, *, key: bytes | None = None) -> tuple[bytes | None, str, str]:
    """(sealed, lookup hash, masked) of an applicant's number: what a case row keeps instead of it."""
    return seal(number, case_number, key=key), lookup_hash(number, key=key), mask(number)


# -- ID numbers among the applicant's answers (legal representative, employee, the other parent ...) ---------

def _answers_ad(case_number: str) -> str:
    """The associated data the answers' sealed map is bound to: the case and what it holds (a case's applicant
    number sealed with `seal` does not open as its answers, nor the other way round)."""
    return f"{case_number}#answers"


def protect_answers(answers: dict, keys: list[str], case_number: str, *,
                    key: bytes | None = None) -> tuple[dict, bytes | None, dict[str, str]]:
    """(answers with the `keys`' values masked, the sealed {key: full value} map or None, {key: the value's
    lookup hash}): the answers as a case row keeps them. One AES-GCM seal per case however many ID answers."""
    plain = {k: answers[k] for k in keys if isinstance(answers.get(k), str) and answers[k]}
    if not plain:
        return answers, None, {}
    masked = {k: mask(v) if k in plain else v for k, v in answers.items()}
    sealed = seal(json.dumps(plain, ensure_ascii=False), _answers_ad(case_number), key=key)
    return masked, sealed, {k: lookup_hash(v, key=key) for k, v in plain.items()}


def open_answers(sealed: bytes | memoryview | None, case_number: str, *, key: bytes | None = None) -> dict[str, str]:
    """The {answer key: full ID number} map protect_answers sealed for `case_number` ({} for None)."""
    if sealed is None:
        return {}
    return json.loads(open_sealed(sealed, _answers_ad(case_number), key=key))


def mask_answers(answers: dict, keys: list[str]) -> dict:
    """The answers with the `keys`' values masked (what the raw event body keeps)."""
    return {k: mask(v) if k in keys and isinstance(v, str) else v for k, v in answers.items()}
