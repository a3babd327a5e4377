"""一码通行: the claims of one business's permits (`BusinessClaims`) and their compact binary form, pure.

The same envelope as every 秒办 QR ("MB1:" + Base45(body + Ed25519 signature), `kiosk.credentials.signing`),
with kind code 3; verifiers that predate it refuse it as an unknown kind, and codes of kinds 1 and 2 are
unchanged. Body layout (integers big-endian; docs/qr-format.md):

    offset  size  field
    0       1     format version, 1
    1       1     kind: 3 business
    2       4     key id (as for kinds 1 and 2)
    6       2     issue date, days since 2000-01-01
    8       ...   three strings (1-byte length L, then L bytes of UTF-8): uscc, business name, kiosk id
    ...     1     O, the number of distinct issuing offices, then O strings
    ...     1     P, the number of permits, then per permit:
                  item (string), number (string), office index (1 byte, into the offices above),
                  valid until (2 bytes, days since 2000-01-01; 0xFFFF = 长期)

Offices are listed once because one office usually issues several permits of a business (the bytes
saved keep the QR small: `bench/bench_onecode.py`). Whether a permit has expired is not a claim: the
verifier compares "valid until" with its own today (`BusinessClaims.to_dict(today)`).
"""

from __future__ import annotations

import datetime as dt
import struct
from dataclasses import dataclass

from kiosk.credentials.errors import MalformedCredential

FORMAT_VERSION = 1
KIND_BUSINESS = 3
EPOCH = dt.date(2000, 1, 1)
NO_EXPIRY = 0xFFFF
#: More permits than any business holds; keeps the QR within what prints and reads reliably.
MAX_PERMITS = 40
_HEADER = struct.Struct(">BB4sH")


@dataclass(frozen=True)
class Permit:
    """One permit as the code lists it: the item (document name), its number, who issued it, until when."""

    item: str
    number: str
    office: str
    valid_to: dt.date | None  # None = 长期

    def expired_on(self, day: dt.date) -> bool:
        return self.valid_to is not None and self.valid_to < day


@dataclass(frozen=True)
class BusinessClaims:
    """What a 一码通行 code vouches for: the business (credit code and name) and its permits."""

    uscc: str
    name: str
    issued: dt.date
    kiosk_id: str
    permits: tuple[Permit, ...]
    kind: str = "business"

    def __post_init__(self) -> None:
        object.__setattr__(self, "permits", tuple(self.permits))
        for text in (self.uscc, self.name, self.kiosk_id,
                     *(v for p in self.permits for v in (p.item, p.number, p.office))):
            if not isinstance(text, str) or len(text.encode()) > 255:
                raise MalformedCredential("every text in a business code must be at most 255 UTF-8 bytes")
        if len(self.permits) > MAX_PERMITS:
            raise MalformedCredential(f"{len(self.permits)} permits: a business code lists at most {MAX_PERMITS}")
        for day in (self.issued, *(p.valid_to for p in self.permits)):
            if day is not None and not EPOCH <= day < EPOCH + dt.timedelta(days=NO_EXPIRY):
                raise MalformedCredential(f"date {day} is outside 2000-01-01..2179-06-05")

    @property
    def number(self) -> str:
        """The key a lookup uses for this code: the credit code (no application has it as its number)."""
        return self.uscc

    def expired(self, day: dt.date) -> list[Permit]:
        return [p for p in self.permits if p.expired_on(day)]

    def to_dict(self, today: dt.date | None = None) -> dict:
        """Plain data; with `today`, each permit says whether it has expired on that day."""
        return {"kind": self.kind, "uscc": self.uscc, "name": self.name, "issued": self.issued.isoformat(),
                "kiosk_id": self.kiosk_id,
                "permits": [{"item": p.item, "number": p.number, "office": p.office,
                             "valid_to": p.valid_to.isoformat() if p.valid_to else None,
                             **({"expired": p.expired_on(today)} if today is not None else {})}
                            for p in self.permits]}


def _text(out: bytearray, value: str) -> None:
    encoded = value.encode()
    out.append(len(encoded))
    out += encoded


def _day(value: dt.date | None) -> int:
    return NO_EXPIRY if value is None else (value - EPOCH).days


def pack_business(claims: BusinessClaims, key_id: bytes) -> bytes:
    """The signed bytes (everything but the signature)."""
    if len(key_id) != 4:
        raise ValueError("key_id must be 4 bytes")
    out = bytearray(_HEADER.pack(FORMAT_VERSION, KIND_BUSINESS, key_id, _day(claims.issued)))
    for value in (claims.uscc, claims.name, claims.kiosk_id):
        _text(out, value)
    offices = list(dict.fromkeys(p.office for p in claims.permits))
    out.append(len(offices))
    for office in offices:
        _text(out, office)
    out.append(len(claims.permits))
    for permit in claims.permits:
        _text(out, permit.item)
        _text(out, permit.number)
        out.append(offices.index(permit.office))
        out += struct.pack(">H", _day(permit.valid_to))
    return bytes(out)


class _Reader:
    def __init__(self, body: bytes, offset: int) -> None:
        self.body, self.offset = body, offset

    def take(self, size: int, what: str) -> bytes:
        raw = self.body[self.offset: self.offset + size]
        if len(raw) != size:
            raise MalformedCredential(f"truncated inside {what}")
        self.offset += size
        return raw

    def byte(self, what: str) -> int:
        return self.take(1, what)[0]

    def text(self, what: str) -> str:
        try:
            return self.take(self.byte(what), what).decode()
        except UnicodeDecodeError:
            raise MalformedCredential(f"{what} is not UTF-8") from None

    def day(self, what: str) -> dt.date | None:
        value = struct.unpack(">H", self.take(2, what))[0]
        return None if value == NO_EXPIRY else EPOCH + dt.timedelta(days=value)


def unpack_business(body: bytes) -> tuple[BusinessClaims, bytes]:
    """Parse a kind-3 body; return the claims and the key id. Raises MalformedCredential."""
    if len(body) < _HEADER.size:
        raise MalformedCredential(f"too short: {len(body)} bytes, the header alone is {_HEADER.size}")
    version, kind, key_id, issued = _HEADER.unpack_from(body)
    if version != FORMAT_VERSION or kind != KIND_BUSINESS:
        raise MalformedCredential(f"not a version {FORMAT_VERSION} business code")
    reader = _Reader(body, _HEADER.size)
    uscc, name, kiosk_id = (reader.text(what) for what in ("uscc", "name", "kiosk id"))
    offices = [reader.text("office") for _ in range(reader.byte("office count"))]
    permits = []
    for _ in range(reader.byte("permit count")):
        item, number = reader.text("item"), reader.text("number")
        index = reader.byte("office index")
        if index >= len(offices):
            raise MalformedCredential(f"office index {index} is not among the {len(offices)} offices")
        permits.append(Permit(item, number, offices[index], reader.day("valid until")))
    if reader.offset != len(body):
        raise MalformedCredential(f"{len(body) - reader.offset} unexpected bytes after the last permit")
    return BusinessClaims(uscc, name, EPOCH + dt.timedelta(days=issued), kiosk_id, tuple(permits)), key_id
