"""`overload demo`: the README's main job on the embedded default, in one command."""

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from overload.cli import render
from overload.cli.context import handles_errors, settings
from overload.cli.decisions import explain_command, list_command
from overload.cli.feeds import ingest_command
from overload.i18n import _

app = typer.Typer()


@app.command("demo")
@handles_errors
def demo_command(
    ctx: typer.Context,
    fixtures: Annotated[Path, typer.Option(help="Folder of feed files.")] = Path("fixtures"),
    as_of: Annotated[str, typer.Option("--as-of", help="Date of the list.")] = "2026-06-30",
    out: Annotated[Path, typer.Option("--out", help="Folder for the publications.")] = Path(
        "out"),
) -> None:
    """Ingest the bundled fixtures (bad rows included), show the list, explain two subjects,
    then run the bureau's acts: 公示, an objection, 公告, 更正公告, a repair and its 移出公告."""
    if not fixtures.is_dir():
        from overload.errors import OverloadError

        raise OverloadError(f"{fixtures}: no fixtures folder here (run from the repository root)")
    render.say(_("[bold]1. overload ingest {fixtures}/[/bold] (database: {db})").format(
        fixtures=fixtures, db=settings(ctx).db))
    try:
        ctx.invoke(ingest_command, ctx=ctx, paths=[fixtures])
    except typer.Exit as done:
        # The fixtures hold a file of deliberately bad rows: exit code 1 is the expected outcome.
        render.say(_("(ingest exit code {code}: 1 means some rows were quarantined)").format(
            code=done.exit_code))
    render.say(f"\n[bold]2. overload list --as-of {as_of}[/bold]")
    ctx.invoke(list_command, ctx=ctx, as_of=as_of)
    for subject in ("晋LB10037", "晋LA10000"):
        render.say(f"\n[bold]3. overload explain {subject} --as-of {as_of}[/bold]")
        ctx.invoke(explain_command, ctx=ctx, subject_id=subject, as_of=as_of)
    _acts(ctx, out)


# The demo's acts: a 公示, an objection upheld, a 公告 (with the 不予列入 line), a 更正公告 after
# the fixtures' revocations, a repair and its 移出公告. All dated on or before 2026-11-30.
DEMO_ACTS: tuple[tuple[str, ...], ...] = (
    ("publish", "2025-10-20"),
    ("objection", "E40B07AF95F", "2025-10-22", "2025-10-30"),
    ("publish", "2025-11-10"),
    ("publish", "2026-03-25"),
    ("publish", "2026-06-30"),
    ("repair", "EAB593E61B7", "2026-11-10"),
    ("publish", "2026-11-30"),
)


# A complete settings file for a demonstration bureau: every document of the demo can be issued,
# and every page says whose settings they are (（演示）). Never a real bureau's contact details.
DEMO_SETTINGS = """\
# 演示用机关设置：由 `overload demo` 写入，仅用于演示，不是任何机关的真实信息。
# 正式使用前请运行 `overload init` 生成本机关自己的设置文件并逐项填写。
identifying_authority = "临汾市交通运输局（演示）"
publishing_authority = "临汾市交通运输局（演示）"
address = "山西省临汾市尧都区示例路1号"
postcode = "041000"
phone = "0357-0000000"
contact = "信用管理科（演示）"
objection_address = "山西省临汾市尧都区示例路1号信用管理科"
objection_phone = "0357-0000001"
objection_email = "demo@example.cn"
objection_website = ""
review_body = "临汾市人民政府"
court = "临汾市尧都区人民法院"
website = "临汾市交通运输局网站和“信用交通（山西）”网站"
calendar_files = []

[numbering]
notice = "临交信告〔{year}〕{n}号"
announcement = "临交信示〔{year}〕{n}号"
listing = "临交信公〔{year}〕{n}号"
correction = "临交信更〔{year}〕{n}号"
removal = "临交信移〔{year}〕{n}号"
repair = "临交信修〔{year}〕{n}号"
"""


def demo_settings(out: Path) -> Path:
    """The demo bureau's settings file in `out` (written once; an edited one is kept)."""
    out.mkdir(parents=True, exist_ok=True)
    path = out / "overload.toml"
    if not path.exists():
        path.write_text(DEMO_SETTINGS, encoding="utf-8")
    return path


def _acts(ctx: typer.Context, out: Path) -> None:
    """Run the demo's acts in order, each publication into its own folder under `out`."""
    from overload.lifecycle import actions
    from overload.lifecycle.load import view
    from overload.publish.publish import bureau_settings, publish

    config = settings(ctx)
    path = demo_settings(out)
    bureau = bureau_settings(path, draft=False)
    render.say(_("\nThe demo bureau's settings: {path}").format(path=path))
    who = "demo"
    for step, act in enumerate(DEMO_ACTS, start=4):
        log = config.log()
        if act[0] == "publish":
            folder = out / act[1]
            render.say(f"\n[bold]{step}. overload publish --on {act[1]} --out {folder} "
                       f"--by {who}[/bold]")
            done = publish(log, config.rulebook, date.fromisoformat(act[1]), folder, who, None,
                           [], bureau=bureau, allow_fallback=True, allow_empty=True)
            render.say(done.message)
            for part in ("public", "to-subjects"):
                for name in sorted(p.name for p in (folder / part).iterdir()):
                    render.say(f"  {part}/{name}", markup=False)
        elif act[0] == "objection":
            timelines = view(log, config.rulebook).timelines
            render.say(f"\n[bold]{step}. overload objection file {act[1]} --on {act[2]}; "
                       f"decide --upheld --on {act[3]}[/bold]")
            filed = actions.file_objection(log, timelines, act[1], date.fromisoformat(act[2]),
                                           "异议：车辆总数登记有误", who)
            render.say(filed.message)
            timelines = view(log, config.rulebook).timelines
            decided = actions.decide_objection(log, timelines, f"{act[1]}-O1", True,
                                               date.fromisoformat(act[3]), "异议成立", who)
            render.say(decided.message)
        else:
            timelines = view(log, config.rulebook).timelines
            render.say(f"\n[bold]{step}. overload repair {act[1]} --on {act[2]}[/bold]")
            on = date.fromisoformat(act[2])
            render.say(actions.repair(log, timelines, act[1], on,
                                      bureau.number("repair", on.year, 1), who,
                                      rulebook_id=config.rulebook).message, markup=False)
    render.say(_("\nThe acts' files are in {out}/<date>/public (for the website) and "
                 "{out}/<date>/to-subjects (served on the subjects only).").format(out=out))
