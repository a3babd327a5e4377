"""The plain input of every PDF document: frozen dataclasses, no behaviour beyond small formatting.

The kiosk maps an application (spec + answers + decision + numbers + signed QR) to one
`DocumentContext`; each document picks what it needs from it. Nothing here knows the service spec
or storage, so the documents can be rendered from tests, the CLI and the kiosk alike.

Privacy: `Applicant.id_number` is the full number. Only the application form (the applicant's own
form) prints it in full; the licence and the receipts print `Applicant.masked_id_number`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

from forms.documents.errors import DocumentInputError
from idreader import mask_id_number
from idreader.wording import chinese_date

Decision = Literal["approved", "accepted", "blocked"]
DECISIONS: tuple[str, ...] = ("approved", "accepted", "blocked")

# Source labels for answered fields (what the screen also shows beside a value).
SOURCE_CARD = "来自身份证"
SOURCE_REGISTRY = "来自共享数据"
SOURCE_EARLIER = "来自历史申请"
SOURCE_APPLICANT = "申请人填写"

# Material statuses.
MATERIAL_SHARED = "已由共享数据提供"
MATERIAL_PROMISED = "告知承诺"
MATERIAL_OWED = "需补正"
MATERIAL_PHOTOGRAPHED = "已拍照"
MATERIAL_GENERATED = "系统生成"

DELIVERY_PICKUP = "pickup"
DELIVERY_MAIL = "mail"

DEFAULT_RECHECK_NOTE = (
    "本证依据告知承诺制当场核发。区卫生健康监督人员将在发证之日起2个月内到经营场所现场核查，"
    "发现实际情况与承诺内容不符的，将依法撤销许可并追究相应责任。"
)


def chinese_datetime(moment: dt.datetime) -> str:
    """``2026年11月21日 14:05``."""
    return f"{chinese_date(moment.date())} {moment:%H:%M}"


@dataclass(frozen=True)
class Applicant:
    """The person applying, as read from the ID card."""

    name: str
    id_number: str

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)


@dataclass(frozen=True)
class FieldLine:
    """One answered field of the form, in display order: label, value and where the value came from."""

    label: str
    value: str
    source: str = ""  # SOURCE_CARD, SOURCE_REGISTRY, SOURCE_EARLIER, SOURCE_APPLICANT or ""


@dataclass(frozen=True)
class Material:
    """One required material and how it was provided (MATERIAL_* status text)."""

    name: str
    status: str
    note: str = ""


@dataclass(frozen=True)
class OwedItem:
    """A material still owed (补正): what, why, and the last day to hand it in."""

    material: str
    reason: str
    due: dt.date


def mask_phone(phone: str) -> str:
    """Mask a phone number for paper the way logs and the slip mask personal data: the first three and
    the last four digits stay (`13812345678` -> `138****5678`; a `+86` prefix is dropped), a shorter
    number keeps only its last two digits. Idempotent; text with no digits is returned as it is."""
    digits = "".join(ch for ch in phone if ch.isdigit())
    if not digits or "*" in phone:  # nothing to mask, or masked already
        return phone.strip()
    if len(digits) > 11 and digits.startswith("86"):
        digits = digits[-11:]
    if len(digits) >= 8:
        return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]
    return "*" * max(len(digits) - 2, 0) + digits[-2:]


@dataclass(frozen=True)
class Delivery:
    """How the result reaches the applicant: window pickup or mail (EMS) to an address."""

    method: Literal["pickup", "mail"]
    address: str = ""  # mail address, or the pickup window's place
    recipient: str = ""
    phone: str = ""

    def __post_init__(self) -> None:
        if self.method not in (DELIVERY_PICKUP, DELIVERY_MAIL):
            raise DocumentInputError(f"未知的领取方式 {self.method!r}（应为 pickup 或 mail）")

    @property
    def method_label(self) -> str:
        return "邮寄送达（EMS）" if self.method == DELIVERY_MAIL else "窗口领取"

    @property
    def masked_phone(self) -> str:
        """The phone as paper shows it: `138****5678` (see `mask_phone`)."""
        return mask_phone(self.phone)


@dataclass(frozen=True)
class LicenceDetails:
    """What a licence shows (services.md: the licence contents are a contract)."""

    number: str  # 编号, e.g. 铜卫公证字〔2026〕第000001号
    holder: str  # 单位名称
    legal_representative: str  # 法定代表人（负责人）
    business_scope: str  # 经营项目 (= 场所类别)
    address: str  # 经营场所地址
    issuer: str  # 发证机关
    issue_date: dt.date  # 发证日期
    valid_from: dt.date
    valid_to: dt.date
    title: str = "公共场所卫生许可证"

    def __post_init__(self) -> None:
        if self.valid_to < self.valid_from:
            raise DocumentInputError(f"许可证有效期结束日 {self.valid_to} 早于开始日 {self.valid_from}")

    @property
    def term_text(self) -> str:
        """有效期限 as printed: ``2026年11月21日至2030年11月20日``."""
        return f"{chinese_date(self.valid_from)}至{chinese_date(self.valid_to)}"


@dataclass(frozen=True)
class HygieneDetails:
    """Fills the 卫生管理制度 template."""

    business_name: str
    hygiene_manager: str
    category: str = ""
    address: str = ""
    has_central_ac: bool = False
    effective_date: dt.date | None = None  # defaults to the submission date


@dataclass(frozen=True)
class BundleResult:
    """One sub-item of a 一件事 bundle and its own result line (e.g. 出生医学证明 — 已受理，邮寄送达)."""

    item: str
    result: str


@dataclass(frozen=True)
class DocumentContext:
    """Everything the documents of one application may show.

    Only `service_title`, `department`, `office_name`, `applicant`, `decision` and `submitted_at` are
    always needed; each document checks the parts it needs and raises `DocumentInputError` otherwise.
    """

    service_title: str  # 公共场所卫生许可（新办）
    department: str  # 区卫生健康委员会 (the department owning the item)
    office_name: str  # 受理/发证机关 shown as the issuer of receipts
    applicant: Applicant
    decision: Decision
    submitted_at: dt.datetime
    hall_name: str = ""  # 铜梁区政务服务中心
    kiosk_id: str = ""
    receipt_no: str = ""  # 受理编号
    filing_no: str = ""  # 备案编号 (filing items only)
    fields: tuple[FieldLine, ...] = ()
    materials: tuple[Material, ...] = ()
    commitment: str = ""  # 承诺书 text
    licence: LicenceDetails | None = None
    qr_text: str = ""
    recheck_note: str = DEFAULT_RECHECK_NOTE
    signature_png: bytes | None = None  # drawn by finger on the screen; None leaves the line blank
    owed: tuple[OwedItem, ...] = ()  # 补正 list
    expected_completion: dt.date | None = None
    delivery: Delivery | None = None
    hygiene: HygieneDetails | None = None
    bundle_results: tuple[BundleResult, ...] = ()
    notes: tuple[str, ...] = field(default=())  # extra lines for the receipt (温馨提示)

    def __post_init__(self) -> None:
        if self.decision not in DECISIONS:
            raise DocumentInputError(f"未知的办理结果 {self.decision!r}（应为 {'/'.join(DECISIONS)}）")
        for name in ("fields", "materials", "owed", "bundle_results", "notes"):
            value = getattr(self, name)
            if not isinstance(value, tuple):
                object.__setattr__(self, name, tuple(value))
