"""A photographed material goes the whole way: the session's page is saved with the application (a
registered PNG and a material_pages row), appended to the 申请表 PDF, listed for the hall, shown as 已拍照
on the form, made again with the PDF, and purged with the application."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
from pathlib import Path

import cv2
from pypdf import PdfReader

from idreader import demo_cards
from kiosk.app import Kiosk
from kiosk.camera.page import flatten_page
from kiosk.camera.synthetic import Shot, photograph, render_page
from kiosk.config import demo_config
from kiosk.recovery import repair
from kiosk.session import (
    AnswersChanged,
    CaptureOpened,
    CardRead,
    CommitmentConfirmed,
    Confirmed,
    MaterialsConfirmed,
    Next,
    PageCaptured,
    SaveApplication,
    ServiceChosen,
)
from kiosk.store import Store
from kiosk.store.material_pages import material_pages_for, wire_pages
from kiosk.store.retention import purge_expired

ROOT = Path(__file__).resolve().parents[3]
PP = "public-place-health-permit"
PLAN = "平面图及卫生设施布局图"
TODAY = dt.date(2026, 11, 21)


def page_png() -> tuple[bytes, int, int]:
    photo, _ = photograph(render_page("floor_plan"), Shot(rotate=6, tilt=14), seed=2)
    page = flatten_page(photo).page
    return cv2.imencode(".png", page)[1].tobytes(), page.shape[1], page.shape[0]


def save_with_a_page(kiosk: Kiosk):
    answers = json.loads((ROOT / "assets/demo/answers" / f"{PP}.json").read_text(encoding="utf-8"))
    session = kiosk.new_session()
    png, width, height = page_png()
    effects = []
    for event in (ServiceChosen(PP), CardRead(demo_cards.load("adult")), AnswersChanged(tuple(answers.items())),
                  Next(), Next(), CaptureOpened(PLAN), PageCaptured(PLAN, png, width, height),
                  MaterialsConfirmed(()), CommitmentConfirmed("agree"), Next(), Confirmed()):
        effects += session.handle(event)
    draft = next(e for e in effects if isinstance(e, SaveApplication)).draft
    assert [p.material for p in draft.material_pages] == [PLAN]
    issued = kiosk.save(draft)
    return issued, kiosk.write_documents(issued), png


def test_a_photographed_page_is_kept_appended_listed_and_purged(tmp_path: Path) -> None:
    data = tmp_path / "data"
    with Kiosk.build(demo_config(data), today=lambda: TODAY) as kiosk:
        issued, paths, png = save_with_a_page(kiosk)
        pages = material_pages_for(kiosk.store, issued.application_id)
        assert [(p.material, p.page_no) for p in pages] == [(PLAN, 1)]
        assert pages[0].png() == png and pages[0].sha256 == hashlib.sha256(png).hexdigest()
        assert Path(pages[0].path).parent == paths[0].parent  # beside the application's PDFs
        assert Path(pages[0].path).stat().st_mode & 0o777 == 0o600
        body = wire_pages(pages)
        assert body[0]["material"] == PLAN and body[0]["sha256"] == pages[0].sha256 and body[0]["png_b64"]

        application = next(p for p in paths if p.name == "application.pdf")
        reader = PdfReader(application)
        last = reader.pages[-1]
        assert "附件" in last.extract_text() and PLAN in last.extract_text()
        assert len(last.images) == 1
        assert f"{PLAN}" in "".join(page.extract_text() for page in reader.pages[:-1])  # listed on the form
        assert "已拍照" in "".join(page.extract_text() for page in reader.pages[:-1])
        pages_before = len(reader.pages)

        application.unlink()  # the repair (at start, or `kiosk documents`) makes it again, with the photo
        repair(kiosk.store, kiosk.layout)
        assert len(PdfReader(io.BytesIO(application.read_bytes())).pages) == pages_before
        page_file = Path(pages[0].path)
        created = dt.datetime.fromisoformat(kiosk.store.get_application(issued.application_id).created_at)

    with Store.open(data, clock=lambda: created + dt.timedelta(days=400)) as store:  # a year and more later
        report = purge_expired(store, 365, data_dir=data)
        assert issued.application_id in report.application_ids
        assert str(page_file) in report.files_removed
        assert not page_file.exists()
        pages = material_pages_for(store, issued.application_id)
        assert [(p.material, p.purged, p.png()) for p in pages] == [(PLAN, True, None)]
        assert wire_pages(pages) == []
