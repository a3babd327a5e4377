"""Base45 (RFC 9285): the RFC's examples, round trips, and refusal of malformed text."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.credentials import MalformedCredential, b45decode, b45encode


@pytest.mark.parametrize(("raw", "text"), [
    (b"AB", "BB8"),
    (b"Hello!!", "%69 VD92EX0"),
    (b"base-45", "UJCLQE7W581"),
    (b"ietf!", "QED8WEX0"),
    (b"", ""),
    (b"\x00", "00"),
    (b"\xff\xff", "FGW"),
])
def test_rfc_9285_examples(raw, text):
    assert b45encode(raw) == text
    assert b45decode(text) == raw


@given(st.binary(max_size=300))
def test_round_trip(raw):
    assert b45decode(b45encode(raw)) == raw


@pytest.mark.parametrize(("text", "reason"), [
    ("GGW", "out of range"),      # 65536 + ... > 0xFFFF
    ("BB8a", "impossible"),
    ("bb8", "not Base45"),
    ("ZZ", "out of range"),       # 35 + 35*45 > 255
])
def test_malformed_text_is_refused(text, reason):
    with pytest.raises(MalformedCredential, match=reason):
        b45decode(text)
