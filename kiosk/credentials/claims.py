"""What a signed QR says (`Claims`) and its compact binary form, pure (docs/qr-format.md, byte by byte).

Body layout (all integers big-endian):

    offset  size  field
    0       1     format version, 1
    1       1     kind: 1 licence, 2 receipt
    2       4     key id: the first 4 bytes of SHA-256 of the signer's raw 32-byte Ed25519 public key
    6       2     issue date, days since 2000-01-01
    8       2     expiry date, days since 2000-01-01; 0xFFFF = no expiry (receipts, 长期)
    10      ...   five strings, each a 1-byte length L then L bytes of UTF-8, in this order:
                  number, service id, holder (masked, e.g. 张*), office, kiosk id

The signature (64 bytes) follows the body; see `kiosk.credentials.signing`.
"""

from __future__ import annotations

import datetime as dt
import struct
from dataclasses import dataclass

from idreader.wording import mask_name
from kiosk.credentials.errors import MalformedCredential

FORMAT_VERSION = 1
EPOCH = dt.date(2000, 1, 1)
NO_EXPIRY = 0xFFFF
KIND_CODES = {"licence": 1, "receipt": 2}
KIND_NAMES = {code: name for name, code in KIND_CODES.items()}
_HEADER = struct.Struct(">BB4sHH")
STRING_FIELDS = ("number", "service", "holder", "office", "kiosk_id")


#: Keep the first character, star the rest: 张三 → 张*, 欧阳娜娜 → 欧***, JOHN SMITH → J*********.
mask_holder_name = mask_name


@dataclass(frozen=True)
class Claims:
    """The facts a credential vouches for. `holder` is already masked (see `mask_holder_name`)."""

    kind: str
    number: str
    service: str
    holder: str
    issued: dt.date
    expires: dt.date | None
    office: str
    kiosk_id: str

    def __post_init__(self) -> None:
        if self.kind not in KIND_CODES:
            raise MalformedCredential(f"kind must be one of {sorted(KIND_CODES)}, not {self.kind!r}")
        for name in STRING_FIELDS:
            value = getattr(self, name)
            if not isinstance(value, str) or len(value.encode()) > 255:
                raise MalformedCredential(f"{name} must be text of at most 255 UTF-8 bytes")
        if len(self.holder) > 1 and "*" not in self.holder:
            raise MalformedCredential("holder must be masked (e.g. 张*): never put a full name in a QR")
        for name in ("issued", "expires"):
            day = getattr(self, name)
            if day is not None and not EPOCH <= day < EPOCH + dt.timedelta(days=NO_EXPIRY):
                raise MalformedCredential(f"{name} {day} is outside 2000-01-01..2179-06-05")
        if self.expires is not None and self.expires < self.issued:
            raise MalformedCredential("expires is before issued")

    def to_dict(self) -> dict[str, str | None]:
        return {"kind": self.kind, "number": self.number, "service": self.service, "holder": self.holder,
                "issued": self.issued.isoformat(),
                "expires": self.expires.isoformat() if self.expires else None,
                "office": self.office, "kiosk_id": self.kiosk_id}


def pack_body(claims: Claims, key_id: bytes) -> bytes:
    """The signed bytes (everything but the signature)."""
    if len(key_id) != 4:
        raise ValueError("key_id must be 4 bytes")
    expires = NO_EXPIRY if claims.expires is None else (claims.expires - EPOCH).days
    out = bytearray(_HEADER.pack(FORMAT_VERSION, KIND_CODES[claims.kind], key_id,
                                 (claims.issued - EPOCH).days, expires))
    for name in STRING_FIELDS:
        encoded = getattr(claims, name).encode()
        out.append(len(encoded))
        out += encoded
    return bytes(out)


def unpack_body(body: bytes) -> tuple[Claims, bytes]:
    """Parse a body; return the claims and the key id. Raises MalformedCredential."""
    if len(body) < _HEADER.size:
        raise MalformedCredential(f"too short: {len(body)} bytes, the header alone is {_HEADER.size}")
    version, kind_code, key_id, issued, expires = _HEADER.unpack_from(body)
    if version != FORMAT_VERSION:
        raise MalformedCredential(f"format version {version} is not supported (this verifier reads 1)")
    if kind_code not in KIND_NAMES:
        raise MalformedCredential(f"unknown kind code {kind_code}")
    offset, strings = _HEADER.size, []
    for name in STRING_FIELDS:
        if offset >= len(body):
            raise MalformedCredential(f"truncated before {name}")
        length = body[offset]
        raw = body[offset + 1: offset + 1 + length]
        if len(raw) != length:
            raise MalformedCredential(f"truncated inside {name}")
        try:
            strings.append(raw.decode())
        except UnicodeDecodeError:
            raise MalformedCredential(f"{name} is not UTF-8") from None
        offset += 1 + length
    if offset != len(body):
        raise MalformedCredential(f"{len(body) - offset} unexpected bytes after the last field")
    number, service, holder, office, kiosk_id = strings
    claims = Claims(kind=KIND_NAMES[kind_code], number=number, service=service, holder=holder,
                    issued=EPOCH + dt.timedelta(days=issued),
                    expires=None if expires == NO_EXPIRY else EPOCH + dt.timedelta(days=expires),
                    office=office, kiosk_id=kiosk_id)
    return claims, key_id
