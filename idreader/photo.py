"""The card photo: 1024 raw bytes of a proprietary wavelet format ("WLT"), kept as they are.

No open-source WLT decoder exists (specs/idcard-protocol.md §7), so the package never decodes the
photo itself. It checks the `WLf` magic, makes a placeholder block for synthetic cards, and offers
one hook, `decode_photo(wlt, decoder)`, where a licensed vendor decoder (a ctypes wrapper around
libwlt2bmp, or `external_command_decoder([...])`) can be plugged in. A failing decoder never fails a
read: `decode_photo` returns None. The photo is never written to disk.
"""

from __future__ import annotations

import logging
import subprocess
from collections.abc import Callable, Sequence

PHOTO_SIZE = 1024
WLT_MAGIC = b"WLf"
# The prefix every public dump starts with (byte 11 varies between cards).
WLT_PREFIX = bytes.fromhex("574C66007E00320000FF85005151513E710DD564F3")

PhotoDecoder = Callable[[bytes], bytes]
"""A licensed decoder: 1024 WLT bytes in, image bytes (e.g. a 38862-byte BMP) out."""

_log = logging.getLogger(__name__)


def has_wlt_magic(photo: bytes | None) -> bool:
    return bool(photo) and photo[: len(WLT_MAGIC)] == WLT_MAGIC


def placeholder_wlt(seed: int = 0) -> bytes:
    """A 1024-byte block with the real magic and prefix, filled deterministically (not a picture)."""
    head = bytearray(WLT_PREFIX)
    head[11] = seed & 0xFF
    filler = bytes((index * 37 + seed) & 0xFF for index in range(PHOTO_SIZE - len(head)))
    return bytes(head) + filler


def decode_photo(wlt: bytes | None, decoder: PhotoDecoder | None) -> bytes | None:
    """Run a vendor decoder on the raw photo; None when there is no photo, no decoder, or it fails."""
    if wlt is None or decoder is None:
        return None
    if not has_wlt_magic(wlt):
        _log.warning("card photo lacks the WLf magic; not decoding it")
        return None
    try:
        return decoder(wlt)
    except Exception as exc:  # a third-party decoder may fail in any way; the read must not
        _log.warning("vendor photo decoder failed: %s", exc)
        return None


def external_command_decoder(argv: Sequence[str], timeout: float = 5.0) -> PhotoDecoder:
    """A decoder that pipes the WLT bytes to a vendor tool's stdin and takes the image from stdout."""

    def run(wlt: bytes) -> bytes:
        result = subprocess.run(list(argv), input=wlt, capture_output=True, timeout=timeout, check=True)
        return result.stdout

    return run
