"""Field types that validate themselves: raw answer -> (typed value, problems), with plain-Chinese help.

Each checker normalises first (see `forms.normalize`), then checks, and returns a `Checked`: the typed
value (str, int, float, date or bool; None when empty or unusable) plus the problems found. A problem
has a short code (it becomes the finding's rule id, `FIELD-<CODE>`), a severity and a message that says
what is wrong and what to do, for someone who is not used to forms.

Types: id_number, uscc, phone, date, number, integer, choice, bool, text, address.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from forms import checksums
from forms.charset import lone_surrogates, pictographs, repair_surrogates, unusable_code_points
from forms.normalize import clean_identifier, clean_text
from forms.spec import Severity

if TYPE_CHECKING:
    from forms.spec import FieldSpec

FIELD_TYPES = ("id_number", "uscc", "phone", "date", "number", "integer", "choice", "bool", "text", "address")
DEFAULT_TEXT_MAX = 100
DEFAULT_ADDRESS_MAX = 120
ADDRESS_MIN = 5
NUMBER_LIMIT = 1e12

_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}(-\d{1,6})?$")
_DATE_PATTERNS = (
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
    re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)
_TRUE = {"是", "有", "true", "yes", "y", "1", "对"}
_FALSE = {"否", "无", "没有", "false", "no", "n", "0", "不是"}


@dataclass(frozen=True)
class Problem:
    """What is wrong with one answer (code, severity, message)."""

    code: str  # REQUIRED, FORMAT, CHECK, RANGE, TOO-LONG, CHOICE, DATE-FUTURE, CARD-TYPE, ORG-CODE...
    severity: Severity
    message: str


@dataclass(frozen=True)
class Checked:
    """An answer normalised by its field type, with its problems."""

    value: Any
    problems: tuple[Problem, ...] = field(default_factory=tuple)

    @property
    def usable(self) -> bool:
        """A value that rules may use: present and without a blocking problem."""
        return self.value is not None and not any(p.severity == Severity.BLOCK for p in self.problems)


def is_empty(raw: Any) -> bool:
    """None, or a string with nothing left once cleaned (a lone surrogate is not nothing: it is refused)."""
    return raw is None or (isinstance(raw, str) and clean_text(raw) == "" and not lone_surrogates(raw))


def check_value(spec: FieldSpec, raw: Any, today: dt.date, card_type: str | None = None) -> Checked:
    """Check one answer against its field spec. `card_type` is the card's type for a card-filled ID number."""
    if is_empty(raw):
        if spec.required:
            return Checked(None, (Problem("REQUIRED", Severity.BLOCK, f"请填写“{spec.label}”。"),))
        return Checked(None)
    checker = _CHECKERS[spec.type]
    return checker(spec, raw, today, card_type)


def _fail(code: str, message: str) -> Checked:
    return Checked(None, (Problem(code, Severity.BLOCK, message),))


def _check_text(spec: FieldSpec, raw: Any, today: dt.date, card_type: str | None) -> Checked:
    broken = lone_surrogates(repair_surrogates(raw)) if isinstance(raw, str) else []
    if broken:
        return _fail("FORMAT", f"“{spec.label}”里有损坏的字符（{broken[0]}，半个 UTF-16 代理对），无法保存。"
                               "请重新输入，或找工作人员帮忙。")
    text = clean_text(raw, keep_newlines=spec.multiline)
    limit = spec.max_length or (DEFAULT_ADDRESS_MAX if spec.type == "address" else DEFAULT_TEXT_MAX)
    if len(text) > limit:
        return _fail(
            "TOO-LONG",
            f"“{spec.label}”最多填 {limit} 个字，现在有 {len(text)} 个字，请删短一些。",
        )
    if pictographs(text):
        return _fail("FORMAT", f"“{spec.label}”里有表情或图形符号，证件上印不出来，请删掉它们。")
    unusable = unusable_code_points(text)
    if unusable:
        return _fail("FORMAT", f"“{spec.label}”里有无法识别的字符（{unusable[0]}，私用区或未分配的编码），"
                               "证件上印不出来，请删掉它或找工作人员帮忙。")
    if spec.min_length and len(text) < spec.min_length:
        return _fail("TOO-SHORT", f"“{spec.label}”至少要填 {spec.min_length} 个字，请填完整。")
    if spec.type == "address" and len(text) < ADDRESS_MIN:
        return _fail("TOO-SHORT", f"“{spec.label}”太短了，请写清楚到街道和门牌号。")
    if spec.pattern and not re.fullmatch(spec.pattern, text):
        return _fail("FORMAT", spec.pattern_message or f"“{spec.label}”的写法不对，请按提示重新填写。")
    return Checked(text)


def _check_id_number(spec: FieldSpec, raw: Any, today: dt.date, card_type: str | None) -> Checked:
    number = clean_identifier(raw)
    label = spec.label
    if card_type == "foreign_2017" or (card_type is None and number[:1].isalpha()):
        problem = checksums.foreign_2017_problem(number)
        if problem:
            return _fail("FORMAT", f"“{label}”不对：{problem}。请对照证件重新输入。")
        return Checked(number)
    problem = checksums.id18_problem(number, today)
    if problem:
        return _fail("CHECK", f"“{label}”不对：{problem}。请对照证件重新输入。")
    kind = checksums.id18_kind(number)
    if card_type is not None and kind != card_type:
        names = {
            "resident": "居民身份证",
            "foreign_2023": "外国人永久居留身份证",
            "hmt_residence": "港澳台居民居住证",
        }
        read = names.get(card_type, "其他证件")
        return _fail(
            "CARD-TYPE",
            f"“{label}”和证件种类对不上：这是{names[kind]}的号码，而读到的是{read}。请找工作人员帮忙。",
        )
    return Checked(number)


def _check_uscc(spec: FieldSpec, raw: Any, today: dt.date, card_type: str | None) -> Checked:
    code = clean_identifier(raw)
    problem = checksums.uscc_problem(code)
    if problem:
        return _fail("CHECK", f"{problem}。请对照营业执照重新输入。")
    if not checksums.org_code_ok(code[8:17]):
        warn = Problem(
            "ORG-CODE",
            Severity.WARN,
            "这个代码中间的组织机构代码部分校验不通过（老代码常有这种情况），不影响办理；如有疑问请问工作人员。",
        )
        return Checked(code, (warn,))
    return Checked(code)


def _check_phone(spec: FieldSpec, raw: Any, today: dt.date, card_type: str | None) -> Checked:
    text = clean_text(raw).replace(" ", "").replace("（", "(").replace("）", ")")
    text = re.sub(r"^\((0\d{2,3})\)", r"\1-", text)
    if text.startswith("+86"):
        text = text[3:]
    elif text.startswith("86") and len(text) == 13:
        text = text[2:]
    if _MOBILE.match(text) or _LANDLINE.match(text):
        return Checked(text)
    if text.isdigit() and text.startswith("1") and len(text) != 11:
        return _fail("FORMAT", f"“{spec.label}”不对：手机号是 11 位数字，现在是 {len(text)} 位，请再看一下。")
    return _fail("FORMAT", f"“{spec.label}”不对：请填 11 位手机号，或带区号的座机号（如 023-45678901）。")


def parse_date(raw: Any) -> dt.date | None:
    """A date from a date object or from text like 2026-11-21, 2026/11/21, 2026年11月21日, 20261121."""
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    text = clean_text(raw).replace(" ", "")
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            try:
                return dt.date(*(int(part) for part in match.groups()))
            except ValueError:
                return None
    return None


def _check_date(spec: FieldSpec, raw: Any, today: dt.date, card_type: str | None) -> Checked:
    day = parse_date(raw)
    if day is None:
        example = today.isoformat()
        return _fail("FORMAT", f"“{spec.label}”不是一个有效的日期，请按 年-月-日 填写，例如 {example}。")
    if spec.dates == "past" and day > today:
        return _fail("DATE-FUTURE", f"“{spec.label}”不能晚于今天，请核对日期。")
    if spec.dates == "future" and day < today:
        return _fail("DATE-PAST", f"“{spec.label}”不能早于今天，请核对日期。")
    if day.year < 1900:
        return _fail("RANGE", f"“{spec.label}”的年份不对，请核对日期。")
    return Checked(day)


def _parse_number(raw: Any) -> float | None:
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int | float):
        return float(raw)
    text = clean_text(raw).replace(",", "").replace(" ", "").replace("，", "")
    for unit in ("平方米", "㎡", "m2", "m²", "人", "个"):
        text = text.removesuffix(unit)
    try:
        return float(text)
    except ValueError:
        return None


def _range_problem(spec: FieldSpec, number: float) -> Checked | None:
    unit = spec.unit or ""
    if spec.min is not None and number < spec.min:
        return _fail("RANGE", f"“{spec.label}”不能小于 {_plain(spec.min)}{unit}，请核对。")
    if spec.min_exclusive is not None and number <= spec.min_exclusive:
        return _fail("RANGE", f"“{spec.label}”必须大于 {_plain(spec.min_exclusive)}{unit}，请核对。")
    if spec.max is not None and number > spec.max:
        return _fail("RANGE", f"“{spec.label}”不能大于 {_plain(spec.max)}{unit}，请核对。")
    return None


def _plain(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else f"{number:g}"


def _check_number(spec: FieldSpec, raw: Any, today: dt.date, card_type: str | None) -> Checked:
    number = _parse_number(raw)
    if number is None or not math.isfinite(number) or abs(number) > NUMBER_LIMIT:
        return _fail("FORMAT", f"“{spec.label}”请只填数字，例如 120 或 85.5。")
    return _range_problem(spec, number) or Checked(number)


def _check_integer(spec: FieldSpec, raw: Any, today: dt.date, card_type: str | None) -> Checked:
    number = _parse_number(raw)
    if number is None or not math.isfinite(number) or abs(number) > NUMBER_LIMIT:
        return _fail("FORMAT", f"“{spec.label}”请只填整数，例如 5。")
    if not number.is_integer():
        return _fail("FORMAT", f"“{spec.label}”要填整数，不能有小数点。")
    return _range_problem(spec, number) or Checked(int(number))


def _check_choice(spec: FieldSpec, raw: Any, today: dt.date, card_type: str | None) -> Checked:
    text = clean_text(raw)
    options = spec.options or []
    if text in options:
        return Checked(text)
    # Tolerate ASCII brackets for full-width ones, e.g. 游泳场(馆).
    relaxed = text.replace("(", "（").replace(")", "）")
    if relaxed in options:
        return Checked(relaxed)
    shown = "、".join(options[:8]) + ("等" if len(options) > 8 else "")
    return _fail("CHOICE", f"“{spec.label}”请从列出的选项中选一个（{shown}）。")


def _check_bool(spec: FieldSpec, raw: Any, today: dt.date, card_type: str | None) -> Checked:
    if isinstance(raw, bool):
        return Checked(raw)
    text = clean_text(raw).lower()
    if text in _TRUE:
        return Checked(True)
    if text in _FALSE:
        return Checked(False)
    return _fail("CHOICE", f"“{spec.label}”请选“是”或“否”。")


_CHECKERS = {
    "id_number": _check_id_number,
    "uscc": _check_uscc,
    "phone": _check_phone,
    "date": _check_date,
    "number": _check_number,
    "integer": _check_integer,
    "choice": _check_choice,
    "bool": _check_bool,
    "text": _check_text,
    "address": _check_text,
}
