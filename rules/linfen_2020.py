"""Linfen 2020, item 18, read with Art. 66 of the Highway Safety Protection Regulations.

The default rulebook (shared/domain.md §3): "more than 3" is >= 4 counted penalty decisions within
one rolling year (Civil Code period arithmetic); an enterprise is flagged when its violating
vehicles exceed 10 % of its fleet; a suspension order lists it; other serious conduct named here
lists its subject.
"""

from datetime import date
from fractions import Fraction

from durable.lang import m, ruleset, when_all

from overload.rulebook.engine import any_of, decide, fact_of
from overload.rulebook.model import Rulebook, RuleInfo
from rules.common import (
    ART_66,
    CONDUCT_CODES,
    CONDUCT_REPEAT,
    ITEM_18,
    NOTICE_8,
    OPINION_49,
    ORDER_62,
    REPAIR_2026,
)

RULEBOOK = Rulebook(
    id="linfen-2020",
    version=1,
    title="临汾 2020 专项治理 item 18 (user's reading: more than 3, over 10 %)",
    title_zh="临汾 2020 专项治理 二(六)18（本局读法：超过3次，超过10%）",
    effective_from=date(2020, 11, 20),
    sources=(ITEM_18, ART_66, ORDER_62, NOTICE_8, OPINION_49, REPAIR_2026),
    rules=(
        RuleInfo(id="vehicle-repeat", subject_type="vehicle",
                 summary="货运车辆1年内违法超限运输超过3次",
                 note=">= 4 counted violations within one year",
                 note_zh="1年内计数的违法≥4次",
                 legal_basis="临文明委〔2020〕11号 二(六)18；《公路安全保护条例》第六十六条"),
        RuleInfo(id="driver-repeat", subject_type="driver",
                 summary="货运车辆驾驶人1年内违法超限运输超过3次",
                 note=">= 4, whatever the vehicle",
                 note_zh="≥4次，不论驾驶哪辆车",
                 legal_basis="临文明委〔2020〕11号 二(六)18；《公路安全保护条例》第六十六条"),
        RuleInfo(id="enterprise-fleet-share", subject_type="enterprise",
                 summary="1年内违法超限运输的货运车辆超过本单位货运车辆总数10%",
                 note="> 10 %, exact",
                 note_zh="＞10%，按分数精确比较",
                 legal_basis="临文明委〔2020〕11号 二(六)18；《公路安全保护条例》第六十六条"),
        RuleInfo(id="enterprise-suspended", subject_type="enterprise",
                 summary="被交通运输管理部门责令停业整顿",
                 note="a suspension order recorded",
                 note_zh="已记录责令停业整顿决定",
                 # The regulation orders the suspension (Art. 66) and Notice 8 (三) lists an
                 # enterprise suspended for it; the Linfen plan only orders the work.
                 legal_basis="临文明委〔2020〕11号 二(六)18；交办公路〔2017〕8号 一、（三）；"
                             "《公路安全保护条例》第六十六条"),
        RuleInfo(id="serious-conduct", subject_type="any",
                 summary="其他严重失信行为",
                 note="a decision on one of Notice 8's items (四)-(十), with its condition",
                 note_zh="交办公路〔2017〕8号第（四）至（十）项之一的决定，并满足该项条件",
                 legal_basis="临文明委〔2020〕11号 二(六)18；交办公路〔2017〕8号 一、（四）至（十）"),
    ),
    vehicle_min_violations=4,
    driver_min_violations=4,
    fleet_share=Fraction(10, 100),
    fleet_share_inclusive=False,
    fleet_share_needs_suspension=False,
    window="rolling",
    tolerance_kg=0,
    conduct_codes=CONDUCT_CODES,
    conduct_repeat=CONDUCT_REPEAT,
    undecided=(
        "A pending administrative review does not pause counting (domain.md §7).",
        "Fleet size uses fleet registrations from the feed, not a licence registry.",
    ),
    undecided_zh=(
        "行政复议未决期间不暂停计数。",
        "车队规模按数据源的车辆登记计算，而非经营许可登记。",
    ),
)
P = RULEBOOK

with ruleset(P.ruleset_name):
    when_all(fact_of("vehicle-repeat") & (m.violations_in_year >= P.vehicle_min_violations))(
        decide("vehicle-repeat")
    )
    when_all(fact_of("driver-repeat") & (m.violations_in_year >= P.driver_min_violations))(
        decide("driver-repeat")
    )
    # Exact rational comparison: violating * q > fleet * p, with the share p/q scaled into the
    # fact by the engine (durable-rules compares fields, it cannot multiply two of them).
    when_all(
        fact_of("enterprise-fleet-share") & (m.fleet_size > 0)
        & (m.violating_scaled > m.fleet_scaled)
    )(decide("enterprise-fleet-share"))
    when_all(fact_of("enterprise-suspended") & (m.suspension_orders >= 1))(
        decide("enterprise-suspended")
    )
    when_all(fact_of("serious-conduct") & any_of("conduct", sorted(P.conduct_codes)))(
        decide("serious-conduct")
    )
