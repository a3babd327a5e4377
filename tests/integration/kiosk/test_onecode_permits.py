"""一码通行 from the stored permits (migration 11): the same permits as reading every earlier application's
answers and paperwork (the way kiosk.onecode did before, kept here as the reference), on a real store
holding many businesses' applications: several items, renewals naming registry licences (spaces around,
a longer number that only contains one), accepted and refused applications, no number, unreadable
paperwork, purged ones; and a store from before migration 11 gets its permits from the migration."""

from __future__ import annotations

import datetime as dt
import json
import random

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from forms.registry import InMemoryRegistry, Licence
from kiosk.credentials import CredentialError, Permit, issue_credential, split_credential
from kiosk.credentials.claims import Claims
from kiosk.onecode import _ISSUED, _latest_by_item, business_permits
from kiosk.store import Store
from kiosk.store.paperwork import add_paperwork

DAY = dt.date(2026, 11, 21)
KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
HOTEL, SALON, SHOP = "92500151MA5U7Q2N3R", "92500151MA5UBL3K3E", "91500151MA60XW8C16"
OLD_HEALTH = "铜卫公证字〔2021〕第000042号"
REGISTRY = InMemoryRegistry(licences=[
    Licence(number=OLD_HEALTH, uscc=HOTEL, kind="public-place-health", category="宾馆", holder_name="悦来宾馆",
            address="", issued_on=DAY.replace(year=2021), valid_from=DAY.replace(year=2021),
            valid_to=DAY + dt.timedelta(days=30), office="铜梁区卫生健康委员会"),
    Licence(number="铜市监食字〔2021〕第000420号", uscc=HOTEL, kind="food-business", category="餐饮",
            holder_name="悦来宾馆", address="", issued_on=DAY.replace(year=2021), valid_from=DAY.replace(year=2021),
            valid_to=DAY - dt.timedelta(days=40), office="铜梁区市场监督管理局"),
    Licence(number="JY2500151202100042", uscc=SHOP, kind="food-business", category="餐饮", holder_name="小卖部",
            address="", issued_on=DAY.replace(year=2021), valid_from=DAY.replace(year=2021),
            valid_to=DAY + dt.timedelta(days=300), office="铜梁区市场监督管理局"),
])
ITEMS = [({"licence": {"title": "公共场所卫生许可证"}}, "public-place-health-permit"),
         ({"service_title": "食品经营备案回执"}, "food-filing"),
         ({}, "hygiene-note")]  # no document name: the item is the QR's service


def _reference(store: Store, registry, uscc: str) -> list[Permit]:
    """kiosk.onecode before migration 11: every approved application naming the code, answers and
    paperwork parsed, its QR decoded."""
    rows = store.select(
        "SELECT a.licence_no, a.answers, p.context FROM application_codes c JOIN applications a "
        "ON a.id = c.application_id LEFT JOIN paperwork p ON p.application_id = a.id WHERE c.uscc = ? "
        "AND a.decision = 'approved' AND a.purged_at IS NULL ORDER BY c.application_id", (uscc,))
    issued, named = [], set()
    for row in rows:
        answers = json.loads(row["answers"])
        values = {v.strip() for v in answers.values() if isinstance(v, str)}
        if uscc not in values:
            continue
        named |= values
        if not row["licence_no"]:
            continue
        try:
            context = json.loads(row["context"] or "")["context"]
            claims = split_credential(context["qr_text"])[0]
        except (ValueError, KeyError, TypeError, CredentialError):
            continue
        licence = context.get("licence") or {}
        item = licence.get("title") or context.get("service_title") or claims.service
        issued.append(Permit(item, row["licence_no"], claims.office, claims.expires))
    permits, kinds = [], set()
    for licence in registry.licences_for(uscc):
        if licence.kind in kinds:
            continue
        kinds.add(licence.kind)
        if licence.number not in named:
            permits.append(Permit({"public-place-health": "公共场所卫生许可证", "food-business": "食品经营许可证"}
                                  [licence.kind], licence.number, licence.office or "", licence.valid_to))
    return _latest_by_item([*permits, *issued])


def _fill(store: Store, count: int, seed: int) -> None:
    rng = random.Random(seed)
    for n in range(count):
        uscc = rng.choice([HOTEL, SALON, SHOP, f" {HOTEL} "])
        answers: dict[str, object] = {"uscc": uscc, "staff_count": n, "manager": "张伟"}
        if rng.random() < 0.25:  # a renewal naming a registry licence, perhaps with spaces around
            answers["licence_no"] = rng.choice([OLD_HEALTH, f" {OLD_HEALTH} ", "JY2500151202100042",
                                                "铜市监食字〔2021〕第000420号", "JY2500151202100042X"])
        if rng.random() < 0.1:
            answers["holder_uscc"] = SALON  # naming a second business
        decision = rng.choice(["approved"] * 6 + ["accepted", "rejected"])
        licence_no = f"铜卫公证字〔2026〕第{n:06d}号" if rng.random() < 0.9 else None
        document, service = rng.choice(ITEMS)
        expires = rng.choice([None, DAY + dt.timedelta(days=rng.randrange(-100, 2000))])
        office = rng.choice(["铜梁区卫生健康委员会", "铜梁区市场监督管理局"])
        qr = issue_credential(Claims("licence", licence_no or "", service, "张*", DAY - dt.timedelta(days=200),
                                     expires, office, "K01"), KEY)
        context = json.dumps({"version": 1, "context": {"qr_text": qr, **document}}, ensure_ascii=False)
        context = rng.choice([context] * 8 + ['{"version": 1, "context": {}}', "not json"])
        with store.transaction():
            app = store.add_application(service=service, state="decided", decision=decision, answers=answers,
                                        licence_no=licence_no, applicant_name="张伟")
            add_paperwork(store, app.id, ["licence"], context)
        if rng.random() < 0.08:
            store.db.execute("UPDATE applications SET purged_at = ? WHERE id = ?", (DAY.isoformat(), app.id))


def test_the_stored_permits_are_the_permits_every_application_vouches_for(tmp_path):
    with Store.open(tmp_path) as store:
        _fill(store, 300, seed=11)
        for uscc in (HOTEL, SALON, SHOP, "91500151MA6CYWKQ0T"):
            expected = _reference(store, REGISTRY, uscc)
            assert business_permits(REGISTRY, store, uscc) == expected, uscc
        hotel = business_permits(REGISTRY, store, HOTEL)
        assert {p.item for p in hotel} >= {"公共场所卫生许可证", "食品经营备案回执", "hygiene-note"}
        assert OLD_HEALTH not in {p.number for p in hotel}  # renewed here
        assert "铜市监食字〔2021〕第000420号" not in {p.number for p in hotel}  # named exactly, once
        assert all(_reference(store, REGISTRY, uscc) for uscc in (HOTEL, SALON, SHOP))  # none trivial


def test_the_newest_of_an_item_goes_when_purged_or_unreadable_and_the_one_before_shows(tmp_path):
    with Store.open(tmp_path) as store:
        _fill(store, 40, seed=3)
        newest = store.select(_ISSUED, (SALON,))[-1]
        app_id = newest["newest"]
        store.db.execute("UPDATE applications SET purged_at = ? WHERE id = ?", (DAY.isoformat(), app_id))
        assert business_permits(None, store, SALON) == _reference(store, InMemoryRegistry(), SALON)
        assert newest["licence_no"] not in {p.number for p in business_permits(None, store, SALON)}


def test_a_store_from_before_migration_11_gets_its_permits_from_the_migration(tmp_path):
    with Store.open(tmp_path) as store:
        _fill(store, 120, seed=5)
        expected = {uscc: _reference(store, REGISTRY, uscc) for uscc in (HOTEL, SALON, SHOP)}
        store.db.execute("DROP TABLE application_permits")  # as a store from before migration 11
        store.db.execute("DELETE FROM schema_migrations WHERE version = 11")
    with Store.open(tmp_path) as store:
        assert store.select("SELECT COUNT(*) AS n FROM application_permits")[0]["n"] > 80
        for uscc, permits in expected.items():
            assert business_permits(REGISTRY, store, uscc) == permits


def test_the_permits_are_read_on_indexes_and_never_parsed_per_application(tmp_path):
    """The query answers with one row per item, whatever the number of applications (before: one per
    application, each with its paperwork parsed and its QR decoded)."""
    with Store.open(tmp_path) as store:
        _fill(store, 200, seed=7)
        rows = store.select(_ISSUED, (SALON,))
        assert 1 <= len(rows) <= len(ITEMS)
        plan = [str(row[-1]) for row in store.db.execute(f"EXPLAIN QUERY PLAN {_ISSUED}", (SALON,))]
        assert plan[0].startswith("SEARCH c USING PRIMARY KEY (uscc=?)"), plan
        assert not [step for step in plan if step.startswith("SCAN")], plan
