"""`kiosk apply`, `kiosk jobs` and `kiosk reprint` against the printer emulator over real TCP.

The emulator (printers.emulator.EmulatorServer) answers DLE EOT status queries and keeps every job's
bytes, so a test can compare what the printer received with receipt.bin, and can take the paper away.
"""

from __future__ import annotations

import pytest

from kiosk.store import Store
from printers.emulator import EmulatedPrinter, EmulatorServer

PP = "public-place-health-permit"
WAIT = 10.0  # seconds a test lets a healthy printer take; never reached when it works


@pytest.fixture
def emulator():
    printer = EmulatedPrinter(render_png=False)
    with EmulatorServer(printer) as server:
        yield printer, server.url


@pytest.fixture
def answers(kit, tmp_path):
    return kit.write_json(tmp_path / "answers.json", kit.base_answers(PP))


def apply(run_cli, data_dir, answers, out, printer_url, *extra):
    return run_cli("apply", "--data-dir", data_dir, "--service", PP, "--card", "adult", "--answers", answers,
                   "--out", out, "--printer", printer_url, "--json", *extra)


def test_the_emulator_receives_exactly_receipt_bin(run_cli, tmp_path, answers, emulator):
    printer, url = emulator
    run = apply(run_cli, tmp_path / "data", answers, tmp_path / "out", url, "--wait", WAIT)
    assert run.code == 0
    result = run.json()
    assert result["print"] == {"status": "printed", "job_id": 1, "bytes": len(printer.jobs[0].data)}
    assert printer.jobs_printed == 1
    assert printer.jobs[0].data == (tmp_path / "out" / "receipt.bin").read_bytes()


def test_paper_out_keeps_the_application_and_retry_prints_it_once(run_cli, tmp_path, answers, emulator):
    printer, url = emulator
    data = tmp_path / "data"
    printer.set_paper_out(True)
    run = apply(run_cli, data, answers, tmp_path / "out", url, "--wait", "1")
    assert run.code == 3, run.err  # committed, printing incomplete
    result = run.json()
    assert result["decision"] == "approved"
    assert result["print"]["status"] in ("pending", "failed")
    assert "paper" in result["print"]["error"].lower()
    [problem] = result["problems"]
    assert problem.startswith("print: job 1 is ") and "paper" in problem.lower()
    assert printer.jobs_printed == 0
    with Store.open(data, create=False) as store:
        assert store.find_application(result["licence_no"]).receipt_no == result["receipt_no"]

    listing = run_cli("jobs", "--data-dir", data, "--json").json()
    assert [(job["id"], job["state"], job["reference"]) for job in listing] == [(1, "queued", result["licence_no"])]
    assert "kiosk jobs retry 1" in listing[0]["attention"]

    still_out = run_cli("jobs", "retry", "--data-dir", data, "--wait", "1")
    assert still_out.code == 1
    assert "NOT PRINTED" in still_out.out
    assert printer.jobs_printed == 0

    printer.load_paper()
    retry = run_cli("jobs", "retry", "--data-dir", data, "--wait", WAIT)
    assert (retry.code, retry.err) == (0, "")
    assert "job 1" in retry.out and "printed" in retry.out
    assert printer.jobs_printed == 1
    assert printer.jobs[0].data == (tmp_path / "out" / "receipt.bin").read_bytes()

    again = run_cli("jobs", "retry", "--data-dir", data, "--wait", WAIT)
    assert (again.code, again.out.strip()) == (0, "no queued or failed print jobs")
    assert printer.jobs_printed == 1
    assert run_cli("jobs", "--data-dir", data, "--json").json()[0]["state"] == "done"


def test_reprint_by_receipt_or_licence_number(run_cli, tmp_path, answers, emulator):
    printer, url = emulator
    data = tmp_path / "data"
    result = apply(run_cli, data, answers, tmp_path / "out", url, "--wait", WAIT).json()
    assert printer.wait_for_jobs(1, WAIT)
    first = run_cli("reprint", "--data-dir", data, result["receipt_no"], "--wait", WAIT)
    assert (first.code, first.err) == (0, "")
    assert "copy of job 1" in first.out
    second = run_cli("reprint", "--data-dir", data, result["licence_no"], "--printer", url, "--wait", WAIT)
    assert second.code == 0
    assert "copy of job 2" in second.out
    assert printer.jobs_printed == 3
    assert len({job.data for job in printer.jobs}) == 1
    jobs = run_cli("jobs", "--data-dir", data, "--json").json()
    assert [(j["id"], j["kind"], j["copy_of"], j["state"]) for j in jobs] == [
        (1, "licence", None, "done"), (2, "reprint", 1, "done"), (3, "reprint", 2, "done")]
    verified = run_cli("audit", "verify", "--data-dir", data)  # each copy is in the audit log with its digest
    assert verified.code == 0 and "3 print jobs match" in verified.out


def test_a_failed_job_is_retried_as_a_copy_on_another_printer(run_cli, tmp_path, answers, emulator):
    printer, url = emulator
    data = tmp_path / "data"
    dead = "tcp://127.0.0.1:9?timeout=0.5"  # discard port: nothing listens, the connection is refused
    run = apply(run_cli, data, answers, tmp_path / "out", dead, "--wait", "1")
    assert run.code == 3  # committed, printing incomplete
    assert run.json()["print"]["status"] in ("pending", "failed")
    assert [p.split(" is ")[0] for p in run.json()["problems"]] == ["print: job 1"]
    retry = run_cli("jobs", "retry", "1", "--printer", url, "--data-dir", data, "--wait", WAIT)
    assert (retry.code, retry.err) == (0, "")
    assert printer.jobs_printed == 1
    assert printer.jobs[0].data == (tmp_path / "out" / "receipt.bin").read_bytes()
    jobs = {j["id"]: j for j in run_cli("jobs", "--data-dir", data, "--json").json()}
    printed = [j for j in jobs.values() if j["state"] == "done"]
    assert len(printed) == 1 and printed[0]["printer"] == url
    assert all(j["attention"] is None for j in jobs.values())
    assert run_cli("audit", "verify", "--data-dir", data).code == 0  # a copy made by retry is audited too


def test_jobs_commands_refuse_bad_input_with_one_line(run_cli, tmp_path, answers):
    data = tmp_path / "data"
    assert run_cli("jobs", "--data-dir", data).code == 2  # no database yet
    run_cli("apply", "--data-dir", data, "--service", PP, "--card", "adult", "--answers", answers)
    for argv, words in [
        (("jobs", "retry", "99"), "no print job 99"),
        (("jobs", "retry", "1"), "has printed"),
        (("jobs", "done", "1"), "only uncertain or failed"),
        (("jobs", "done", "99"), "no print job 99"),
        (("reprint", "500151-19990101-K01-0001"), "no application or print job"),
        (("jobs", "retry", "--printer", "gopher://x"), ""),
    ]:
        run = run_cli(*argv, "--data-dir", data)
        assert run.code == 2, argv
        assert run.out == "" and run.err.count("\n") == 1 and words in run.err, (argv, run.err)
    listing = run_cli("jobs", "--data-dir", data)
    assert listing.code == 0
    assert "1 jobs, 0 need attention" in listing.out
    [job] = run_cli("jobs", "--data-dir", data, "--json").json()
    assert f"created {job['created_at']}" in listing.out  # when it was queued, as stored
