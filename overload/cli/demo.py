"""`overload demo`: the README's main job on the embedded default, in one command."""

from pathlib import Path
from typing import Annotated

import typer

from overload.cli import render
from overload.cli.context import handles_errors, settings
from overload.cli.decisions import explain_command, list_command
from overload.cli.feeds import ingest_command
from overload.cli.lifecycle import publish_command

app = typer.Typer()


@app.command("demo")
@handles_errors
def demo_command(
    ctx: typer.Context,
    fixtures: Annotated[Path, typer.Option(help="Folder of feed files.")] = Path("fixtures"),
    as_of: Annotated[str, typer.Option("--as-of", help="Date of the list.")] = "2026-06-30",
    out: Annotated[Path, typer.Option("--out", help="Folder for the publication.")] = Path(
        "out/2026-06-30"),
) -> None:
    """Ingest the bundled fixtures (bad rows included), show the list, explain two subjects,
    and publish the list and the notices into a folder."""
    if not fixtures.is_dir():
        from overload.errors import OverloadError

        raise OverloadError(f"{fixtures}: no fixtures folder here (run from the repository root)")
    render.say(f"[bold]1. ingest {fixtures}/[/bold] into {settings(ctx).db}")
    try:
        ctx.invoke(ingest_command, ctx=ctx, paths=[fixtures])
    except typer.Exit as done:
        # The fixtures hold a file of deliberately bad rows: exit code 1 is the expected outcome.
        render.say(f"(ingest exit code {done.exit_code}: 1 means some rows were quarantined)")
    render.say(f"\n[bold]2. overload list --as-of {as_of}[/bold]")
    ctx.invoke(list_command, ctx=ctx, as_of=as_of)
    for subject in ("晋LB10037", "晋LA10000"):
        render.say(f"\n[bold]3. overload explain {subject} --as-of {as_of}[/bold]")
        ctx.invoke(explain_command, ctx=ctx, subject_id=subject, as_of=as_of)
    render.say(f"\n[bold]4. overload publish --as-of {as_of} --out {out}[/bold]")
    ctx.invoke(publish_command, ctx=ctx, out=out, as_of=as_of, period=None, templates=None)
    render.say(f"\nThe public list and the notices are in {out}/ (open {out}/list.html).")
