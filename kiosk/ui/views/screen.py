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
from kiosk.session import SessionState, view_dict
from kiosk.session.messages import instruction
from kiosk.ui.spec_words import rule_message, spec_text
from kiosk.ui.strings import word

PROMISABLE = ("promise", "camera_or_promise")


def screen_view(state: SessionState, spec: Any, today: dt.date) -> dict[str, Any]:
    """`view_dict(state)` with `fix_round`, `today`, `instruction`, `qr_source`, `outcome_line`,
    `service_title` and `materials_info`."""
    view = view_dict(state)
    view["instruction"] = instruction(view["screen"], view["language"])
    view["qr_source"] = f"image://kiosk/qr/{view['number']}" if view.get("number") else ""
    view["fix_round"] = state.fix_round
    view["today"] = today.isoformat()
    view["outcome_line"] = outcome_line(view, spec, today)
    language = view["language"]
    view["service_title"] = spec_text(spec.title, language) if spec is not None else ""
    view["materials_info"] = materials_info(spec, view) if spec is not None else []
    view["stages"] = [word(language, f"stage_{index}", name) for index, name in enumerate(view.get("stages") or [])]
    view["findings"] = [{**f, "message": rule_message(f.get("rule", ""), f.get("message", ""), language)}
                        for f in view.get("findings") or []]
    return view


def materials_info(spec: Any, view: dict[str, Any]) -> list[dict[str, Any]]:
    """The materials screen's rows: each needed material with what the applicant does about it, and a
    first row naming what shared data already covers."""
    language = view["language"]
    rows = []
    shared = [spec_text(spec.field(f["key"]).label, language) for f in view["fields"] if f["source"] == "registry"]
    if shared:
        rows.append({"name": word(language, "sharedCovers"), "status": word(language, "listJoin").join(shared),
                     "promisable": False})
    for material in spec.materials:
        if material.name in view["materials"]:
            note = (word(language, "noteOpen") + spec_text(material.note, language) + word(language, "noteClose")
                    if material.note else "")
            rows.append({"name": spec_text(material.name, language), "material": material.name,
                         "status": word(language, f"material_{material.how}") + note,
                         "promisable": material.how in PROMISABLE})
    return rows


def outcome_line(view: dict[str, Any], spec: Any, today: dt.date) -> str:
    """秒批, or 受理 with the date the item's staff review ends (the same date the 受理回执 prints)."""
    language = view["language"]
    outcome = view.get("outcome")
    if outcome == "approved":
        return word(language, "approved")
    if outcome == "accepted" and spec is not None:
        due = expected_completion(spec, today)  # the one formula the 受理回执 prints too
        return word(language, "accepted") + "，" + word(language, "expected").format(date=due.isoformat())
    return word(language, "accepted") if outcome == "accepted" else ""
