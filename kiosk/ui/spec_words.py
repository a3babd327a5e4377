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
    # catalog items added in issue 15
    "营业执照遗失补领": "Replacing a lost business licence",
    "执照补领": "Licence replacement",
    "营业执照丢了或坏了的，先在国家企业信用信息公示系统上声明作废，再申请补领，可以邮寄。": "If your business licence is lost or damaged, first declare it void on the National Enterprise Credit Information Publicity System, then apply for a replacement; it can be mailed to you.",
    "本人承诺：原营业执照确已遗失（毁损），已依法声明作废。如有虚假，愿意承担法律责任。": "I promise: the original business licence has really been lost (or damaged) and has been declared void as the law requires. If this is false, I accept legal responsibility.",
    "法定代表人（经营者）身份证": "ID card of the legal representative (operator)",
    "损坏的营业执照（毁损补领时）": "The damaged business licence (when replacing a damaged one)",
    "损坏的营业执照": "The damaged business licence",
    "残疾人证补领、换领": "Replacing or renewing a disability certificate",
    "残疾人证补换": "Disability certificate replacement",
    "区残疾人联合会": "District disabled persons' federation",
    "残疾人服务": "Services for people with disabilities",
    "残疾人证丢了、坏了或有效期满的，本人或监护人申请补领、换领；残疾等级不变的不用重新评定。新证制好后邮寄或到窗口领取。": "If your disability certificate is lost, damaged or expired, you or your guardian can apply for a replacement or renewal; if the disability grade is unchanged, no new assessment is needed. The new certificate is mailed to you or collected at the window.",
    "近期免冠照片（可当场拍）": "A recent photo without a hat (can be taken here)",
    "损坏的旧证（换领时）": "The damaged old certificate (when renewing)",
    "近期免冠照片": "A recent photo without a hat",
    "损毁的旧证": "The damaged old certificate",
    "困难残疾人生活补贴和重度残疾人护理补贴申请": "Living allowance for people with disabilities in hardship and care allowance for people with severe disabilities",
    "残疾人两项补贴": "Two disability allowances",
    "区残疾人联合会、区民政局": "District disabled persons' federation and district civil affairs bureau",
    "低保家庭中的残疾人可以申请生活补贴；残疾等级为一级、二级且需要长期照护的重度残疾人可以申请护理补贴。两项可以同时申请，审核通过后按月发到银行卡。": "People with disabilities in minimum-income families can apply for the living allowance; people with a grade 1 or 2 disability who need long-term care can apply for the care allowance. You can apply for both at once; once approved, they are paid monthly to your bank card.",
    "残疾人证": "Disability certificate",
    "单位职工社会保险增员登记": "Adding employees to the company's social insurance",
    "职工参保增员": "Adding employees to social insurance",
    "区人力资源和社会保障局": "District human resources and social security bureau",
    "社保与就业": "Social insurance and jobs",
    "单位招用员工后 30 日内为员工办理养老、医疗、失业、工伤保险参保登记，当场办结，次月起缴费。": "Within 30 days of hiring, an employer registers the employee for pension, medical, unemployment and work-injury insurance. Done on the spot; contributions start the next month.",
    "员工身份证号码": "The employee's ID number",
    "单位招用人员就业登记": "Employment registration for new hires",
    "就业登记": "Employment registration",
    "单位（含个体工商户）招用员工后，30 日内办理就业登记，当场办结。": "Within 30 days of hiring, an employer (including a sole proprietorship) registers the employment. Done on the spot.",
    "劳动合同": "Employment contract",
    "灵活就业人员参保登记": "Social insurance registration for flexible workers",
    "灵活就业参保": "Flexible workers' social insurance",
    "无雇工的个体工商户、非全日制从业人员和其他灵活就业人员，年满 16 周岁、未达到法定退休年龄、没有在单位参保的，可以自己参加职工基本养老保险，当场登记，按月或按年缴费。已取消就业地参保的户籍限制。": "Sole proprietors without employees, part-time workers and other flexible workers aged 16 or over, below the legal retirement age and not insured through an employer can join the basic pension insurance for employees themselves. Registered on the spot; contributions are paid monthly or yearly. There is no longer a household registration requirement for where you work.",
    "食品经营许可（低风险，告知承诺）": "Food business licence (low risk, by commitment)",
    "食品经营许可": "Food business licence",
    "卖散装食品（称重的零食、干货、熟食以外的散装食品）等低风险食品的经营者，取得营业执照后办理。实行告知承诺，符合条件的当场发证，市场监管部门随后现场核查。现场制作热食、冷食、生食的，由工作人员审核并现场核查。": "For sellers of low-risk food such as bulk food (other than bulk snacks, dried goods and cooked food sold by weight), after getting a business licence. It works by commitment: if you qualify, the licence is issued on the spot and market regulation staff check the premises afterwards. If you make hot, cold or raw food on site, staff review the application and inspect the premises.",
    "本人承诺：经营场所、设施设备和食品安全管理制度符合食品安全法及相关规定，从业人员均持有效健康证明；已知晓市场监管部门将进行现场核查，承诺不实的，许可将被依法撤销并记入信用记录。": "I promise: the business premises, facilities, equipment and food safety management rules meet the Food Safety Law and related rules, and all staff hold valid health certificates. I know market regulation staff will inspect the premises; if my promise is untrue, the licence will be revoked as the law provides and entered in my credit record.",
    "从业人员健康证明": "Health certificates of the staff",
    "经营场所平面布局图": "Floor plan of the business premises",
    "食品安全管理制度": "Food safety management rules",
    "企业员工录用一件事": "Hiring an employee: one application for everything",
    "员工录用一件事": "Hiring: one application",
    "单位招用员工后，填一张表，同时办理就业登记、社会保险参保、医保参保和住房公积金缴存登记，结果短信通知。": "After hiring, an employer fills in one form to register the employment, social insurance, medical insurance and housing provident fund contributions at once. The result is sent by text message.",
    "住房公积金缴存证明": "Housing provident fund contribution certificate",
    "公积金缴存证明": "Provident fund certificate",
    "住房公积金管理中心": "Housing provident fund management centre",
    "公积金": "Housing provident fund",
    "买房贷款、落户等需要公积金缴存证明的，刷身份证当场打印。": "If you need a provident fund contribution certificate for a home loan, household registration or the like, swipe your ID card and print it on the spot.",
    "住房公积金提取（无房租房）": "Housing provident fund withdrawal (renting, no home)",
    "租房提取公积金": "Provident fund withdrawal for rent",
    "本人及配偶在本市没有住房、租房居住、公积金正常缴存的，每年可以按规定额度提取一次，当场办结，钱打到本人银行卡。": "If you and your spouse own no home in this city, rent where you live and pay provident fund contributions normally, you can withdraw up to the set amount once a year. Done on the spot; the money goes to your bank card.",
    "社保卡": "Social security card",
    "住房公积金提取（离休、退休）": "Housing provident fund withdrawal (retirement)",
    "退休提取公积金": "Provident fund withdrawal on retirement",
    "已经办理离休、退休的，一次提取全部住房公积金并销户，当场办结，钱打到本人银行卡。": "If you have retired, you withdraw your whole housing provident fund at once and the account is closed. Done on the spot; the money goes to your bank card.",
    "户籍证明（户口登记信息证明）": "Household registration certificate (certificate of household registration details)",
    "户籍证明": "Household registration certificate",
    "户籍与居住": "Household registration and residence",
    "本区户籍居民刷身份证当场打印户口登记信息证明。户口在外地的，可以提交“跨省通办”申请，由户籍地派出所出具。": "Residents registered in this district swipe their ID card and print a certificate of household registration details on the spot. If your household registration is elsewhere, you can submit a cross-province application and the police station where you are registered will issue it.",
    "个体工商户变更登记": "Changing a sole proprietorship's registration",
    "个体户变更": "Sole proprietorship change",
    "个体工商户的名称、经营范围、经营场所、组成形式等登记事项变化的，经营者本人自变化之日起 30 日内申请变更登记。经营场所迁出本区的，请到迁入地办理。": "If a sole proprietorship's name, business scope, premises, form of organisation or other registered details change, the operator applies to change the registration within 30 days of the change. If the premises move out of this district, apply where they move to.",
    "本人承诺：所填变更信息真实，变更后的经营场所合法可用。如有虚假，愿意承担法律责任。": "I promise: the changed details I give are true and the new business premises can lawfully be used. If this is false, I accept legal responsibility.",
    "营业执照正副本": "Business licence (original and copy)",
    "新经营场所的使用证明（改场所时）": "Proof of use of the new premises (when changing premises)",
    "新经营场所使用证明（房产证或租赁合同）": "Proof of use of the new premises (deed or lease)",
    "个体工商户注销登记": "Deregistering a sole proprietorship",
    "个体户注销": "Sole proprietorship closure",
    "不再经营的个体工商户，债权债务已经清偿完毕、税款已经结清的，经营者本人可以申请简易注销，不需要公示。有卫生许可证、食品经营许可证的，请一并申请注销。": "If a sole proprietorship has stopped trading, has paid all its debts and settled its taxes, the operator can apply for simplified deregistration, with no public notice. If it holds a hygiene licence or food business licence, please apply to cancel them too.",
    "本人承诺：本个体工商户未发生债权债务或已将债权债务清偿完结，应缴纳的税款和社会保险费已结清。如承诺不实，愿意依法承担相应责任，登记机关可以撤销注销登记。": "I promise: this sole proprietorship has no debts or claims, or has settled them all, and has paid all taxes and social insurance contributions due. If this promise is untrue, I accept responsibility under the law, and the registration authority may revoke the deregistration.",
    "结婚登记预约": "Booking a marriage registration",
    "婚姻登记预约": "Marriage registration booking",
    "区民政局婚姻登记处": "District civil affairs bureau marriage registry",
    "民政": "Civil affairs",
    "双方都是内地居民、达到法定婚龄（男 22 周岁、女 20 周岁）、都没有配偶的，可以预约结婚登记，当天双方带身份证本人到场。": "If you are both mainland residents, of legal marriage age (men 22, women 20) and neither of you has a spouse, you can book a marriage registration; on the day, both of you come in person with your ID cards.",
    "对方身份证号码": "Your partner's ID number",
    "生育津贴申领": "Claiming the maternity allowance",
    "生育津贴": "Maternity allowance",
    "区医疗保障局": "District medical security bureau",
    "医保": "Medical insurance",
    "参加职工医保（生育保险）的女职工生育后，申领产假期间的生育津贴，按单位上年度职工月平均工资计发，打到本人或单位账户。": "A female employee covered by employee medical insurance (maternity insurance) claims the maternity allowance for her maternity leave after giving birth. It is based on the employer's average monthly wage of the previous year and paid to her or her employer's account.",
    "出生医学证明": "Birth medical certificate",
    "跨省异地就医备案": "Registering for medical treatment in another province",
    "异地就医备案": "Treatment elsewhere registration",
    "长期在外地居住、工作，或到外地看病的参保人，备案后在外地定点医院看病可以直接结算，当场办结。转诊的需要医院转诊证明。": "Insured people who live or work elsewhere long term, or go elsewhere for treatment, can register so that bills at designated hospitals there are settled directly. Done on the spot. For a referral, a referral certificate from the hospital is needed.",
    "最低生活保障申请": "Applying for minimum living allowance",
    "低保申请": "Minimum living allowance",
    "区民政局": "District civil affairs bureau",
    "本区户籍、家庭人均收入低于本地低保标准、家庭财产符合规定的，以家庭为单位申请。经入户调查、公示后确认，30 个工作日内办结。": "Households registered in this district, with income per person below the local minimum living standard and assets within the limits, apply as a household. After a home visit and public notice, a decision is made within 30 working days.",
    "本人承诺：所报家庭成员、收入和财产情况真实完整，同意民政部门核对家庭经济状况。如有隐瞒，愿意退还所领款项并承担法律责任。": "I promise: the family members, income and assets I report are true and complete, and I agree that civil affairs staff may check my household's finances. If I hide anything, I will repay what I received and accept legal responsibility.",
    "申请人身份证": "The applicant's ID card",
    "家庭成员身份证号码": "ID numbers of the family members",
    "收入情况（可承诺后补）": "Income (can be promised and handed in later)",
    "家庭收入和财产情况说明": "Statement of household income and assets",
    "无犯罪记录证明": "Certificate of no criminal record",
    "证明": "Certificates",
    "就业、出国（境）、入学等需要无犯罪记录证明的，本人刷身份证申请，查询无记录的当场出具；需要核查的 3 个工作日内出具。": "If you need a certificate of no criminal record for a job, going abroad, school or the like, swipe your ID card to apply. If there is no record it is issued on the spot; if checks are needed, within 3 working days.",
    "无房证明（本地不动产登记查询）": "Certificate of owning no home (local property register search)",
    "无房证明": "No-home certificate",
    "区不动产登记中心": "District real estate registration centre",
    "买房、租房补贴、人才落户等需要无房证明的，本人刷身份证查询本地不动产登记，名下没有住房的当场出具。": "If you need a certificate of owning no home to buy a home, for a rent subsidy, for talent household registration or the like, swipe your ID card to search the local property register; if you own no home, it is issued on the spot.",
    "职工基本养老保险待遇申领（退休）": "Claiming the basic pension for employees (retirement)",
    "退休申领养老金": "Claiming your pension",
    "参加职工基本养老保险、累计缴费满 15 年、达到法定退休年龄的，申领基本养老金。人社部门按出生年月核定退休年龄和待遇，从次月起发放。": "If you are in the basic pension insurance for employees, have paid in for at least 15 years in total and have reached the legal retirement age, you claim the basic pension. The human resources and social security bureau sets your retirement age and pension from your date of birth, and payment starts the next month.",
    "本人承诺：所填信息真实；领取养老金期间如有死亡、服刑等情况，家属或本人及时告知，停发并退还多领待遇。": "I promise: the information I give is true. While I receive the pension, if I die or serve a prison sentence, my family or I will report it promptly, payment will stop and any overpayment will be returned.",
    "本人档案（单位或人才中心提供）": "Your personnel file (from your employer or the talent centre)",
    "公共场所卫生许可（注销）": "Public place hygiene licence (cancellation)",
    "卫生许可注销": "Hygiene licence cancellation",
    "不再经营的宾馆、理发店、美容店等，申请注销公共场所卫生许可证，当场办结并出具注销证明。": "If a hotel, hairdresser, beauty salon or the like stops trading, apply to cancel its public place hygiene licence. Done on the spot, with a certificate of cancellation.",
    "原公共场所卫生许可证": "The original public place hygiene licence",
    "公共场所卫生许可（变更）": "Public place hygiene licence (change)",
    "卫生许可变更": "Hygiene licence change",
    "单位名称或法定代表人（负责人）变了的，带营业执照来换发卫生许可证，当场办结，有效期不变。经营项目或经营场所地址变了的，要重新申请卫生许可（新办）。": "If the business's name or legal representative (person in charge) has changed, bring the business licence to get a new hygiene licence. Done on the spot; the validity stays the same. If the business activities or the premises' address changed, apply for a new hygiene licence.",
    "本人承诺：本次只变更单位名称或法定代表人（负责人），经营项目、场所地址和卫生条件均未变化。如有虚假，愿意承担法律责任。": "I promise: only the business's name or legal representative (person in charge) changes this time; the business activities, premises address and hygiene conditions are unchanged. If this is false, I accept legal responsibility.",
    "变更后的营业执照": "The business licence after the change",
    "居住证签注": "Residence permit endorsement",
    "持有本区居住证、仍在本区居住的，每年签注一次，当场办结。居住地址变了的，请先申报变更。": "If you hold a residence permit of this district and still live here, get it endorsed once a year. Done on the spot. If your address has changed, please report the change first.",
    "城乡居民基本医疗保险参保登记": "Registering for urban and rural residents' basic medical insurance",
    "居民医保参保": "Residents' medical insurance",
    "没有参加职工医保的本区户籍居民和持居住证的常住人口（含儿童、学生），可以参加城乡居民医保，当场登记，按年缴费。": "Residents registered in this district and residents holding a residence permit (including children and students) who are not in employee medical insurance can join residents' medical insurance. Registered on the spot; contributions are paid yearly.",
    "本人身份证（孩子由家长带户口簿或孩子的身份证）": "Your own ID card (for a child: the parent brings the household register or the child's ID card)",
    "开办餐饮店一件事": "Opening a restaurant: one application for everything",
    "开餐饮店一件事": "Opening a restaurant: one application",
    "开面馆、小吃店、餐馆的，填一张表，同时办理个体工商户营业执照、小餐饮登记或食品经营许可、户外招牌设置和员工参保登记，结果一起邮寄或领取。": "To open a noodle shop, snack bar or restaurant, fill in one form to apply at once for the sole proprietorship business licence, the small eatery registration or food business licence, the outdoor sign and the staff's social insurance. The results are mailed or collected together.",
    "本人承诺：所填信息真实，经营场所合法可用，从业人员均持有效健康证明，油烟净化设施正常使用，遵守食品安全法律法规。如有虚假，愿意承担法律责任。": "I promise: the information I give is true, the premises can lawfully be used, all staff hold valid health certificates, the cooking fume purifier is in normal use, and I will follow the food safety laws and rules. If this is false, I accept legal responsibility.",
    "经营场所的租赁合同或房产证": "Lease or deed of the business premises",
    "员工的健康证明": "Health certificates of the employees",
    "店铺平面布局图": "Floor plan of the shop",
    "招牌设计效果图": "Design drawing of the sign",
    "退休一件事": "Retirement: one application for everything",
    "快到退休年龄的职工，填一张表，同时办理养老金申领、职工医保退休人员待遇、住房公积金退休提取和退休人员社区管理，结果短信通知，养老金从次月起发放。": "Employees close to retirement age fill in one form to claim the pension, the retiree's employee medical insurance benefits, the housing provident fund withdrawal on retirement and community management for retirees at once. The result is sent by text message; the pension is paid from the next month.",
    "高龄津贴申请": "Applying for the old-age allowance",
    "高龄津贴": "Old-age allowance",
    "年满 80 周岁的本区户籍老人，刷身份证当场核定，次月起按月发到银行卡。家属可以代办。": "Older people aged 80 or over registered in this district swipe their ID card and it is approved on the spot; from the next month it is paid monthly to their bank card. Family members can apply for them.",
    "老人身份证": "The older person's ID card",
    "老人社保卡或银行卡": "The older person's social security card or bank card",
    "小餐饮经营登记": "Registering a small eatery",
    "小餐饮登记": "Small eatery registration",
    "营业面积 60 平方米以下、只做简单餐食的面馆、小吃店、早餐店，取得营业执照后办理小餐饮登记，当场发登记证。超过面积或经营复杂菜品的，请办理食品经营许可。": "Noodle shops, snack bars and breakfast shops of up to 60 square metres serving only simple meals register as a small eatery after getting a business licence; the registration certificate is issued on the spot. Larger places, or those serving complex dishes, apply for a food business licence.",
    "本人承诺：经营场所符合小餐饮条件，从业人员均持有效健康证明，油烟净化设施正常使用，遵守食品安全法律法规。如承诺不实，愿意承担法律责任，登记证将被撤销。": "I promise: the premises meet the conditions for a small eatery, all staff hold valid health certificates, the cooking fume purifier is in normal use, and I will follow the food safety laws and rules. If this promise is untrue, I accept legal responsibility and the registration certificate will be revoked.",
    "个人社会保险参保证明": "Personal social insurance certificate",
    "参保证明": "Social insurance certificate",
    "买房、落户、入学、办居住证等需要参保证明的，刷身份证当场打印，免费。": "If you need a social insurance certificate to buy a home, for household registration, school, a residence permit or the like, swipe your ID card and print it on the spot, free of charge.",
    "社会保障卡补领、换领": "Replacing or renewing a social security card",
    "社保卡补换": "Social security card replacement",
    "社保卡丢了、坏了或到期的，申请补领或换领。丢失的提交后立即挂失。新卡制好后可邮寄或到窗口领取；未满 16 周岁的由监护人陪同办理。": "If your social security card is lost, damaged or expired, apply for a replacement or renewal. A lost card is reported lost as soon as you submit. The new card is mailed or collected at the window; children under 16 come with a guardian.",
    "损坏的旧卡（换领时）": "The damaged old card (when renewing)",
    "损坏的旧卡": "The damaged old card",
    "教师资格认定": "Teacher qualification certification",
    "区教育委员会": "District education commission",
    "教育": "Education",
    "通过教师资格考试（或免考）、学历和普通话水平符合要求、体检合格的，申请认定幼儿园、小学、初级中学教师资格。认定机构在法定期限内作出决定，证书邮寄或领取。": "If you have passed the teacher qualification exam (or are exempt), meet the education and Mandarin level requirements and have passed the medical check, apply for certification as a kindergarten, primary school or junior secondary school teacher. The certifying body decides within the legal time limit; the certificate is mailed or collected.",
    "学历证书": "Diploma",
    "普通话水平测试等级证书": "Mandarin proficiency test certificate",
    "体检合格证明": "Medical check certificate",
    "体检合格证明（指定医院）": "Medical check certificate (from a designated hospital)",
    "失业一件事": "Unemployment: one application for everything",
    "失业后填一张表，同时办理失业登记、失业保险金申领、失业期间职工医保代缴和就业服务（职业介绍、培训）。本人主动辞职的只办理失业登记和就业服务。": "After losing your job, fill in one form to register as unemployed, claim unemployment benefit, have your employee medical insurance paid during unemployment and get job services (job matching, training) at once. If you resigned of your own accord, only unemployment registration and job services apply.",
    "解除或终止劳动合同证明": "Certificate of termination or end of the employment contract",
    "失业保险金申领": "Claiming unemployment benefit",
    "失业保险金": "Unemployment benefit",
    "失业前单位和本人已经缴纳失业保险费满 1 年、不是本人意愿中断就业、已经办理失业登记并有求职要求的，可以申领。累计缴费满 1 年不足 5 年的最长领 12 个月，5 到 10 年最长 18 个月，10 年以上最长 24 个月。": "You can claim if you and your former employer paid unemployment insurance for at least 1 year, you lost your job against your will, you have registered as unemployed and you are looking for work. With 1 to under 5 years of contributions, you get up to 12 months; 5 to 10 years, up to 18 months; over 10 years, up to 24 months.",
    "本人承诺：离职原因真实，领取期间重新就业、应征服兵役、移居境外或享受养老保险待遇的，及时告知并停止领取。": "I promise: the reason I left my job is true; if while receiving benefit I find work again, join the military, move abroad or start receiving a pension, I will report it promptly and stop receiving benefit.",
    "单位出具的解除或终止劳动合同证明": "Certificate from the employer of termination or end of the employment contract",
    "社保卡（发放账户）": "Social security card (the payment account)",
    "失业登记": "Unemployment registration",
    "法定劳动年龄内、有劳动能力和就业要求、处于无业状态的，在常住地登记失业，当场办结，可以享受免费的就业服务。": "If you are of working age, able and willing to work and out of work, register as unemployed where you live. Done on the spot; you can then use free job services.",
    # what each item issues (result_name): the English screens name it, never "licence" for a filing
    "不动产登记信息查询结果证明（无房）": "Certificate of real estate records (no property)",
    "个人社会保险参保缴费证明": "Certificate of social insurance contributions",
    "中华人民共和国残疾人证": "Disability certificate of the PRC",
    "仅销售预包装食品备案回执": "Filing receipt (prepackaged food only)",
    "住房公积金提取凭证": "Housing provident fund withdrawal voucher",
    "公共场所卫生许可注销证明": "Certificate of cancelled hygiene licence",
    "公共场所卫生许可证": "Public place hygiene licence",
    "准予注销登记通知书": "Notice of approved deregistration",
    "出生一件事联办": "Birth joint application receipt",
    "员工录用一件事联办": "Hiring joint application receipt",
    "城乡居民医保参保登记回执": "Residents' medical insurance enrolment receipt",
    "基本养老金核定表": "Basic pension assessment",
    "失业一件事联办": "Unemployment joint application receipt",
    "失业保险待遇核定通知": "Notice of unemployment benefit",
    "失业登记证明（就业创业证）": "Unemployment registration certificate (employment card)",
    "小餐饮登记证": "Small catering registration certificate",
    "就业登记回执": "Employment registration receipt",
    "居住证签注凭证": "Residence permit endorsement voucher",
    "开办餐饮店一件事联办": "Opening a restaurant joint application receipt",
    "异地就医备案凭证": "Treatment elsewhere registration voucher",
    "户口登记信息证明": "Certificate of household registration",
    "教师资格证书": "Teacher qualification certificate",
    "最低生活保障审核确认通知": "Notice of minimum living allowance",
    "残疾人两项补贴审核结果通知": "Notice of disability allowances",
    "灵活就业人员参保登记回执": "Flexible employment insurance enrolment receipt",
    "生育津贴核定通知": "Notice of maternity allowance",
    "社会保障卡": "Social security card",
    "结婚登记预约回执": "Marriage registration appointment receipt",
    "职工参保登记回执": "Employee insurance enrolment receipt",
    "营业执照": "Business licence",
    "营业执照（变更后）": "Business licence (changed)",
    "营业执照（补领）": "Business licence (replacement)",
    "退休一件事联办": "Retirement joint application receipt",
    "食品经营许可证": "Food business licence",
    "高龄津贴核定通知": "Notice of old-age allowance",
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
    "FIELD-REQUIRED": "This is required.",
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


def spoken(text: str, language: str, findings: object = (), rules: object = ()) -> str:
    """What elder mode reads aloud, with the findings' messages in the screen's language (the session
    joins the spec's Chinese messages into its "please fix" sentence, and a card the item excludes into
    its notice: `rules`, the spec's rules, translate those)."""
    if language != "en":
        return text
    for finding in findings:  # type: ignore[attr-defined]
        text = text.replace(finding.message, rule_message(finding.rule, finding.message, language))
    return with_rule_messages(text, rules, language)


def with_rule_messages(text: str, rules: object, language: str) -> str:
    """`text` with every spec rule's (Chinese) message in it put in the screen's language."""
    if language != "en":
        return text
    for rule in rules:  # type: ignore[attr-defined]
        if rule.message in text:
            text = text.replace(rule.message, rule_message(rule.id, rule.message, language))
    return text
