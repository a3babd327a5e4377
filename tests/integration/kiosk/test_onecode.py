"""一码通行 end to end: `kiosk apply` renews 悦来宾馆's licence in a real data dir; the business code on the
slip lists every permit (registry + this hall), and `kiosk verify` (a subprocess) marks the expired one."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from forms.demo_registry import HOTEL_FOOD_LICENCE_DAYS_AGO, HOTEL_USCC, MARKET_OFFICE
from kiosk.credentials import b45decode, b45encode, decode_qr_image
from kiosk.credentials.business import KIND_BUSINESS
from kiosk.onecode import business_claims, business_permits
from kiosk.store import Store
from kiosk.store.registry_view import StoreRegistry

DAY = dt.date(2026, 11, 21)  # the suite's day (tests/conftest.py)
RENEWAL = {"staff_count": 6, "staff_health_certified": 6, "staff_trained": 6, "conditions_changed": "否"}


def kiosk(*args: object, today: str = DAY.isoformat()) -> subprocess.CompletedProcess:
    env = {**os.environ, "KIOSK_TODAY": today}
    return subprocess.run([sys.executable, "-m", "kiosk", *map(str, args)], capture_output=True, text=True,
                          env=env, timeout=120)


@pytest.fixture(scope="module")
def hotel(tmp_path_factory) -> dict:
    """李德明 renews his 悦来宾馆's 公共场所卫生许可 at the kiosk (秒批): the data dir, the slip, the codes."""
    root = tmp_path_factory.mktemp("onecode")
    (root / "answers.json").write_text(json.dumps(RENEWAL, ensure_ascii=False), encoding="utf-8")
    done = kiosk("apply", "--service", "public-place-health-permit-renewal", "--card", "elderly", "--answers",
                 root / "answers.json", "--data-dir", root / "data", "--out", root / "out", "--json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["decision"] == "approved"
    texts = decode_qr_image(root / "out" / "receipt.png")
    business = [t for t in texts if b45decode(t[4:])[1] == KIND_BUSINESS]
    return {"data": root / "data", "licence_no": result["licence_no"], "qr": result["qr"], "texts": texts,
            "business": business}


def test_the_permits_come_from_the_registry_and_from_this_halls_store(hotel) -> None:
    with Store.open(hotel["data"], create=False) as store:
        registry = StoreRegistry(store)
        old = next(lic for lic in registry.licences_for(HOTEL_USCC) if lic.kind == "public-place-health")
        permits = business_permits(registry, store, HOTEL_USCC)
        claims = business_claims(registry, store, HOTEL_USCC, today=DAY, kiosk_id="K01")
    assert [(p.item, p.number, p.office) for p in permits] == [
        ("食品经营许可证", f"JY2500151{DAY.year - 5}00042", MARKET_OFFICE),
        ("公共场所卫生许可证", hotel["licence_no"], "铜梁区卫生健康委员会")]
    assert old.number not in {p.number for p in permits}  # renewed here: the registry's one is replaced
    assert permits[0].valid_to == DAY - dt.timedelta(days=HOTEL_FOOD_LICENCE_DAYS_AGO)
    assert permits[1].valid_to == dt.date(2030, 12, 9)
    assert claims.name == "铜梁区悦来宾馆" and claims.permits == tuple(permits)
    with Store.open(hotel["data"], create=False) as store:
        assert business_permits(StoreRegistry(store), store, "92500151MA5UBL3K3E") == []  # 理发店: none yet


def test_the_slip_prints_the_licence_code_and_the_business_code(hotel) -> None:
    assert hotel["texts"][0] == hotel["qr"]  # the licence's own code first, as before
    assert len(hotel["texts"]) == 2 and len(hotel["business"]) == 1


def test_verify_lists_every_permit_and_marks_the_expired_one(hotel) -> None:
    done = kiosk("verify", hotel["business"][0], "--data-dir", hotel["data"])
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("VALID")
    assert "统一社会信用代码 uscc: 92500151MA5U7Q2N3R" in done.stdout and "铜梁区悦来宾馆" in done.stdout
    food = next(line for line in lines if "JY2500151" in line)
    health = next(line for line in lines if hotel["licence_no"] in line)
    assert "已过期 EXPIRED" in food and "EXPIRED" not in health
    assert "1 项已过期" in done.stdout


def test_verify_json_judges_expiry_on_the_verifiers_day(hotel) -> None:
    done = kiosk("verify", hotel["business"][0], "--data-dir", hotel["data"], "--json", today="2030-12-10")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["valid"] is True and result["expired"] == 2 and result["today"] == "2030-12-10"
    assert [p["expired"] for p in result["claims"]["permits"]] == [True, True]


def test_a_tampered_business_code_is_refused(hotel) -> None:
    raw = bytearray(b45decode(hotel["business"][0][4:]))
    raw[raw.index(b"JY25") + 3] ^= 0x01
    done = kiosk("verify", "MB1:" + b45encode(bytes(raw)), "--data-dir", hotel["data"])
    assert done.returncode == 1
    assert done.stdout.startswith("INVALID") and "altered" in done.stdout


def test_the_licence_code_still_verifies_as_before(hotel) -> None:
    done = kiosk("verify", hotel["qr"], "--data-dir", hotel["data"], "--json")
    assert done.returncode == 0
    assert json.loads(done.stdout)["claims"]["kind"] == "licence"


def test_a_verifier_without_the_data_dir_uses_the_exported_key(hotel, tmp_path: Path) -> None:
    exported = kiosk("keys", "export", "--data-dir", hotel["data"])
    assert exported.returncode == 0, exported.stderr
    (tmp_path / "kiosk.pem").write_text(exported.stdout, encoding="utf-8")
    done = kiosk("verify", hotel["business"][0], "--public-key", tmp_path / "kiosk.pem")
    assert done.returncode == 0 and "已过期 EXPIRED" in done.stdout
