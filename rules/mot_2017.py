"""The national reading: Notice 8 (交办公路〔2017〕8号) of the Ministry of Transport.

「上述各项中的"超过""以上"包含本数」: vehicle and driver >= 3; an enterprise >= 10 % of its fleet
AND under a suspension order. 「"1年"从初次领取道路运输证、从业资格证、经营许可证之日算起，可跨自然
年度」: the year is the licence year (anniversaries of licence_issued_on); a subject without a
licence date falls back to the rolling year, and its explanation says so.
"""

from datetime import date
from fractions import Fraction

from durable.lang import m, ruleset, when_all

from overload.rulebook.engine import any_of, decide, fact_of
from overload.rulebook.model import Rulebook, RuleInfo
from rules.common import ART_66, CONDUCT_CODES, CONDUCT_REPEAT, NOTICE_8, OPINION_49, ORDER_62, REPAIR_2026

RULEBOOK = Rulebook(
    id="mot-2017",
    version=1,
    title="交办公路〔2017〕8号 (national reading: counts include the number, licence years)",
    title_zh="交办公路〔2017〕8号（全国读法：含本数，按许可年度计）",
    effective_from=date(2017, 1, 1),
    sources=(NOTICE_8, ART_66, ORDER_62, OPINION_49, REPAIR_2026),
    rules=(
        RuleInfo(id="vehicle-repeat", subject_type="vehicle",
                 summary="货运车辆1年内违法超限运输3次以上",
                 note=">= 3 within one licence year",
                 note_zh="一个许可年度内≥3次",
                 legal_basis="交办公路〔2017〕8号；《公路安全保护条例》第六十六条"),
        RuleInfo(id="driver-repeat", subject_type="driver",
                 summary="货运车辆驾驶人1年内违法超限运输3次以上",
                 note=">= 3 within one licence year",
                 note_zh="一个许可年度内≥3次",
                 legal_basis="交办公路〔2017〕8号；《公路安全保护条例》第六十六条"),
        RuleInfo(id="enterprise-fleet-share", subject_type="enterprise",
                 summary="违法超限运输货运车辆达本单位总数10%以上且被责令停业整顿",
                 note=">= 10 % and a suspension order",
                 note_zh="≥10%且被责令停业整顿",
                 legal_basis="交办公路〔2017〕8号；《公路安全保护条例》第六十六条"),
        RuleInfo(id="serious-conduct", subject_type="any",
                 summary="其他严重违法失信超限超载运输行为",
                 note="a decision on one of Notice 8's items (四)-(十), with its condition",
                 note_zh="交办公路〔2017〕8号第（四）至（十）项之一的决定，并满足该项条件",
                 legal_basis="交办公路〔2017〕8号 一、（四）至（十）"),
    ),
    vehicle_min_violations=3,
    driver_min_violations=3,
    fleet_share=Fraction(10, 100),
    fleet_share_inclusive=True,
    fleet_share_needs_suspension=True,
    window="licence-year",
    tolerance_kg=0,
    conduct_codes=CONDUCT_CODES,
    conduct_repeat=CONDUCT_REPEAT,
    undecided=(
        "Art. 66 sanctions themselves stay at > 3 / > 10 % (ordinary drafting); this rulebook "
        "only decides listing.",
        "A pending administrative review does not pause counting (domain.md §7).",
    ),
    undecided_zh=(
        "《公路安全保护条例》第六十六条的处罚本身仍按超过3次、超过10%（通常的立法用语）；"
        "本规则集只决定列入名单。",
        "行政复议未决期间不暂停计数。",
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
    when_all(
        fact_of("enterprise-fleet-share") & (m.fleet_size > 0)
        & (m.violating_scaled >= m.fleet_scaled) & (m.suspension_orders >= 1)
    )(decide("enterprise-fleet-share"))
    when_all(fact_of("serious-conduct") & any_of("conduct", sorted(P.conduct_codes)))(
        decide("serious-conduct")
    )
