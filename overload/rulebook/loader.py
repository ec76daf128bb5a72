"""Load a rulebook module once per process (durable-rules rulesets are process-global)."""

import importlib
from functools import cache

from overload.errors import UnknownRulebookError
from overload.rulebook.engine import Matcher
from overload.rulebook.model import Rulebook
from rules import DEFAULT, RULEBOOKS


def rulebook_ids() -> list[str]:
    return list(RULEBOOKS)


@cache
def load(rulebook_id: str | None = None) -> Rulebook:
    """The rulebook with this id (the default when None); its ruleset is registered on load."""
    wanted = rulebook_id or DEFAULT
    module_name = RULEBOOKS.get(wanted)
    if module_name is None:
        raise UnknownRulebookError(
            f"unknown rulebook {wanted!r}; shipped: {', '.join(RULEBOOKS)}"
        )
    rulebook = importlib.import_module(module_name).RULEBOOK
    if not isinstance(rulebook, Rulebook) or rulebook.id != wanted:
        raise UnknownRulebookError(f"{module_name} does not define rulebook {wanted!r}")
    return rulebook


@cache
def matcher(rulebook_id: str | None = None) -> Matcher:
    """The one matcher of a rulebook in this process (its session id is never recreated)."""
    return Matcher(load(rulebook_id).ruleset_name)
