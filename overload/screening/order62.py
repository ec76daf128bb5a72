"""Order 62 Art. 3 ¶2 in full (domain.md §2): how a vehicle's configuration makes its limit.

The rules are applied one by one in a fixed order; every rule that set the limit is named with
its source (rules/order62_limits.json), and every field the vehicle did not state is named with
the default assumed, so an operator sees when an exporter or the registry sends too little.
"""

from overload.events import LimitRule
from overload.screening.limits import Group, Limit, LimitsTable, Vehicle

_GROUP_AXLES = {"single": 1, "tandem": 2, "tridem": 3}


def make_limit(table: LimitsTable, v: Vehicle) -> Limit:
    """Order 62 Art. 3 ¶2, in this order: the table row; the air-suspension rules; the
    single-tyre reductions; the cap by the axle loads; the licensed mass."""
    row = table._row(v.axles, v.kind, v.single_drive_axle, v.combination)
    limit = int(row["limit"])
    text = str(row["text"])
    rules = [LimitRule(rule=str(row.get("rule", f"art3-{v.axles}-axle")), limit_kg=limit,
                       text=text, source=str(row.get("source", table.source)),
                       source_uncertain=row.get("source_uncertain"))]
    defaults = _defaults(v)
    drive_dual = _drive_dual(v.axle_groups)
    if v.air_suspension and drive_dual and table.rules:
        bonus = table.rules["air-suspension-bonus"]
        special = table.rules["articulated-4-axle-air"]
        if v.kind == "rigid" and v.axles in bonus["axles"]:
            limit += int(bonus["kg"])
            rules.append(table.rule("air-suspension-bonus", limit))
        elif (v.kind == "combination" and v.axles == 4 and v.combination == "articulated"
              and (v.semitrailer_axle_spacing_mm or 0) >= int(special["min_spacing_mm"])):
            limit = int(special["limit"])
            rules.append(table.rule("articulated-4-axle-air", limit))
    if v.axle_groups is not None and table.rules:
        limit = _tyres(table, v.axle_groups, limit, rules)
        cap = _axle_loads(table, v.axle_groups, bool(v.air_suspension))
        if cap < limit:
            limit = cap
            rules.append(table.rule("axle-load-cap", limit))
    if v.licensed_total_kg is not None and table.rules:
        limit = _licence(table, v, limit, rules)
    dims = dict(table.dimensions)
    if v.special is not None:
        dims.update(table.special_dimensions.get(v.special, {}))
    dimensions = tuple((name, lim, dim_text) for name, (lim, dim_text) in dims.items())
    return Limit(limit, rules[-1].text if len(rules) > 1 else text, tuple(rules), dimensions,
                 defaults)


def _drive_dual(groups: tuple[Group, ...] | None) -> bool:
    """Dual tyres on the drive axle (assumed when the groups are not sent: the usual fitting)."""
    if groups is None:
        return True
    return any(drive and tyres == "dual" for _, tyres, _, drive, _ in groups)


def _tyres(table: LimitsTable, groups: tuple[Group, ...], limit: int,
           rules: list[LimitRule]) -> int:
    """−3,000 kg per axle with single tyres in a tandem or tridem group or on a trailer, except
    the drive axle and axles on wide-base tyres."""
    reduced = exempt = 0
    for group, tyres, wide_base, drive, trailer in groups:
        if drive or tyres != "single" or not (trailer or group != "single"):
            continue
        if wide_base:
            exempt += _GROUP_AXLES[group]
        else:
            reduced += _GROUP_AXLES[group]
    if reduced:
        limit -= reduced * int(table.rules["single-tyre-reduction"]["kg"])
        rules.append(table.rule(
            "single-tyre-reduction", limit,
            f"{table.rules['single-tyre-reduction']['text']} ({reduced} 轴)"))
    if exempt:
        rules.append(table.rule("wide-base-exemption", limit))
    return limit


def _axle_loads(table: LimitsTable, groups: tuple[Group, ...], air_suspension: bool) -> int:
    """The sum of the allowed loads of the axle groups (GB1589-2016 4.3); a dual-tyred drive
    group on air suspension carries the air-suspension bonus too, or the cap would undo it."""
    loads = table.rules["axle-load-cap"]["loads_kg"]
    total = 0
    for group, tyres, wide_base, drive, _trailer in groups:
        if air_suspension and drive and tyres == "dual":
            total += int(table.rules["air-suspension-bonus"]["kg"])
        if group != "single":
            total += int(loads[group])
        elif tyres == "dual":
            total += int(loads["single/dual/drive" if drive else "single/dual"])
        else:
            total += int(loads["single/wide-base" if wide_base else "single/single"])
    return total


def _licence(table: LimitsTable, v: Vehicle, limit: int, rules: list[LimitRule]) -> int:
    """The 行驶证's total mass: alone for tractors, agricultural and low-speed vehicles (and,
    where sent, special-purpose vehicles); as a further cap for 2-axle trucks."""
    licensed = v.licensed_total_kg
    assert licensed is not None
    if v.category in table.rules["licensed-mass-only"]["categories"]:
        rules.append(table.rule("licensed-mass-only", licensed,
                                f"{table.rules['licensed-mass-only']['text']}: {licensed}千克"))
        return licensed
    if v.special == "special-purpose":
        rules.append(table.rule("special-purpose-licensed-mass", licensed))
        return licensed
    if v.axles == 2 and v.kind == "rigid" and licensed < limit:
        rules.append(table.rule(
            "licensed-mass-2-axle", licensed,
            f"{table.rules['licensed-mass-2-axle']['text']}: {licensed}千克"))
        return licensed
    return limit


def _defaults(v: Vehicle) -> tuple[str, ...]:
    """The fields this vehicle did not state, and what was assumed instead (so an operator sees
    when a station's exporter or the registry sends too little)."""
    found = []
    if v.kind_assumed:
        found.append(f"kind: {v.kind} (feed default for {v.axles} axles)")
    if v.axles >= 6 and v.drive_assumed:
        found.append("single_drive_axle: false")
    if v.axle_groups is None:
        found.append("axle_groups: dual tyres on every axle, no axle-load cap")
    if v.air_suspension is None and v.axles in (3, 4):
        found.append("air_suspension: none")
    if v.kind == "combination" and v.axles in (4, 5) and v.combination is None:
        found.append("combination: not stated (the Art. 3 row)")
    if v.category is None:
        found.append("category: truck")
    if v.licensed_total_kg is None and (v.axles == 2 or v.category not in (None, "truck")):
        found.append("licensed_total_kg: no licence limit")
    return tuple(found)
