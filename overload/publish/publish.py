"""`overload publish`: one publication act, from the checks to the recorded event.

Refused (exit 2, one line): a final act without the bureau's complete settings (each missing
setting named), an act in the future, before the latest act, announcing with a Monday-Friday
deadline without `--allow-fallback-calendar`, a document missing a fact (naming the entry and the
fact), or nothing to make public on a new date without `--allow-empty`. The same date with
nothing new writes the latest act's files again (identical bytes) and records nothing. A draft
(`--draft`) needs no settings, marks every page 草稿 — 不得对外发布, uses no number and records
nothing. Files are written by `output.write_output`: the old folders or the whole new ones.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from overload.events import PublicationMade
from overload.i18n import _
from overload.lifecycle import calendar as calendars
from overload.lifecycle.actions import not_in_future, operator_name
from overload.lifecycle.load import View, view
from overload.publish.act import ActRefusedError, Planned, acts, check_date, plan, replay
from overload.publish.output import write_output
from overload.publish.publication import Publication, log_head, prepare, record, weighings_of
from overload.settings import BureauSettings, SettingsError, load_settings, missing_for_publication
from overload.store.log import EventLog


@dataclass
class Published:
    message: str
    log_head: str
    summary: dict[str, int] = field(default_factory=dict)


def bureau_settings(path: Path, draft: bool) -> BureauSettings:
    """The bureau's settings for an act: a final act needs every required one, a draft none."""
    if draft and not path.exists():
        return BureauSettings()
    settings = load_settings(path)
    if not draft:
        missing = missing_for_publication(settings)
        if missing:
            raise SettingsError(_("{path}: not set: {missing} (fill them in, or publish with "
                                  "--draft)").format(path=path, missing=", ".join(missing)))
    return settings


def publish(
    log: EventLog, rulebook_id: str | None, day: date, out: Path, operator: str | None,
    templates: Path | None, calendar_files: Sequence[Path], *, bureau: BureauSettings,
    allow_fallback: bool = False, allow_empty: bool = False, draft: bool = False,
) -> Published:
    """Plan, render, write and (unless a draft) record the act of `day` into `out`."""
    who = operator_name(operator)
    not_in_future("a publication act", day)
    if not draft and missing_for_publication(bureau):
        raise SettingsError(_("the bureau's settings lack: {missing}").format(
            missing=", ".join(missing_for_publication(bureau))))
    earlier = acts(log)
    check_date(earlier, day)
    calendar = calendars.load([*bureau.calendar_files, *calendar_files])
    head = log.head()
    current = view(log, rulebook_id, with_state=True)
    planned = plan(log, current, day, who, bureau.numbering, calendar, allow_fallback, draft,
                   earlier, head)
    if planned.empty and not draft:
        same_day = [a for a in earlier if a.published_on == day
                    and (a.rulebook, a.rulebook_version) == (current.rulebook.id,
                                                           current.rulebook.version)]
        if same_day:
            latest = max(same_day, key=lambda a: a.seq)
            before = earlier[:earlier.index(latest)]
            again = _render(log, replay(current, latest), current, templates, bureau, before)
            write_output(out, again.public, again.private)
            return Published(_("nothing new on {day}: the files of act {seq} of that date were "
                               "written again into {out}; nothing recorded").format(
                day=day, seq=latest.seq, out=out), log_head(latest))
        if not allow_empty:
            raise ActRefusedError(_(
                "nothing to publish on {day}: no entry to announce, list, remove or correct "
                "(--allow-empty records an act that republishes the list as it stands)").format(
                    day=day))
    publication = _render(log, planned, current, templates, bureau, earlier)
    write_output(out, publication.public, publication.private)
    if draft:
        return Published(_("draft of the act of {day} written into {out}: every page marked "
                           "草稿 — 不得对外发布, no number used, nothing recorded").format(
                               day=day, out=out),
                         log_head(planned.act), publication.summary)
    act = record(log, planned, publication)
    return Published(_("publication act {seq} of {day} recorded by {who}").format(
                         seq=act.seq, day=day, who=who),
                     log_head(act), publication.summary)


def _render(log: EventLog, planned: Planned, current: View, templates: Path | None,
            bureau: BureauSettings, earlier: Sequence[PublicationMade]) -> Publication:
    """The act's files; `earlier` are the acts before it (the 变更说明 runs from the latest)."""
    assert current.state is not None
    announced = [planned.timelines[e] for e in planned.act.announced]
    weighings = weighings_of(log, current.state, announced)
    since = max((a.published_on for a in earlier), default=None)
    return prepare(planned, current, templates, bureau.context(), weighings, since)
