"""The licence (公共场所卫生许可证) issued at the kiosk for an approved application.

A certificate page: a double border, the large title, the licence number, the contract contents of
services.md (单位名称, 法定代表人（负责人）, 经营项目, 经营场所地址, 有效期限), the signed QR code,
the issuing office and date, and the note that inspectors re-check on site within 2 months. The ID
number is never printed. Long values wrap and flow on to further bordered pages.
"""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, KeepTogether, SimpleDocTemplate, Spacer, Table

from forms.documents.errors import DocumentInputError
from forms.documents.layout import build_pdf, cjk_table_style, expand_long_rows, para, styles, value_paras
from forms.documents.model import DocumentContext, LicenceDetails, chinese_date
from forms.documents.qr import QrFlowable

BORDER_COLOR = colors.HexColor("#8B1A1A")
QR_SIZE = 42 * mm
CONTENT_WIDTH = 164 * mm
DISPLAY_NOTE = "本证应悬挂于经营场所醒目位置。有效期四年，每两年复核一次；扫描二维码可离线核验真伪。"
OTHER_TERM_NOTE = "本证应悬挂于经营场所醒目位置，有效期限见上；扫描二维码可离线核验真伪。"


def display_note(licence: LicenceDetails) -> str:
    """The display note: the 4-year 卫生许可 wording for a 4-year term, else one that names no term."""
    years = (licence.valid_to - licence.valid_from).days / 365.25
    return DISPLAY_NOTE if 3.9 < years < 4.1 else OTHER_TERM_NOTE


def _border(canvas: Canvas, doc: SimpleDocTemplate) -> None:
    width, height = doc.pagesize
    canvas.saveState()
    canvas.setStrokeColor(BORDER_COLOR)
    canvas.setLineWidth(3)
    canvas.rect(12 * mm, 14 * mm, width - 24 * mm, height - 28 * mm)
    canvas.setLineWidth(0.8)
    canvas.rect(14.5 * mm, 16.5 * mm, width - 29 * mm, height - 33 * mm)
    canvas.restoreState()


def _contents_table(licence: LicenceDetails) -> Table:
    s = styles()
    rows = [
        ("单位名称", licence.holder),
        ("法定代表人（负责人）", licence.legal_representative),
        ("经营项目", licence.business_scope),
        ("经营场所地址", licence.address),
        ("有效期限", licence.term_text),
    ]
    table = Table(
        expand_long_rows(
            [[para(label, s.licence_label), value_paras(value, s.licence_value)] for label, value in rows]
        ),
        colWidths=[52 * mm, CONTENT_WIDTH - 52 * mm],
        splitInRow=1,
        hAlign="CENTER",
    )
    table.setStyle(
        cjk_table_style(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (1, 0), (1, -1), 0.6, colors.HexColor("#666666")),
                ("TOPPADDING", (0, 0), (-1, -1), 14),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return table


def _issuer_block(ctx: DocumentContext, licence: LicenceDetails) -> Table:
    s = styles()
    qr_cell = [QrFlowable(ctx.qr_text, QR_SIZE), para("扫码核验", s.cell_center)]
    issuer_cell = [
        para("发证机关：", s.licence_label),
        *value_paras(licence.issuer, s.licence_value),
        Spacer(1, 4 * mm),
        para(f"发证日期：{chinese_date(licence.issue_date)}", s.licence_label),
    ]
    table = Table(
        [[qr_cell, issuer_cell]],
        colWidths=[QR_SIZE + 8 * mm, CONTENT_WIDTH - QR_SIZE - 8 * mm],
        hAlign="CENTER",
        splitInRow=1,
    )
    table.setStyle(
        cjk_table_style(
            [
                ("VALIGN", (0, 0), (0, 0), "TOP"),
                ("VALIGN", (1, 0), (1, 0), "BOTTOM"),
                ("LEFTPADDING", (1, 0), (1, 0), 30 * mm),
            ]
        )
    )
    return table


def _note_box(text: str, licence: LicenceDetails) -> Table:
    s = styles()
    table = Table(
        expand_long_rows([[value_paras(text, s.cell)], [para(display_note(licence), s.cell)]]),
        colWidths=[CONTENT_WIDTH],
        hAlign="CENTER",
        splitInRow=1,
    )
    table.setStyle(
        cjk_table_style(
            [
                ("BOX", (0, 0), (-1, -1), 0.8, BORDER_COLOR),
                ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor("#FBF6F0")),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    return table


def licence_story(ctx: DocumentContext) -> list[Flowable]:
    """The flowables of the licence; raises DocumentInputError unless the context is an approved licence."""
    licence = ctx.licence
    if licence is None:
        raise DocumentInputError("许可证需要 licence 信息（DocumentContext.licence 为空）")
    if ctx.decision != "approved":
        raise DocumentInputError(f"只有准予许可（approved）的申请才能出具许可证，当前为 {ctx.decision}")
    if not ctx.qr_text:
        raise DocumentInputError("许可证需要二维码内容（DocumentContext.qr_text 为空）")
    s = styles()
    return [
        Spacer(1, 14 * mm),
        para(licence.title, s.licence_title),
        Spacer(1, 4 * mm),
        para(f"编号：{licence.number}", s.licence_number),
        Spacer(1, 14 * mm),
        _contents_table(licence),
        Spacer(1, 22 * mm),
        KeepTogether([_issuer_block(ctx, licence)]),
        Spacer(1, 8 * mm),
        _note_box(ctx.recheck_note, licence),
    ]


def render_licence(ctx: DocumentContext) -> bytes:
    """The licence as PDF bytes (A4 portrait certificate)."""
    story = licence_story(ctx)
    assert ctx.licence is not None
    return build_pdf(
        story,
        title=f"{ctx.licence.title} {ctx.licence.number}",
        author=ctx.licence.issuer,
        header="",
        footer=f"受理编号：{ctx.receipt_no}" if ctx.receipt_no else "",
        on_page=_border,
        margins_mm=(22, 23, 24, 23),
    )
