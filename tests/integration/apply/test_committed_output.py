"""`kiosk apply` after the commit: a fault in writing the files never hides the numbers (exit 3, the
problem named), an --out it cannot use is refused before anything is stored (exit 2), and
`kiosk documents NUMBER` makes PDFs with the same text as the originals."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from kiosk.store import Store, purge_expired

PP = "public-place-health-permit"
CONTRACT_KEYS = {"service", "decision", "findings", "receipt_no", "licence_no", "documents", "qr", "print"}
PDFS = ("application", "licence", "hygiene_rules")


def apply(run_cli, kit, tmp_path, data, out, *extra):
    answers = kit.write_json(tmp_path / "answers.json", kit.base_answers(PP))
    return run_cli("apply", "--data-dir", data, "--service", PP, "--card", "adult", "--answers", answers,
                   "--out", out, *extra)


def test_an_out_that_is_not_a_folder_is_refused_before_anything_is_stored(run_cli, kit, tmp_path):
    data, out = tmp_path / "data", tmp_path / "out"
    out.write_text("a file, not a folder", encoding="utf-8")
    run = apply(run_cli, kit, tmp_path, data, out, "--json")
    assert run.code == 2
    assert run.out == ""
    assert run.err.startswith(f"kiosk apply: --out {out} is not a writable folder: ")
    assert len(run.err.splitlines()) == 1
    assert not (data / "kiosk.db").exists()


def test_files_that_cannot_be_written_after_the_commit_exit_3_with_the_numbers(run_cli, kit, tmp_path):
    data, out = tmp_path / "data", tmp_path / "out"
    (out / "licence.pdf").mkdir(parents=True)  # the second PDF cannot be written (as on a full disk)
    run = apply(run_cli, kit, tmp_path, data, out, "--json")
    assert run.code == 3, run.err
    assert run.err == ""
    result = run.json()
    assert CONTRACT_KEYS | {"problems"} == set(result)
    assert result["decision"] == "approved" and result["receipt_no"] and result["licence_no"]
    assert result["print"]["status"] == "printed"
    [problem] = result["problems"]
    assert problem.startswith(f"documents: cannot write {out / 'licence.pdf'}: ")
    assert f"kiosk documents {result['licence_no']} --out DIR" in problem
    with Store.open(data, create=False) as store:
        [application] = store.recent_applications()  # one application: nothing to apply again
        assert application.licence_no == result["licence_no"]
        written = {d.kind: d.path for d in store.documents_for(application.id) if d.path}
        assert written["application"] == str(out / "application.pdf")  # the first one made it
        assert "licence" not in written and "hygiene_rules" not in written  # never registered unwritten

    doctor = run_cli("doctor", "--data-dir", data)  # the rest is made again in the data dir
    assert (f"OK       documents: fixed: regenerated the PDFs of 1 application(s) ({result['licence_no']}, "
            "2 file(s))") in doctor.out


def test_slip_files_that_cannot_be_written_are_named_too(run_cli, kit, tmp_path):
    data, out = tmp_path / "data", tmp_path / "out"
    (out / "receipt.bin").mkdir(parents=True)
    run = apply(run_cli, kit, tmp_path, data, out, "--json")
    assert run.code == 3, run.err
    result = run.json()
    assert [p.split(": ", 1)[0] for p in result["problems"]] == ["receipt.bin/receipt.png"]
    assert f"cannot write {out / 'receipt.bin'}" in result["problems"][0]
    assert sorted(Path(p).name for p in result["documents"]) == sorted(f"{kind}.pdf" for kind in PDFS)


def test_text_mode_names_the_problem_beside_the_numbers(run_cli, kit, tmp_path):
    data, out = tmp_path / "data", tmp_path / "out"
    (out / "application.pdf").mkdir(parents=True)
    run = apply(run_cli, kit, tmp_path, data, out)
    assert run.code == 3, run.err
    lines = run.out.splitlines()
    assert lines[0] == f"{PP}: 秒批通过 approved"
    assert any(line.startswith("  受理编号 receipt: 500151-") for line in lines)
    assert any(line.startswith("  证书编号 licence: 铜卫公证字") for line in lines)
    assert lines[-1].startswith(f"  INCOMPLETE documents: cannot write {out / 'application.pdf'}: ")


def test_documents_are_made_again_with_the_same_text_by_receipt_or_licence_number(run_cli, kit, tmp_path):
    data, original = tmp_path / "data", tmp_path / "original"
    result = apply(run_cli, kit, tmp_path, data, original, "--json").json()
    assert result["problems"] == []
    numbers = ((result["receipt_no"], tmp_path / "by-receipt"), (result["licence_no"], tmp_path / "by-licence"))
    for number, folder in numbers:
        run = run_cli("documents", "--data-dir", data, number, "--out", folder)
        assert (run.code, run.err) == (0, "")
        assert run.out.splitlines()[0] == f"{result['licence_no']}: 3 document(s) written"
        for kind in PDFS:
            again = kit.pdf_text(folder / f"{kind}.pdf")
            assert again == kit.pdf_text(original / f"{kind}.pdf")
            assert len(again) > 100
    with Store.open(data, create=False) as store:  # registered, so purge knows them
        paths = {d.path for d in store.documents_for(1) if d.path}
        assert {str(tmp_path / "by-licence" / f"{kind}.pdf") for kind in PDFS} <= paths

    default = run_cli("documents", "--data-dir", data, result["receipt_no"])
    assert default.code == 0
    assert (data / "applications").is_dir() and len(default.out.splitlines()) == 4


def test_documents_refuses_unknown_and_purged_numbers_in_one_line(run_cli, kit, tmp_path):
    data = tmp_path / "data"
    result = apply(run_cli, kit, tmp_path, data, tmp_path / "out", "--json").json()
    unknown = run_cli("documents", "--data-dir", data, "500151-20000101-K01-9999")
    assert unknown.code == 2
    assert unknown.err == "kiosk documents: no application with receipt or licence number '500151-20000101-K01-9999'\n"
    with Store.open(data, create=False) as store:  # 400 days after it was made, by the store's own clock
        made = store.find_application(result["receipt_no"]).created_at
    future = dt.datetime.fromisoformat(made) + dt.timedelta(days=400)
    with Store.open(data, create=False, clock=lambda: future) as store:
        purge_expired(store, 365, data_dir=data)
    purged = run_cli("documents", "--data-dir", data, result["receipt_no"], "--out", tmp_path / "again")
    assert purged.code == 1
    assert purged.err.startswith(f"kiosk documents: application {result['licence_no']} was purged on ")
    assert not (tmp_path / "again").exists()
    missing = run_cli("documents", "--data-dir", tmp_path / "nothing", "X")
    assert missing.code == 2 and missing.err.startswith("kiosk documents: no kiosk database at ")


def test_the_slip_png_is_the_one_the_simulated_printer_rendered_and_equals_the_bin(run_cli, kit, tmp_path,
                                                                                  monkeypatch):
    """receipt.png is taken from the sim printer's own rendering of the very same bytes (not interpreted a
    second time), and is byte for byte what interpreting receipt.bin gives."""
    import io

    import kiosk.headless
    from printers.emulator import PNG_COMPRESS_LEVEL
    from printers.escpos_interpreter import interpret

    def not_again(*args, **kwargs):
        raise AssertionError("the slip was interpreted a second time")

    data, out = tmp_path / "data", tmp_path / "out"
    monkeypatch.setattr(kiosk.headless, "interpret", not_again)
    run = apply(run_cli, kit, tmp_path, data, out, "--json")
    assert run.code == 0, run.err
    monkeypatch.undo()
    preview = io.BytesIO()
    interpret((out / "receipt.bin").read_bytes(), 576).save(preview, format="PNG",
                                                            compress_level=PNG_COMPRESS_LEVEL)
    assert (out / "receipt.png").read_bytes() == preview.getvalue()
