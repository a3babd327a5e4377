"""The printed slips' own words in Chinese and English: the translation table for paper. Pure data.

The slips are made below the UI (kiosk.issuing in the save transaction, kiosk.lookup at 扫码查询), so
their words cannot come from kiosk.ui.strings; they live here, beside the session's other words
(kiosk.session.messages), one table per language with the same keys. `slip_words(language)` is what
the layouts take (printers.layouts ZH_WORDS is the Chinese: a Chinese slip prints exactly as before).

What stays Chinese on an English slip, and why (printers.layouts prints it as given): the item's
title (the document's legal name), the issuing or accepting office, the hall's name, names, business
names, addresses, the licensed scope, official numbers, the owed materials of a 补正 list and the
hall's own notice text — the document's legal content, which staff at the window and verifiers read.
English slips print dates as 2026-11-21 (a Chinese date would print 年月日).
"""

from __future__ import annotations

from collections.abc import Mapping

from printers.layouts import ZH_WORDS

ZH: Mapping[str, str] = {
    **ZH_WORDS,
    # the hall's 补正 notice (kiosk.sync.notice)
    "notice_title": "补正材料通知",
    "notice_number": "编号",
    "notice_ask": "请补正以下材料（一次告知）：",
    "notice_due": "补正期限",
    "notice_after": "补正材料提交后，审查期限重新计算。请携带本通知和回执到窗口，或按工作人员的要求提交。",
    "notice_printed": "打印",
}

EN: Mapping[str, str] = {
    "date_format": "%Y-%m-%d",
    "field_separator": ": ",
    "long_term": "no expiry",
    "validity_range": "{start} to {end}",
    "licence_heading": "Licence granted at once (instant approval)",
    "filing_heading": "Completed at once (instant approval)",
    "licence_no": "Licence no.",
    "document_no": "Document no.",
    "result": "Result",
    "applicant": "Applicant",
    "id_number": "ID no.",
    "business_name": "Business",
    "premises": "Premises",
    "licensed_scope": "Licensed for",
    "matter": "Matter",
    "validity": "Valid",
    "issuing_office": "Issued by",
    "certifying_office": "Issued by",
    "issue_date": "Issued on",
    "certify_date": "Issued on",
    "receipt_no": "Application no.",
    "licence_pickup": "Collect the original licence at {window} with this slip, or download the electronic "
                      "licence online.",
    "document_pickup": "Collect the paper document at {window} with this slip, or scan the code to check the "
                       "electronic one.",
    "window_named": "issuing window {window}",
    "window_any": "the hall's issuing window",
    "list_join": ", ",
    "promised_materials": "Promised for later: {materials}. Hand them in at {window} by the promised date.",
    "qr_caption": "Scan to check it is genuine",
    "onecode_caption": "One code for all permits: scan to see every permit of this business",
    "terminal": "{hall}  terminal {kiosk}",
    "printed_at": "Printed {at}",
    "receipt_title": "Acceptance receipt",
    "acceptance_no": "Receipt no.",
    "applied_for": "Business type",
    "applied_item": "Applied for",
    "accepting_office": "Accepted by",
    "accepted_at": "Accepted at",
    "expected_completion": "Expected by",
    "delivery": "Delivery",
    "pickup": "Collect at the window",
    "pickup_at": "Collect at the window ({place})",
    "mail_to": "By EMS to: {address}",
    "corrections": "Materials still needed",
    "corrections_due": "Your application is accepted. Hand in the materials above by {due}; if they are not "
                       "handed in by then, the application counts as withdrawn.",
    "corrections_asap": "Your application is accepted. Hand in the materials above; if they are not handed in "
                        "in time, the application counts as withdrawn.",
    "progress_caption": "Scan to follow the application and check it is genuine",
    "phone": "Enquiries: {phone}",
    "onecode_title": "One code for all permits",
    "onecode_heading": "Every permit of the business (scan to verify)",
    "credit_code": "Credit code",
    "permit_no": "No.",
    "valid_until": "Valid until",
    "expired": " (expired)",
    "no_permits": "This business holds no permit on record.",
    "notice_title": "Notice: materials to hand in",
    "notice_number": "Number",
    "notice_ask": "Please hand in these materials (listed once, in full):",
    "notice_due": "Due by",
    "notice_after": "Once they are handed in, the review period starts again. Bring this notice and your "
                    "receipt to the window, or hand them in as staff tell you.",
    "notice_printed": "Printed",
}

TABLES: Mapping[str, Mapping[str, str]] = {"zh": ZH, "en": EN}


def slip_words(language: str) -> Mapping[str, str]:
    """The slips' words in the session's language (Chinese for any other)."""
    return TABLES.get(language, ZH)
