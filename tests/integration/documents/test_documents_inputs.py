"""Bad input gives typed errors with clear messages, and the pure helpers behave (no PDF reading here).

Covers the escaping and character fallback, QR matrices, continuation rows, the hygiene template, the
model's own checks, and atomic writes that never clobber an existing file with half a PDF.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
import segno
from unit.assets.test_qrcodes import segments

from assets import qrcodes
from forms.documents import (
    Delivery,
    DocumentError,
    DocumentInputError,
    DocumentKind,
    DocumentRenderError,
    HygieneDetails,
    render_document,
    select_documents,
    write_document,
)
from forms.documents.fonts import covered_code_points
from forms.documents.hygiene_rules import section_number
from forms.documents.hygiene_template import hygiene_rules_sections
from forms.documents.layout import expand_long_rows
from forms.documents.qr import QUIET_ZONE_MODULES, dark_runs, qr_matrix, run_path_operators
from forms.documents.text import PLACEHOLDER, printable, to_markup

DRAWABLE = frozenset(map(ord, "张伟&理发<>/b 中国abc□\n"))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("张伟", "张伟"),
        ("a\tb", "a b"),
        ("a\r\nb\rc", "a\nb\nc"),
        ("中\x00国\x07", "中国"),  # control characters dropped
        ("中😀国", f"中{PLACEHOLDER}国"),  # outside the font: visible placeholder
        ("👨‍👩‍👧", PLACEHOLDER * 3),  # zero-width joiners dropped, each emoji replaced
        ("中\ufe0f国", "中国"),  # variation selector dropped
        ("\ud800中", "中"),  # lone surrogate dropped
    ],
)
def test_printable_drops_controls_and_replaces_undrawable_characters(value, expected):
    assert printable(value, DRAWABLE) == expected


def test_to_markup_escapes_so_values_print_literally():
    assert to_markup("<b>张伟&理发</b>", DRAWABLE) == "&lt;b&gt;张伟&amp;理发&lt;/b&gt;"
    assert to_markup("中\n国", DRAWABLE) == "中<br/>国"
    assert to_markup(None, DRAWABLE) == ""


def test_shipped_font_covers_common_hanzi_and_the_placeholder_but_not_emoji():
    covered = covered_code_points()
    assert all(ord(ch) in covered for ch in "公共场所卫生许可证（）〔〕：" + PLACEHOLDER)
    assert ord("😀") not in covered


@pytest.mark.parametrize("text", ["MB1:ABC 123", "核验 中国 张三", "https://example.cn/v?x=1"])
def test_qr_matrix_is_a_full_qr_with_a_four_module_quiet_zone(text):
    matrix = qr_matrix(text)
    version = segno.make_qr(text, error="m", encoding="utf-8").version
    side = 17 + 4 * version + 2 * QUIET_ZONE_MODULES
    assert len(matrix) == side and all(len(row) == side for row in matrix)
    assert not any(matrix[0]) and not any(row[0] for row in matrix)
    # Finder pattern corner: top-left module of the symbol is dark.
    assert matrix[QUIET_ZONE_MODULES][QUIET_ZONE_MODULES]


def test_chinese_qr_text_uses_byte_mode_not_kanji():
    assert segments(qrcodes.make("中国", "m")) == [("byte", "中国".encode())]


def test_dark_runs_cover_exactly_the_dark_modules():
    matrix = [[False, True, True, False, True], [True, True, True, True, True], [False] * 5]
    assert dark_runs(matrix) == [(0, 1, 2), (0, 4, 1), (1, 0, 5)]


def test_run_path_operators_fill_one_rectangle_per_run():
    assert run_path_operators([(0, 1, 2), (3, 0, 5)]) == "1 0 2 1 re\n0 3 5 1 re\nf"


def test_qr_text_too_long_or_empty_is_an_input_error():
    with pytest.raises(DocumentInputError, match="过长"):
        qr_matrix("x" * 5000)
    with pytest.raises(DocumentInputError, match="为空"):
        qr_matrix("")


def test_expand_long_rows_spreads_chunks_over_continuation_rows():
    rows = [["label", ["a", "b", "c"], "src"], ["l2", ["x"], "s2"]]
    assert expand_long_rows(rows) == [
        ["label", "a", "src"],
        ["", "b", ""],
        ["", "c", ""],
        ["l2", "x", "s2"],
    ]


@pytest.mark.parametrize(("index", "numeral"), [(1, "一"), (9, "九"), (10, "十"), (12, "十二"), (20, "二十")])
def test_section_numbers(index, numeral):
    assert section_number(index) == numeral


def test_hygiene_template_fills_every_slot():
    details = HygieneDetails("铜梁理发店", "李秀英", "理发店", "龙城大道88号", has_central_ac=True)
    sections = hygiene_rules_sections(details, dt.date(2026, 11, 21))
    text = "".join(item for section in sections for item in section.items)
    assert "$" not in text
    assert text.count("李秀英") >= 3
    assert "铜梁理发店" in text and "龙城大道88号" in text and "2026年11月21日起施行" in text
    assert "本单位使用集中空调通风系统" in text


def test_licence_needs_an_approved_decision_licence_details_and_a_qr(samples):
    with pytest.raises(DocumentInputError, match="approved"):
        render_document(DocumentKind.LICENCE, samples.make(decision="accepted"))
    with pytest.raises(DocumentInputError, match="licence"):
        render_document(DocumentKind.LICENCE, samples.make(licence=None))
    with pytest.raises(DocumentInputError, match="二维码"):
        render_document(DocumentKind.LICENCE, samples.make(qr_text=""))


def test_receipts_refuse_blocked_applications_and_filing_needs_its_number(samples):
    with pytest.raises(DocumentInputError, match="blocked"):
        render_document(DocumentKind.RECEIPT, samples.make(decision="blocked"))
    with pytest.raises(DocumentInputError, match="备案编号"):
        render_document(DocumentKind.FILING_RECEIPT, samples.make(filing_no=""))


def test_hygiene_rules_need_details_and_a_manager(samples):
    with pytest.raises(DocumentInputError, match="hygiene"):
        render_document(DocumentKind.HYGIENE_RULES, samples.make(hygiene=None))
    with pytest.raises(DocumentInputError, match="卫生管理员"):
        render_document(DocumentKind.HYGIENE_RULES, samples.make(hygiene=HygieneDetails("店", "  ")))


def test_a_corrupt_signature_is_an_input_error(samples):
    with pytest.raises(DocumentInputError, match="签名"):
        render_document(DocumentKind.APPLICATION, samples.make(signature_png=b"\x89PNG not really"))


def test_unknown_kind_names_the_known_ones(samples):
    with pytest.raises(DocumentInputError, match="filing_receipt"):
        render_document("passport", samples.make())


def test_model_checks_its_own_values(samples):
    with pytest.raises(DocumentInputError, match="办理结果"):
        samples.make(decision="maybe")
    with pytest.raises(DocumentInputError, match="领取方式"):
        Delivery("drone")  # type: ignore[arg-type]
    licence = samples.make().licence
    with pytest.raises(DocumentInputError, match="早于"):
        dataclasses.replace(licence, valid_to=dt.date(2020, 1, 1))
    ctx = samples.make(owed=[], notes=["请携带身份证原件"])  # lists are stored as tuples
    assert ctx.owed == () and ctx.notes == ("请携带身份证原件",)


@pytest.mark.parametrize(
    ("listed", "decision", "expected"),
    [
        (
            ["application", "licence", "hygiene_rules"],
            "approved",
            ["application", "licence", "hygiene_rules"],
        ),
        (
            ["application", "licence", "hygiene_rules"],
            "accepted",
            ["application", "receipt", "hygiene_rules"],
        ),
        (["application", "licence", "receipt"], "accepted", ["application", "receipt"]),
        (["application", "filing_receipt"], "approved", ["application", "filing_receipt"]),
        (["application", "filing_receipt"], "accepted", ["application", "receipt"]),
        (["application", "licence"], "blocked", []),
    ],
)
def test_select_documents_follows_the_decision(listed, decision, expected):
    assert [kind.value for kind in select_documents(listed, decision)] == expected


def test_select_documents_rejects_unknown_names():
    with pytest.raises(DocumentInputError, match="receipt"):
        select_documents(["application", "certificate"], "approved")


def test_every_error_is_a_document_error():
    assert issubclass(DocumentInputError, DocumentError)
    assert issubclass(DocumentRenderError, DocumentError)


def test_write_is_atomic_and_keeps_the_old_file_when_rendering_fails(samples, tmp_path):
    target = tmp_path / "licence.pdf"
    write_document(DocumentKind.LICENCE, samples.make(), target)
    before = target.read_bytes()
    with pytest.raises(DocumentInputError):
        write_document(DocumentKind.LICENCE, samples.make(licence=None), target)
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["licence.pdf"]


def test_write_to_an_unwritable_place_is_a_render_error(samples, tmp_path):
    (tmp_path / "taken").write_text("a file, not a folder")
    with pytest.raises(DocumentRenderError, match="无法写入"):
        write_document(DocumentKind.LICENCE, samples.make(), tmp_path / "taken" / "licence.pdf")
    directory = tmp_path / "dir.pdf"
    directory.mkdir()
    with pytest.raises(DocumentRenderError, match="无法写入"):
        write_document(DocumentKind.LICENCE, samples.make(), directory)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dir.pdf", "taken"]  # no temp file left behind
