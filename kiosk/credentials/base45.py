"""Base45 (RFC 9285): bytes as text of the QR alphanumeric alphabet `0-9A-Z $%*+-./:`.

Every 2 bytes (a big-endian number n < 65536) become 3 characters c, d, e with n = c + d*45 + e*45²;
a last single byte becomes 2 characters. Written here (a dozen lines) rather than taken from PyPI.
"""

from __future__ import annotations

from kiosk.credentials.errors import MalformedCredential

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
_VALUES = {char: index for index, char in enumerate(ALPHABET)}


def b45encode(data: bytes) -> str:
    out = []
    for i in range(0, len(data) - 1, 2):
        n = data[i] * 256 + data[i + 1]
        out += (ALPHABET[n % 45], ALPHABET[n // 45 % 45], ALPHABET[n // 2025])
    if len(data) % 2:
        out += (ALPHABET[data[-1] % 45], ALPHABET[data[-1] // 45])
    return "".join(out)


def b45decode(text: str) -> bytes:
    """Decode Base45; raises MalformedCredential on a character outside the alphabet or a bad length/value."""
    if len(text) % 3 == 1:
        raise MalformedCredential(f"Base45 text of length {len(text)} is impossible (length mod 3 = 1)")
    try:
        values = [_VALUES[char] for char in text]
    except KeyError as exc:
        raise MalformedCredential(f"character {exc.args[0]!r} is not Base45") from None
    out = bytearray()
    for i in range(0, len(values), 3):
        chunk = values[i:i + 3]
        n = sum(value * 45**power for power, value in enumerate(chunk))
        if len(chunk) == 3:
            if n > 0xFFFF:
                raise MalformedCredential(f"Base45 group {i // 3} is out of range")
            out += n.to_bytes(2, "big")
        else:
            if n > 0xFF:
                raise MalformedCredential("the last Base45 group is out of range")
            out.append(n)
    return bytes(out)
