"""`kiosk reprint NUMBER [--reason TEXT]` (the technician, on the machine) against the printer emulator
over TCP: every copy is audited with the masked holder and the reason; a bad reason is one line, exit 2."""

from __future__ import annotations

import json

import pytest

from idreader import demo_cards, mask_id_number
from kiosk.store import Store
from printers.emulator import EmulatedPrinter, EmulatorServer

PP = "public-place-health-permit"
WAIT = 10.0


@pytest.fixture
def emulator():
    printer = EmulatedPrinter(render_png=False)
    with EmulatorServer(printer) as server:
        yield printer, server.url


@pytest.fixture
def applied(run_cli, kit, tmp_path, emulator):
    printer, url = emulator
    data = tmp_path / "data"
    answers = kit.write_json(tmp_path / "answers.json", kit.base_answers(PP))
    run = run_cli("apply", "--data-dir", data, "--service", PP, "--card", "adult", "--answers", answers,
                  "--printer", url, "--wait", WAIT, "--json")
    assert run.code == 0, run.err
    assert printer.wait_for_jobs(1, WAIT)
    return data, run.json()


def reprint_rows(data) -> list[dict]:
    with Store.open(data, create=False) as store:
        return [json.loads(row["detail"]) for row in store.audit_rows() if row["event"] == "print.reprinted"]


def test_each_copy_is_audited_with_the_masked_holder_and_the_reason(run_cli, applied, emulator):
    printer, _ = emulator
    data, result = applied
    holder = {"name": "张*", "id": mask_id_number(demo_cards.load("adult").id_number)}
    first = run_cli("reprint", "--data-dir", data, result["licence_no"], "--wait", WAIT)
    assert (first.code, first.err) == (0, "")
    second = run_cli("reprint", "--data-dir", data, result["receipt_no"], "--reason", "  slip torn at\nthe window ",
                     "--wait", WAIT)
    assert (second.code, second.err) == (0, "")
    assert printer.wait_for_jobs(3, WAIT)
    rows = reprint_rows(data)
    assert [(row["reason"], row["holder"], row["by"]) for row in rows] == [
        ("technician reprint", holder, "command"), ("slip torn at the window", holder, "command")]
    assert [row["copy_of"] for row in rows] == [1, 2]
    with Store.open(data, create=False) as store:
        text = json.dumps(store.audit_rows(), ensure_ascii=False)
    assert demo_cards.load("adult").id_number not in text and "张伟" not in text


@pytest.mark.parametrize(("reason", "words"), [("   ", "give a reason"), ("x" * 201, "at most 200")])
def test_a_bad_reason_is_one_line_and_prints_nothing(run_cli, applied, emulator, reason, words):
    printer, _ = emulator
    data, result = applied
    run = run_cli("reprint", "--data-dir", data, result["licence_no"], "--reason", reason)
    assert run.code == 2 and run.out == "" and run.err.count("\n") == 1 and words in run.err
    assert reprint_rows(data) == [] and printer.jobs_printed == 1
