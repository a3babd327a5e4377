"""The generated 卫生管理制度 PDF: the template of `hygiene_template` filled for one business.

Printed as a numbered rules document with the business name in the title, the 卫生管理员 named in the
text, and signature lines for the 负责人 and the 卫生管理员 at the end.
"""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table

from forms.documents.errors import DocumentInputError
from forms.documents.hygiene_template import hygiene_rules_sections
from forms.documents.layout import GRID_COLOR, build_pdf, cjk_table_style, para, styles
from forms.documents.model import DocumentContext

CHINESE_NUMERALS = "一二三四五六七八九十"


def section_number(index: int) -> str:
    """1 -> 一, 10 -> 十, 12 -> 十二, 20 -> 二十 (enough for a rules document)."""
    if index <= 10:
        return CHINESE_NUMERALS[index - 1]
    tens, ones = divmod(index, 10)
    prefix = "" if tens == 1 else CHINESE_NUMERALS[tens - 1]
    return prefix + "十" + (CHINESE_NUMERALS[ones - 1] if ones else "")


def hygiene_rules_story(ctx: DocumentContext) -> list[Flowable]:
    details = ctx.hygiene
    if details is None:
        raise DocumentInputError("卫生管理制度需要 hygiene 信息（DocumentContext.hygiene 为空）")
    if not details.hygiene_manager.strip():
        raise DocumentInputError("卫生管理制度需要卫生管理员姓名")
    s = styles()
    story: list[Flowable] = [
        para(details.business_name, s.subtitle),
        para("卫生管理制度", s.title),
        Spacer(1, 4 * mm),
    ]
    article = 0
    for index, section in enumerate(hygiene_rules_sections(details, ctx.submitted_at.date()), start=1):
        story.append(para(f"{section_number(index)}、{section.heading}", s.heading))
        for item in section.items:
            article += 1
            story.append(para(f"第{article}条　{item}", s.body))
    signatures = Table(
        [
            [
                para("负责人（签字）：", s.cell),
                "",
                para("卫生管理员（签字）：", s.cell),
                para(details.hygiene_manager, s.cell),
            ]
        ],
        colWidths=[34 * mm, 42 * mm, 40 * mm, 42 * mm],
        rowHeights=[14 * mm],
        hAlign="LEFT",
    )
    signatures.setStyle(
        cjk_table_style(
            [
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                ("LINEBELOW", (1, 0), (1, 0), 0.8, GRID_COLOR),
                ("LINEBELOW", (3, 0), (3, 0), 0.8, GRID_COLOR),
            ]
        )
    )
    story += [Spacer(1, 8 * mm), KeepTogether([signatures])]
    return story


def render_hygiene_rules(ctx: DocumentContext) -> bytes:
    """The 卫生管理制度 as PDF bytes."""
    business = ctx.hygiene.business_name if ctx.hygiene else ""
    return build_pdf(
        hygiene_rules_story(ctx),
        title=f"{business}卫生管理制度",
        author=business,
        header=f"受理编号：{ctx.receipt_no}" if ctx.receipt_no else "",
        footer="秒办自助终端据申请信息生成",
    )
