"""The vendor-decoder hook with a real external process standing in for a licensed WLT decoder."""

from __future__ import annotations

import sys

from idreader.photo import decode_photo, external_command_decoder, placeholder_wlt


def test_external_command_decoder_pipes_bytes():
    decoder = external_command_decoder([sys.executable, "-c", "import sys; d=sys.stdin.buffer.read(); "
                                        "sys.stdout.buffer.write(b'BM' + len(d).to_bytes(2, 'big'))"])
    assert decode_photo(placeholder_wlt(), decoder) == b"BM\x04\x00"
    failing = external_command_decoder([sys.executable, "-c", "raise SystemExit(3)"])
    assert decode_photo(placeholder_wlt(), failing) is None
