"""Renders every document to a real PDF file and reads it back with poppler (pdftotext, pdftoppm, pdffonts).

Checks the Chinese text extracts (labels and values, a markup-looking value printed literally), the
CJK font is embedded (never STSong), the ID number is full on the form and masked elsewhere, and the
QR code decodes from a 100 dpi rendering of page 1 to exactly the QR text.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image

from forms.documents import DocumentKind, HygieneDetails, write_document, write_documents

TOOL_TIMEOUT_S = 30.0
MARKUP_NAME = "<b>张伟&理发</b>"
MASKED_ID = "1101**********002X"


def compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


def decode_qr(png: Path) -> list[str]:
    """Every QR code zxing-cpp finds on the page (specs §7: it beats OpenCV on whole-page scans)."""
    with Image.open(png) as image:
        return [result.text for result in zxingcpp.read_barcodes(image)]


def fonts_of(pdf: Path) -> str:
    return subprocess.run(
        ["pdffonts", str(pdf)], capture_output=True, timeout=TOOL_TIMEOUT_S, check=True
    ).stdout.decode()


def assert_cjk_font_embedded(pdf: Path) -> None:
    rows = [line for line in fonts_of(pdf).splitlines()[2:] if line.strip()]
    assert rows, "no fonts in the PDF"
    for row in rows:
        assert "WenQuanYiMicroHei" in row, row
        assert re.search(r"\byes\s+yes\s+yes\b", row), f"font not embedded/subset/unicode: {row}"
    assert "STSong" not in fonts_of(pdf)


def test_application_form_prints_fields_materials_commitment_and_full_id(samples, tmp_path, pdf_text):
    ctx = samples.make()
    pdf = write_document(DocumentKind.APPLICATION, ctx, tmp_path / "application.pdf")
    text = compact(pdf_text(pdf))
    assert "公共场所卫生许可（新办）申请表" in text
    for line in ctx.fields:
        assert compact(line.label) in text
        assert compact(line.value) in text
    for source in ("来自身份证", "来自共享数据", "申请人填写"):
        assert source in text
    assert MARKUP_NAME in text  # printed literally, not parsed as bold markup
    assert samples.id_number in text  # the applicant's own form shows the full number
    for material in ctx.materials:
        assert material.name in text and material.status in text
    assert "本人郑重承诺" in text and "愿意承担许可被撤销等法律责任" in text
    assert "受理编号：500151-20261121-K01-0007" in text
    assert "申请人（签字）" in text and "2026年11月21日" in text
    assert_cjk_font_embedded(pdf)


def test_signature_is_embedded_when_drawn_and_the_line_left_blank_otherwise(samples, tmp_path, pdf_text):
    signed = write_document(DocumentKind.APPLICATION, samples.make(), tmp_path / "signed.pdf")
    blank = write_document(DocumentKind.APPLICATION, samples.make(signature_png=None), tmp_path / "blank.pdf")

    def image_count(pdf: Path) -> int:
        listing = subprocess.run(
            ["pdfimages", "-list", str(pdf)], capture_output=True, timeout=TOOL_TIMEOUT_S, check=True
        ).stdout.decode()
        return sum(1 for line in listing.splitlines()[2:] if line.split() and line.split()[2] == "image")

    assert image_count(signed) == 1
    assert image_count(blank) == 0
    blank_text = compact(pdf_text(blank))
    assert "申请人（签字）" in blank_text
    assert "年月日" in blank_text  # an empty date line for the pen
    assert "2026年11月21日" not in blank_text.split("申请人（签字）")[1]


def test_licence_shows_contract_contents_masks_nothing_personal_and_qr_decodes(
    samples, tmp_path, pdf_text, rasterise
):
    ctx = samples.make()
    pdf = write_document(DocumentKind.LICENCE, ctx, tmp_path / "licence.pdf")
    text = compact(pdf_text(pdf))
    assert "公共场所卫生许可证" in text
    assert "编号：铜卫公证字〔2026〕第000123号" in text
    for label in (
        "单位名称",
        "法定代表人（负责人）",
        "经营项目",
        "经营场所地址",
        "有效期限",
        "发证机关",
        "发证日期",
    ):
        assert label in text
    assert MARKUP_NAME in text
    assert "理发店" in text and "铜梁区卫生健康委员会" in text
    assert "2026年11月21日至2030年11月20日" in text
    assert "2个月内到经营场所现场核查" in text
    assert samples.id_number not in text and "002X" not in text
    assert_cjk_font_embedded(pdf)
    assert decode_qr(rasterise(pdf, tmp_path)) == [samples.qr_text]


def test_chinese_qr_text_is_byte_mode_utf8_and_round_trips(samples, tmp_path, rasterise):
    qr = "核验：张伟 铜卫公证字〔2026〕第000123号 中国"
    pdf = write_document(DocumentKind.LICENCE, samples.make(qr_text=qr), tmp_path / "licence.pdf")
    assert decode_qr(rasterise(pdf, tmp_path)) == [qr]


def test_acceptance_receipt_lists_owed_materials_delivery_and_masks_the_id(
    samples, tmp_path, pdf_text, rasterise
):
    ctx = samples.accepted()
    pdf = write_document(DocumentKind.RECEIPT, ctx, tmp_path / "receipt.pdf")
    text = compact(pdf_text(pdf))
    assert "受理回执" in text and "公共场所卫生许可（新办）" in text
    assert MASKED_ID in text
    assert samples.id_number not in text
    assert "需补正材料" in text and "已受理，需补正材料" in text
    for item in ctx.owed:
        assert compact(item.material) in text and compact(item.reason) in text
    assert "2026年12月01日" in text  # 补正期限
    assert "预计办结日期2026年12月05日" in text
    assert "邮寄送达（EMS）" in text and "重庆市铜梁区巴川街道龙城大道88号附12号" in text
    assert "张伟138****8000" in text and "13800138000" not in text  # the phone masked, as on the slip
    assert decode_qr(rasterise(pdf, tmp_path)) == [samples.qr_text]
    assert_cjk_font_embedded(pdf)


def test_receipt_without_owed_materials_has_no_correction_section(samples, tmp_path, pdf_text):
    ctx = samples.accepted(owed=())
    text = compact(pdf_text(write_document(DocumentKind.RECEIPT, ctx, tmp_path / "r.pdf")))
    assert "需补正材料" not in text
    assert "已受理，待工作人员审查" in text


def test_bundle_result_notice_puts_each_sub_item_on_its_own_line(samples, tmp_path, poppler):
    ctx = samples.bundle()
    pdf = write_document(DocumentKind.RESULT_NOTICE, ctx, tmp_path / "bundle.pdf")
    layout = subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", str(pdf), "-"],
        capture_output=True,
        timeout=TOOL_TIMEOUT_S,
        check=True,
    ).stdout.decode()
    lines = layout.splitlines()
    assert "办理结果告知单" in compact(layout)
    for number, result in enumerate(ctx.bundle_results, start=1):
        matching = [line for line in lines if result.item in line and result.result in line]
        assert len(matching) == 1, f"{result.item} not on one line with its result"
        assert matching[0].split()[0] == str(number)
    assert "窗口领取" in compact(layout)


def test_filing_receipt_leads_with_the_filing_number(samples, tmp_path, pdf_text):
    ctx = samples.make(
        filing_no="JY35001510012345", licence=None, service_title="食品经营（仅销售预包装食品）备案"
    )
    text = compact(pdf_text(write_document(DocumentKind.FILING_RECEIPT, ctx, tmp_path / "filing.pdf")))
    assert "备案回执" in text and "备案编号JY35001510012345" in text and "已备案" in text
    assert "予以备案，备案编号JY35001510012345（受理编号500151-20261121-K01-0007）" in text
    assert text.index("备案编号JY35001510012345受理编号") < text.index(
        "受理编号500151-20261121-K01-0007申请人"
    )


@pytest.mark.parametrize("central_ac", [False, True])
def test_hygiene_rules_name_the_manager_and_cover_every_section(samples, tmp_path, pdf_text, central_ac):
    hygiene = HygieneDetails(MARKUP_NAME, "李秀英", "理发店", "重庆市铜梁区龙城大道88号", central_ac)
    ctx = samples.make(hygiene=hygiene)
    pdf = write_document(DocumentKind.HYGIENE_RULES, ctx, tmp_path / "rules.pdf")
    text = compact(pdf_text(pdf))
    assert "卫生管理制度" in text and MARKUP_NAME in text
    assert "由李秀英担任" in text
    for heading in (
        "从业人员健康管理",
        "卫生知识培训",
        "公共用品用具清洗消毒",
        "集中空调通风系统",
        "病媒生物防制",
        "卫生检测",
        "卫生管理档案",
        "投诉处理",
    ):
        assert heading in text
    assert ("本单位使用集中空调通风系统" in text) is central_ac
    assert ("目前未使用集中空调通风系统" in text) is not central_ac
    assert "自2026年11月21日起施行" in text
    assert_cjk_font_embedded(pdf)


def test_write_documents_writes_each_kind_named_after_it(samples, tmp_path, pdf_text):
    out = tmp_path / "app-7"  # created on demand
    kinds = [DocumentKind.APPLICATION, "licence", DocumentKind.HYGIENE_RULES]
    paths = write_documents(kinds, samples.make(), out)
    assert [p.name for p in paths] == ["application.pdf", "licence.pdf", "hygiene_rules.pdf"]
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in paths)  # no temp files left
    for path in paths:
        assert path.read_bytes().startswith(b"%PDF-")
        assert "铜梁区" in pdf_text(path)


LONG = ("超长经营范围😀<i>&" * 1000)[:10_000]
EMOJI_FAMILY = "👨‍👩‍👧"  # three emoji glued by zero-width joiners: three placeholders


def with_value(ctx, where: str, value: str):
    if where == "field":
        return dataclasses.replace(ctx, fields=(*ctx.fields, dataclasses.replace(ctx.fields[0], value=value)))
    if where == "holder":
        assert ctx.licence is not None
        return dataclasses.replace(ctx, licence=dataclasses.replace(ctx.licence, holder=EMOJI_FAMILY + value))
    owed = dataclasses.replace(ctx.owed[0], reason=value)
    return dataclasses.replace(ctx, owed=(owed, *ctx.owed[1:]))


@pytest.mark.parametrize(
    ("kind", "where"),
    [
        (DocumentKind.APPLICATION, "field"),
        (DocumentKind.LICENCE, "holder"),
        (DocumentKind.RECEIPT, "owed"),
    ],
)
def test_a_10000_character_value_with_emoji_wraps_and_flows_to_more_pages(
    samples, tmp_path, pdf_text, page_count, kind, where
):
    base = samples.accepted() if kind is DocumentKind.RECEIPT else samples.make()
    baseline = compact(pdf_text(write_document(kind, with_value(base, where, ""), tmp_path / "short.pdf")))
    pdf = write_document(kind, with_value(base, where, LONG), tmp_path / "long.pdf")
    assert page_count(pdf) >= 3
    text = compact(pdf_text(pdf))
    # Every character of the value arrives: markup characters literally, emoji as the placeholder.
    for char in ("超", "<", "&"):
        assert text.count(char) == baseline.count(char) + LONG.count(char), char
    assert text.count("□") == baseline.count("□") + LONG.count("😀")
    assert "😀" not in text
    assert_cjk_font_embedded(pdf)


def test_long_labels_sources_and_material_statuses_also_flow(samples, tmp_path, page_count):
    base = samples.make()
    long_text = "很长的说明" * 600
    ctx = dataclasses.replace(
        base,
        fields=(dataclasses.replace(base.fields[0], label=long_text, source=long_text),),
        materials=(dataclasses.replace(base.materials[0], name=long_text, status=long_text, note=long_text),),
    )
    assert page_count(write_document(DocumentKind.APPLICATION, ctx, tmp_path / "long.pdf")) >= 3


def test_licence_and_receipt_dates_come_from_the_context(samples, tmp_path, pdf_text):
    ctx = samples.make()
    assert ctx.licence is not None
    licence = dataclasses.replace(
        ctx.licence,
        issue_date=dt.date(2027, 1, 2),
        valid_from=dt.date(2027, 1, 2),
        valid_to=dt.date(2031, 1, 1),
    )
    text = compact(pdf_text(write_document("licence", samples.make(licence=licence), tmp_path / "l.pdf")))
    assert "2027年01月02日至2031年01月01日" in text and "发证日期：2027年01月02日" in text


def test_documents_render_from_two_worker_threads_at_once(samples, tmp_path, pdf_text):
    jobs = [(DocumentKind.LICENCE, samples.make()), (DocumentKind.RECEIPT, samples.accepted())] * 3
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = [
            pool.submit(write_document, kind, ctx, tmp_path / f"{index}-{kind}.pdf")
            for index, (kind, ctx) in enumerate(jobs)
        ]
        paths = [future.result(timeout=TOOL_TIMEOUT_S) for future in futures]
    texts = [compact(pdf_text(path)) for path in paths]
    assert texts[0::2] == [texts[0]] * 3 and texts[1::2] == [texts[1]] * 3
    assert "公共场所卫生许可证" in texts[0] and "受理回执" in texts[1]
