"""The rulebooks a bureau can select: one module per rulebook version, plus data tables.

A bureau adopting another reading adds a module here and names it in RULEBOOKS; no engine code
changes. `linfen-2020` is the default.
"""

RULEBOOKS = {
    "linfen-2020": "rules.linfen_2020",
    "mot-2017": "rules.mot_2017",
}
DEFAULT = "linfen-2020"
