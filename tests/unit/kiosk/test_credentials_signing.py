"""Signed QR claims: packing, signing, verification, tamper and wrong-key detection (keys in memory)."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from unit.assets.test_qrcodes import first_mode

from kiosk.credentials import (
    PREFIX,
    Claims,
    MalformedCredential,
    SignatureInvalid,
    b45decode,
    b45encode,
    issue_credential,
    key_id,
    make_qr,
    mask_holder_name,
    split_credential,
    verify_credential,
)
from kiosk.credentials.claims import pack_body, unpack_body
from kiosk.credentials.qr import MAX_LICENCE_VERSION

KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
OTHER_KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(1, 33)))

LICENCE = Claims(kind="licence", number="铜卫公证字〔2026〕第000123号", service="public-place-health-permit",
                 holder="张*", issued=dt.date(2026, 11, 21), expires=dt.date(2030, 11, 20),
                 office="铜梁区卫生健康委员会", kiosk_id="K01")
RECEIPT = Claims(kind="receipt", number="500151-20261121-K01-0007", service="residence-permit", holder="李*",
                 issued=dt.date(2026, 11, 21), expires=None, office="铜梁区政务服务中心", kiosk_id="K01")


@pytest.mark.parametrize("claims", [LICENCE, RECEIPT])
def test_round_trip(claims):
    text = issue_credential(claims, KEY)
    assert text.startswith(PREFIX)
    assert verify_credential(text, [OTHER_KEY.public_key(), KEY.public_key()]) == claims


def test_body_layout_is_as_documented():
    body = pack_body(LICENCE, b"\x01\x02\x03\x04")
    assert body[0] == 1 and body[1] == 1 and body[2:6] == b"\x01\x02\x03\x04"
    assert int.from_bytes(body[6:8], "big") == (dt.date(2026, 11, 21) - dt.date(2000, 1, 1)).days
    assert int.from_bytes(body[8:10], "big") == (dt.date(2030, 11, 20) - dt.date(2000, 1, 1)).days
    number = LICENCE.number.encode()
    assert body[10] == len(number) and body[11:11 + len(number)] == number
    receipt_body = pack_body(RECEIPT, b"\x00" * 4)
    assert receipt_body[1] == 2 and receipt_body[8:10] == b"\xff\xff"
    assert unpack_body(body) == (LICENCE, b"\x01\x02\x03\x04")


def test_signature_covers_prefix_and_body():
    text = issue_credential(LICENCE, KEY)
    _claims, kid, signed, signature = split_credential(text)
    assert kid == key_id(KEY.public_key())
    assert signed.startswith(b"MB1:")
    KEY.public_key().verify(signature, signed)  # raises if not


def test_every_single_byte_change_is_detected():
    raw = bytearray(b45decode(issue_credential(LICENCE, KEY)[len(PREFIX):]))
    for index in range(len(raw)):
        tampered = bytearray(raw)
        tampered[index] ^= 0x01
        with pytest.raises((SignatureInvalid, MalformedCredential)):
            verify_credential(PREFIX + b45encode(bytes(tampered)), [KEY.public_key()])


def test_altered_number_is_reported_as_altered():
    forged_body = pack_body(dataclasses.replace(LICENCE, number="铜卫公证字〔2026〕第000999号"),
                            key_id(KEY.public_key()))
    signature = b45decode(issue_credential(LICENCE, KEY)[len(PREFIX):])[-64:]
    with pytest.raises(SignatureInvalid, match="altered or forged"):
        verify_credential(PREFIX + b45encode(forged_body + signature), [KEY.public_key()])


def test_wrong_key_is_reported_as_unknown_key():
    with pytest.raises(SignatureInvalid, match="unknown key"):
        verify_credential(issue_credential(LICENCE, OTHER_KEY), [KEY.public_key()])


@pytest.mark.parametrize(("text", "reason"), [
    ("HC1:NCFOXN%TS3DH", "does not start with"),
    ("MB1:", "too short"),
    ("MB1:abc", "not Base45"),
    ("MB1:" + b45encode(b"\x02" + bytes(80)), "format version 2"),
    ("MB1:" + b45encode(b"\x01\x01" + bytes(8) + b"\x50" + bytes(64)), "truncated"),
])
def test_malformed_texts(text, reason):
    with pytest.raises(MalformedCredential, match=reason):
        verify_credential(text, [KEY.public_key()])


def test_claims_refuse_an_unmasked_holder_and_bad_dates():
    with pytest.raises(MalformedCredential, match="masked"):
        dataclasses.replace(LICENCE, holder="张三")
    with pytest.raises(MalformedCredential, match="before issued"):
        dataclasses.replace(LICENCE, expires=dt.date(2020, 1, 1))
    with pytest.raises(MalformedCredential, match="kind"):
        dataclasses.replace(LICENCE, kind="permit")


@pytest.mark.parametrize(("name", "masked"), [("张三", "张*"), ("欧阳娜娜", "欧***"), ("王", "王"),
                                               ("JOHN SMITH", "J*********")])
def test_mask_holder_name(name, masked):
    assert mask_holder_name(name) == masked


def test_licence_qr_fits_version_10_at_ecc_m():
    # The longest realistic licence: a four-character masked name, a long service id, a long office name.
    worst = dataclasses.replace(LICENCE, holder="欧***", service="public-place-health-permit-renewal",
                                office="重庆市铜梁区卫生健康委员会", kiosk_id="K0001")
    code = make_qr(issue_credential(worst, KEY))
    assert code.error == "M"
    assert first_mode(code) == "alphanumeric"
    assert code.version <= MAX_LICENCE_VERSION
