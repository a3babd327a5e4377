"""Issue and verify the signed QR text: "MB1:" + Base45(body + Ed25519 signature).

The signature (64 bytes, RFC 8032 Ed25519) covers the ASCII prefix "MB1:" followed by the body bytes
(`kiosk.credentials.claims`), so a body cannot be moved under another prefix. Verifying picks the
public key whose key id (first 4 bytes of SHA-256 of the raw public key) the body names.
The body is a single credential's (`kiosk.credentials.claims`, kinds 1 and 2) or a business's permits
(一码通行, `kiosk.credentials.business`, kind 3): the kind byte, second in the body, says which.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from kiosk.credentials.base45 import b45decode, b45encode
from kiosk.credentials.business import KIND_BUSINESS, BusinessClaims, pack_business, unpack_business
from kiosk.credentials.claims import Claims, pack_body, unpack_body
from kiosk.credentials.errors import MalformedCredential, SignatureInvalid

PREFIX = "MB1:"
SIGNATURE_SIZE = 64


def key_id(public_key: Ed25519PublicKey) -> bytes:
    """First 4 bytes of SHA-256 of the raw 32-byte public key."""
    raw = public_key.public_bytes_raw()  # = public_bytes(Encoding.Raw, PublicFormat.Raw), no serialization import
    return hashlib.sha256(raw).digest()[:4]


def issue_credential(claims: Claims | BusinessClaims, private_key: Ed25519PrivateKey) -> str:
    """The QR text for these claims, signed with `private_key`."""
    kid = key_id(private_key.public_key())
    body = pack_business(claims, kid) if isinstance(claims, BusinessClaims) else pack_body(claims, kid)
    signature = private_key.sign(PREFIX.encode() + body)
    return PREFIX + b45encode(body + signature)


def split_credential(text: str) -> tuple[Claims | BusinessClaims, bytes, bytes, bytes]:
    """Parse without verifying: (claims, key id, signed bytes, signature). Raises MalformedCredential."""
    text = text.strip()
    if not text.startswith(PREFIX):
        raise MalformedCredential(f"not a 秒办 credential: the text does not start with {PREFIX!r}")
    raw = b45decode(text[len(PREFIX):])
    if len(raw) <= SIGNATURE_SIZE:
        raise MalformedCredential(f"too short: {len(raw)} bytes after Base45 decoding")
    body, signature = raw[:-SIGNATURE_SIZE], raw[-SIGNATURE_SIZE:]
    claims, kid = unpack_business(body) if body[1:2] == bytes([KIND_BUSINESS]) else unpack_body(body)
    return claims, kid, PREFIX.encode() + body, signature


def verify_credential(text: str, public_keys: Iterable[Ed25519PublicKey]) -> Claims | BusinessClaims:
    """The claims when the signature holds under one of `public_keys`.

    Raises MalformedCredential (not this format) or SignatureInvalid (tampered, or an unknown key).
    """
    claims, kid, signed, signature = split_credential(text)
    candidates = [key for key in public_keys if key_id(key) == kid]
    if not candidates:
        raise SignatureInvalid(f"signed by an unknown key (key id {kid.hex()}); "
                               "verify with the issuing kiosk's public key")
    for key in candidates:
        try:
            key.verify(signature, signed)
        except InvalidSignature:
            continue
        return claims
    raise SignatureInvalid("the signature does not match the content: the code was altered or forged")
