"""An English session's slip, printed through the ESC/POS emulator over real TCP, says its own words in
English: the only Han characters on it (in the bytes the printer received and in what they print, the
preview PNG) are what stays Chinese by law — the item's title, the office, the hall, names, the
business, its address, the licensed scope, official numbers (kiosk.session.slip_words). A Chinese
session's slip is unchanged (the golden files of tests/unit/printers). Its QR codes are the same
signed credentials `kiosk verify` reads. The 一码通行 slip and the hall's 补正 notice follow the same
table. A reprint is a copy of the printed bytes (kiosk.lookup): it keeps the original's language.
"""

from __future__ import annotations

import datetime as dt

import pytest
from integration.kiosk.test_session_jobs import WAIT, Visit, kiosk_config

from forms.demo_registry import HOTEL_USCC
from idreader.wording import mask_name
from kiosk.app import Kiosk
from kiosk.config import demo_config
from kiosk.credentials import verify_credential
from kiosk.onecode import business_claims, onecode_slip, printable_code
from kiosk.services.app_services import AppServices
from kiosk.session import FakeClock, LanguageSet, PrintFinished
from kiosk.session.slip_words import EN, ZH
from kiosk.sync.notice import notice_receipt
from kiosk.sync.replies import HallStatus
from kiosk.ui.readability import han_characters
from printers.emulator import EmulatedPrinter, EmulatorServer
from printers.escpos_interpreter import interpret, parse
from printers.escpos_render import render_escpos
from printers.profiles import get_profile

WIDTH = 576


@pytest.fixture
def emulator():
    printer = EmulatedPrinter(render_png=False)
    with EmulatorServer(printer) as server:
        yield printer, server.url


def han_left(text: str, kept: list[str]) -> list[str]:
    """The Han characters of `text` once every kept (legally Chinese) string is taken out."""
    for word in sorted({k for k in kept if k}, key=len, reverse=True):
        text = text.replace(word, "")
    return han_characters(text)


def print_one(tmp_path, url, clock, kiosk_calendar, language):
    services = AppServices(kiosk_config(tmp_path / language, url), print_timeout=WAIT, **kiosk_calendar(clock))
    try:
        visit = Visit(services, clock)
        visit.send(LanguageSet(language))
        assert isinstance(visit.apply(), PrintFinished)
        job = services.kiosk.queue.jobs()[-1]
        number = job.reference
        record = services.kiosk.store.find_application(number)
        spec = services.catalog[record.service]
        hall = services.kiosk.hall
        # what stays Chinese: the item's title and result, the office, the hall, official numbers, the
        # holder's (masked) name, the answers (business name, address, scope: the form's values) and the
        # materials as the item names them (owed or promised: what staff check the paper against)
        kept = [spec.title, spec.result_name or "", hall.office_name(spec.office), hall.name,
                record.licence_no or "", record.receipt_no or "", mask_name(record.applicant_name or ""),
                *(value for value in record.answers.values() if isinstance(value, str)),
                *(material.name for material in spec.materials)]
        return services.kiosk.queue.payload(job.id), kept, services.kiosk.signing_key.public_key()
    finally:
        services.close()


def test_an_english_session_prints_its_slip_in_english(tmp_path, emulator, today, kiosk_calendar):
    printer, url = emulator
    clock = FakeClock(today)
    payload, kept, public_key = print_one(tmp_path, url, clock, kiosk_calendar, "en")
    assert printer.wait_for_jobs(1, WAIT) and printer.jobs[0].data == payload  # what went over TCP

    printed = parse(payload, WIDTH)
    text = "\n".join(printed.text_lines)
    assert han_left(text, kept) == [], text
    # The preview PNG is drawn from these bytes alone: its glyphs are these text lines and the QR codes,
    # no raster image that could carry other words.
    assert printed.raster_images == 0
    interpret(payload, WIDTH).save(tmp_path / "english-slip.png")
    for label in ("Licence no.: ", "Applicant: ", "Valid: ", "Issued by: ", "Scan to check it is genuine",
                  f"Printed {today:%Y-%m-%d}"):
        assert label in text, label
    assert "年" not in text and "：" not in text
    # The QR code is the same signed credential as on a Chinese slip.
    claims = verify_credential(printed.qr_payloads[0], [public_key])
    assert claims.number == kept[4] and claims.office == kept[2]


def test_a_chinese_session_prints_the_chinese_words(tmp_path, emulator, today, kiosk_calendar):
    _printer, url = emulator
    clock = FakeClock(today)
    payload, _kept, _key = print_one(tmp_path, url, clock, kiosk_calendar, "zh")
    text = "\n".join(parse(payload, WIDTH).text_lines)
    for label in ("许可证号：", "申请人：", "有效期限：", "发证机关：", "扫码核验真伪", "打印时间："):
        assert label in text, label
    assert "Licence" not in text
    joined = text.replace("\n", "")
    assert "请凭本凭条到1号发证窗口领取" in joined  # the config's hall.pickup_window
    assert "承诺后补材料：平面图及卫生设施布局图。请按承诺的期限交到1号发证窗口。" in joined  # not photographed


def test_the_two_tables_have_the_same_words_and_english_has_no_han() -> None:
    assert set(EN) == set(ZH)
    assert {key: han_characters(value) for key, value in EN.items() if han_characters(value)} == {}
    assert dt.date(2026, 11, 21).strftime(EN["date_format"]) == "2026-11-21"


def printed(receipt) -> str:
    profile = get_profile("xprinter-80")
    return "\n".join(parse(render_escpos(receipt, profile, "text"), profile.width_dots).text_lines)


def test_the_business_code_slip_and_the_correction_notice_in_english(tmp_path):
    """一码通行 (扫码查询) and the hall's 补正 notice: English words; the permits' titles and offices, the
    business, the hall and the hall's own notice text stay as written."""
    day = dt.date(2026, 11, 21)
    with Kiosk.build(demo_config(tmp_path / "data"), today=lambda: day) as kiosk:
        claims = business_claims(kiosk.registry, kiosk.store, HOTEL_USCC, today=day, kiosk_id="K01")
        text = printable_code(claims, kiosk.signing_key)
        at = dt.datetime(2026, 11, 21, 9)
        english = printed(onecode_slip(claims, text, hall_name=kiosk.hall.name, printed_at=at, language="en"))
        chinese = printed(onecode_slip(claims, text, hall_name=kiosk.hall.name, printed_at=at))
        kept = [claims.name, kiosk.hall.name, *(p.item for p in claims.permits), *(p.office for p in claims.permits),
                *(p.number for p in claims.permits)]
        assert han_left(english, kept) == [], english
        assert "(expired)" in english and "Credit code: " in english
        assert "（已过期）" in chinese and "统一社会信用代码：" in chinese

        notice = {"kind": "correction", "items": ["从业人员健康合格证明"], "text": "请补交健康证明原件",
                  "due": "2026-11-28T00:00:00+08:00"}
        status = HallStatus("SL1", "correction_requested", None, notice, None, None)
        english = printed(notice_receipt("SL1", status, service="公共场所卫生许可（新办）", hall_name=kiosk.hall.name,
                                         kiosk_id="K01", printed_at=at, language="en"))
        assert han_left(english, [*notice["items"], notice["text"], "公共场所卫生许可（新办）", kiosk.hall.name]) == []
        assert "Due by: 2026-11-28" in english and "review period starts again" in " ".join(english.split())
