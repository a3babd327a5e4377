"""Receipt layouts: the licence slip (秒批), the acceptance receipt (受理回执) and the test page.

Each function takes plain keyword arguments and returns a :class:`printers.model.Receipt`; nothing
here knows a printer (widths come in at rendering). Personal data is masked on paper: the holder's
name keeps its first character (张三丰 → 张**, ``idreader.mask_name``), the ID number keeps the first
and last four characters (``idreader.mask_id_number``). Both are idempotent, so already-masked input is fine.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from idreader import mask_id_number
from idreader.wording import chinese_date, mask_name
from printers.model import Cut, Feed, Field, QrCode, Receipt, Rule, Text, Title
from printers.profiles import PrinterProfile

DELIVERY_PICKUP = "pickup"
DELIVERY_MAIL = ("ems", "mail")
LONG_TERM = "长期"
QR_CAPTION = "扫码核验真伪"
ONECODE_CAPTION = "一码通行：扫码查看本经营者全部许可"
TEST_QR_PREFIX = "MIAOBAN-TEST"
LICENCE_WORDS = ("许可证", "执照", "登记证", "许可证书")
"""A document name holding one of these is a licence: its slip says 许可证号 and 发证机关."""


class LayoutError(ValueError):
    """A layout was given input it cannot print (e.g. an unknown delivery method)."""


def _printed_at(moment: dt.datetime) -> str:
    return f"{chinese_date(moment.date())} {moment:%H:%M}"


def _footer(hall_name: str, kiosk_id: str, printed_at: dt.datetime) -> list:
    return [
        Rule(),
        Text(f"{hall_name}  终端 {kiosk_id}", align="center"),
        Text(f"打印时间：{_printed_at(printed_at)}", align="center"),
    ]


def _holder_fields(holder_name: str, holder_id_number: str) -> list[Field]:
    fields = [Field("申请人", mask_name(holder_name))]
    if holder_id_number:
        fields.append(Field("证件号码", mask_id_number(holder_id_number)))
    return fields


def licence_slip(*, licence_no: str, service_title: str, holder_name: str, business_name: str,
                 address: str, category: str, office: str, issue_date: dt.date,
                 valid_from: dt.date | None, valid_to: dt.date | None, qr_text: str,
                 hall_name: str, kiosk_id: str, printed_at: dt.datetime,
                 holder_id_number: str = "", receipt_no: str = "", document_name: str = "",
                 business_qr_text: str = "") -> Receipt:
    """The slip printed with an instant approval (秒批): the document's number, holder, business, validity
    (``valid_to`` None = 长期) and the signed QR code. ``document_name`` is what the item issues (its
    ``result_name``): a 许可证 (or none given) prints as a licence; a 证明, 回执 or 通知 is named as itself,
    never as a 许可证. Business lines with no value (a personal item) are left out. ``business_qr_text``
    (一码通行: every permit of the business, signed) prints as a second code under the first, captioned,
    so the licence's own code stays the one 扫码查询 and older verifiers read."""
    validity = f"{chinese_date(valid_from or issue_date)} 至 {chinese_date(valid_to, LONG_TERM)}"
    is_licence = not document_name or any(word in document_name for word in LICENCE_WORDS)
    blocks: list = [
        Title(service_title),
        Text("准予许可（秒批）凭条" if is_licence else "即时办结（秒批）凭条", bold=True, align="center"),
        Rule(),
        Field("许可证号" if is_licence else "文书编号", licence_no),
    ]
    if not is_licence:
        blocks.append(Field("办理结果", document_name))
    blocks += _holder_fields(holder_name, holder_id_number)
    blocks += [Field(label, value) for label, value in
               (("经营者名称", business_name), ("经营场所", address), ("许可项目" if is_licence else "事项", category))
               if value]
    blocks += [
        Field("有效期限", validity),
        Field("发证机关" if is_licence else "出具机关", office),
        Field("发证日期" if is_licence else "出具日期", chinese_date(issue_date)),
    ]
    if receipt_no:
        blocks.append(Field("申请编号", receipt_no))
    pickup = ("许可证正本请凭本凭条在大厅发证窗口领取，或在线下载电子证照。" if is_licence
              else f"{document_name}可凭本凭条在大厅窗口领取纸质件，或扫码核验电子版。")
    blocks += [
        Rule(),
        QrCode(qr_text, caption=QR_CAPTION),
        *([QrCode(business_qr_text, caption=ONECODE_CAPTION)] if business_qr_text else []),
        Text(pickup),
        *_footer(hall_name, kiosk_id, printed_at),
        Cut(),
    ]
    return Receipt(tuple(blocks), kind="licence")


def business_code_slip(*, uscc: str, business_name: str, permits: Sequence[tuple[str, str, str, dt.date | None]],
                       qr_text: str, hall_name: str, kiosk_id: str, printed_at: dt.datetime) -> Receipt:
    """一码通行 on request (扫码查询 with the legal representative's card): the business, each permit as
    (item, number, office, valid until; None = 长期) with one that has expired marked, and the signed code."""
    day = printed_at.date()
    blocks: list = [Title("一码通行"), Text("经营者全部许可（扫码核验）", bold=True, align="center"), Rule(),
                    Field("经营者名称", business_name), Field("统一社会信用代码", uscc)]
    for index, (item, number, office, valid_to) in enumerate(permits, 1):
        lapsed = valid_to is not None and valid_to < day
        blocks += [Text(f"{index}. {item}" + ("（已过期）" if lapsed else ""), bold=True), Field("编号", number),
                   Field("发证机关", office or "-"), Field("有效期至", chinese_date(valid_to, LONG_TERM))]
    if not permits:
        blocks.append(Text("本经营者暂无在册许可。"))
    blocks += [Rule(), QrCode(qr_text, caption=ONECODE_CAPTION), *_footer(hall_name, kiosk_id, printed_at), Cut()]
    return Receipt(tuple(blocks), kind="onecode")


def _delivery_text(delivery: str, delivery_address: str) -> str:
    if delivery == DELIVERY_PICKUP:
        return "窗口领取" + (f"（{delivery_address}）" if delivery_address else "")
    if delivery in DELIVERY_MAIL:
        if not delivery_address:
            raise LayoutError("mail (EMS) delivery needs a delivery address")
        return f"EMS邮寄至：{delivery_address}"
    raise LayoutError(f"delivery must be {DELIVERY_PICKUP!r} or one of {DELIVERY_MAIL}, not {delivery!r}")


def acceptance_receipt(*, receipt_no: str, service_title: str, holder_name: str, business_name: str,
                       address: str, office: str, accepted_at: dt.datetime,
                       expected_completion: dt.date, delivery: str, qr_text: str,
                       hall_name: str, kiosk_id: str, printed_at: dt.datetime,
                       corrections: Sequence[str] = (), delivery_address: str = "",
                       holder_id_number: str = "", category: str = "",
                       correction_deadline: dt.date | None = None, phone: str = "") -> Receipt:
    """The acceptance receipt (受理回执) for an application staff will review, with the 补正 list
    (materials still owed) when ``corrections`` is not empty."""
    blocks: list = [
        Title("受理回执"),
        Text(service_title, bold=True, align="center"),
        Rule(),
        Field("受理编号", receipt_no),
        *_holder_fields(holder_name, holder_id_number),
        Field("经营者名称", business_name),
        Field("经营场所", address),
    ]
    if category:
        blocks.append(Field("申请事项", category))
    blocks += [
        Field("受理机关", office),
        Field("受理时间", _printed_at(accepted_at)),
        Field("预计办结", chinese_date(expected_completion)),
        Field("送达方式", _delivery_text(delivery, delivery_address)),
    ]
    if corrections:
        deadline = f"，请于{chinese_date(correction_deadline)}前" if correction_deadline else "，请"
        blocks += [
            Rule(),
            Text("需补正材料", bold=True),
            *[Text(f"{index}. {item}") for index, item in enumerate(corrections, start=1)],
            Text(f"您的申请已受理{deadline}补齐以上材料，逾期未补正的视为撤回申请。"),
        ]
    blocks += [Rule(), QrCode(qr_text, caption="扫码查询办理进度、核验真伪")]
    if phone:
        blocks.append(Text(f"咨询电话：{phone}", align="center"))
    blocks += [*_footer(hall_name, kiosk_id, printed_at), Cut()]
    return Receipt(tuple(blocks), kind="receipt")


def test_page(profile: PrinterProfile, printed_at: dt.datetime | None = None) -> Receipt:
    """A technician's test page: profile facts, a column ruler, Chinese text and punctuation, sizes,
    bold, alignment, a QR code and a cut."""
    ruler = "".join(str(i % 10) for i in range(1, profile.columns + 1))
    blocks: list = [
        Title("打印机测试页"),
        Field("型号配置", profile.name),
        Field("纸宽", f"{profile.paper_mm} mm，{profile.width_dots} 点，{profile.columns} 列"),
        Field("原生二维码", "支持" if profile.native_qr else "不支持（图像打印）"),
        Field("中文字库",
              f"有（{profile.text_encoding.upper()}）" if profile.chinese_font else "无（图像打印）"),
        Rule(),
        Text(ruler),
        Text("中文：政务服务，一网通办。"),
        Text("标点：，。、；：？！“”‘’（）《》【】—…￥"),
        Text("金额：¥128.00 元"),
        Text("ABCDEFGHIJKLMNOPQRSTUVWXYZ abcdefghijklmnopqrstuvwxyz 0123456789"),
        Text("加粗 Bold", bold=True),
        Text("左对齐", align="left"),
        Text("居中", align="center"),
        Text("右对齐", align="right"),
        Text("倍高倍宽", size=2),
        Text("三倍", size=3, align="center"),
        Rule("="),
        QrCode(f"{TEST_QR_PREFIX}:{profile.name}:{profile.width_dots}", caption="扫描此码应显示型号与纸宽"),
    ]
    if printed_at is not None:
        blocks.append(Text(f"打印时间：{_printed_at(printed_at)}", align="center"))
    blocks += [Feed(1), Cut()]
    return Receipt(tuple(blocks), kind="test")
