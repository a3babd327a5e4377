"""What the form screen shows for each field: the spec's label, type and help joined with the session's
value, source, lock and findings. Pure (no Qt): `field_rows(spec, view, touched, language)`; the words
in front of a message and the source words come from the translation table (kiosk.ui.strings).

Pre-review messages are told in words with a severity word in front (never by colour alone). A
"请填写…" (required) message is held back until the applicant has touched that field or pressed 下一步,
so a fresh form is not a wall of red; every other finding shows at once, beside its field.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from kiosk.session.spec_words import rule_message, spec_text
from kiosk.ui.strings import word

REQUIRED_RULE = "FIELD-REQUIRED"
SEVERITY_ORDER = ("block", "review", "warn")
KIND_BY_TYPE = {
    "id_number": "text", "uscc": "text", "phone": "digits", "date": "date", "number": "number",
    "integer": "digits", "choice": "choice", "bool": "choice", "text": "text", "address": "text",
}
FIELD_ROLES = [
    "key", "label", "kind", "type", "value", "locked", "source", "options", "unit", "help", "required",
    "section", "message", "severity", "multiline", "placeholder",
]


def _options(field: Any, answer_view: dict[str, Any], language: str = "zh") -> list[dict[str, Any]]:
    choices = answer_view.get("choices") or []
    if choices:
        open_, close = ("（", "）") if language == "zh" else (" (", ")")  # the name stays Chinese; the brackets follow
        return [{"value": str(c["value"]), "label": f"{c['label']}{open_}{c['value']}{close}"} for c in choices]
    if field.type == "bool":
        return [{"value": yes_no, "label": spec_text(yes_no, language)} for yes_no in ("是", "否")]
    return [{"value": option, "label": spec_text(option, language)} for option in field.options or ()]


def worst_severity(severities: Iterable[str]) -> str:
    present = set(severities)
    return next((s for s in SEVERITY_ORDER if s in present), "")


def finding_text(findings: list[dict[str, str]], language: str, locked: bool = False,
                 rules: Iterable[Any] = ()) -> tuple[str, str]:
    """The words shown beside a field and its worst severity (`""` when nothing to say). A block on a
    locked field (from the card or the shared data) is not the applicant's to fix: 不能在本机办理, not 需要修改.
    `rules` (the spec's) let an English message show the values the Chinese one names."""
    if not findings:
        return "", ""
    ordered = sorted(findings, key=lambda f: SEVERITY_ORDER.index(f["severity"]))

    def prefix(severity: str) -> str:
        return word(language, "severity_block_locked" if locked and severity == "block" else "severity_" + severity)

    rules = tuple(rules)
    text = "\n".join(prefix(f["severity"]) + rule_message(f["rule"], f["message"], language, rules) for f in ordered)
    return text, ordered[0]["severity"]


def shown_findings(findings: list[dict[str, str]], touched: bool, show_fixes: bool) -> list[dict[str, str]]:
    return [f for f in findings if f["rule"] != REQUIRED_RULE or touched or show_fixes]


def field_rows(spec: Any, view: dict[str, Any], touched: Iterable[str] = (), language: str = "zh") -> list[dict]:
    """One row per visible field, in screen order, for the QML form (`RowsModel` roles FIELD_ROLES)."""
    touched = set(touched)
    rows = []
    for item in view["fields"]:
        field = spec.field(item["key"])
        value = item["value"]
        findings = shown_findings(item["findings"], item["key"] in touched, bool(view.get("show_fixes")))
        locked = bool(item["locked"])
        message, severity = finding_text(findings, language, locked, spec.rules)
        rows.append({
            "key": field.key,
            "label": spec_text(field.label, language) + ("" if field.required else word(language, "optional")),
            "kind": "choice" if item.get("choices") and not locked else KIND_BY_TYPE[field.type],
            "type": field.type,
            "value": "" if value is None else str(value),
            "locked": locked,
            "source": word(language, f"source_{item['source']}") if value not in (None, "") else "",
            "options": _options(field, item, language),
            "unit": spec_text(field.unit or "", language),
            "help": spec_text(field.help or "", language),
            "required": field.required,
            "section": field.section or "",
            "message": message,
            "severity": severity,
            "multiline": field.multiline,
            "placeholder": spec_text(field.placeholder or "", language),
        })
    return rows


def fix_rows(spec: Any, view: dict[str, Any], language: str = "zh") -> list[dict[str, Any]]:
    """After a blocked 下一步: what to fix, one row per blocking finding, naming the field."""
    rows = []
    for finding in view["findings"]:
        if finding["severity"] != "block":
            continue
        try:
            label = spec_text(spec.field(finding["field"]).label, language)
        except LookupError:
            label = finding["field"]
        rows.append({"key": f"{finding['rule']}:{finding['field']}", "field": finding["field"],
                     "label": label,
                     "message": rule_message(finding["rule"], finding["message"], language, spec.rules)})
    return rows
