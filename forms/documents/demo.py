"""Demo document contexts: a 公共场所卫生许可 applicant (approved), the same application accepted with
materials owed, and a 出生一件事 bundle. Used by the benchmark, the tests and for previewing layouts.

Everything is built on call (the signature PNG is drawn with Pillow in memory); nothing at import.
The ID number is the GB 11643 example, not a real person's.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io

from PIL import Image, ImageDraw

from forms.documents.model import (
    MATERIAL_OWED,
    MATERIAL_PHOTOGRAPHED,
    MATERIAL_PROMISED,
    MATERIAL_SHARED,
    SOURCE_APPLICANT,
    SOURCE_CARD,
    SOURCE_REGISTRY,
    Applicant,
    BundleResult,
    Delivery,
    DocumentContext,
    FieldLine,
    HygieneDetails,
    LicenceDetails,
    Material,
    OwedItem,
)

DEMO_ID_NUMBER = "11010519491231002X"  # the GB 11643 example number, not a real person
# Shaped like a signed MB1 code (docs/qr-format.md): prefix + 282 Base45 characters, QR version 10-M.
DEMO_QR_TEXT = (
    "MB1:07ELSZ.4BIPW*18FMT /5CJQX+29GNU$:6DKRY-3AHOV%18FMT /5CJQX+29GNU$:6DKRY-3AHOV%07ELSZ.4B"
    "IPW*29GNU$:6DKRY-3AHOV%07ELSZ.4BIPW*18FMT /5CJQX+3AHOV%07ELSZ.4BIPW*18FMT /5CJQX+29GNU$:6D"
    "KRY-4BIPW*18FMT /5CJQX+29GNU$:6DKRY-3AHOV%07ELSZ.5CJQX+29GNU$:6DKRY-3AHOV%07ELSZ.4BIPW*18F"
    "MT /6DKRY-3AHOV%"
)


def demo_signature_png() -> bytes:
    """A scribble on a transparent background, like the signature pad produces."""
    image = Image.new("RGBA", (600, 200), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    points = [(30, 150), (90, 40), (140, 160), (210, 50), (260, 140), (330, 60), (400, 150), (560, 90)]
    draw.line(points, fill=(10, 10, 60, 255), width=9, joint="curve")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def demo_context(**changes: object) -> DocumentContext:
    """An approved 公共场所卫生许可（新办） for a barber's shop; `changes` replace fields of the context."""
    submitted = dt.datetime(2026, 11, 21, 14, 5)
    issue = submitted.date()
    ctx = DocumentContext(
        service_title="公共场所卫生许可（新办）",
        department="铜梁区卫生健康委员会",
        office_name="铜梁区卫生健康委员会",
        hall_name="铜梁区政务服务中心",
        kiosk_id="K01",
        applicant=Applicant(name="张伟", id_number=DEMO_ID_NUMBER),
        decision="approved",
        submitted_at=submitted,
        receipt_no="500151-20261121-K01-0007",
        fields=(
            FieldLine("申请人", "张伟", SOURCE_CARD),
            FieldLine("身份证件号码", DEMO_ID_NUMBER, SOURCE_CARD),
            FieldLine("联系电话", "13800138000", SOURCE_APPLICANT),
            FieldLine("统一社会信用代码", "91500151MA5U123456", SOURCE_REGISTRY),
            FieldLine("单位名称", "<b>张伟&理发</b>", SOURCE_REGISTRY),
            FieldLine("经营场所地址", "重庆市铜梁区巴川街道龙城大道88号附12号", SOURCE_REGISTRY),
            FieldLine("场所类别", "理发店", SOURCE_APPLICANT),
            FieldLine("营业面积（平方米）", "45", SOURCE_REGISTRY),
            FieldLine("卫生管理员", "李秀英", SOURCE_APPLICANT),
        ),
        materials=(
            Material("营业执照", MATERIAL_SHARED),
            Material("平面图及卫生设施布局图", MATERIAL_PHOTOGRAPHED, "现场拍照 2 张"),
            Material("卫生管理制度", MATERIAL_PROMISED, "系统据模板生成"),
        ),
        commitment=(
            "本人郑重承诺：所填写的信息和提交的材料真实、准确、完整，经营场所符合公共场所卫生要求。\n"
            "如有虚假承诺，愿意承担许可被撤销等法律责任。"
        ),
        licence=LicenceDetails(
            number="铜卫公证字〔2026〕第000123号",
            holder="<b>张伟&理发</b>",
            legal_representative="张伟",
            business_scope="理发店",
            address="重庆市铜梁区巴川街道龙城大道88号附12号",
            issuer="铜梁区卫生健康委员会",
            issue_date=issue,
            valid_from=issue,
            valid_to=dt.date(2030, 11, 20),
        ),
        qr_text=DEMO_QR_TEXT,
        signature_png=demo_signature_png(),
        expected_completion=dt.date(2026, 12, 5),
        delivery=Delivery("mail", "重庆市铜梁区巴川街道龙城大道88号附12号", "张伟", "13800138000"),
        hygiene=HygieneDetails("<b>张伟&理发</b>", "李秀英", "理发店", "重庆市铜梁区龙城大道88号", False),
    )
    return dataclasses.replace(ctx, **changes) if changes else ctx


def demo_accepted_context(**changes: object) -> DocumentContext:
    """The same application accepted for staff review, with two materials owed (补正)."""
    base = demo_context(
        decision="accepted",
        licence=None,
        owed=(
            OwedItem("平面图及卫生设施布局图", "照片不清晰，请提交清晰的纸质或电子版", dt.date(2026, 12, 1)),
            OwedItem("授权委托书", "代理人办理需提交", dt.date(2026, 12, 1)),
        ),
        materials=(Material("授权委托书", MATERIAL_OWED),),
    )
    return dataclasses.replace(base, **changes) if changes else base


def demo_bundle_context() -> DocumentContext:
    """A 出生一件事 bundle, accepted, with one result line per sub-item and window pickup."""
    return demo_context(
        service_title="出生一件事",
        department="铜梁区政务服务管理办公室",
        office_name="铜梁区政务服务中心",
        decision="accepted",
        licence=None,
        delivery=Delivery("pickup", "铜梁区政务服务中心一楼综合窗口"),
        bundle_results=(
            BundleResult("出生医学证明", "已受理，医院核验后签发"),
            BundleResult("出生登记（户口）", "已受理，预计5个工作日内办结"),
            BundleResult("城乡居民医保参保登记", "已受理，次月生效"),
            BundleResult("社会保障卡申领", "已受理，制卡后与其他结果一并领取"),
        ),
    )
