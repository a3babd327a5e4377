"""Sample kiosk events for the console's tests and for a demo hall, stored through the hall's own ingest
(hall.cases.ingest) as a kiosk's batch would be: applications with a real PDF and a real PNG material page,
staff calls, ratings and step statistics, plus a heartbeat's body on the kiosk row."""

from __future__ import annotations

import base64
import hashlib
import io
import uuid
from typing import Any

AT = "2026-11-21T10:00:00+08:00"


def pdf_bytes(text: str) -> bytes:
    """A one-page PDF saying `text` (reportlab, as the kiosk makes its documents)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=A4)
    page.drawString(72, 760, text)
    page.showPage()
    page.save()
    return out.getvalue()


def png_bytes(colour: tuple[int, int, int] = (200, 210, 230)) -> bytes:
    """A small PNG standing for a photographed material page."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (320, 440), colour)
    ImageDraw.Draw(image).rectangle((30, 30, 290, 120), outline=(40, 40, 40), width=4)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _blob(data: bytes) -> tuple[str, str]:
    return base64.b64encode(data).decode(), hashlib.sha256(data).hexdigest()


def application(number: str, *, outcome: str = "accepted", service: str = "food-licence",
                service_title: str = "食品经营许可", findings: list[dict] | None = None, at: str = AT,
                with_files: bool = True, name: str = "张三", id_number: str = "110101199001011234",
                answers: dict | None = None) -> dict:
    documents, pages = [], []
    if with_files:
        pdf_b64, pdf_sha = _blob(pdf_bytes(f"Application {number}"))
        png_b64, png_sha = _blob(png_bytes())
        documents = [{"name": "application.pdf", "sha256": pdf_sha, "pdf_b64": pdf_b64}]
        pages = [{"material": "经营场所平面图", "sha256": png_sha, "png_b64": png_b64}]
    return {
        "id": str(uuid.uuid4()), "kind": "application", "at": at,
        "body": {
            "number": number, "service": service, "service_title": service_title, "outcome": outcome,
            "decided_at": at, "licence_number": None, "document_name": "食品经营许可证", "office": "市场监督管理局",
            "promised_days": None, "time_limit_days": 20,
            "applicant": {"name": name, "id_number": id_number, "phone": "13800000000"},
            "answers": answers if answers is not None else {"shop_name": "张三小吃", "address": "人民路 1 号"},
            "findings": findings if findings is not None else [
                {"rule": "floor-plan", "severity": "warning", "message": "缺少经营场所平面图"},
                {"rule": "health-cert", "severity": "warning", "message": "从业人员健康证明已过期"},
            ],
            "documents": documents, "material_pages": pages,
        },
    }


def staff_call(location: str = "一楼大厅 2 号机", screen: str = "form", service: str = "food-licence",
               at: str = AT) -> dict:
    return {"id": str(uuid.uuid4()), "kind": "staff_call", "at": at,
            "body": {"call_id": str(uuid.uuid4()), "screen": screen, "service": service, "number": None,
                     "location": location}}


def rating(stars: int, reason: str = "", service: str = "food-licence", number: str | None = None,
           at: str = AT) -> dict:
    return {"id": str(uuid.uuid4()), "kind": "rating", "at": at,
            "body": {"number": number, "service": service, "stars": stars, "reason": reason}}


def step_stats(service: str = "food-licence", *, finished: bool = True, abandoned_at: str | None = None,
               seconds: tuple[float, ...] = (20.0, 95.0, 40.0), at: str = AT) -> dict:
    names = ("card", "form", "materials", "sign", "printing")
    steps = [{"step": names[i % len(names)], "entered_at": at, "seconds": s} for i, s in enumerate(seconds)]
    return {"id": str(uuid.uuid4()), "kind": "step_stats", "at": at,
            "body": {"session_id": uuid.uuid4().hex, "service": service, "steps": steps, "finished": finished,
                     "abandoned_at": abandoned_at}}


def store(kiosk_id: str, events: list[dict], **kwargs: Any) -> list[str]:
    """Ingest `events` as kiosk `kiosk_id`'s batch; the held ids (fails loudly on any rejection)."""
    from hall.cases.ingest import ingest
    from hall.cases.models import Kiosk

    held, rejected = ingest(Kiosk.objects.get(kiosk_id=kiosk_id), events, **kwargs)
    if rejected:
        raise ValueError(f"the hall rejected sample events: {rejected}")
    return held


def heartbeat(kiosk_id: str, *, seen_ago_s: float | None = 5, reader: str = "ok", printer: str = "ok",
              paper: str = "ok", camera: str = "ok", oldest_unsent_s: float | None = None, unsent: int = 0,
              applications: int = 0) -> None:
    """Put a heartbeat's state on the kiosk row, as if it beat `seen_ago_s` seconds ago by the database's
    clock (None: on 2026-11-20, long silent)."""
    import datetime as dt

    from django.db.models.functions import Now

    from hall.cases.models import Kiosk

    if seen_ago_s is None:
        seen = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC)
    else:
        seen = Now() - dt.timedelta(seconds=seen_ago_s)
    Kiosk.objects.filter(kiosk_id=kiosk_id).update(
        last_seen=seen, last_kiosk_time=seen, version="0.1.0",
        last_heartbeat={"modules": {"reader": reader, "printer": printer, "paper": paper, "camera": camera},
                        "oldest_unsent_s": oldest_unsent_s, "unsent": unsent,
                        "counts": {"applications": applications, "approved": 0, "accepted": applications}})
