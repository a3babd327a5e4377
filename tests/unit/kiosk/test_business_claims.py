"""一码通行 claims (kind 3): round trip, compact offices, signing, old codes unchanged; built from the demo
registry (kiosk.onecode) and kept within a reliably printed QR."""

from __future__ import annotations

import datetime as dt

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from forms import demo_registry as demo
from forms.registry import InMemoryRegistry, Licence
from kiosk.credentials import (
    BusinessClaims,
    Claims,
    MalformedCredential,
    Permit,
    SignatureInvalid,
    b45decode,
    b45encode,
    issue_credential,
    make_qr,
    verify_credential,
)
from kiosk.credentials.business import MAX_PERMITS, pack_business, unpack_business
from kiosk.credentials.claims import unpack_body
from kiosk.credentials.qr import MAX_BUSINESS_VERSION
from kiosk.onecode import business_claims, printable_code

DAY = dt.date(2026, 11, 21)
HEALTH, MARKET = "铜梁区卫生健康委员会", "铜梁区市场监督管理局"
PERMITS = (
    Permit("食品经营许可证", "JY2500151202100042", MARKET, DAY - dt.timedelta(days=40)),
    Permit("公共场所卫生许可证", "铜卫公证字〔2026〕第000001号", HEALTH, dt.date(2030, 12, 9)),
    Permit("食品经营备案回执", "YB2500151202600001", MARKET, None),
)
CLAIMS = BusinessClaims("92500151MA5U7Q2N3R", "铜梁区悦来宾馆", DAY, "K01", PERMITS)
KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))


def test_round_trip_keeps_every_permit_and_lists_each_office_once() -> None:
    body = pack_business(CLAIMS, b"\x01\x02\x03\x04")
    assert unpack_business(body) == (CLAIMS, b"\x01\x02\x03\x04")
    assert body.count(MARKET.encode()) == 1 and body.count(HEALTH.encode()) == 1


def test_expired_is_judged_on_the_verifiers_day() -> None:
    assert [p.number for p in CLAIMS.expired(DAY)] == ["JY2500151202100042"]
    later = CLAIMS.to_dict(dt.date(2030, 12, 10))["permits"]
    assert [p["expired"] for p in later] == [True, True, False]  # 长期 never expires
    assert "expired" not in CLAIMS.to_dict()["permits"][0]


def test_signed_and_verified_like_every_code() -> None:
    text = issue_credential(CLAIMS, KEY)
    assert text.startswith("MB1:")
    assert verify_credential(text, [KEY.public_key()]) == CLAIMS


def test_a_tampered_business_code_is_refused() -> None:
    raw = bytearray(b45decode(issue_credential(CLAIMS, KEY)[4:]))
    raw[raw.index(b"JY25") + 3] ^= 0x01  # JY2500151… -> JY2400151…: still valid UTF-8, now a lie
    with pytest.raises(SignatureInvalid):
        verify_credential("MB1:" + b45encode(bytes(raw)), [KEY.public_key()])


def test_old_kinds_are_unchanged_and_an_old_reader_refuses_kind_3() -> None:
    licence = Claims("licence", "铜卫公证字〔2026〕第000001号", "public-place-health-permit", "李*", DAY,
                     dt.date(2030, 12, 9), HEALTH, "K01")
    assert verify_credential(issue_credential(licence, KEY), [KEY.public_key()]) == licence
    with pytest.raises(MalformedCredential, match="unknown kind code 3"):
        unpack_body(pack_business(CLAIMS, b"\x00" * 4))


@pytest.mark.parametrize("cut", [1, 5, 30])
def test_a_truncated_body_is_malformed(cut: int) -> None:
    body = pack_business(CLAIMS, b"\x00" * 4)
    with pytest.raises(MalformedCredential):
        unpack_business(body[:-cut])
    with pytest.raises(MalformedCredential, match="unexpected bytes"):
        unpack_business(body + b"\x00")


def test_limits() -> None:
    with pytest.raises(MalformedCredential, match="at most"):
        BusinessClaims("x", "y", DAY, "K01", (PERMITS[0],) * (MAX_PERMITS + 1))
    with pytest.raises(MalformedCredential, match="255"):
        BusinessClaims("x", "名" * 90, DAY, "K01", ())
    empty = BusinessClaims("92500151MA5UBL3K3E", "铜梁区巴川街道张伟理发店", DAY, "K01", ())
    assert unpack_business(pack_business(empty, b"\x00" * 4))[0] == empty


def test_the_demo_registry_gives_each_business_its_current_permits_and_a_printable_code() -> None:
    registry = demo.demo_registry(DAY)
    hotel = business_claims(registry, None, demo.HOTEL_USCC, today=DAY, kiosk_id="K01")
    assert hotel.name == "铜梁区悦来宾馆"
    assert [(p.item, p.office, p.expired_on(DAY)) for p in hotel.permits] == [
        ("公共场所卫生许可证", demo.HEALTH_OFFICE, False), ("食品经营许可证", demo.MARKET_OFFICE, True)]
    assert make_qr(printable_code(hotel, KEY)).version <= MAX_BUSINESS_VERSION
    barber = business_claims(registry, None, demo.BARBER_USCC, today=DAY, kiosk_id="K01")
    assert barber.permits == () and barber.name == "铜梁区巴川街道张伟理发店"
    assert business_claims(registry, None, "91350100M000100Y43", today=DAY, kiosk_id="K01") is None


def test_a_business_with_too_many_permits_gets_no_code_rather_than_an_unreadable_one() -> None:
    registry = demo.demo_registry(DAY)
    many = [Licence(f"铜卫公证字〔2026〕第{i:06d}号", demo.HOTEL_USCC, f"kind-{i}", "旅店", "铜梁区悦来宾馆", "-",
                    DAY, DAY, DAY + dt.timedelta(days=1000), office=demo.HEALTH_OFFICE) for i in range(6)]
    crowded = InMemoryRegistry(registry.businesses, many, registry.persons)
    claims = business_claims(crowded, None, demo.HOTEL_USCC, today=DAY, kiosk_id="K01")
    assert len(claims.permits) == 6
    assert make_qr(issue_credential(claims, KEY)).version > MAX_BUSINESS_VERSION
    assert printable_code(claims, KEY) is None
