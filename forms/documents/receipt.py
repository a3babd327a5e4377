"""The A4 受理回执 (acceptance receipt) and its variants 备案回执 (filing receipt) and 办理结果告知单.

Shows the receipt number, the applicant (ID number and phone masked), the item, office, place and time, the
expected completion, how the result reaches the applicant (window pickup or EMS to an address), the
补正 list when materials are owed (what, why, by when), one result line per sub-item of a 一件事
bundle, and the signed QR. The variants differ only in title and in the number they lead with.
"""

from __future__ import annotations

from enum import StrEnum

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table

from forms.documents.errors import DocumentInputError
from forms.documents.layout import (
    build_pdf,
    cjk_table_style,
    markup_para,
    para,
    ruled_table,
    styles,
    value_paras,
)
from forms.documents.model import DocumentContext, chinese_date, chinese_datetime
from forms.documents.qr import QrFlowable

QR_SIZE = 42 * mm  # as on the licence: ~0.65 mm per module for a V10 code, ~2.5 px per module at 100 dpi


class ReceiptKind(StrEnum):
    ACCEPTANCE = "acceptance"  # 受理回执 (decision accepted, or approved items that also want one)
    FILING = "filing"  # 备案回执 (filing items; leads with the filing number)
    RESULT = "result"  # 办理结果告知单 (any non-blocked outcome, e.g. bundle results)


TITLES = {
    ReceiptKind.ACCEPTANCE: "受理回执",
    ReceiptKind.FILING: "备案回执",
    ReceiptKind.RESULT: "办理结果告知单",
}


def _outcome_text(ctx: DocumentContext, kind: ReceiptKind) -> str:
    if kind is ReceiptKind.FILING:
        return "已备案"
    if ctx.decision == "approved":
        return "已办结，准予许可" if ctx.licence else "已办结"
    return "已受理，待工作人员审查" if not ctx.owed else "已受理，需补正材料"


def _info_table(ctx: DocumentContext, kind: ReceiptKind) -> Table:
    s = styles()
    rows: list[tuple[str, str]] = []
    if kind is ReceiptKind.FILING:
        rows.append(("备案编号", ctx.filing_no))
    rows += [
        ("受理编号", ctx.receipt_no),
        ("申请人", ctx.applicant.name),
        ("身份证件号码", ctx.applicant.masked_id_number),
        ("申请事项", ctx.service_title),
        ("受理部门", ctx.office_name or ctx.department),
        ("受理地点", ctx.hall_name + (f"（自助终端 {ctx.kiosk_id}）" if ctx.kiosk_id else "")),
        ("受理时间", chinese_datetime(ctx.submitted_at)),
        ("办理状态", _outcome_text(ctx, kind)),
    ]
    if ctx.licence is not None and kind is not ReceiptKind.FILING:
        rows.append(("许可证编号", ctx.licence.number))
    elif ctx.filing_no and kind is not ReceiptKind.FILING:  # a 证明 or 回执 issued at once: its own number
        rows.append(("文书编号", ctx.filing_no))
    if ctx.expected_completion is not None:
        rows.append(("预计办结日期", chinese_date(ctx.expected_completion)))
    if ctx.delivery is not None:
        delivery = ctx.delivery
        rows.append(("结果领取方式", delivery.method_label))
        if delivery.address:
            rows.append(("邮寄地址" if delivery.method == "mail" else "领取地点", delivery.address))
        if delivery.recipient or delivery.phone:
            rows.append(("收件人及电话", f"{delivery.recipient}  {delivery.masked_phone}".strip()))
    return ruled_table(
        [[para(label, s.cell_label), value_paras(value, s.cell)] for label, value in rows],
        [36 * mm, 138 * mm],
        label_column=True,
    )


def _owed_table(ctx: DocumentContext) -> Table:
    s = styles()
    headings = ("序号", "需补正材料", "说明", "补正期限")
    rows: list[list[object]] = [[para(text, s.cell_center) for text in headings]]
    for number, item in enumerate(ctx.owed, start=1):
        rows.append(
            [
                para(str(number), s.cell_center),
                value_paras(item.material, s.cell),
                value_paras(item.reason, s.cell),
                para(chinese_date(item.due), s.cell_center),
            ]
        )
    return ruled_table(rows, [14 * mm, 56 * mm, 70 * mm, 34 * mm], header=True)


def _bundle_table(ctx: DocumentContext) -> Table:
    s = styles()
    rows: list[list[object]] = [[para(text, s.cell_center) for text in ("序号", "办理事项", "办理结果")]]
    for number, line in enumerate(ctx.bundle_results, start=1):
        rows.append(
            [
                para(str(number), s.cell_center),
                value_paras(line.item, s.cell),
                value_paras(line.result, s.cell),
            ]
        )
    return ruled_table(rows, [14 * mm, 60 * mm, 100 * mm], header=True)


def _qr_and_issuer(ctx: DocumentContext) -> Table:
    s = styles()
    left: list[Flowable] | str = (
        [QrFlowable(ctx.qr_text, QR_SIZE), para("扫码核验回执", s.cell_center)] if ctx.qr_text else ""
    )
    right = [
        *value_paras(f"受理机关：{ctx.office_name or ctx.department}", s.right),
        para(f"日期：{chinese_date(ctx.submitted_at.date())}", s.right),
    ]
    table = Table(
        [[left, right]],
        colWidths=[QR_SIZE + 6 * mm, 174 * mm - QR_SIZE - 6 * mm],
        hAlign="CENTER",
        splitInRow=1,
    )
    table.setStyle(
        cjk_table_style([("VALIGN", (0, 0), (-1, -1), "BOTTOM"), ("LEFTPADDING", (0, 0), (0, 0), 0)])
    )
    return table


def _intro(ctx: DocumentContext, kind: ReceiptKind) -> Paragraph:
    values = {
        "name": ctx.applicant.name,
        "item": ctx.service_title,
        "office": ctx.office_name or ctx.department,
        "when": chinese_date(ctx.submitted_at.date()),
        "number": ctx.receipt_no,
        "filing": ctx.filing_no,
    }
    if kind is ReceiptKind.FILING:
        template = (
            "{name}：您申请的“{item}”事项，{office}已于{when}予以备案，"
            "备案编号 {filing}（受理编号 {number}）。"
        )
    else:
        template = "{name}：您申请的“{item}”事项，{office}已于{when}收到并登记，受理编号 {number}。特此告知。"
    return markup_para(template, styles().body, **values)


def receipt_story(ctx: DocumentContext, kind: ReceiptKind = ReceiptKind.ACCEPTANCE) -> list[Flowable]:
    """The flowables of a receipt; a blocked application gets none (nothing was submitted)."""
    if ctx.decision == "blocked":
        raise DocumentInputError("预审未通过（blocked）的申请未提交，不出具回执")
    if kind is ReceiptKind.FILING and not ctx.filing_no:
        raise DocumentInputError("备案回执需要备案编号（DocumentContext.filing_no 为空）")
    s = styles()
    title = TITLES[kind]
    story: list[Flowable] = [
        para(title, s.title),
        para(ctx.service_title, s.subtitle),
        Spacer(1, 5 * mm),
        _intro(ctx, kind),
        Spacer(1, 3 * mm),
        _info_table(ctx, kind),
    ]
    if ctx.owed:
        story += [
            para("需补正材料", s.heading),
            _owed_table(ctx),
            markup_para(
                "请在补正期限内将上述材料提交至{hall}或通过政务服务网上传，逾期未补正的，视为放弃申请。",
                s.small,
                hall=ctx.hall_name or "受理窗口",
            ),
        ]
    if ctx.bundle_results:
        story += [para("一件事联办结果", s.heading), _bundle_table(ctx)]
    if ctx.notes:
        story.append(para("温馨提示", s.heading))
        story += [para(f"{number}. {note}", s.cell) for number, note in enumerate(ctx.notes, start=1)]
    story += [Spacer(1, 8 * mm), KeepTogether([_qr_and_issuer(ctx)])]
    return story


def render_receipt(ctx: DocumentContext, kind: ReceiptKind = ReceiptKind.ACCEPTANCE) -> bytes:
    """A receipt of the given kind as PDF bytes (A4)."""
    title = TITLES[kind]
    return build_pdf(
        receipt_story(ctx, kind),
        title=f"{ctx.service_title}{title}",
        author=ctx.office_name or ctx.department,
        header=f"受理编号：{ctx.receipt_no}" if ctx.receipt_no else "",
        footer=f"{ctx.hall_name} {ctx.kiosk_id}".strip(),
    )
