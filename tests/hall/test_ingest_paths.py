"""The two ways a batch is stored give the same rows: the usual batch in one statement (hall_ingest,
migration 0007) and the step-by-step path (named cases already held, or a race on a new number). The same
batch — two events for one new case (the last wins), a duplicated document name, a staff call, a bad and a
good rating, two step statistics of one session, an event id another kiosk holds — goes through each, and
what they store is compared row by row."""

from __future__ import annotations

import base64
import hashlib
import uuid

import pytest
from django.db import connection

from hall.cases import ingest
from hall.cases.models import Kiosk

AT = "2026-11-21T10:00:00+08:00"


def _pdf(text: str) -> dict:
    data = f"%PDF-1.4 {text}".encode()
    return {"name": "application.pdf", "sha256": hashlib.sha256(data).hexdigest(),
            "pdf_b64": base64.b64encode(data).decode()}


def _batch(app_event, number: str, foreign_id: str) -> list[dict]:
    session = uuid.uuid4().hex
    first = app_event(number, answers={"shop_name": "旧名"}, documents=[_pdf("old")])
    last = app_event(number, answers={"shop_name": "新名", "legal_rep_id": "440304198001011239"},
                     documents=[_pdf("a"), _pdf("b")])  # the same name twice: the last wins
    steps = [{"step": "form", "entered_at": AT, "seconds": s} for s in (1.0, 2.0)]
    return [
        first, last,
        {"id": str(uuid.uuid4()), "kind": "staff_call", "at": AT,
         "body": {"call_id": str(uuid.uuid4()), "screen": "form", "service": "food-licence", "number": number,
                  "location": ""}},
        {"id": str(uuid.uuid4()), "kind": "rating", "at": AT,
         "body": {"number": number, "service": "food-licence", "stars": 1, "reason": "太慢"}},
        {"id": str(uuid.uuid4()), "kind": "rating", "at": AT,
         "body": {"number": None, "service": "food-licence", "stars": 5, "reason": ""}},
        {"id": str(uuid.uuid4()), "kind": "step_stats", "at": AT,
         "body": {"session_id": session, "service": "food-licence", "steps": steps[:1], "finished": False}},
        {"id": str(uuid.uuid4()), "kind": "step_stats", "at": AT,
         "body": {"session_id": session, "service": "food-licence", "steps": steps, "finished": True}},
        {"id": foreign_id, "kind": "rating", "at": AT,
         "body": {"number": None, "service": "food-licence", "stars": 3, "reason": ""}},
    ]


def _stored(kiosk: Kiosk, number: str) -> dict:
    """What the batch left in PostgreSQL, without ids, numbers and the per-case random parts."""
    out = {}
    with connection.cursor() as cur:
        cur.execute("SELECT count(*), array_agg(kind ORDER BY kind) FROM cases_event WHERE kiosk_id = %s", [kiosk.pk])
        out["events"] = cur.fetchone()
        cur.execute("SELECT service, outcome, state, answers::text, id_number_masked, id_answer_hashes::text, "
                    "findings::text, correction_due, decision_due, change_seq, id_answers_sealed IS NOT NULL "
                    "FROM cases_case WHERE number = %s", [number])
        out["case"] = cur.fetchall()
        cur.execute("SELECT h.action, h.from_state, h.to_state, h.data->>'outcome' FROM cases_casehistory h "
                    "JOIN cases_case c ON c.id = h.case_id WHERE c.number = %s", [number])
        out["history"] = cur.fetchall()
        cur.execute("SELECT d.name, d.sha256, d.content FROM cases_casedocument d "
                    "JOIN cases_case c ON c.id = d.case_id WHERE c.number = %s", [number])
        out["documents"] = [(name, sha, bytes(content)) for name, sha, content in cur.fetchall()]
        cur.execute("SELECT screen, service, number = %s, location FROM cases_staffcall WHERE kiosk_id = %s",
                    [number, kiosk.pk])
        out["calls"] = cur.fetchall()
        cur.execute("SELECT stars, number = %s, handling, due, reason FROM cases_rating WHERE kiosk_id = %s "
                    "ORDER BY stars", [number, kiosk.pk])
        out["ratings"] = cur.fetchall()
        cur.execute("SELECT steps::text, finished FROM cases_stepstat WHERE kiosk_id = %s", [kiosk.pk])
        out["stats"] = cur.fetchall()
    return out


def test_one_statement_and_step_by_step_store_the_same_rows(enrolled, app_event, new_number, monkeypatch):
    other = Kiosk.objects.get(kiosk_id=enrolled()[0])
    foreign_id = str(uuid.uuid4())
    assert ingest.ingest(other, [{"id": foreign_id, "kind": "rating", "at": AT,
                                  "body": {"number": None, "service": "x", "stars": 4, "reason": ""}}])[0]
    results = []
    for path in ("at_once", "step_by_step"):
        kiosk = Kiosk.objects.get(kiosk_id=enrolled("二楼")[0])
        number = new_number()
        with monkeypatch.context() as patch:
            if path == "at_once":  # the step-by-step path must not be needed for it
                patch.setattr(ingest, "_store", lambda *a, **k: pytest.fail("the step-by-step path was used"))
            else:
                patch.setattr(ingest, "_store_at_once", lambda *a, **k: False)
            batch = _batch(app_event, number, foreign_id)
            held, rejected = ingest.ingest(kiosk, batch)
        assert held == [e["id"] for e in batch[:-1]]
        assert rejected == [{"id": foreign_id, "reason": "event id already used by another kiosk"}]
        results.append(_stored(kiosk, number))
    at_once, step_by_step = results
    assert at_once == step_by_step
    assert at_once["events"][0] == 7 and len(at_once["case"]) == 1 and '"新名"' in at_once["case"][0][3]
    assert "440304198001011239" not in at_once["case"][0][3] and at_once["case"][0][-1] is True
    assert at_once["documents"][0][2] == b"%PDF-1.4 b" and len(at_once["documents"]) == 1
    assert len(at_once["stats"]) == 1 and at_once["stats"][0][1] is True
    assert [r[2] for r in at_once["ratings"]] == ["open", "none"] and at_once["ratings"][0][3] is not None


def test_a_batch_naming_a_case_already_held_goes_step_by_step(enrolled, app_event, new_number, monkeypatch):
    kiosk = Kiosk.objects.get(kiosk_id=enrolled()[0])
    number = new_number()
    assert ingest.ingest(kiosk, [app_event(number)])[0]
    used = []
    real = ingest._store
    monkeypatch.setattr(ingest, "_store", lambda *a, **k: used.append(1) or real(*a, **k))
    again = app_event(number, answers={"shop_name": "改了"})
    assert ingest.ingest(kiosk, [again]) == ([again["id"]], [])
    assert used and kiosk.cases.get(number=number).answers == {"shop_name": "改了"}


def test_a_replay_is_answered_in_one_statement_and_nothing_is_doubled(enrolled, app_event, new_number, monkeypatch):
    """The kiosk sends a stored batch again (it crashed before marking it sent), with one new case beside it."""
    kiosk = Kiosk.objects.get(kiosk_id=enrolled()[0])
    first = [app_event(new_number()), app_event(new_number())]
    assert ingest.ingest(kiosk, first)[0] == [e["id"] for e in first]
    monkeypatch.setattr(ingest, "_store", lambda *a, **k: pytest.fail("the step-by-step path was used"))
    again = [*first, app_event(new_number())]
    assert ingest.ingest(kiosk, again) == ([e["id"] for e in again], [])
    assert kiosk.events.count() == 3 and kiosk.cases.count() == 3
    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM cases_casehistory h JOIN cases_case c ON c.id = h.case_id "
                    "WHERE c.kiosk_id = %s", [kiosk.pk])
        assert cur.fetchone()[0] == 3


def test_a_batch_naming_another_kiosks_case_stores_the_rest(enrolled, app_event, new_number, monkeypatch):
    """hall_ingest's one probe (migration 0008) finds the other kiosk's number among new ones: nothing is
    written by it, and the step-by-step path keeps the new case and refuses the other kiosk's."""
    owner = Kiosk.objects.get(kiosk_id=enrolled()[0])
    theirs = new_number()
    assert ingest.ingest(owner, [app_event(theirs)])[0]
    kiosk = Kiosk.objects.get(kiosk_id=enrolled()[0])
    answers = []
    real = ingest._store_at_once
    monkeypatch.setattr(ingest, "_store_at_once", lambda *a, **k: answers.append(real(*a, **k)) or answers[-1])
    mine, clash = app_event(new_number()), app_event(theirs)
    held, rejected = ingest.ingest(kiosk, [mine, clash])
    assert answers == [False]  # hall_ingest answered "existing" and kept nothing
    assert held == [mine["id"]]
    assert rejected == [{"id": clash["id"], "reason": f"number {theirs} belongs to another kiosk"}]
    assert kiosk.events.count() == 1 and kiosk.cases.count() == 1 and owner.cases.get().number == theirs


def test_hall_ingest_plans_use_the_indexes_and_documents_skip_compression():
    """Migration 0008: the function's cached plans never fall back on a Seq Scan made while a table was small
    (every batch then read all of cases_case), JIT never compiles its few-row statements, and the PDFs and
    PNGs (compressed already) are stored without a pglz try."""
    with connection.cursor() as cur:
        cur.execute("SELECT proconfig FROM pg_proc WHERE proname = 'hall_ingest'")
        assert sorted(cur.fetchone()[0]) == ["enable_seqscan=off", "jit=off"]
        cur.execute("SELECT attrelid::regclass::text, attstorage FROM pg_attribute WHERE attname = 'content' "
                    "AND attrelid IN ('cases_casedocument'::regclass, 'cases_materialpage'::regclass) ORDER BY 1")
        assert cur.fetchall() == [("cases_casedocument", "e"), ("cases_materialpage", "e")]
        cur.execute("SELECT prosrc FROM pg_proc WHERE proname = 'hall_ingest'")
        assert cur.fetchone()[0].count("FROM cases_case c WHERE c.number = ANY(numbers)") == 1


def test_a_group_of_posts_stores_the_same_rows_as_each_post_alone(enrolled, app_event, new_number):
    """hall_ingest_group (migration 0009, hall.cases.group) stores three kiosks' batches in one statement: each
    kiosk ends with exactly the rows its batch makes alone through hall_ingest, and each post's answer names
    the event id another kiosk holds."""
    from django.utils import timezone

    from hall.cases import group, wire

    other = Kiosk.objects.get(kiosk_id=enrolled()[0])
    foreign_id = str(uuid.uuid4())
    assert ingest.ingest(other, [{"id": foreign_id, "kind": "rating", "at": AT,
                                  "body": {"number": None, "service": "x", "stars": 4, "reason": ""}}])[0]
    alone = Kiosk.objects.get(kiosk_id=enrolled("二楼")[0])
    number = new_number()
    ingest.ingest(alone, _batch(app_event, number, foreign_id))
    expected = _stored(alone, number)

    kiosks = [(Kiosk.objects.get(kiosk_id=enrolled("二楼")[0]), new_number()) for _ in range(3)]
    batches = []
    for kiosk, n in kiosks:
        good = {}
        for raw in _batch(app_event, n, foreign_id):
            event, _, _ = wire.check_event(raw)
            good[event.id] = event
        batches.append(ingest._at_once_batch(kiosk, good, timezone.now(), None))
    assert group.WRITER.write(batches) == [{"foreign": [foreign_id]}] * 3
    for kiosk, n in kiosks:
        assert _stored(kiosk, n) == expected


def _file(kind: str, text: str) -> dict:
    """A document (kind "pdf") or a material page (kind "png") holding `text`, as the kiosk sends it."""
    data = f"{kind} {text} {uuid.uuid4()}".encode()
    if kind == "pdf":
        return {"name": f"{text}.pdf", "sha256": hashlib.sha256(data).hexdigest(),
                "pdf_b64": base64.b64encode(data).decode()}
    return {"material": text, "sha256": hashlib.sha256(data).hexdigest(), "png_b64": base64.b64encode(data).decode()}


def _files_of(number: str) -> tuple[list, list]:
    """(documents, material pages) the hall holds for case `number`: (name or material, bytes), sorted."""
    with connection.cursor() as cur:
        cur.execute("SELECT d.name, d.content FROM cases_casedocument d JOIN cases_case c ON c.id = d.case_id "
                    "WHERE c.number = %s ORDER BY 1", [number])
        docs = [(name, bytes(content)) for name, content in cur.fetchall()]
        cur.execute("SELECT p.material, p.content FROM cases_materialpage p JOIN cases_case c ON c.id = p.case_id "
                    "WHERE c.number = %s ORDER BY 1", [number])
        pages = [(material, bytes(content)) for material, content in cur.fetchall()]
    return docs, pages


@pytest.mark.parametrize("posts", [1, 4])
def test_each_case_holds_its_own_files_alone_and_in_a_group(posts, enrolled, app_event, new_number):
    """Migration 0010: the documents' and pages' bytes go beside the JSON (one bytea[]), each named by its place
    among its post's files; in a group the posts' files follow one another (a post without files among them).
    Every case ends with exactly the bytes its kiosk sent, the last document of a name winning, alone
    (hall_ingest) and in a group of posts of several events each (hall_ingest_group)."""
    from django.utils import timezone

    from hall.cases import group, wire

    sent, batches = [], []
    for p in range(posts):
        kiosk = Kiosk.objects.get(kiosk_id=enrolled()[0])
        if p == 1:  # no files at all in this post
            raw = [{"id": str(uuid.uuid4()), "kind": "rating", "at": AT,
                    "body": {"number": None, "service": "food-licence", "stars": 5, "reason": ""}}]
            numbers = []
        else:
            numbers = [new_number(), new_number()]
            old, doc, other = _file("pdf", "申请书"), _file("pdf", "申请书"), _file("pdf", f"承诺书{p}")
            doc["name"] = old["name"]  # the same name again in a later event: the last one wins
            raw = [app_event(numbers[0], documents=[old], material_pages=[_file("png", "营业执照")]),
                   {"id": str(uuid.uuid4()), "kind": "rating", "at": AT,
                    "body": {"number": numbers[0], "service": "food-licence", "stars": 2, "reason": "慢"}},
                   app_event(numbers[0], documents=[doc, other],
                             material_pages=[_file("png", "平面图"), _file("png", "身份证")]),
                   app_event(numbers[1], documents=[_file("pdf", f"第二件{p}")])]
            raw[2]["body"]["material_pages"] += raw[0]["body"]["material_pages"]
        good = {}
        for r in raw:
            event, reason, _ = wire.check_event(r)
            assert reason is None
            good[event.id] = event
        batches.append(ingest._at_once_batch(kiosk, good, timezone.now(), None))
        for number in numbers:
            last = [r for r in raw if r["kind"] == "application" and r["body"]["number"] == number][-1]["body"]
            sent.append((number, sorted((d["name"], base64.b64decode(d["pdf_b64"])) for d in last["documents"]),
                         sorted((pg["material"], base64.b64decode(pg["png_b64"])) for pg in last["material_pages"])))
    assert group.WRITER.write(batches) == [{"foreign": []}] * posts
    for number, docs, pages in sent:
        assert _files_of(number) == (docs, pages)
