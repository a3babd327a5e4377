"""The 卫生管理制度 template for public places, and its pure filling with one business's details.

Sections follow what 公共场所卫生管理条例实施细则 asks a business to keep: organisation and the
卫生管理员, staff health, training, cleaning and disinfection of articles for customers, the central
air-conditioning system, pest control, hygiene testing, records, complaints, incidents. `$` slots are
filled with `string.Template`; values are inserted as plain text (escaping happens when printed).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from string import Template

from forms.documents.model import HygieneDetails, chinese_date


@dataclass(frozen=True)
class Section:
    """One section of the generated hygiene rules: heading and items."""

    heading: str
    items: tuple[str, ...]


_SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "总则",
        (
            "为加强$business_name（以下简称本单位）的卫生管理，预防疾病，保障顾客健康，依据《公共场所卫生管理条例》"
            "及其实施细则，结合本单位$category_phrase经营实际，制定本制度。",
            "本制度适用于本单位位于$address的经营场所及全体从业人员。",
        ),
    ),
    (
        "卫生管理组织与职责",
        (
            "本单位法定代表人（负责人）是公共场所卫生安全的第一责任人，对本单位卫生管理工作全面负责。",
            "本单位设卫生管理员一名，由$hygiene_manager担任，负责日常卫生管理、检查、记录和培训组织工作，"
            "发现问题及时整改并向负责人报告。",
            "卫生管理员每日对场所环境卫生、公共用品用具清洗消毒、通风设施运行情况进行检查，并做好记录。",
        ),
    ),
    (
        "从业人员健康管理",
        (
            "直接为顾客服务的从业人员应当每年进行健康检查，取得有效健康合格证明后方可上岗。",
            "患有痢疾、伤寒、甲型病毒性肝炎、戊型病毒性肝炎等消化道传染病，以及活动性肺结核、化脓性或者渗出性皮肤病"
            "等疾病的人员，治愈前不得从事直接为顾客服务的工作。",
            "建立从业人员健康档案，由$hygiene_manager负责核对健康合格证明的有效期，到期前督促复查。",
            "从业人员应保持个人卫生，工作时穿戴整洁的工作服。",
        ),
    ),
    (
        "卫生知识培训",
        (
            "从业人员上岗前应当接受卫生法律法规、卫生知识和技能培训，考核合格后方可上岗。",
            "在岗从业人员每年接受卫生知识培训不少于一次，培训内容、时间、参加人员和考核结果记入培训档案。",
        ),
    ),
    (
        "公共用品用具清洗消毒",
        (
            "供顾客使用的毛巾、床上用品、拖鞋、杯具、美容美发工具等公共用品用具应一客一换一消毒，禁止重复使用一次性用品用具。",
            "设置专用的清洗消毒间（区），配备足量的清洗、消毒、保洁设施，清洁与污染用品分开存放，标识明显。",
            "使用符合国家规定的消毒剂和消毒设备，按说明书规定的浓度和时间消毒，并做好清洗消毒记录。",
            "采购的公共用品用具应索取检验合格证明，建立采购验收台账。",
        ),
    ),
    (
        "集中空调通风系统",
        (
            "$ac_sentence",
            "集中空调通风系统每年至少进行一次卫生检测或评价，新风口应远离污染源，过滤网、表冷器等部件定期清洗消毒。",
            "发生呼吸道传染病流行时，按卫生健康部门要求调整运行方式，必要时停止使用。",
        ),
    ),
    (
        "环境卫生与通风",
        (
            "经营场所保持整洁，每日营业前后进行清扫，卫生间等重点区域随时保洁。",
            "保持室内空气流通，自然通风不足的应配备机械通风设施，室内空气质量、微小气候、采光照明、噪声符合国家卫生标准。",
            "室内公共场所禁止吸烟，设置醒目的禁止吸烟标识。",
        ),
    ),
    (
        "病媒生物防制",
        (
            "落实防鼠、防蚊、防蝇、防蟑螂等病媒生物防制措施，下水道口、排风口加装防护网，门窗严密。",
            "定期开展病媒生物密度检查和消杀，使用的药物符合国家规定，并做好记录。",
        ),
    ),
    (
        "卫生检测",
        (
            "每年委托具有资质的检测机构对空气、微小气候、水质、采光照明、噪声、公共用品用具等进行卫生检测，"
            "检测结果在经营场所醒目位置如实公示。",
            "检测不合格的项目立即整改，整改后重新检测，合格前不得使用相关设施或用品。",
        ),
    ),
    (
        "卫生管理档案",
        (
            "建立健全卫生管理档案，包括卫生许可证、卫生管理制度、从业人员健康合格证明及培训考核记录、"
            "清洗消毒记录、检测报告、设施设备维护记录、病媒生物防制记录、投诉处理记录等。",
            "档案由$hygiene_manager专人管理，保存期限不少于两年，随时接受卫生监督部门检查。",
        ),
    ),
    (
        "投诉处理与健康危害事故报告",
        (
            "设置顾客意见簿并公布投诉电话，接到卫生方面的投诉后及时核实处理，并记录处理结果。",
            "发生危害健康事故时，立即处置，防止危害扩大，并于2小时内向区卫生健康行政部门报告，不得隐瞒、缓报或者谎报。",
        ),
    ),
    ("附则", ("本制度由本单位负责解释，自$effective_date起施行。",)),
)


def hygiene_rules_sections(details: HygieneDetails, today: dt.date) -> list[Section]:
    """The template filled with `details`; `today` is the effective date when none is given."""
    if details.has_central_ac:
        ac_sentence = (
            "本单位使用集中空调通风系统，建立集中空调通风系统卫生档案，"
            "由$hygiene_manager负责日常运行卫生管理。"
        )
    else:
        ac_sentence = "本单位目前未使用集中空调通风系统；如今后使用，应在投入使用前完成卫生检测或评价并报告。"
    values = {
        "business_name": details.business_name or "本单位",
        "hygiene_manager": details.hygiene_manager,
        "category_phrase": f"{details.category}" if details.category else "",
        "address": details.address or "本单位经营地址",
        "effective_date": chinese_date(details.effective_date or today),
    }
    sections = []
    for heading, items in _SECTIONS:
        filled = []
        for item in items:
            text = ac_sentence if item == "$ac_sentence" else item
            filled.append(Template(text).safe_substitute(values))
        sections.append(Section(heading, tuple(filled)))
    return sections
