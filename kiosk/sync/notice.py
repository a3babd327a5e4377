"""The 补正 notice on paper: what the hall asked the applicant to correct, printed at the kiosk's lookup.

    receipt = notice_receipt(number, status, hall_name=..., kiosk_id=..., printed_at=...)

The items and the text are the hall's (staff wrote them); the frame is the hall's notice, like the
slips of kiosk.paperwork. It names no person: the number, the item, what is missing, and by when.
"""

from __future__ import annotations

import datetime as dt

from kiosk.sync.replies import HallStatus
from printers.model import Cut, Feed, Field, Receipt, Rule, Text, Title

NOTICE_KIND = "notice"


def notice_receipt(number: str, status: HallStatus, *, service: str, hall_name: str, kiosk_id: str,
                   printed_at: dt.datetime) -> Receipt:
    notice = status.notice or {}
    items = [str(item) for item in notice.get("items") or []]
    blocks: list = [
        Title("补正材料通知"),
        Text(hall_name, align="center"),
        Rule(),
        Field("编号", number),
        Field("事项", service),
        Rule(),
        Text("请补正以下材料（一次告知）：", bold=True),
        *[Text(f"{index}. {item}") for index, item in enumerate(items, start=1)],
    ]
    if notice.get("text"):
        blocks += [Feed(), Text(str(notice["text"]))]
    if notice.get("due"):
        blocks += [Feed(), Field("补正期限", str(notice["due"])[:10])]
    blocks += [
        Feed(),
        Text("补正材料提交后，审查期限重新计算。请携带本通知和回执到窗口，或按工作人员的要求提交。"),
        Rule(),
        Field("打印", f"{printed_at:%Y-%m-%d %H:%M} {kiosk_id}"),
        Cut(),
    ]
    return Receipt(blocks, kind=NOTICE_KIND)
