"""Demo shared data: businesses, licences and persons that make the demo cards tell a story.

The people are the holders of the demo cards in `idreader/demo_cards/` (same ID numbers), plus a few
people without a demo card who appear in tests. All numbers are synthetic and pass their checks
(GB 11643 ID numbers; GB 32100 credit codes whose GB 11714 part is valid too). Licence dates are placed
relative to `today`, so the 延续 story works on any day.

With the 公共场所卫生许可（新办） item in the demo hall (铜梁区):
- adult 张伟: legal rep of 铜梁区巴川街道张伟理发店 (个体工商户, 理发店, 80 m², no licence yet)
  -> prefilled, approved on the spot;
- longterm 王秀兰: no business of her own; applies for 王芳's 龙城足浴店 as an agent -> PP-AGENT,
  accepted for staff review (choosing 是 instead -> PP-LEGAL-REP blocks);
- rare_char 陈喆: legal rep of a company on the 失信 list -> PP-CREDIT, accepted for staff review;
- elderly 李德明: his 悦来宾馆 holds a licence that expires in 18 days -> 延续 is approved;
  新办 for the same category only warns (PP-EXISTING); its 食品经营许可 (the breakfast room) lapsed
  40 days ago, so its 一码通行 code (kiosk.onecode) shows a verifier one permit expired;
- foreign2023 阿里: his company is registered in 渝北区 (500112) -> PP-DISTRICT blocks;
- expired 刘强: card expired (PP-CARD-VALID); his small 书店 (120 m²) also needs no licence (PP-AREA); it
  holds a food business licence (a new one only warns, FL-EXISTING);
- hmt 陈家明: runs a 便利店 that sells prepackaged food -> 食品经营（仅销售预包装食品）备案;
- minor 张小雨: under 18 -> PP-ADULT.
Without a demo card: 李娜 (hukou in 成都, lives in 铜梁: 居住证), 王芳 (the 足浴店's legal rep).

The social items (社保, 医保, 公积金, 残联, 民政, 证明) read the person records:
- 张伟: 灵活就业 pension (180 months), own home, no housing fund -> 参保证明, 户籍证明, 无犯罪记录证明,
  社保卡补换; his 理发店 -> 个体户变更/注销, 营业执照补领, 员工录用 (就业登记, 职工参保);
- 王秀兰: 企业职工 (312 months, at the 足浴店), housing fund 正常, runs 秀兰面馆 (小餐饮) -> 退休一件事,
  养老待遇申领, 小餐饮登记, 开办餐饮店一件事, 最低生活保障 (accepted for review);
- 李德明: retired, 职工医保, 二级 残疾人证, sealed housing fund -> 卫生许可变更/注销 (his 悦来宾馆),
  高龄津贴, 公积金退休提取, 异地就医备案, 残疾人证补领, 两项补贴;
- 陈喆: left his job (no employer now), 企业职工 pension with 36 months of unemployment insurance, no home ->
  失业登记, 失业保险金, 失业一件事, 灵活就业参保, 无房证明, 公积金缴存证明 (sealed), 婚姻登记预约, 教师资格;
- 张小雨: no insurance -> 城乡居民医保参保 (guardian present), 社保卡 (guardian review); a 四级 残疾人证
  (补领 with her guardian; no 护理补贴 at that grade);
- 刘强: his household receives 低保 (a new 低保 application blocks);
- 陈家明: his 便利店 adds 散装食品 -> 食品经营许可（低风险）; 李娜: 居住证签注, 生育津贴 (职工医保, at 张伟's shop);
- 赵磊 (no card): police records need a look -> 无犯罪记录证明 goes to an officer; registered unemployed;
- 孙丽 (no card): 城乡居民 insurance; 陈喆's partner in the 婚姻登记预约 story.
"""

from __future__ import annotations

import datetime as dt

from forms.context import add_years
from forms.registry import Business, InMemoryRegistry, Licence, Person

ZHANG_WEI = "50015119850312003X"  # idreader/demo_cards/adult.json
WANG_XIULAN = "500151196609080049"  # longterm.json
CHEN_ZHE = "500151199512300096"  # rare_char.json
LI_DEMING = "500151194211030050"  # elderly.json
ALI = "950586198207140015"  # foreign2023.json
LIU_QIANG = "500151197801250073"  # expired.json
CHEN_JIAMING = "810000199004220011"  # hmt.json
ZHANG_XIAOYU = "500151201406180027"  # minor.json
LI_NA = "500224199007080025"  # no demo card
WANG_FANG = "500151196201010020"  # no demo card
ZHAO_LEI = "500151198807150019"  # no demo card
SUN_LI = "50015119920305002X"  # no demo card (陈喆's partner)

BARBER_USCC = "92500151MA5UBL3K3E"
FOOT_SPA_USCC = "92500151MA60CY8J27"
ARCADE_USCC = "91500151MA61GD7R72"
HOTEL_USCC = "92500151MA5U7Q2N3R"
YUBEI_USCC = "91500112MA5YB40P26"
SHOP_USCC = "92500151MA5UF33TXA"
BOOKSHOP_USCC = "92500151MA5UQ77W0U"
NOODLE_USCC = "92500151MA5UN66Q6X"

HOTEL_LICENCE_DAYS_LEFT = 18
HOTEL_FOOD_LICENCE_DAYS_AGO = 40
HEALTH_OFFICE = "铜梁区卫生健康委员会"  # forms.settings offices, as the hall prints them
MARKET_OFFICE = "铜梁区市场监督管理局"


def demo_businesses() -> list[Business]:
    return [
        Business(BARBER_USCC, "铜梁区巴川街道张伟理发店", "个体工商户", "张伟", ZHANG_WEI,
                 "重庆市铜梁区巴川街道龙城大道 90 号", "500151", floor_area=80, category="理发店",
                 phone="13983001234", scope="理发服务"),
        Business(FOOT_SPA_USCC, "铜梁区龙城足浴店", "个体工商户", "王芳", WANG_FANG,
                 "重庆市铜梁区东城街道龙城大道 166 号", "500151", floor_area=220, category="足浴"),
        Business(ARCADE_USCC, "重庆金沙游乐有限公司", "企业", "陈喆", CHEN_ZHE,
                 "重庆市铜梁区南城街道金沙路 9 号", "500151", dishonest=True, floor_area=400,
                 category="游戏厅"),
        Business(HOTEL_USCC, "铜梁区悦来宾馆", "个体工商户", "李德明", LI_DEMING,
                 "重庆市铜梁区安居镇悦来街 12 号", "500151", floor_area=650, category="旅店"),
        Business(YUBEI_USCC, "重庆渝北美发有限公司", "企业", "阿里", ALI,
                 "重庆市渝北区龙溪街道红锦大道 20 号", "500112", floor_area=120, category="美容店"),
        Business(SHOP_USCC, "铜梁区家明便利店", "个体工商户", "陈家明", CHEN_JIAMING,
                 "重庆市铜梁区巴川街道中兴路 14 号", "500151", floor_area=60, category="超市",
                 scope="预包装食品销售（不含冷藏冷冻食品）"),
        Business(BOOKSHOP_USCC, "铜梁区南城刘强书店", "个体工商户", "刘强", LIU_QIANG,
                 "重庆市铜梁区南城街道金龙大道 47 号", "500151", floor_area=120, category="书店"),
        Business(NOODLE_USCC, "铜梁区东城秀兰面馆", "个体工商户", "王秀兰", WANG_XIULAN,
                 "重庆市铜梁区东城街道白龙大道 130 号", "500151", floor_area=45, phone="13594561234",
                 scope="热食类食品制售（面条）"),
    ]


def demo_licences(today: dt.date) -> list[Licence]:
    valid_to = today + dt.timedelta(days=HOTEL_LICENCE_DAYS_LEFT)
    valid_from = add_years(valid_to, -4) + dt.timedelta(days=1)
    food_to = today - dt.timedelta(days=HOTEL_FOOD_LICENCE_DAYS_AGO)
    food_from = add_years(food_to, -5) + dt.timedelta(days=1)
    return [
        Licence(f"铜卫公证字〔{valid_from.year}〕第000123号", HOTEL_USCC, "public-place-health", "旅店",
                "铜梁区悦来宾馆", "重庆市铜梁区安居镇悦来街 12 号", valid_from, valid_from, valid_to,
                floor_area=650, office=HEALTH_OFFICE),
        Licence(f"JY2500151{today.year - 2}00017", BOOKSHOP_USCC, "food-business", "预包装食品和散装食品销售",
                "铜梁区南城刘强书店", "重庆市铜梁区南城街道金龙大道 47 号", add_years(today, -2),
                add_years(today, -2), add_years(today, 3) - dt.timedelta(days=1), office=MARKET_OFFICE),
        Licence(f"JY2500151{food_to.year - 5}00042", HOTEL_USCC, "food-business", "热食类食品制售（早餐）",
                "铜梁区悦来宾馆", "重庆市铜梁区安居镇悦来街 12 号", food_from, food_from, food_to,
                office=MARKET_OFFICE),
    ]


def demo_persons() -> list[Person]:
    return [
        Person(ZHANG_WEI, "张伟", phone="13983001234", hukou_address="重庆市铜梁区巴川街道龙城大道 88 号",
               hukou_district_code="500151", pension_insurance="灵活就业", medical_insurance="职工医保",
               insured_months=180, bank_card="6217003760001234567", owns_home=True),
        Person(WANG_XIULAN, "王秀兰", phone="13594561234", hukou_district_code="500151",
               hukou_address="重庆市铜梁区东城街道白龙大道 126 号", pension_insurance="企业职工",
               medical_insurance="职工医保", insured_months=312, unemployment_months=312, housing_fund="正常",
               bank_card="6217003760002345678", employer="铜梁区龙城足浴店", owns_home=True),
        Person(CHEN_ZHE, "陈喆", phone="13308765432", hukou_district_code="500151",
               hukou_address="重庆市铜梁区蒲吕街道蒲吕村 6 组", pension_insurance="企业职工",
               medical_insurance="职工医保", insured_months=40, unemployment_months=36, housing_fund="封存",
               bank_card="6217003760003456789"),
        Person(LI_DEMING, "李德明", phone="02345671234", hukou_district_code="500151",
               hukou_address="重庆市铜梁区安居镇安居村 3 组 17 号", pension_insurance="退休",
               medical_insurance="职工医保", insured_months=420, housing_fund="封存",
               bank_card="6217003760004567890", owns_home=True, disability_card="50015119421103005042",
               disability_grade="二级"),
        Person(ALI, "阿里", phone="18723456789"),
        Person(LIU_QIANG, "刘强", phone="15923456781", hukou_district_code="500151", minimum_living=True),
        Person(CHEN_JIAMING, "陈家明", phone="15823456780",
               residence_address="重庆市铜梁区巴川街道中兴路 12 号"),
        Person(ZHANG_XIAOYU, "张小雨", hukou_district_code="500151",
               hukou_address="重庆市铜梁区巴川街道龙城大道 88 号", disability_card="50015120140618002724",
               disability_grade="四级"),
        Person(LI_NA, "李娜", phone="13709876543", hukou_address="四川省成都市锦江区春熙路 1 号",
               hukou_district_code="510104", residence_address="重庆市铜梁区东城街道龙城大道 200 号 3 单元",
               pension_insurance="企业职工", medical_insurance="职工医保", insured_months=96,
               employer="铜梁区巴川街道张伟理发店", residence_permit_no="500151202405000123", housing_fund="正常",
               bank_card="6217003760005678901"),
        Person(WANG_FANG, "王芳", phone="13512345678", hukou_district_code="500151"),
        Person(ZHAO_LEI, "赵磊", phone="13612345678", hukou_district_code="500151", record_check=True,
               pension_insurance="企业职工", insured_months=60, unemployment_registered=True, unemployment_months=24,
               bank_card="6217003760006789012"),
        Person(SUN_LI, "孙丽", phone="13712345678", hukou_district_code="500151", pension_insurance="城乡居民",
               medical_insurance="城乡居民医保"),
    ]


def demo_registry(today: dt.date) -> InMemoryRegistry:
    """The demo registry as it stands on `today` (licence dates move with it)."""
    return InMemoryRegistry(demo_businesses(), demo_licences(today), demo_persons())
