"""Sources and conduct codes both rulebooks cite, written once."""

from overload.rulebook.model import Source

ITEM_18 = Source(
    short="Linfen 2020, item 18",
    short_zh="临汾方案二(六)18",
    text="临汾市文明委《关于开展诚信缺失突出问题专项治理行动的实施方案》(临文明委〔2020〕11号) 二(六)18",
    gives="the listing triggers for vehicles, drivers and enterprises; 一超四罚; timely publication",
    gives_zh="车辆、驾驶人、企业的列入条件；一超四罚；及时公示",
)
ART_66 = Source(
    short="Art. 66",
    short_zh="条例第六十六条",
    text="《公路安全保护条例》(国务院令第593号, 2011) 第六十六条",
    gives='vehicle/driver "1年内违法超限运输超过3次"; enterprise "超过本单位货运车辆总数10%"; sanctions',
    gives_zh="车辆、驾驶人“1年内违法超限运输超过3次”；企业“超过本单位货运车辆总数10%”；处罚",
)
ORDER_62 = Source(
    short="Order 62",
    short_zh="交通运输部令2016年第62号",
    text="《超限运输车辆行驶公路管理规定》(交通运输部令2016年第62号) 第三条 (超限认定标准: 外廓尺寸与车货总质量)",
    gives="what over-limit means: the dimension and gross-mass limits",
    gives_zh="超限的含义：外廓尺寸与车货总质量限值",
)
NOTICE_8 = Source(
    short="Notice 8",
    short_zh="交办公路〔2017〕8号",
    text="交通运输部办公厅《关于界定严重违法失信超限超载运输行为和相关责任主体有关事项的通知》(交办公路〔2017〕8号)",
    gives='"超过/以上 包含本数"; "1年" from the licence issue date; 10 working days of publicity; 2 years on the list',
    gives_zh="“超过/以上 包含本数”；“1年”自初次领证之日起算；公示10个工作日；名单公布2年",
)
OPINION_49 = Source(
    short="Opinion 49",
    short_zh="国办发〔2020〕49号",
    text="《国务院办公厅关于进一步完善失信约束制度构建诚信建设长效机制的指导意见》(国办发〔2020〕49号)",
    gives="listing rests on an effective document; notice, statement, objection, correction; masking",
    gives_zh="列入须以生效文书为据；告知、陈述申辩、异议、更正；信息遮蔽",
)
REPAIR_2026 = Source(
    short="Repair 2026",
    short_zh="信用修复管理办法",
    text="国家发展改革委《信用修复管理办法》(2026-04-01施行); 国办发〔2025〕22号",
    gives="serious information shown 1 to 3 years from the decision; repair on application after 1 year",
    gives_zh="严重失信信息自决定之日起公示1至3年；满1年后可申请信用修复",
)

# Serious conduct is limited to Notice 8's own items (四)-(十) (Opinion 49 (六): no listing ground
# that no rule names): code -> the item's text, printed on notices and lists (domain.md §3).
CONDUCT_CODES = {
    "illegal-modification": "（四）机动车维修经营者擅自改装机动车，情节严重，被吊销经营许可",
    "instructing-driver": "（五）指使、强令车辆驾驶人超限运输货物",
    "permit-fraud": "（六）隐瞒情况、提供虚假材料申请超限运输许可，或以欺骗、贿赂等手段取得许可",
    "refusing-inspection": "（七）驾驶人、源头单位、大件运输企业无正当理由拒绝监督检查或提供虚假情况",
    "obstruction": "（八）堵塞交通、强行冲卡、暴力抗法、破坏设施设备，受到公安机关处罚",
    "serious-accident": "（九）违法超限超载造成重大责任事故且负同等责任以上",
    "violence": "（十）暴力抗法致人死亡或伤害",
}
# Item (五): a fine of 20,000 yuan or more, or the 3rd such decision within one year.
CONDUCT_REPEAT = {"instructing-driver": (20_000, 3)}
