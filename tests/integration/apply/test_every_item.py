"""`kiosk apply` end to end for every catalog item and every demo card whose story fits it.

Each processed application is checked on paper: numbers in their formats, PDFs whose extracted text is
the Chinese they were made from, a QR that verifies with the data dir's key and decodes from
receipt.png, a printed slip, and a row in the database. A blocked one uses no number and stores nothing.
"""

from __future__ import annotations

import datetime as dt
import re
import string
import subprocess

import pytest

from forms import demo_registry as reg
from forms.loader import load_catalog
from kiosk.app import env_calendar
from kiosk.credentials import decode_qr_image, load_signing_key, verify_credential
from kiosk.store import Store
from printers.escpos_interpreter import decode_text

PP, RN, FD, IB, RP, BB = ("public-place-health-permit", "public-place-health-permit-renewal",
                          "food-prepackaged-filing", "individual-business-registration", "residence-permit",
                          "birth-bundle")
RECEIPT_RE = r"500151-(\d{8})-K01-(\d{4})"
LICENCE_RE = r"铜卫公证字〔(\d{4})〕第(\d{6})号"
FILING_RE = r"YB1500151(\d{4})(\d{5})"


#: The kiosk's today: the suite's test clock (tests/conftest.py), whatever the machine's date.
TODAY = env_calendar()[0]()


def days_ago(days: int) -> str:
    return (TODAY - dt.timedelta(days=days)).isoformat()


FATHER = {"applicant_relation": "父亲", "other_parent_name": "李娜", "other_parent_id_number": reg.LI_NA}

# (service, card, answer changes, decision, finding rule ids)
CASES = [
    (PP, "adult", {}, "approved", set()),
    (PP, "longterm", {"uscc": reg.FOOT_SPA_USCC}, "accepted", {"PP-AGENT"}),
    (PP, "longterm", {"uscc": reg.FOOT_SPA_USCC, "is_legal_rep": "是"}, "blocked", {"PP-LEGAL-REP"}),
    (PP, "rare_char", {}, "accepted", {"PP-CREDIT"}),
    (PP, "elderly", {}, "approved", {"PP-EXISTING"}),
    (PP, "foreign2023", {}, "blocked", {"PP-DISTRICT"}),
    (PP, "expired", {}, "blocked", {"PP-CARD-VALID", "PP-AREA"}),
    (PP, "minor", {"uscc": reg.BARBER_USCC, "applicant_phone": "13800000000"}, "blocked",
     {"PP-ADULT", "PP-AGENT"}),
    (PP, "adult", {"has_central_ac": "是"}, "blocked", {"PP-AC-REPORT"}),
    (PP, "adult", {"hygiene_report_date": days_ago(400)}, "blocked", {"PP-REPORT-FRESH"}),
    (RN, "elderly", {}, "approved", set()),
    (RN, "adult", {}, "blocked", {"FIELD-REQUIRED", "RN-NO-LICENCE"}),
    (FD, "hmt", {}, "approved", set()),
    (FD, "hmt", {"sells_bulk_or_made": "是"}, "blocked", {"FD-BULK"}),
    (FD, "foreign2023", {}, "blocked", {"FD-DISTRICT"}),
    (FD, "expired", {}, "blocked", {"FD-CARD-VALID"}),
    (IB, "adult", {}, "accepted", set()),
    (IB, "hmt", {"proposed_name": ""}, "accepted", set()),
    (IB, "adult", {"proposed_name": "铜梁区张记理发有限公司"}, "blocked",
     {"IB-NAME-FORBIDDEN", "IB-NAME-SHAPE"}),
    (IB, "minor", {"applicant_phone": "13800000000"}, "blocked", {"IB-AGE"}),
    (IB, "expired", {}, "blocked", {"IB-CARD-VALID"}),
    (RP, "li_na", {}, "accepted", set()),
    (RP, "li_na", {"residence_since": days_ago(60)}, "blocked", {"RP-HALF-YEAR"}),
    (RP, "adult", {"residence_address": "重庆市铜梁区巴川街道中兴路 88 号"}, "blocked", {"RP-LOCAL"}),
    (RP, "hmt", {}, "blocked", {"RP-RESIDENT"}),
    (BB, "li_na", {}, "accepted", set()),
    (BB, "adult", FATHER, "accepted", set()),
    (BB, "adult", {"other_parent_name": "李娜", "other_parent_id_number": reg.LI_NA}, "blocked", {"BB-RELATION"}),
    (BB, "li_na", {"child_birth_date": days_ago(400)}, "blocked", {"BB-CHILD-AGE"}),
    # The items and bundles added with issue 15: one story each (forms.demo_registry), a few blocked.
    ("individual-business-change", "adult", {}, "accepted", set()),
    ("individual-business-deregistration", "adult", {}, "accepted", set()),
    ("food-business-licence", "hmt", {}, "approved", set()),
    ("food-business-licence", "hmt", {"staff_health_certified": 1}, "blocked", {"FL-HEALTH"}),
    ("small-catering-registration", "longterm", {}, "approved", set()),
    ("public-place-health-permit-change", "elderly", {}, "approved", set()),
    ("public-place-health-permit-cancel", "elderly", {}, "approved", set()),
    ("business-licence-replacement", "adult", {}, "accepted", set()),
    ("flexible-employment-insurance", "rare_char", {}, "approved", set()),
    ("unemployment-registration", "rare_char", {}, "approved", set()),
    ("unemployment-registration", "longterm", {}, "blocked", {"UR-EMPLOYED"}),
    ("unemployment-insurance-benefit", "rare_char", {}, "accepted", {"UB-NOT-REGISTERED"}),
    ("social-security-card-replacement", "adult", {}, "accepted", set()),
    ("social-insurance-certificate", "adult", {}, "approved", set()),
    ("pension-retirement", "longterm", {}, "accepted", set()),
    ("employment-registration", "adult", {}, "approved", set()),
    ("employee-insurance-enrolment", "adult", {}, "approved", set()),
    ("medical-remote-filing", "elderly", {}, "approved", set()),
    ("resident-medical-insurance-enrolment", "minor", {}, "approved", {"RM-GUARDIAN"}),
    ("maternity-allowance", "li_na", {}, "accepted", set()),
    ("residence-permit-endorsement", "li_na", {}, "approved", set()),
    ("hukou-certificate", "adult", {}, "approved", set()),
    ("housing-fund-deposit-certificate", "longterm", {}, "approved", set()),
    ("housing-fund-withdrawal-rent", "li_na", {}, "approved", set()),
    ("housing-fund-withdrawal-retirement", "elderly", {}, "approved", set()),
    ("no-criminal-record-certificate", "adult", {}, "approved", set()),
    ("no-housing-certificate", "rare_char", {}, "approved", set()),
    ("disability-card-replacement", "elderly", {}, "accepted", set()),
    ("disability-subsidy", "elderly", {}, "accepted", set()),
    ("teacher-qualification", "rare_char", {}, "accepted", set()),
    ("senior-allowance", "elderly", {}, "approved", set()),
    ("senior-allowance", "adult", {"bank_card": "6217003760001234567"}, "blocked", {"SA-AGE"}),
    ("marriage-registration-appointment", "rare_char", {}, "approved", set()),
    ("minimum-living-allowance", "longterm", {}, "accepted", set()),
    ("restaurant-bundle", "rare_char", {}, "accepted", set()),
    ("retirement-bundle", "longterm", {}, "accepted", set()),
    ("hiring-bundle", "adult", {}, "accepted", set()),
    ("unemployment-bundle", "rare_char", {}, "accepted", set()),
]


def test_every_catalog_item_is_covered():
    assert {case[0] for case in CASES} == set(load_catalog())


def card_arg(kit, name: str, folder) -> str:
    return str(kit.write_json(folder / "li_na.json", kit.li_na_card())) if name == "li_na" else name


def pdf_text(path) -> str:
    return subprocess.run(["pdftotext", "-q", str(path), "-"], capture_output=True, text=True, check=True,
                          timeout=30).stdout


@pytest.mark.parametrize(("service", "card", "changes", "decision", "rules"), CASES,
                         ids=[f"{c[0]}-{c[1]}-{c[3]}-{'+'.join(sorted(c[4])) or 'clean'}" for c in CASES])
def test_apply(run_cli, kit, module_dir, tmp_path, service, card, changes, decision, rules):
    data_dir = module_dir / "data"
    answers = kit.write_json(tmp_path / "answers.json", {**kit.base_answers(service), **changes})
    run = run_cli("apply", "--data-dir", data_dir, "--service", service, "--card", card_arg(kit, card, tmp_path),
                  "--answers", answers, "--out", tmp_path / "out", "--json")
    assert (run.code, run.err) == (0, "")
    result = run.json()
    assert result["service"] == service
    assert result["decision"] == decision
    assert {f["rule"] for f in result["findings"]} == rules
    assert all(f["message"] and f["severity"] in ("block", "review", "warn") for f in result["findings"])
    if decision == "blocked":
        assert (result["receipt_no"], result["licence_no"], result["documents"], result["qr"]) == (None, None, [], None)
        assert result["print"]["job_id"] is None
        assert not (tmp_path / "out" / "receipt.bin").exists()
        return
    check_numbers(result, service, decision, TODAY)
    check_documents(result, tmp_path / "out")
    check_qr(result, data_dir, tmp_path / "out")
    assert result["print"]["status"] == "printed"
    assert result["print"]["bytes"] == (tmp_path / "out" / "receipt.bin").stat().st_size > 0
    check_slip_privacy(tmp_path / "out" / "receipt.bin")
    with Store.open(data_dir, create=False) as store:
        record = store.find_application(result["receipt_no"])
    assert record is not None
    assert (record.service, record.decision, record.licence_no) == (service, decision, result["licence_no"])


def check_slip_privacy(slip) -> None:
    """The slip (taken home, left on counters) carries no mobile number and no full ID number."""
    printed = "\n".join(decode_text(slip.read_bytes()))
    assert not re.search(r"(?<!\d)1[3-9]\d{9}(?!\d)", printed), "a phone number is on the slip"
    assert not re.search(r"\d{17}[\dX]", printed), "a full ID number is on the slip"


def check_numbers(result, service, decision, day) -> None:
    """The numbers carry the kiosk's day: the receipt its date, the licence or filing number its year."""
    receipt = re.fullmatch(RECEIPT_RE, result["receipt_no"])
    assert receipt, result["receipt_no"]
    assert receipt.group(1) == day.strftime("%Y%m%d")
    assert int(receipt.group(2)) >= 1
    if decision == "accepted":
        assert result["licence_no"] is None
        return
    spec = load_catalog()[service]
    licence = re.fullmatch(number_regex(spec.numbering.licence.format), result["licence_no"])
    assert licence, result["licence_no"]
    assert licence["year"] == str(day.year)


def number_regex(template: str) -> str:
    """A licence-number format of the spec as a regex over the demo hall's settings; group `year`."""
    parts = {"district_code": "500151", "licence_prefix": "铜", "kiosk_id": "K01", "YYYY": r"(?P<year>\d{4})",
             "YYYYMMDD": r"(?P<year>\d{4})\d{4}", "MM": r"\d{2}", "DD": r"\d{2}"}
    out = ""
    for literal, name, width, _ in string.Formatter().parse(template):
        out += re.escape(literal)
        if name == "seq":
            out += rf"\d{{{int(width.removesuffix('d') or 1)},}}"
        elif name:
            out += parts[name]
    return out


def check_documents(result, out) -> None:
    assert result["documents"], "a processed application has documents"
    names = {path.rsplit("/", 1)[-1] for path in result["documents"]}
    assert "application.pdf" in names
    listed = load_catalog()[result["service"]].documents
    assert ("licence.pdf" in names) == (result["licence_no"] is not None and "licence" in listed)
    for path in result["documents"]:
        assert path.startswith(str(out))
        text = pdf_text(path)
        assert re.search(r"[\u4e00-\u9fff]{4}", text), f"{path}: no Chinese text extracted"
    application = pdf_text(out / "application.pdf")
    assert result["receipt_no"] in application
    title = load_catalog()[result["service"]].title
    assert title in application.replace(" ", "").replace("\n", "")


def check_qr(result, data_dir, out) -> None:
    claims = verify_credential(result["qr"], [load_signing_key(data_dir).public_key()])
    assert claims.number == (result["licence_no"] or result["receipt_no"])
    assert claims.service == result["service"]
    assert result["qr"] in decode_qr_image(out / "receipt.png")
