"""Tamper evidence: walk the log, recompute its hash chain, and hold it to the heads written down.

A row altered in place changes its hash; a removed row leaves a gap in the positions (or, if the
positions were renumbered, breaks every hash after it); reordered rows break the chain at the
first of them. The first bad position is reported.

The chain alone cannot show a log rewritten from some row on with every later hash recomputed,
nor one cut short: it starts from a constant. Two kinds of head can: anchors kept outside the
database (`overload/store/anchor.py`), and the heads the log recorded itself (a publication
stores the head it was made from; an engine event with `head_position` and `head_hash`). The
row at each such position must still carry that hash.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import orjson
from sqlalchemy import Connection, select

from overload import sentences
from overload.events import FEED_EVENTS
from overload.store.anchor import Anchor
from overload.store.log import EVENT, GENESIS, EventLog, chain_hash

COLUMNS = ("position", "type", "key", "payload", "event_at", "recorded_at", "source", "hash")
# Only the engine records heads: a station's row with such fields is just an unknown field.
_FEED_TYPES = frozenset(cls.__name__ for cls in FEED_EVENTS.values())
_LOOKUP_CHUNK = 500


@dataclass(frozen=True)
class HeadCheck:
    """One head held against the log: an anchor, or a head the log recorded itself."""

    kind: str  # "anchor" or "recorded head"
    token: str  # HASH@POSITION
    source: str  # the anchor's file, or the recording event ("ListPublished at 512")
    ok: bool
    problem: str | None = None


@dataclass(frozen=True)
class Verdict:
    ok: bool
    events: int
    head_hash: str
    position: int | None = None  # the first bad position (the chain's, else a head's)
    problem: str | None = None
    head_position: int = 0
    heads: tuple[HeadCheck, ...] = field(default=())

    @property
    def anchors(self) -> list[HeadCheck]:
        return [h for h in self.heads if h.kind == "anchor"]

    @property
    def recorded(self) -> list[HeadCheck]:
        return [h for h in self.heads if h.kind == "recorded head"]


@dataclass(frozen=True)
class _Recorded:
    at: int  # the position of the event that recorded the head
    type: str
    position: int
    hash: str


def verify(log: EventLog, anchors: Sequence[Anchor] = (), batch: int = 20_000) -> Verdict:
    """The chain, then every anchor given and every head the log recorded."""
    wanted: dict[int, list[Anchor]] = {}
    for anchor in anchors:
        wanted.setdefault(anchor.position, []).append(anchor)
    seen: dict[int, str] = {0: GENESIS}  # hashes at the anchored positions, as walked
    recorded: list[_Recorded] = []
    previous, expected, count = GENESIS, 1, 0
    broken: tuple[int, str] | None = None
    after = 0
    with log.engine.connect() as conn:
        while broken is None:
            query = (select(*(EVENT.c[name] for name in COLUMNS))
                     .where(EVENT.c.position > after).order_by(EVENT.c.position).limit(batch))
            rows = conn.execute(query).mappings().all()
            for row in rows:
                position = row["position"]
                if position != expected:
                    broken = (expected, sentences.ROW_REMOVED.format(expected=expected,
                                                                     position=position))
                    break
                if chain_hash(previous, *(row[name] for name in COLUMNS[:-1])) != row["hash"]:
                    broken = (position, sentences.ROW_ALTERED)
                    break
                previous, expected, count = row["hash"], expected + 1, count + 1
                if position in wanted:
                    seen[position] = previous
                if row["type"] not in _FEED_TYPES and '"head_hash"' in row["payload"]:
                    recorded.extend(_recorded_head(position, row["type"], row["payload"]))
            if len(rows) < batch:
                break
            after = rows[-1]["position"]
        stored = _hashes(conn, {r.position for r in recorded if 0 < r.position <= count})
    stored[0] = GENESIS
    heads = [_anchor_check(a, seen, count, broken) for a in anchors]
    heads += [_recorded_check(r, stored) for r in recorded]
    failed = [h for h in heads if not h.ok]
    if broken is not None:
        return Verdict(False, count, previous, broken[0], broken[1], count, tuple(heads))
    if failed:
        first = min(failed, key=_position_of)
        return Verdict(False, count, previous, _position_of(first), first.problem, count,
                       tuple(heads))
    return Verdict(True, count, previous, head_position=count, heads=tuple(heads))


def _recorded_head(at: int, kind: str, payload: str) -> list[_Recorded]:
    data = orjson.loads(payload)
    position, hash_ = data.get("head_position"), data.get("head_hash")
    if isinstance(position, int) and isinstance(hash_, str):
        return [_Recorded(at, kind, position, hash_)]
    return []


def _hashes(conn: Connection, positions: Iterable[int]) -> dict[int, str]:
    """Stored hashes at some positions (already verified by the walk: stored = recomputed)."""
    found: dict[int, str] = {}
    ordered = sorted(positions)
    for start in range(0, len(ordered), _LOOKUP_CHUNK):
        chunk = ordered[start : start + _LOOKUP_CHUNK]
        query = select(EVENT.c.position, EVENT.c.hash).where(EVENT.c.position.in_(chunk))
        found.update((int(p), h) for p, h in conn.execute(query))
    return found


def _anchor_check(
    anchor: Anchor, seen: dict[int, str], count: int, broken: tuple[int, str] | None
) -> HeadCheck:
    token, source = anchor.token, anchor.source or sentences.COMMAND_LINE
    if anchor.position in seen:
        if seen[anchor.position] == anchor.hash:
            return HeadCheck("anchor", token, source, True)
        return HeadCheck("anchor", token, source, False, sentences.ANCHOR_REWRITTEN.format(
            token=token, source=source, position=anchor.position, found=seen[anchor.position]))
    if broken is not None:
        return HeadCheck("anchor", token, source, False, sentences.ANCHOR_BROKEN.format(
            token=token, source=source, broken=broken[0]))
    return HeadCheck("anchor", token, source, False, sentences.ANCHOR_TRUNCATED.format(
        token=token, source=source, position=anchor.position, count=count))


def _recorded_check(head: _Recorded, stored: dict[int, str]) -> HeadCheck:
    token = f"{head.hash}@{head.position}"
    source = sentences.RECORDED_AT.format(type=head.type, at=head.at)
    if head.position >= head.at or head.position < 0:
        return HeadCheck("recorded head", token, source, False, sentences.HEAD_FORGED.format(
            source=source, token=token))
    found = stored.get(head.position)
    if found is None:  # the walk stopped before it: the chain's own problem is reported
        return HeadCheck("recorded head", token, source, True)
    if found != head.hash:
        return HeadCheck("recorded head", token, source, False, sentences.HEAD_REWRITTEN.format(
            source=source, token=token, position=head.position, found=found))
    return HeadCheck("recorded head", token, source, True)


def _position_of(check: HeadCheck) -> int:
    return int(check.token.rpartition("@")[2])
