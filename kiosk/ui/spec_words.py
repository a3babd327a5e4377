# ruff: noqa: E501  (the Chinese phrases are keys: kept whole on one line)
"""English for what the service specs say in Chinese (titles, departments, what to bring, labels,
choices, help, materials, commitments) and for their rules' messages, keyed by rule id. Pure data.

The specs (forms/catalog/*.yaml) are written in Chinese for the hall; an English screen shows the
English here. `spec_text(text, language)` gives a spec phrase in the screen's language (the phrase
itself when the table has none: tests/ui/test_english.py finds those on the English screens);
`rule_message(rule, message, language)` a finding's message, by its rule id. Field-check findings
(`FIELD-…`) get one English sentence per check.
"""

from __future__ import annotations

EN_TEXT: dict[str, str] = {
    # catalog level: titles, departments, life events, what to bring, conditions, commitments
    "出生一件事": "Birth: one application for everything",
    "区政务服务中心（联办）": "District government service centre (joint)",
    "出生": "Birth",
    "食品经营（仅销售预包装食品）备案": "Food business filing (prepackaged food only)",
    "预包装食品备案": "Prepackaged food filing",
    "区市场监督管理局": "District market regulation bureau",
    "开办经营": "Starting a business",
    "个体工商户设立登记": "Registering a sole proprietorship",
    "个体户开业登记": "Sole proprietorship registration",
    "公共场所卫生许可（延续）": "Public place hygiene licence (renewal)",
    "卫生许可延续": "Hygiene licence renewal",
    "区卫生健康委员会": "District health commission",
    "公共场所卫生许可（新办）": "Public place hygiene licence (new)",
    "卫生许可新办": "New hygiene licence",
    "居住证申领": "Residence permit application",
    "居住证": "Residence permit",
    "公安分局": "District public security bureau",
    "居住": "Living here",
    "本人身份证": "Your own ID card",
    "经营者本人身份证": "The operator's own ID card",
    "申请人（父亲或母亲）身份证": "The applicant's (father's or mother's) ID card",
    "营业执照（知道统一社会信用代码即可）": "Business licence (knowing its credit code is enough)",
    "原公共场所卫生许可证（知道统一社会信用代码即可）": "The current hygiene licence (knowing the credit code is enough)",
    "代办的，带上授权委托书": "If applying for someone else: a power of attorney",
    "代办的，带上法定代表人（负责人）签字的授权委托书":
        "If applying for someone else: a power of attorney signed by the legal representative",
    "卫生检测（评价）报告": "Hygiene inspection (assessment) report",
    "平面图及卫生设施布局图（可当场拍照，或承诺后补）":
        "Floor plan and layout of hygiene facilities (photograph it here, or promise it for later)",
    "平面图及卫生设施布局图": "Floor plan and layout of hygiene facilities",
    "可用材料拍摄仪当场拍照，或承诺后 20 个工作日内补交":
        "photograph it with the document camera, or promise to hand it in within 20 working days",
    "卫生管理制度": "Hygiene management rules",
    "按模板自动生成，填入卫生管理员": "made for you from the template, naming your hygiene manager",
    "代办时需要，由法定代表人（负责人）签字": "needed when applying for someone else, signed by the legal representative",
    "代办时需要": "needed when applying for someone else",
    "授权委托书": "Power of attorney",
    "另一方的身份证号码": "The other parent's ID number",
    "出生医院开具的出生证明信息": "The birth details from the hospital's birth certificate",
    "出生医学证明首次签发登记表（医院提供）": "Birth medical certificate registration form (from the hospital)",
    "经营场所的住所证明（房产证或租赁合同，可拍照）":
        "Proof of the business premises (deed or lease; a photo will do)",
    "家庭经营的，参与经营的家庭成员的身份证号码": "For a family business: the ID numbers of the family members in it",
    "经营场所使用证明（房产证或租赁合同）": "Proof of use of the premises (deed or lease)",
    "工作证明、住房证明或学籍证明之一（可拍照）": "Proof of work, housing or school (one of them; a photo will do)",
    "就业证明（劳动合同或营业执照）": "Proof of employment (contract or business licence)",
    "住所证明（房产证或租赁合同）": "Proof of residence (deed or lease)",
    "就读证明（学生证或学校证明）": "Proof of study (student card or school letter)",
    "宾馆、理发店、美容店、浴室、游泳馆、歌舞厅、网吧、商场等公共场所开业前办理。从业人员都要有有效的健康合格证明并经过 "
    "卫生知识培训，场所卫生检测合格。实行告知承诺，符合条件的当场发证，2 个月内现场核查。":
        "For hotels, barbers, beauty salons, baths, pools, dance halls, internet cafes, shops and other public places, "
        "before they open. Every employee needs a valid health certificate and hygiene training, and the premises a "
        "passed hygiene inspection. Under a written commitment (告知承诺) the licence is issued on the spot when the "
        "conditions are met; the premises are inspected within 2 months.",
    "本人承诺：所填写的信息和提交的材料真实、准确、完整；本场所已具备公共场所卫生管理条例及其实施细则规定的卫生条件， "
    "从业人员均持有有效健康合格证明并经卫生知识培训合格；已知晓卫生健康部门将在 2 个月内进行现场核查，如发现承诺不实， "
    "将依法撤销许可，并记入信用记录，由本单位承担相应法律责任。":
        "I promise that the information and materials given are true, accurate and complete; that the premises meet "
        "the hygiene conditions of the Regulations on Hygiene Management of Public Places and their rules; and that "
        "every employee holds a valid health certificate and has passed hygiene training. I know the health "
        "department will inspect the premises within 2 months; if this promise proves untrue, the licence will be "
        "revoked, the case recorded in the credit records, and this business held legally responsible.",
    "已有公共场所卫生许可证、即将到期的单位，在有效期届满前 30 天内办理。信息从原许可证自动带出，卫生条件没有变化的当场换发新证， "
    "新证有效期从原证到期次日起算 4 年。":
        "For a business whose hygiene licence runs out within 30 days. The details come from the current licence; "
        "when nothing has changed the new licence is issued on the spot, valid 4 years from the day after the old "
        "one ends.",
    "只卖包装好的食品（不卖散装食品、不现场制作）的小超市、便利店、商店，不用办食品经营许可证，备案即可，当场出具备案回执。":
        "Shops that sell only packaged food (no loose food, nothing made on site) need no food business licence: "
        "a filing is enough, and the filing receipt is printed on the spot.",
    "有经营能力的自然人（年满 18 周岁）可以申请。个人经营或家庭经营均可；名称可以不起。提交后由工作人员审核， 营业执照可邮寄或到窗口领取。":
        "Anyone aged 18 or over may apply, alone or as a family business; a name is optional. Staff review the "
        "application; the business licence is mailed or collected at the counter.",
    "1 周岁以内的新生儿，父母一方持身份证来办理。填一张表，同时办理出生医学证明、出生登记（上户口）、 城乡居民医保参保登记和社会保障卡申领，结果一起邮寄或领取。":
        "For a baby under 1 year old, one parent applies with their ID card. One form covers the birth medical "
        "certificate, the birth registration (hukou), medical insurance and the social security card; the results "
        "are mailed or collected together.",
    "离开户口所在地，到本区居住满半年，并且有合法稳定的工作、住所，或在这里连续上学的，可以申领居住证。 提交后 15 天内发证，以后每年签注一次。":
        "If you have lived in this district for half a year away from your hukou, with a steady job or home here, "
        "or study here, you may apply. The permit is issued within 15 days and endorsed once a year.",
    "本人承诺：所填孩子和父母的信息真实，孩子出生情况与医院记录一致。如有虚假，愿意承担法律责任。":
        "I promise that the details of the child and the parents are true and that the birth matches the hospital's "
        "record. I accept legal responsibility for anything false.",
    "本人承诺：本经营者仅销售预包装食品，不销售散装食品、不现场制售食品；所填信息真实，遵守食品安全法律法规，对所售食品的安全负责。备案信息发生变化时，将在 15 个工作日内办理变更。":
        "I promise that this business sells only prepackaged food, no loose food and nothing made on site; that the "
        "details given are true; that it follows the food safety laws and answers for the safety of the food it "
        "sells; and that any change to the filing will be reported within 15 working days.",
    "本人承诺：所填信息真实有效，经营场所合法可用，依法诚信经营。如有虚假，愿意承担法律责任，登记将被撤销。":
        "I promise that the details given are true, that the premises may lawfully be used, and that the business "
        "will be run honestly and lawfully. If anything is false I accept legal responsibility and the registration "
        "will be revoked.",
    "本人承诺：所填写的信息真实、准确；本场所卫生条件与原许可时一致，从业人员均持有有效健康合格证明并经卫生知识培训合格。如承诺不实，愿意承担相应法律责任，许可将依法撤销并记入信用记录。":
        "I promise that the details given are true and accurate; that the premises' hygiene is as when the licence "
        "was issued; and that every employee holds a valid health certificate and has passed hygiene training. If "
        "this proves untrue I accept legal responsibility; the licence will be revoked and recorded in the credit "
        "records.",
    "本人承诺：所填居住、工作（住所、就读）信息真实；居住地址变动时及时申报变更。如有虚假，愿意承担法律责任。":
        "I promise that the details of where I live, work or study are true, and that I will report a change of "
        "address in time. I accept legal responsibility for anything false.",
    # the health permit's form
    "申请人": "Applicant",
    "身份证件号码": "ID number",
    "联系电话": "Phone",
    "填手机号，审批结果和核查通知会发短信给您。": "Your mobile number: the decision and inspection notices come by text message.",
    "申请人是否为法定代表人（负责人）本人": "Are you the legal representative (person in charge)?",
    "替别人办理选“否”，需要带上授权委托书。": "Choose No when applying for someone else; you then need a power of attorney.",
    "是": "Yes",
    "否": "No",
    "统一社会信用代码": "Unified social credit code",
    "营业执照上的 18 位代码。": "The 18-character code on the business licence.",
    "单位名称": "Business name",
    "经营场所地址": "Business address",
    "场所类别": "Kind of premises",
    "饭店、咖啡馆、酒吧、茶馆不在这里办，请办理食品经营许可。":
        "Restaurants, cafes, bars and tea houses do not apply here: apply for a food business licence.",
    "宾馆": "Hotel", "旅店": "Inn", "招待所": "Guest house", "公共浴室": "Public bath", "温泉浴": "Hot spring bath",
    "桑拿": "Sauna", "足浴": "Foot spa", "婴幼儿沐浴": "Baby bath", "美容店": "Beauty salon", "理发店": "Barber",
    "游泳场（馆）": "Swimming pool", "影剧院": "Cinema or theatre", "游戏厅": "Game arcade", "歌舞厅": "Dance hall",
    "音乐厅": "Concert hall", "展览馆": "Exhibition hall", "博物馆": "Museum", "美术馆": "Art gallery",
    "图书馆": "Library", "网吧": "Internet cafe", "商场（店）": "Shop or mall", "超市": "Supermarket",
    "书店": "Bookshop", "候诊室": "Waiting room (clinic)", "候车（机、船）室": "Waiting room (station, airport, port)",
    "营业面积（平方米）": "Floor area (m²)",
    "平方米": "m²",
    "从业人员数": "Number of employees",
    "人": "people",
    "持有效健康合格证明人数": "Employees with a valid health certificate",
    "卫生知识培训合格人数": "Employees who passed hygiene training",
    "卫生管理员": "Hygiene manager",
    "负责日常卫生管理的人的姓名。": "The name of the person in charge of daily hygiene.",
    "是否使用集中空调通风系统": "Do the premises use central air conditioning?",
    "卫生检测（评价）报告出具日期": "Date of the hygiene inspection report",
    "看检测报告封面上的日期。": "The date on the report's cover.",
    "检测结论": "Inspection result",
    "合格": "Passed",
    "不合格": "Failed",
    "集中空调检测报告出具日期": "Date of the central air-conditioning inspection report",
}

EN_RULES: dict[str, str] = {
    "PP-CARD-VALID": "Your ID card has expired and cannot be used. Please renew it first, then come back.",
    "PP-ADULT": "The applicant must be 18 or older. A parent or an adult in charge of the business should apply.",
    "PP-DISTRICT": "This business is not registered in this district. Apply at the government service centre of "
                   "the district where it is registered.",
    "PP-AREA": "Shops and bookshops under the floor-area threshold need no hygiene licence: you do not need this item.",
    "PP-HEALTH": "Every employee needs a valid health certificate. Send those without one for a health check "
                 "first, then come back.",
    "PP-TRAINED": "Every employee must pass hygiene training. Arrange the training first, then come back.",
    "PP-REPORT-PASS": "The hygiene inspection failed, so no licence can be issued. Put things right, pass a new "
                      "inspection, then come back.",
    "PP-REPORT-FRESH": "The hygiene report must be recent and not dated after today. Check the date; if the report "
                       "is too old, have a new inspection first.",
    "PP-AC-REPORT": "With central air conditioning you need a recent air-conditioning inspection report. Enter its "
                    "date; without one, have the inspection first.",
    "PP-COUNTS": "The certified and trained counts cannot be more than the number of employees. Please check them.",
    "PP-LEGAL-REP": "The registered legal representative is not you. When applying for someone else, choose No and "
                    "bring a power of attorney.",
    "PP-AGENT": "You apply for someone else: a power of attorney signed by the legal representative is needed, "
                "and staff will check it. You can submit.",
    "PP-CREDIT": "This business is on the list of dishonest entities, so no licence on the spot. You can submit; "
                 "staff will review it.",
    "PP-EXISTING": "This business already holds a valid hygiene licence. If it runs out soon, apply for a renewal; "
                   "if details changed, apply for a change.",
    "FIELD-REQUIRED": "Please fill this in.",
    "FIELD-CHECK": "This does not look right; please check it.",
    "FIELD-FORMAT": "This is not in the right format; please check it.",
    "FIELD-RANGE": "This number is out of range; please check it.",
}


def _bare(text: str) -> str:
    return "".join(text.split())


_EN_BARE = {_bare(key): value for key, value in EN_TEXT.items()}  # YAML folding may move spaces


def spec_text(text: str, language: str) -> str:
    """A spec's phrase in the screen's language."""
    if language != "en" or not text:
        return text
    return EN_TEXT.get(text) or _EN_BARE.get(_bare(text), text)


def rule_message(rule: str, message: str, language: str) -> str:
    """A finding's message in the screen's language, by its rule id (FIELD-… by its check)."""
    if language != "en":
        return message
    if rule in EN_RULES:
        return EN_RULES[rule]
    prefix = next((key for key in EN_RULES if key.startswith("FIELD-") and rule.startswith(key)), None)
    return EN_RULES[prefix] if prefix else message


def spoken(text: str, language: str, findings: object = ()) -> str:
    """What elder mode reads aloud, with the findings' messages in the screen's language (the session
    joins the spec's Chinese messages into its "please fix" sentence)."""
    if language != "en":
        return text
    for finding in findings:  # type: ignore[attr-defined]
        text = text.replace(finding.message, rule_message(finding.rule, finding.message, language))
    return text
