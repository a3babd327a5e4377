"""The view the screens render: the session's `view_dict` plus what is derived from it for display.

Pure (no Qt). `screen_view(state, spec, today)` adds the screen's instruction, the QR image's address,
the service title, the outcome line (秒批, or 受理
with the date staff review ends: the same date the 受理回执 prints), the materials rows and `today` (the
session clock's date, which the date picker's 今天 uses: never the machine's own clock). Every word
comes from the translation table (kiosk.ui.strings).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from forms.numbering import expected_completion
from kiosk.camera.url import NO_CAMERA
from kiosk.session import SessionState, view_dict
from kiosk.session.messages import instruction, written_date
from kiosk.session.spec_words import rule_message, spec_text, with_rule_messages
from kiosk.ui.strings import word

PROMISABLE = ("promise", "camera_or_promise")
PHOTOGRAPHABLE = ("camera", "camera_or_promise")


def screen_view(state: SessionState, spec: Any, today: dt.date, pickup_window: str = "1",
                camera: bool = True, reader_position: str = "below") -> dict[str, Any]:
    """`view_dict(state)` with `fix_round`, `today`, `instruction`, `qr_source`, `outcome_line`,
    `service_title`, `materials_info`, and issue 14's `missing` (what the materials screen still needs,
    named next to 下一步), `document_name` (the item's own: a 备案 is not a licence), `number_label`,
    `delivery_in_form` (the form asked pickup/mail: the result screen does not ask again) and
    `pickup_line` (where the original is collected, with the hall's 发证窗口 number, or where it is mailed;
    "" while a 受理 applicant has not chosen), `expected_date`, `not_printed_line` (after 不打印，继续: what
    to do instead), `decision_line` (受理: nothing to collect yet, when the decision is due) and
    `promised_line` (the materials promised under 告知承诺, their terms, and where they go).
    `camera` False (config `devices.camera = "none"`): no material offers a photo; one that wanted one
    says at once to bring the paper copy to the window (no capture step that ends in "no camera").
    `reader_where` points to the card reader of this terminal (config `display.reader_position`), for
    an applicant who has never used one: the card screen shows it and elder mode says it."""
    view = view_dict(state)
    view["instruction"] = instruction(view["screen"], view["language"])
    view["reader_where"] = reader_where(reader_position, view["language"])
    view["qr_source"] = f"image://kiosk/qr/{view['number']}" if view.get("number") else ""
    view["fix_round"] = state.fix_round
    view["today"] = today.isoformat()
    view["document_name"] = document_name(spec, view["language"])
    if view.get("notice") and spec is not None:  # a card the item excludes names its rules' reasons
        view["notice"] = {key: with_rule_messages(value, spec.rules, view["language"]) if isinstance(value, str)
                          else value for key, value in view["notice"].items()}
    view["outcome_line"] = outcome_line(view, spec, today)
    language = view["language"]
    view["service_title"] = spec_text(spec.title, language) if spec is not None else ""
    view["materials_info"] = materials_info(spec, view, camera) if spec is not None else []
    view["requires_commitment"] = bool(spec is not None and spec.commitment)
    view["missing"] = missing_steps(view)
    language = view["language"]
    view["number_label"] = (word(language, "documentNo").format(document=view["document_name"])
                            if view.get("licence_no") else word(language, "receiptNo"))
    view["printed_document"] = view["document_name"] if view.get("licence_no") else word(language, "receiptName")
    view["delivery_in_form"] = bool(spec is not None and spec.role_key(_delivery_role()))
    view["pickup_line"] = pickup_line(view, pickup_window)
    view["expected_date"] = (written_date(expected_completion(spec, today).isoformat(), language)
                             if spec is not None else "")
    view["not_printed_line"] = not_printed_line(view, pickup_window)
    view["decision_line"] = (word(language, "decisionLater").format(date=view["expected_date"])
                             if view.get("outcome") == "accepted" and view["expected_date"] else "")
    view["promised_line"] = promised_line(spec, view, pickup_window) if spec is not None else ""
    view["stages"] = [word(language, f"stage_{index}", name) for index, name in enumerate(view.get("stages") or [])]
    rules = spec.rules if spec is not None else ()
    view["findings"] = [{**f, "message": rule_message(f.get("rule", ""), f.get("message", ""), language, rules)}
                        for f in view.get("findings") or []]
    return view


def pickup_window_of(services: Any) -> str:
    """The hall's 发证窗口 number (config `hall.pickup_window`) once the services have loaded, else "1"."""
    hall = getattr(getattr(services, "directory", None), "hall", None)
    return str(getattr(hall, "pickup_window", "1"))


def kiosk_facts(services: Any) -> dict[str, Any]:
    """`screen_view`'s facts of this kiosk: its 发证窗口 number, whether it has a document camera (the
    configured address is not `none`; read at each render, so a panel change shows at once) and where its
    card reader is."""
    kiosk = getattr(services, "kiosk", None)
    devices = getattr(kiosk, "devices", None)
    camera_url = str(getattr(devices, "camera_url", "") or "")
    display = getattr(getattr(kiosk, "config", None), "display", None)
    return {"pickup_window": pickup_window_of(services), "camera": camera_url.strip() != NO_CAMERA,
            "reader_position": str(getattr(display, "reader_position", "below"))}


def reader_where(position: str, language: str) -> str:
    """Where this terminal's card reader is, with an arrow pointing there (below when not known)."""
    return word(language, f"readerWhere_{position}", "") or word(language, "readerWhere_below")


def document_name(spec: Any, language: str) -> str:
    """What an approved applicant takes away, by the item's own name (`result_name`, in English from
    kiosk.session.spec_words: a filing is not called a licence)."""
    if spec is not None and spec.result_name:
        shown = spec_text(str(spec.result_name), language)
        if language == "zh" or shown != spec.result_name:
            return shown
    return word(language, "licenceNo").removesuffix("编号").removesuffix(" no.")


def missing_steps(view: dict[str, Any]) -> list[str]:
    """What the materials screen still needs before 下一步, in the order the screen lists it."""
    language = view["language"]
    missing = []
    if view["materials"] and not view["materials_confirmed"]:
        missing.append(word(language, "missing_materials"))
    if view["requires_commitment"] and not view["commitment"]:
        missing.append(word(language, "missing_commitment"))
    return missing


def pickup_line(view: dict[str, Any], window: str) -> str:
    """Where the result is collected: the hall's 发证窗口 (by number), or the mailing address."""
    language = view["language"]
    delivery = view.get("delivery") or {}
    if view.get("outcome") == "approved":  # before 确认提交 it says what prints; after, where the original is
        key = "approvedPickup" if view.get("step") == "result" else "approvedPickupAfter"
        return word(language, key).format(document=view["document_name"], window=window)
    if delivery.get("method") == "mail":
        return word(language, "mailTo").format(address=delivery.get("address", ""))
    if view.get("outcome") == "accepted" and delivery.get("method") == "pickup":  # "" until a method is chosen
        return word(language, "pickupWindow").format(window=window)
    return ""


def promised_line(spec: Any, view: dict[str, Any], window: str) -> str:
    """Once the outcome is known: the materials promised under 告知承诺, each with the item's own terms (its
    note names the period), and where to hand them in. Empty when nothing is promised."""
    language = view["language"]
    promised = set(view.get("materials_promised") or ())
    if not promised or view.get("outcome") not in ("approved", "accepted"):
        return ""
    named = [spec_text(m.name, language) + (word(language, "noteOpen") + spec_text(m.note, language)
                                            + word(language, "noteClose") if m.note else "")
             for m in spec.materials if m.name in promised]
    return word(language, "promisedLine").format(materials=word(language, "listJoin").join(named), window=window)


def not_printed_line(view: dict[str, Any], window: str) -> str:
    """After 不打印，继续 (nothing printed): what to do instead. An approved document is collected at the
    发证窗口 or reprinted at 扫码查询·补打 with the ID card; a 受理回执 only reprinted there (the original
    waits for staff review). Empty when the slip printed."""
    if not view.get("print_skipped"):
        return ""
    key = "notPrintedApproved" if view.get("outcome") == "approved" else "notPrintedAccepted"
    return word(view["language"], key).format(window=window)


def materials_info(spec: Any, view: dict[str, Any], camera: bool = True) -> list[dict[str, Any]]:
    """The materials screen's rows: each needed material with what the applicant does about it, and a
    first row naming what shared data already covers. Without a camera a material to photograph is one
    to bring (camera) or to promise or bring (camera_or_promise): no 拍照 button."""
    language = view["language"]
    rows = []
    shared = [spec_text(spec.field(f["key"]).label, language) for f in view["fields"] if f["source"] == "registry"]
    if shared:
        rows.append({"name": word(language, "sharedCovers"), "status": word(language, "listJoin").join(shared),
                     "promisable": False, "photographable": False, "captured": False})
    for material in spec.materials:
        if material.name in view["materials"]:
            note = (word(language, "noteOpen") + spec_text(material.note, language) + word(language, "noteClose")
                    if material.note else "")
            captured = material.name in view.get("materials_captured", ())
            how = material.how if camera or material.how not in PHOTOGRAPHABLE else f"{material.how}_no_camera"
            status = word(language, "photographed") if captured else word(language, f"material_{how}")
            rows.append({"name": spec_text(material.name, language), "material": material.name,
                         "status": status + note, "promisable": material.how in PROMISABLE and not captured,
                         "photographable": camera and material.how in PHOTOGRAPHABLE, "captured": captured})
    return rows


def outcome_line(view: dict[str, Any], spec: Any, today: dt.date) -> str:
    """秒批, or 受理 with the date the item's staff review ends (the same date the 受理回执 prints)."""
    language = view["language"]
    outcome = view.get("outcome")
    if outcome == "approved":
        return word(language, "approved").format(document=view["document_name"])
    if outcome == "accepted" and spec is not None:
        due = expected_completion(spec, today)  # the one formula the 受理回执 prints too
        written = written_date(due.isoformat(), language)
        return word(language, "accepted") + "，" + word(language, "expected").format(date=written)
    return word(language, "accepted") if outcome == "accepted" else ""


def _delivery_role() -> Any:
    """forms.spec.FieldRole.DELIVERY, imported when a service is open: the start screen's first frame
    does not wait for the spec module (plain dataclasses now; the pydantic schema is never imported)."""
    from forms.spec import FieldRole

    return FieldRole.DELIVERY
