"""Matching derived facts against a rulebook's durable-rules conditions.

Measured limits (shared/durable-rules-notes.md) shape this: one fixed session id, never deleted;
one thread; single posts (a batch raises when any message in it matches no rule); every fact
posted comes back as a decision or as "no rule matched", and both are counted. Rules are pure
functions of a fact, so answers are memoised by the fact's value: the engine asks durable-rules
once per distinct fact, not once per subject and day.
"""

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import reduce
from typing import Any

from durable import lang
from durable.engine import Host, MessageNotHandledException
from durable.lang import m, post

from overload.errors import RulebookError

SID = "0"
Fact = dict[str, Any]


class QuietHost(Host):  # type: ignore[misc]
    """durable-rules' host without its two dispatcher threads.

    `Host()` starts timer threads that, every 0.2 s, take any pending action of every ruleset.
    One of them can take the action of the fact this thread has just posted, between durable's
    assert and its own `start_action_for_state`: `post()` then returns no state and the answer
    is lost (seen on the medium benchmark: "fact 20 was posted but not answered"). The rulebook
    has no timers and every action is run by the post that caused it, so no thread is needed.
    """

    def _run(self) -> None:
        return None


# durable.lang's post() uses one process-wide host, made on first use: make it a quiet one.
if lang._main_host is None:
    lang._main_host = QuietHost()
elif not isinstance(lang._main_host, QuietHost):
    raise RuntimeError("durable-rules' host was started before overload.rulebook.engine")


def fact_of(rule_id: str) -> Any:
    """The condition that selects facts prepared for one rule."""
    return m.rule == rule_id


def any_of(field: str, values: list[str]) -> Any:
    """A condition true when `field` equals one of the values (durable-rules has no `in`)."""
    if not values:
        return getattr(m, field) == "\u0000never"
    return reduce(lambda a, b: a | b, [getattr(m, field) == v for v in values])


def decide(rule_id: str) -> Callable[[Any], None]:
    """The action of every rule: report which fact matched which rule, nothing else."""

    def action(c: Any) -> None:
        c.s.result = {"fact_id": c.m.fact_id, "rule": rule_id}

    action.__name__ = rule_id.replace("-", "_")
    return action


@dataclass
class MatchStats:
    posted: int = 0
    matched: int = 0
    unmatched: int = 0
    memo_hits: int = 0
    engine_seconds: float = 0.0  # time spent inside durable-rules' post()


class Matcher:
    """Ask one rulebook's ruleset whether a fact meets its rule."""

    def __init__(self, ruleset_name: str) -> None:
        self.ruleset_name = ruleset_name
        self.stats = MatchStats()
        self._memo: dict[tuple[tuple[str, Any], ...], bool] = {}
        self._next_id = 0
        self._lock = threading.Lock()

    def matches(self, fact: Fact) -> bool:
        """True when the fact's rule condition holds."""
        memo_key = tuple(sorted(fact.items()))
        with self._lock:
            known = self._memo.get(memo_key)
            if known is not None:
                self.stats.memo_hits += 1
                return known
            answer = self._post(fact)
            self._memo[memo_key] = answer
            return answer

    def _post(self, fact: Fact) -> bool:
        self._next_id += 1
        fact_id = self._next_id
        self.stats.posted += 1
        started = time.perf_counter()
        try:
            state = post(self.ruleset_name, {**fact, "sid": SID, "fact_id": fact_id})
        except MessageNotHandledException:
            self.stats.unmatched += 1
            return False
        finally:
            self.stats.engine_seconds += time.perf_counter() - started
        result = state.get("result") if isinstance(state, dict) else None
        if not isinstance(result, dict) or result.get("fact_id") != fact_id:
            raise RulebookError(f"{self.ruleset_name}: fact {fact_id} was posted but not answered")
        if result.get("rule") != fact.get("rule"):
            raise RulebookError(
                f"{self.ruleset_name}: a {fact.get('rule')} fact matched rule {result.get('rule')}"
            )
        self.stats.matched += 1
        return True
