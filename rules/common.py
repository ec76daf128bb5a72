"""Sources and conduct codes both rulebooks cite, written once."""

from overload.rulebook.model import Source

ITEM_18 = Source(
    short="Linfen 2020, item 18",
    text="临汾市文明委《关于开展诚信缺失突出问题专项治理行动的实施方案》(临文明委〔2020〕11号) 二(六)18",
    gives="the listing triggers for vehicles, drivers and enterprises; 一超四罚; timely publication",
)
ART_66 = Source(
    short="Art. 66",
    text="《公路安全保护条例》(国务院令第593号, 2011) 第六十六条",
    gives='vehicle/driver "1年内违法超限运输超过3次"; enterprise "超过本单位货运车辆总数10%"; sanctions',
)
ORDER_62 = Source(
    short="Order 62",
    text="《超限运输车辆行驶公路管理规定》(交通运输部令2016年第62号) 第三条 (超限认定标准: 外廓尺寸与车货总质量)",
    gives="what over-limit means: the dimension and gross-mass limits",
)
NOTICE_8 = Source(
    short="Notice 8",
    text="交通运输部办公厅《关于界定严重违法失信超限超载运输行为和相关责任主体有关事项的通知》(交办公路〔2017〕8号)",
    gives='"超过/以上 包含本数"; "1年" from the licence issue date; 10 working days of publicity; 2 years on the list',
)
OPINION_49 = Source(
    short="Opinion 49",
    text="《国务院办公厅关于进一步完善失信约束制度构建诚信建设长效机制的指导意见》(国办发〔2020〕49号)",
    gives="listing rests on an effective document; notice, statement, objection, correction; masking",
)
REPAIR_2026 = Source(
    short="Repair 2026",
    text="国家发展改革委《信用修复管理办法》(2026-04-01施行); 国办发〔2025〕22号",
    gives="serious information shown 1 to 3 years from the decision; repair on application after 1 year",
)

# Conduct codes a rulebook may list (code -> the Chinese wording printed on notices and lists).
CONDUCT_CODES = {
    "evade-inspection": "逃避超限检测",
    "obstruct-inspection": "阻碍、抗拒超限检测或执法",
    "forge-documents": "伪造、变造超限运输许可等证件",
    "source-overloading": "货运源头单位为超限超载车辆装载、配载",
}
