"""The 补正 notice on paper: what the hall asked the applicant to correct, printed at the kiosk's lookup.

    receipt = notice_receipt(number, status, hall_name=..., kiosk_id=..., printed_at=..., language="en")

The items and the text are the hall's (staff wrote them): they print as written, in Chinese, as does
the item's title; the frame (labels, the explanation) is in the session's language
(kiosk.session.slip_words). It names no person: the number, the item, what is missing, and by when.
"""

from __future__ import annotations

import datetime as dt

from kiosk.session.slip_words import slip_words
from kiosk.sync.replies import HallStatus
from printers.model import Cut, Feed, Field, Receipt, Rule, Text, Title

NOTICE_KIND = "notice"


def notice_receipt(number: str, status: HallStatus, *, service: str, hall_name: str, kiosk_id: str,
                   printed_at: dt.datetime, language: str = "zh") -> Receipt:
    w = slip_words(language)
    notice = status.notice or {}
    items = [str(item) for item in notice.get("items") or []]
    blocks: list = [
        Title(w["notice_title"]),
        Text(hall_name, align="center"),
        Rule(),
        Field(w["notice_number"], number, w["field_separator"]),
        Field(w["matter"], service, w["field_separator"]),
        Rule(),
        Text(w["notice_ask"], bold=True),
        *[Text(f"{index}. {item}") for index, item in enumerate(items, start=1)],
    ]
    if notice.get("text"):
        blocks += [Feed(), Text(str(notice["text"]))]
    if notice.get("due"):
        blocks += [Feed(), Field(w["notice_due"], str(notice["due"])[:10], w["field_separator"])]
    blocks += [
        Feed(),
        Text(w["notice_after"]),
        Rule(),
        Field(w["notice_printed"], f"{printed_at:%Y-%m-%d %H:%M} {kiosk_id}", w["field_separator"]),
        Cut(),
    ]
    return Receipt(blocks, kind=NOTICE_KIND)
