"""`overload rules` and `overload rules show ID`."""

from typing import Annotated, Any

import typer

from overload.cli import render
from overload.cli.context import handles_errors, settings
from overload.cli.options import FormatOption, Keys, Wide
from overload.cli.render import Format
from overload.i18n import _, pgettext
from overload.rulebook import loader
from rules import DEFAULT

app = typer.Typer(help="The shipped rulebooks: their rules, parameters and legal sources.")


@app.callback(invoke_without_command=True)
@handles_errors
def rules_command(
    ctx: typer.Context,
    fmt: FormatOption = Format.table,
    wide: Wide = False,
    keys: Keys = False,
) -> None:
    """List the rulebooks; the selected one is marked."""
    if ctx.invoked_subcommand is not None:
        return
    selected = settings(ctx).rulebook or DEFAULT
    rows = []
    for rulebook_id in loader.rulebook_ids():
        book = loader.load(rulebook_id)
        rows.append({
            "id": book.id, "version": book.version, "title": book.title,
            "effective_from": book.effective_from.isoformat(),
            "rules": [r.id for r in book.rules], "selected": book.id == selected,
        })
    render.emit(fmt, rows, ("id", "version", "title", "effective_from", "rules", "selected"),
                title=_("Rulebooks"), essential=("id", "version", "title", "selected"),
                wide=wide, keys=keys)


@app.command("show")
@handles_errors
def show_command(
    rulebook_id: Annotated[str, typer.Argument(help="Rulebook id, e.g. linfen-2020.")],
    fmt: FormatOption = Format.table,
    wide: Wide = False,
    keys: Keys = False,
) -> None:
    """One rulebook: parameters, rules with their legal basis, and its sources."""
    book = loader.load(rulebook_id)
    data = book.model_dump(mode="json")
    data["fleet_share"] = str(book.fleet_share)
    params: list[dict[str, Any]] = [
        {"parameter": "vehicle_min_violations", "value": book.vehicle_min_violations},
        {"parameter": "driver_min_violations", "value": book.driver_min_violations},
        {"parameter": "fleet_share", "value": f"{'>=' if book.fleet_share_inclusive else '>'} "
                                               f"{book.fleet_share}"},
        {"parameter": "fleet_share_needs_suspension", "value": book.fleet_share_needs_suspension},
        {"parameter": "window",
         "value": book.window if fmt is Format.json or keys else pgettext("window", book.window)},
        {"parameter": "tolerance_kg", "value": book.tolerance_kg},
        {"parameter": "limits_table", "value": book.limits_table},
        {"parameter": "publicity_working_days", "value": book.publicity_working_days},
        {"parameter": "display_years", "value": book.display_years},
        {"parameter": "repair_min_years", "value": book.repair_min_years},
    ]
    sections = [
        render.Section(_("Parameters"), params, ("parameter", "value")),
        # The rulebook's own Chinese texts in Chinese (`--keys` keeps the English of the JSON).
        render.Section(_("Rules"), [{**r.model_dump(), "note": r.note if keys else r.reading()}
                                    for r in book.rules],
                       ("id", "subject_type", "summary", "note", "legal_basis"),
                       essential=("id", "subject_type", "summary")),
        render.Section(_("Sources"), [{**s.model_dump(), "gives": s.gives if keys else s.said(),
                                       "short": s.short if keys else s.short_said()}
                                      for s in book.sources],
                       ("short", "text", "gives"), essential=("short", "text")),
        render.Section(_("Conduct codes"), [{"code": k, "meaning": v}
                                            for k, v in book.conduct_codes.items()],
                       ("code", "meaning")),
    ]

    def heading() -> None:
        for note in book.undecided_said():
            render.say(_("not yet decided: {note}").format(note=note))

    if fmt is Format.table:
        render.say(_("{id} version {version}: {title}").format(
            id=book.id, version=book.version, title=book.title_said()))
        render.say(_("effective from {start}").format(start=book.effective_from)
                   + (_(" to {end}").format(end=book.effective_to) if book.effective_to else ""))
    render.emit_sections(fmt, sections, data, wide=wide, keys=keys, lines=heading)
