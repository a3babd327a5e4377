"""The words the session puts on screen and reads aloud: screen instructions and notices, zh and en.

A notice tells what happened, what it means for the applicant, and what to do. Pure data and small
builders; the UI shows `Notice` fields as they are.
"""

from __future__ import annotations

from idreader import IdCard
from kiosk.session.state import CAPTURE_SCREEN, CARD_SWAP_SCREEN, Notice, Step

INSTRUCTIONS: dict[str, dict[str, str]] = {
    "zh": {
        Step.START: "请选择要办理的事项",
        Step.CARD: "请将身份证放在读卡区，不要移动，直到读取完成",
        Step.FORM: "请核对并填写信息，标有“不可修改”的内容来自身份证或共享数据",
        Step.PREREVIEW: "检查完成，请看一下结果，然后点下一步",
        Step.MATERIALS: "请确认材料，并签名或点击同意承诺书",
        Step.SIGN: "请在框内用手指写下您的姓名，写好后点确认",
        Step.RESULT: "请确认办理结果，然后点击确认提交",
        Step.SAVING: "正在提交，请稍候",
        Step.PRINTING: "正在打印，请稍候",
        Step.PRINT_FAILED: "打印没有完成，您的申请已保存",
        Step.RATING: "请取走打印的凭条或回执和身份证，并为本次服务评价",
        Step.THANKS: "谢谢，祝您生活愉快",
        CARD_SWAP_SCREEN: "用新证件重新办理，已填写的内容会全部清除；继续当前办理，请取回新放上的证件。",
        CAPTURE_SCREEN: "请把材料平放在拍摄区，四条边都露出来，看清后点击使用这张",
    },
    "en": {
        Step.START: "Please choose a service",
        Step.CARD: "Place your ID card on the reader and keep it still until it has been read",
        Step.FORM: "Check and complete the form; locked values come from your card or shared records",
        Step.PREREVIEW: "Pre-review is done; read the result and tap Next",
        Step.MATERIALS: "Confirm the materials, then sign or agree to the commitment",
        Step.SIGN: "Write your name in the box with your finger, then tap Confirm",
        Step.RESULT: "Check the result, then tap Confirm",
        Step.SAVING: "Submitting, please wait",
        Step.PRINTING: "Printing, please wait",
        Step.PRINT_FAILED: "Printing did not finish; your application is saved",
        Step.RATING: "Take your printed slip or receipt and your ID card, then rate our service",
        Step.THANKS: "Thank you",
        CARD_SWAP_SCREEN: ("Starting again with the new card clears everything filled in so far; to keep the current "
                           "application, take the new card back."),
        CAPTURE_SCREEN: "Lay the page flat under the camera with all four edges showing, then tap Use this photo",
    },
}

_COUNTDOWN = {
    "zh": "您还在吗？{seconds}秒后将清除已填写的信息并返回首页，轻触屏幕可继续办理",
    "en": "Are you still there? In {seconds} seconds your information will be cleared; touch to continue",
}

_READING = {"zh": "正在读取，请不要移动证件", "en": "Reading; please do not move the card"}
_CANCEL_ASK = {"zh": "确定要取消办理吗？已填写的信息会全部清除。请记得取回您的身份证",
               "en": "Cancel this application? Everything you entered will be cleared. Remember to take your ID card"}

_FIXES = {"zh": "请修改以下内容：", "en": "Please fix the following: "}

# code -> language -> (what happened, what it means, what to do)
_NOTICES: dict[str, dict[str, tuple[str, str, str]]] = {
    "no_response": {
        "zh": ("读卡器没有应答", "暂时无法读取身份证", "请取下身份证后重新放置；仍不行请呼叫工作人员"),
        "en": ("The card reader did not answer", "Your card cannot be read right now",
               "Lift the card and place it again; if it still fails, call staff"),
    },
    "read_failed": {  # the reader retried by itself and failed again, with the card in place
        "zh": ("读卡失败，请重新放置", "读卡器重试后仍没有读出证件信息",
               "请拿起身份证，重新平放在读卡区，不要移动；仍不行请呼叫工作人员"),
        "en": ("The card could not be read; please place it again",
               "The reader tried again and still could not read the card",
               "Lift the card, lay it flat on the reader again and keep it still; if it still fails, call staff"),
    },
    "card_lifted": {  # the card was gone when the reader looked for it again after a spoilt read
        "zh": ("读取过程中证件被移开了", "信息没有读完，读卡器没有问题",
               "请把证件放回读卡区，平放不动，读取完成前不要拿开"),
        "en": ("The card was taken away before the read finished",
               "The data was not read completely; the reader is fine",
               "Put the card back on the reader area and keep it still until the read is done"),
    },
    "unreadable_card": {
        "zh": ("这张证件的信息无法识别", "不能用它在自助机办理", "请到人工窗口办理，或呼叫工作人员"),
        "en": ("The data on this card cannot be recognised", "It cannot be used at this kiosk",
               "Please go to a staffed counter or call staff"),
    },
    "reader_offline": {
        "zh": ("读卡器没有连接", "暂时无法读取身份证", "请呼叫工作人员检查读卡器，或到人工窗口办理"),
        "en": ("The card reader is not connected", "Cards cannot be read right now",
               "Please call staff to check the reader, or go to a staffed counter"),
    },
    "card_expired_resident": {
        "zh": ("身份证已过有效期（有效期至{valid_to}）", "过期证件不能用于办理",
               "请到户籍所在地或居住地公安机关户政窗口换领新证后再来办理"),
        "en": ("This ID card expired on {valid_to}", "An expired card cannot be used",
               "Renew it at the household registration (户政) window of the public security bureau "
               "where your hukou is registered or where you live, then come back"),
    },
    "card_expired_permit": {
        "zh": ("证件已过有效期（有效期至{valid_to}）", "过期证件不能用于办理",
               "请到居住地公安机关出入境管理窗口换领新证后再来办理"),
        "en": ("This permit expired on {valid_to}", "An expired card cannot be used",
               "Renew it at the exit-entry (出入境) window of the public security bureau where you live, "
               "then come back"),
    },
    "card_excluded": {  # the item's own rule decides from the card alone (an age limit): {reasons}
        "zh": ("这张证件不能办理此事项", "{reasons}",
               "请由符合条件的人（如家长、监护人或单位的成年负责人）持本人身份证来办理；也可以返回选择其他事项"),
        "en": ("This card cannot be used for this service", "{reasons}",
               "The application must be made by someone who qualifies (a parent, guardian or an adult "
               "responsible for the business) with their own ID card; or go back and choose another service"),
    },
    "records_excluded": {  # the shared data about the holder decides (hukou elsewhere, retired): {reasons}
        "zh": ("这个事项不能在这里为您办理", "{reasons}",
               "请按上面说的去办理；也可以返回选择其他事项，有疑问请呼叫工作人员"),
        "en": ("This service cannot be done for you here", "{reasons}",
               "Please do as said above; or go back and choose another service, and call staff if in doubt"),
    },
    "commitment_missing": {
        "zh": ("还没有确认承诺书", "未确认承诺不能提交", "请在下方签名区签名，或点“我已阅读并同意”（在材料清单下面）"),
        "en": ("The commitment has not been confirmed", "The application cannot be submitted without it",
               "Sign in the box below, or tap 'I have read and agree' (under the list of materials)"),
    },
    "materials_missing": {
        "zh": ("还没有确认材料", "材料未确认不能提交", "请查看材料清单并点击确认"),
        "en": ("The materials have not been confirmed", "The application cannot be submitted yet",
               "Read the list of materials and tap Confirm"),
    },
    "delivery_missing": {
        "zh": ("还没有选择领取方式", "需要知道结果如何交给您", "请选择窗口领取或邮寄"),
        "en": ("No delivery choice yet", "We need to know how to get the result to you",
               "Choose pickup at the counter or mail"),
    },
    "address_missing": {
        "zh": ("邮寄地址是空的", "没有地址无法邮寄", "请填写邮寄地址，或改选窗口领取"),
        "en": ("The mailing address is empty", "The result cannot be mailed without an address",
               "Enter the address, or choose pickup"),
    },
    "expired_card_mid_form": {
        "zh": ("刚才读到的证件已过有效期", "它不能替换当前的证件，已填写的信息不变",
               "如需换人办理，请使用有效证件"),
        "en": ("The card just read has expired", "It cannot replace the current card; nothing changed",
               "To apply for someone else, use a valid card"),
    },
    "save_failed": {
        "zh": ("申请没有保存成功", "还没有提交，也没有编号；已填写的信息仍在",
               "请点击确认提交重试；仍不行请呼叫工作人员"),
        "en": ("The application could not be saved", "Nothing was submitted yet; your answers are kept",
               "Tap Confirm to try again; if it still fails, call staff"),
    },
}

_PRINT_FAULTS = {
    "paper_out": {"zh": "打印纸用完了", "en": "The printer has run out of paper"},
    "cover_open": {"zh": "打印机盖没有关好", "en": "The printer cover is open"},
    "offline": {"zh": "打印机没有连接", "en": "The printer is not connected"},
    "timeout": {"zh": "打印机没有应答", "en": "The printer did not answer"},
    "error": {"zh": "打印机出现故障", "en": "The printer failed"},
}

WAITING_PRINT_FAULTS = frozenset({"paper_out", "cover_open"})
"""Faults where the slip waits in the printer's queue and prints by itself once staff fixed the printer."""


def waits_for_printer(notice: Notice | None) -> bool:
    """The print-failed notice is for a waiting fault: the slip prints by itself, so the screen offers
    no 重新打印 (it would only say the same fault again), only leaving without waiting."""
    return notice is not None and notice.code.removeprefix("print_") in WAITING_PRINT_FAULTS

_PRINT_FAILED = {
    "zh": ("您的{document}已经办好并保存，编号 {number}，不会丢失",
           "可以点“重新打印”再试；或记下编号，到{window}号发证窗口领取；"
           "也可以以后在首页“扫码查询·补打”凭编号和本人身份证补打"),
    "en": ("Your {document} is issued and saved under number {number}; nothing is lost",
           "Tap 'Print again' to try again; or note the number and collect it at issuing window {window}; "
           "or reprint it later from 'Scan / Reprint' on the start screen with this number and your own ID card"),
}
_PRINT_WAITING = {  # paper out, cover open: said at once; staff are called (the screen says how that call
    # stands, from the hall's answer: never "notified" when only this kiosk signalled); it prints by itself
    # while the visit lasts
    "zh": ("您的{document}已经办好并保存，编号 {number}，不会丢失",
           "打印机处理好后会自动打印，请稍候；不想等的话，可以记下编号到{window}号发证窗口领取，"
           "或以后在首页“扫码查询·补打”凭编号和本人身份证补打"),
    "en": ("Your {document} is issued and saved under number {number}; nothing is lost",
           "It prints by itself once the printer is fixed, please wait. If you do "
           "not want to wait, note the number and collect it at issuing window {window}, or reprint it later "
           "from 'Scan / Reprint' on the start screen with this number and your own ID card"),
}
_ACCEPTED_SAVED = {
    "zh": "您的申请已经受理并保存，编号 {number}，不会丢失",
    "en": "Your application is accepted and saved under number {number}; nothing is lost",
}
_ACCEPTED_TO_DO = {  # a 受理回执 that did not print: nothing to collect until staff approve it
    "zh": ("{first}，请记下编号：现在还不能领取，审核结果预计 {due} 前出来，可以凭编号在首页"
           "“扫码查询·补打”查看进度，或凭编号和本人身份证补打受理回执"),
    "en": ("{first}, note the number: nothing can be collected yet; the decision is "
           "expected by {due}. Check its progress from 'Scan / Reprint' on the start screen with this number, or "
           "reprint the acceptance receipt there with your own ID card"),
}
_ACCEPTED_FIRST = {  # (waiting fault, other fault)
    "zh": ("打印机处理好后会自动打印受理回执，请稍候；不想等的话", "可以点“重新打印”再试；或者"),
    "en": ("The acceptance receipt prints by itself once the printer is fixed, please wait. If you do not want "
           "to wait", "Tap 'Print again' to try again. Or"),
}
_DUE_UNKNOWN = {"zh": "办结时限内", "en": "the promised date"}
_DEFAULT_DOCUMENT = {"zh": "许可证", "en": "licence"}


def instruction(screen: str, language: str) -> str:
    return INSTRUCTIONS[language][screen]


def reading(language: str) -> str:
    """Said in elder mode when the reader has seen the card (the read takes a moment)."""
    return _READING[language]


def cancel_question(language: str) -> str:
    """Said in elder mode when 取消办理 asks first."""
    return _CANCEL_ASK[language]


def countdown_warning(seconds: int, language: str) -> str:
    return _COUNTDOWN[language].format(seconds=seconds)


def fixes_text(messages: list[str], language: str) -> str:
    separator = "；" if language == "zh" else "; "
    return _FIXES[language] + separator.join(messages)


def notice(code: str, language: str, **values: str) -> Notice:
    texts = _NOTICES.get(code) or _NOTICES["read_failed"]
    happened, means, to_do = (text.format(**values) for text in texts[language])
    return Notice(code=code if code in _NOTICES else "read_failed", what_happened=happened,
                  what_it_means=means, what_to_do=to_do)


def expired_card_notice(card: IdCard, language: str) -> Notice:
    code = "card_expired_resident" if card.card_type == "resident" else "card_expired_permit"
    valid_to = card.valid_to.isoformat() if card.valid_to else ""
    return notice(code, language, valid_to=valid_to)


def card_excluded_notice(code: str, reasons: list[str], language: str) -> Notice:
    """The item's rules exclude this card holder before any form: by the card's own data ("card_excluded",
    e.g. under 18: who can apply instead) or by the shared data about them ("records_excluded", e.g. hukou
    elsewhere: the rule's own message says where to go)."""
    separator = "；" if language == "zh" else "; "
    return notice(code, language, reasons=separator.join(reasons))


def written_date(iso_day: str, language: str) -> str:
    """An ISO date as the screens write it: 2027年01月02日 (the date picker's and the clock's form), ISO in English."""
    if language != "zh" or len(iso_day) != 10:
        return iso_day
    year, month, day = iso_day.split("-")
    return f"{year}年{month}月{day}日"


def print_failed_notice(kind: str, number: str, language: str, document: str = "", window: str = "1",
                        approved: bool = True, due: str = "") -> Notice:
    """A printer fault after saving: what happened, that the result (by its own name) is issued and safe
    with its number, and what happens next (never a technician's command)."""
    happened = _PRINT_FAULTS.get(kind, _PRINT_FAULTS["error"])[language]
    means, to_do = (_PRINT_WAITING if kind in WAITING_PRINT_FAULTS else _PRINT_FAILED)[language]
    if not approved:  # a 受理回执: the decision comes later, nothing is collected now
        means = _ACCEPTED_SAVED[language]
        first = _ACCEPTED_FIRST[language][0 if kind in WAITING_PRINT_FAULTS else 1]
        to_do = _ACCEPTED_TO_DO[language].format(first=first, due=written_date(due, language) or _DUE_UNKNOWN[language])
    shown = (document if language == "zh" else "") or _DEFAULT_DOCUMENT[language]
    means, to_do = (text.format(number=number, document=shown, window=window or "1") for text in (means, to_do))
    code = f"print_{kind}" if kind in _PRINT_FAULTS else "print_error"
    return Notice(code=code, what_happened=happened, what_it_means=means, what_to_do=to_do)
