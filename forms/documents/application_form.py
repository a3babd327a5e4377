"""The 申请表 (application form), laid out like the paper form a service hall hands out.

Header with the receipt number, title, a small box with the item, office, place and time, a ruled
table of every answered field (项目 | 填写内容 | 数据来源), the materials and how each was provided, the
承诺书 text, then the signature and date lines. The signature drawn on the screen is embedded when
present; otherwise the line stays blank for a pen. This is the applicant's own form, so it prints the
full ID number; every other document masks it.
"""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table

from forms.documents.layout import (
    GRID_COLOR,
    build_pdf,
    cjk_table_style,
    para,
    ruled_table,
    styles,
    value_paras,
)
from forms.documents.model import SOURCE_CARD, DocumentContext, FieldLine, chinese_date, chinese_datetime
from forms.documents.signature import signature_flowable

SIGNATURE_MAX_WIDTH = 60 * mm
SIGNATURE_MAX_HEIGHT = 16 * mm
BLANK_DATE = "　　　　年　　月　　日"
DEFAULT_COMMITMENT = "本人承诺所填写的信息及提交的材料真实、合法、有效，如有虚假，愿承担相应法律责任。"


def _field_lines(ctx: DocumentContext) -> list[FieldLine]:
    """The answered fields, with the applicant's name and ID number first unless already listed."""
    lines = list(ctx.fields)
    values = {line.value for line in lines}
    if ctx.applicant.id_number and ctx.applicant.id_number not in values:
        lines.insert(0, FieldLine("身份证件号码", ctx.applicant.id_number, SOURCE_CARD))
    if ctx.applicant.name and ctx.applicant.name not in values:
        lines.insert(0, FieldLine("申请人", ctx.applicant.name, SOURCE_CARD))
    return lines


def _info_box(ctx: DocumentContext) -> Table:
    s = styles()
    place = ctx.hall_name + (f"（自助终端 {ctx.kiosk_id}）" if ctx.kiosk_id else "")
    rows = [
        [
            para("申请事项", s.cell_label),
            value_paras(ctx.service_title, s.cell),
            para("受理编号", s.cell_label),
            para(ctx.receipt_no or "—", s.cell),
        ],
        [
            para("受理部门", s.cell_label),
            value_paras(ctx.department, s.cell),
            para("申请时间", s.cell_label),
            para(chinese_datetime(ctx.submitted_at), s.cell),
        ],
        [para("受理地点", s.cell_label), value_paras(place or "—", s.cell), "", ""],
    ]
    table = ruled_table(rows, [22 * mm, 70 * mm, 22 * mm, 60 * mm])
    table.setStyle(cjk_table_style([("SPAN", (1, 2), (3, 2))]))
    return table


def _fields_table(ctx: DocumentContext) -> Table:
    s = styles()
    rows: list[list[object]] = [
        [para("项目", s.cell_center), para("填写内容", s.cell_center), para("数据来源", s.cell_center)]
    ]
    for line in _field_lines(ctx):
        rows.append(
            [
                value_paras(line.label, s.cell_label),
                value_paras(line.value, s.cell),
                value_paras(line.source, s.cell_center),
            ]
        )
    return ruled_table(rows, [46 * mm, 98 * mm, 30 * mm], header=True, label_column=True)


def _materials_table(ctx: DocumentContext) -> Table:
    s = styles()
    headings = ("序号", "材料名称", "提供方式", "说明")
    rows: list[list[object]] = [[para(text, s.cell_center) for text in headings]]
    for number, material in enumerate(ctx.materials, start=1):
        rows.append(
            [
                para(str(number), s.cell_center),
                value_paras(material.name, s.cell),
                value_paras(material.status, s.cell_center),
                value_paras(material.note, s.cell),
            ]
        )
    if not ctx.materials:
        rows.append([para("—", s.cell_center), para("本事项无需提交材料", s.cell), "", ""])
    return ruled_table(rows, [14 * mm, 70 * mm, 36 * mm, 54 * mm], header=True)


def _signature_block(ctx: DocumentContext) -> Table:
    s = styles()
    if ctx.signature_png:
        signature: object = signature_flowable(ctx.signature_png, SIGNATURE_MAX_WIDTH, SIGNATURE_MAX_HEIGHT)
        date_text = chinese_date(ctx.submitted_at.date())
    else:
        signature = ""
        date_text = BLANK_DATE
    table = Table(
        [[para("申请人（签字）：", s.cell), signature, para("日期：", s.cell), para(date_text, s.cell)]],
        colWidths=[36 * mm, 64 * mm, 16 * mm, 50 * mm],
        rowHeights=[SIGNATURE_MAX_HEIGHT + 4 * mm],
        hAlign="LEFT",
    )
    table.setStyle(
        cjk_table_style(
            [
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                ("LINEBELOW", (1, 0), (1, 0), 0.8, GRID_COLOR),
                ("LINEBELOW", (3, 0), (3, 0), 0.8, GRID_COLOR),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    return table


def _paragraphs(text: str) -> list[Paragraph]:
    s = styles()
    return [
        chunk for line in text.splitlines() if line.strip() for chunk in value_paras(line.strip(), s.body)
    ]


def application_form_story(ctx: DocumentContext) -> list[Flowable]:
    """The flowables of the form (exposed for tests and for composing a bundle PDF)."""
    s = styles()
    story: list[Flowable] = [
        para(f"{ctx.service_title}申请表", s.title),
        para(ctx.department, s.subtitle),
        Spacer(1, 5 * mm),
        _info_box(ctx),
        para("一、申请信息", s.heading),
        _fields_table(ctx),
    ]
    if ctx.bundle_results:
        story += [
            Spacer(1, 2 * mm),
            para("联办事项：" + "、".join(item.item for item in ctx.bundle_results), s.cell),
        ]
    story += [para("二、申请材料", s.heading), _materials_table(ctx), para("三、承诺书", s.heading)]
    story += _paragraphs(ctx.commitment or DEFAULT_COMMITMENT)
    story += [
        Spacer(1, 6 * mm),
        KeepTogether([_signature_block(ctx)]),
        Spacer(1, 4 * mm),
        para(
            "注：标注“来自身份证”“来自共享数据”的信息由系统根据证件和政务共享数据自动填写，申请人已核对确认。",
            s.small,
        ),
    ]
    return story


def render_application_form(ctx: DocumentContext) -> bytes:
    """The 申请表 as PDF bytes."""
    return build_pdf(
        application_form_story(ctx),
        title=f"{ctx.service_title}申请表",
        author=ctx.department,
        header=f"受理编号：{ctx.receipt_no}" if ctx.receipt_no else "",
        footer=f"{ctx.hall_name} {ctx.kiosk_id}".strip(),
    )
