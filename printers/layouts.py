"""Receipt layouts: the licence slip (秒批), the acceptance receipt (受理回执), the 一码通行 slip and the test page.

Each function takes plain keyword arguments and returns a :class:`printers.model.Receipt`; nothing
here knows a printer (widths come in at rendering). Personal data is masked on paper: the holder's
name keeps its first character (张三丰 → 张**, ``idreader.mask_name``), the ID number keeps the first
and last four characters (``idreader.mask_id_number``). Both are idempotent, so already-masked input is fine.

The slip's own words (labels, headings, explanations, captions, the date style) come in as ``words``,
a table with the keys of :data:`ZH_WORDS` (the Chinese, the default); an English session passes the
kiosk's English table (``kiosk.session.slip_words``: printers never import kiosk). What the words
never replace stays as given, in Chinese, because it is the document's legal content and is what
staff at the window and any verifier read: the item's title (the document's legal name), the
issuing office, the hall's name, names, business names, addresses, the licensed scope, official
numbers and the hall's own notice text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

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

ZH_WORDS: Mapping[str, str] = {
    # how a date prints: "" = 2026年11月21日; otherwise a strftime pattern
    "date_format": "",
    "field_separator": "：",
    "long_term": LONG_TERM,
    "validity_range": "{start} 至 {end}",
    "licence_heading": "准予许可（秒批）凭条",
    "filing_heading": "即时办结（秒批）凭条",
    "licence_no": "许可证号",
    "document_no": "文书编号",
    "result": "办理结果",
    "applicant": "申请人",
    "id_number": "证件号码",
    "business_name": "经营者名称",
    "premises": "经营场所",
    "licensed_scope": "许可项目",
    "matter": "事项",
    "validity": "有效期限",
    "issuing_office": "发证机关",
    "certifying_office": "出具机关",
    "issue_date": "发证日期",
    "certify_date": "出具日期",
    "receipt_no": "申请编号",
    "licence_pickup": "许可证正本请凭本凭条到{window}领取，或在线下载电子证照。",
    "document_pickup": "{document}可凭本凭条到{window}领取纸质件，或扫码核验电子版。",
    "window_named": "{window}号发证窗口",
    "window_any": "大厅发证窗口",
    "list_join": "、",
    "promised_materials": "承诺后补材料：{materials}。请按承诺的期限交到{window}。",
    "qr_caption": QR_CAPTION,
    "onecode_caption": ONECODE_CAPTION,
    "terminal": "{hall}  终端 {kiosk}",
    "printed_at": "打印时间：{at}",
    "receipt_title": "受理回执",
    "acceptance_no": "受理编号",
    "applied_for": "经营项目",
    "applied_item": "申请事项",
    "accepting_office": "受理机关",
    "accepted_at": "受理时间",
    "expected_completion": "预计办结",
    "delivery": "送达方式",
    "pickup": "窗口领取",
    "pickup_at": "窗口领取（{place}）",
    "mail_to": "EMS邮寄至：{address}",
    "corrections": "需补正材料",
    "corrections_due": "您的申请已受理，请于{due}前补齐以上材料，逾期未补正的视为撤回申请。",
    "corrections_asap": "您的申请已受理，请补齐以上材料，逾期未补正的视为撤回申请。",
    "progress_caption": "扫码查询办理进度、核验真伪",
    "phone": "咨询电话：{phone}",
    "onecode_title": "一码通行",
    "onecode_heading": "经营者全部许可（扫码核验）",
    "credit_code": "统一社会信用代码",
    "permit_no": "编号",
    "valid_until": "有效期至",
    "expired": "（已过期）",
    "no_permits": "本经营者暂无在册许可。",
}
"""The slips' own words in Chinese. A caller's table must have these keys (kiosk.session.slip_words)."""


def _day(day: dt.date | None, words: Mapping[str, str]) -> str:
    if day is None:
        return words["long_term"]
    return day.strftime(words["date_format"]) if words["date_format"] else chinese_date(day)


def _field(words: Mapping[str, str], key: str, value: str) -> Field:
    return Field(words[key], value, words["field_separator"])


class LayoutError(ValueError):
    """A layout was given input it cannot print (e.g. an unknown delivery method)."""


def _printed_at(moment: dt.datetime, words: Mapping[str, str] = ZH_WORDS) -> str:
    return f"{_day(moment.date(), words)} {moment:%H:%M}"


def _footer(hall_name: str, kiosk_id: str, printed_at: dt.datetime, words: Mapping[str, str]) -> list:
    return [
        Rule(),
        Text(words["terminal"].format(hall=hall_name, kiosk=kiosk_id), align="center"),
        Text(words["printed_at"].format(at=_printed_at(printed_at, words)), align="center"),
    ]


def _window(pickup_window: str, words: Mapping[str, str]) -> str:
    """The 发证窗口 by its number, or the hall's issuing window when none is configured."""
    return words["window_named"].format(window=pickup_window) if pickup_window else words["window_any"]


def _promised(promised: Sequence[str], window: str, words: Mapping[str, str]) -> list:
    """The line naming what the applicant promised to hand in later (告知承诺), or nothing."""
    if not promised:
        return []
    return [Text(words["promised_materials"].format(materials=words["list_join"].join(promised), window=window))]


def _holder_fields(holder_name: str, holder_id_number: str, words: Mapping[str, str]) -> list[Field]:
    fields = [_field(words, "applicant", mask_name(holder_name))]
    if holder_id_number:
        fields.append(_field(words, "id_number", mask_id_number(holder_id_number)))
    return fields


def licence_slip(*, licence_no: str, service_title: str, holder_name: str, business_name: str,
                 address: str, category: str, office: str, issue_date: dt.date,
                 valid_from: dt.date | None, valid_to: dt.date | None, qr_text: str,
                 hall_name: str, kiosk_id: str, printed_at: dt.datetime,
                 holder_id_number: str = "", receipt_no: str = "", document_name: str = "",
                 business_qr_text: str = "", pickup_window: str = "", promised: Sequence[str] = (),
                 words: Mapping[str, str] = ZH_WORDS) -> Receipt:
    """The slip printed with an instant approval (秒批): the document's number, holder, business, validity
    (``valid_to`` None = 长期) and the signed QR code. ``document_name`` is what the item issues (its
    ``result_name``): a 许可证 (or none given) prints as a licence; a 证明, 回执 or 通知 is named as itself,
    never as a 许可证. Business lines with no value (a personal item) are left out. ``business_qr_text``
    (一码通行: every permit of the business, signed) prints as a second code under the first, captioned,
    so the licence's own code stays the one 扫码查询 and older verifiers read. ``pickup_window``: the hall's
    发证窗口 where the original is collected (its number; none: the hall's issuing window); ``promised``: the
    materials promised under 告知承诺, named with where they go (see _promised). ``words``: the
    slip's own words (module docstring); the title, names, business, address, scope and office print as given."""
    w = words
    validity = w["validity_range"].format(start=_day(valid_from or issue_date, w), end=_day(valid_to, w))
    is_licence = not document_name or any(word in document_name for word in LICENCE_WORDS)
    blocks: list = [
        Title(service_title),  # the document's legal name: Chinese in every language
        Text(w["licence_heading" if is_licence else "filing_heading"], bold=True, align="center"),
        Rule(),
        _field(w, "licence_no" if is_licence else "document_no", licence_no),
    ]
    if not is_licence:
        blocks.append(_field(w, "result", document_name))
    blocks += _holder_fields(holder_name, holder_id_number, w)
    blocks += [_field(w, key, value) for key, value in
               (("business_name", business_name), ("premises", address),
                ("licensed_scope" if is_licence else "matter", category))
               if value]
    blocks += [
        _field(w, "validity", validity),
        _field(w, "issuing_office" if is_licence else "certifying_office", office),
        _field(w, "issue_date" if is_licence else "certify_date", _day(issue_date, w)),
    ]
    if receipt_no:
        blocks.append(_field(w, "receipt_no", receipt_no))
    window = _window(pickup_window, w)
    pickup = (w["licence_pickup"] if is_licence else w["document_pickup"]).format(document=document_name,
                                                                                   window=window)
    blocks += [
        Rule(),
        QrCode(qr_text, caption=w["qr_caption"]),
        *([QrCode(business_qr_text, caption=w["onecode_caption"])] if business_qr_text else []),
        Text(pickup),
        *_promised(promised, window, w),
        *_footer(hall_name, kiosk_id, printed_at, w),
        Cut(),
    ]
    return Receipt(tuple(blocks), kind="licence")


def business_code_slip(*, uscc: str, business_name: str, permits: Sequence[tuple[str, str, str, dt.date | None]],
                       qr_text: str, hall_name: str, kiosk_id: str, printed_at: dt.datetime,
                       words: Mapping[str, str] = ZH_WORDS) -> Receipt:
    """一码通行 on request (扫码查询 with the legal representative's card): the business, each permit as
    (item, number, office, valid until; None = 长期) with one that has expired marked, and the signed code.
    The items' titles and offices print as given (legal names)."""
    w = words
    day = printed_at.date()
    blocks: list = [Title(w["onecode_title"]), Text(w["onecode_heading"], bold=True, align="center"), Rule(),
                    _field(w, "business_name", business_name), _field(w, "credit_code", uscc)]
    for index, (item, number, office, valid_to) in enumerate(permits, 1):
        lapsed = valid_to is not None and valid_to < day
        blocks += [Text(f"{index}. {item}" + (w["expired"] if lapsed else ""), bold=True),
                   _field(w, "permit_no", number), _field(w, "issuing_office", office or "-"),
                   _field(w, "valid_until", _day(valid_to, w))]
    if not permits:
        blocks.append(Text(w["no_permits"]))
    blocks += [Rule(), QrCode(qr_text, caption=w["onecode_caption"]), *_footer(hall_name, kiosk_id, printed_at, w),
               Cut()]
    return Receipt(tuple(blocks), kind="onecode")


def _delivery_text(delivery: str, delivery_address: str, words: Mapping[str, str] = ZH_WORDS) -> str:
    if delivery == DELIVERY_PICKUP:
        return words["pickup_at"].format(place=delivery_address) if delivery_address else words["pickup"]
    if delivery in DELIVERY_MAIL:
        if not delivery_address:
            raise LayoutError("mail (EMS) delivery needs a delivery address")
        return words["mail_to"].format(address=delivery_address)
    raise LayoutError(f"delivery must be {DELIVERY_PICKUP!r} or one of {DELIVERY_MAIL}, not {delivery!r}")


def acceptance_receipt(*, receipt_no: str, service_title: str, holder_name: str, business_name: str,
                       address: str, office: str, accepted_at: dt.datetime,
                       expected_completion: dt.date, delivery: str, qr_text: str,
                       hall_name: str, kiosk_id: str, printed_at: dt.datetime,
                       corrections: Sequence[str] = (), delivery_address: str = "",
                       holder_id_number: str = "", category: str = "",
                       correction_deadline: dt.date | None = None, phone: str = "",
                       promised: Sequence[str] = (), pickup_window: str = "", for_person: bool = False,
                       words: Mapping[str, str] = ZH_WORDS) -> Receipt:
    """The acceptance receipt (受理回执) for an application staff will review, with the 补正 list
    (materials still owed) when ``corrections`` is not empty. The owed materials print as the item
    names them (the legal one-time notice, 一次性告知, that staff check the paper against). ``promised``:
    the materials promised under 告知承诺, with the window they go to (``pickup_window``). ``for_person``:
    a personal item (低保, 无犯罪记录证明): no business lines, ``category`` printed as 申请事项."""
    w = words
    blocks: list = [
        Title(w["receipt_title"]),
        Text(service_title, bold=True, align="center"),  # the item's legal name
        Rule(),
        _field(w, "acceptance_no", receipt_no),
        *_holder_fields(holder_name, holder_id_number, w),
    ]
    if not for_person:
        blocks += [_field(w, "business_name", business_name), _field(w, "premises", address)]
    if category:
        blocks.append(_field(w, "applied_item" if for_person else "applied_for", category))
    blocks += [
        _field(w, "accepting_office", office),
        _field(w, "accepted_at", _printed_at(accepted_at, w)),
        _field(w, "expected_completion", _day(expected_completion, w)),
        _field(w, "delivery", _delivery_text(delivery, delivery_address, w)),
    ]
    if corrections:
        owed = (w["corrections_due"].format(due=_day(correction_deadline, w)) if correction_deadline
                else w["corrections_asap"])
        blocks += [
            Rule(),
            Text(w["corrections"], bold=True),
            *[Text(f"{index}. {item}") for index, item in enumerate(corrections, start=1)],
            Text(owed),
        ]
    blocks += _promised(promised, _window(pickup_window, w), w)
    blocks += [Rule(), QrCode(qr_text, caption=w["progress_caption"])]
    if phone:
        blocks.append(Text(w["phone"].format(phone=phone), align="center"))
    blocks += [*_footer(hall_name, kiosk_id, printed_at, w), Cut()]
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
