"""The five benchmarks of issue 7, in one run; each prints its ratio against a baseline measured
in the same run, last. Not part of the test suite.

    python bench/run.py --scale medium            # all five (generates the data if missing)
    python bench/run.py --scale small --only evaluate,list

1. ingest    `overload ingest` of the weighing CSV vs raw sqlite3 executemany of the same rows
             into a table with the same indexes (target ratio >= 0.5)
2. evaluate  decisions -> entries through the rulebook vs a plain-Python reference of the same
             rules; results must be equal; durable-rules' share of the time (target >= 0.5)
3. rebuild   `overload rebuild` vs a raw read of the log (target ratio >= 0.3, >= 200k events/s)
4. list      `overload list --as-of` and `overload explain` latency (target <= 1 s each)
5. memory    peak RSS of ingest and rebuild against the number of vehicles
"""

import argparse
import csv
import json
import os
import platform
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import orjson

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

from generate import SCALES, generate  # noqa: E402
from reference import D, reference  # noqa: E402

from overload.evaluation.evaluate import evaluate  # noqa: E402
from overload.evaluation.run import load_state  # noqa: E402
from overload.rulebook import loader  # noqa: E402
from overload.rulebook.engine import Matcher  # noqa: E402
from overload.store.db import open_engine  # noqa: E402
from overload.store.log import EventLog  # noqa: E402

RESULTS: dict[str, Any] = {}
BATCH = 5_000


def timed(label: str, action: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    value = action()
    seconds = time.perf_counter() - started
    print(f"  {label}: {seconds:.2f} s", flush=True)
    return seconds, value


# As on an operator's machine, Python caches compiled modules (pip compiles an installed
# package; a checkout writes __pycache__ on first run). Some sandboxes set
# PYTHONDONTWRITEBYTECODE, which would add compiling every module to every command measured.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"} | {"COLUMNS": "120"}


def overload(db: Path, *args: str, peak: Path | None = None) -> None:
    command = [sys.executable, str(HERE / "peak.py"), str(peak)] if peak else [
        sys.executable, str(ROOT / "main.py")]
    subprocess.run([*command, "--db", str(db), *args], check=False, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, env=ENV)


def raw_ingest(csv_path: Path, db: Path) -> int:
    """Baseline: the same rows, raw sqlite3 executemany, same indexes and transaction size."""
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("CREATE TABLE weighing (position INTEGER PRIMARY KEY, type TEXT, key TEXT UNIQUE,"
                 " station_id TEXT, record_id TEXT, plate TEXT, axles INTEGER, gross_kg INTEGER,"
                 " weighed_at TEXT, scale TEXT, driver_id TEXT)")
    conn.execute("CREATE INDEX ix_weighing_type ON weighing (type)")
    rows = 0
    with csv_path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        batch: list[tuple[Any, ...]] = []
        for station, record, plate, axles, gross, at, scale, driver in reader:
            batch.append(("WeighingRecorded", f"weighing:{station}:{record}", station, record, plate,
                          int(axles), int(gross), at, scale, driver))
            if len(batch) == BATCH:
                conn.executemany("INSERT INTO weighing (type, key, station_id, record_id, plate,"
                                 " axles, gross_kg, weighed_at, scale, driver_id)"
                                 " VALUES (?,?,?,?,?,?,?,?,?,?)", batch)
                conn.commit()
                rows += len(batch)
                batch = []
        if batch:
            conn.executemany("INSERT INTO weighing (type, key, station_id, record_id, plate, axles,"
                             " gross_kg, weighed_at, scale, driver_id) VALUES (?,?,?,?,?,?,?,?,?,?)",
                             batch)
            conn.commit()
            rows += len(batch)
    conn.close()
    return rows


def bench_ingest(data: Path, work: Path) -> Path:
    print("1. ingest", flush=True)
    db = work / "overload.db"
    overload(db, "ingest", str(data / "registry.jsonl"), str(data / "vehicles.csv"))
    raw_seconds, rows = timed("raw sqlite3 executemany", lambda: raw_ingest(data / "weighings.csv",
                                                                             work / "raw.db"))
    peak = work / "ingest-peak.json"
    ours, _ = timed("overload ingest (end to end)", lambda: overload(
        db, "ingest", "--type", "weighing", str(data / "weighings.csv"), peak=peak))
    overload(db, "ingest", str(data / "decisions.jsonl"))
    RESULTS["ingest"] = {"rows": rows, "raw_seconds": round(raw_seconds, 2),
                         "overload_seconds": round(ours, 2),
                         "raw_rows_per_s": round(rows / raw_seconds),
                         "overload_rows_per_s": round(rows / ours),
                         "ratio": round(raw_seconds / ours, 2), "target": ">= 0.5",
                         "peak_rss_mb": json.loads(peak.read_text())["peak_rss_mb"]}
    print(f"  ratio {RESULTS['ingest']['ratio']} (target >= 0.5)", flush=True)
    return db


def reference_inputs(state: Any) -> tuple[Any, ...]:
    decisions = [D(d.case_no, d.plate, d.driver_id, d.enterprise_id, d.violation_on, d.decided_on,
                   d.weighing_key) for d in state.decisions.values()]
    revoked = {case: r.revoked_on for case, r in state.revocations.items()}
    memberships = [(m.plate, m.enterprise_id, m.start, m.end) for m in state.all_memberships()]
    orders = [(o.enterprise_id, o.order_no, o.ordered_on) for o in state.orders]
    conducts = [(c.subject_type, c.subject_id, c.conduct, c.decided_on, c.fine_yuan)
                for c in state.conducts]
    return decisions, revoked, memberships, orders, conducts


def bench_evaluate(db: Path) -> None:
    print("2. evaluate", flush=True)
    log = EventLog(open_engine(str(db)))
    replay, state = timed("replay the log into projections", lambda: load_state(log))
    rulebook = loader.load("linfen-2020")
    matcher = Matcher(rulebook.ruleset_name)  # fresh: no memoised answers from earlier runs
    ours, entries = timed("engine (projections -> facts -> durable-rules)",
                          lambda: evaluate(state, rulebook, matcher))
    inputs = reference_inputs(state)
    ref_seconds, expected = timed("plain-Python reference", lambda: reference(*inputs))
    got = {(e.rule, e.subject_type, e.subject_id, e.tripped_on, e.withdrawn_on) for e in entries}
    if got != expected:
        missing, extra = sorted(expected - got)[:5], sorted(got - expected)[:5]
        raise SystemExit(f"evaluation differs from the reference: missing {missing}, extra {extra}")
    RESULTS["evaluate"] = {
        "decisions": len(state.decisions), "entries": len(entries), "equal_to_reference": True,
        "replay_seconds": round(replay, 2), "engine_seconds": round(ours, 2),
        "reference_seconds": round(ref_seconds, 2), "ratio": round(ref_seconds / ours, 2),
        "target": ">= 0.5", "facts_posted": matcher.stats.posted,
        "memo_hits": matcher.stats.memo_hits,
        "durable_rules_seconds": round(matcher.stats.engine_seconds, 3),
        "durable_rules_share": f"{100 * matcher.stats.engine_seconds / ours:.1f} %"}
    print(f"  ratio {RESULTS['evaluate']['ratio']} (target >= 0.5), durable-rules "
          f"{RESULTS['evaluate']['durable_rules_share']} of the engine's time", flush=True)


def raw_read(db: Path) -> int:
    conn = sqlite3.connect(db)
    count = 0
    for _position, _type, payload in conn.execute(
            "SELECT position, type, payload FROM event ORDER BY position"):
        orjson.loads(payload)
        count += 1
    conn.close()
    return count


def bench_rebuild(db: Path, work: Path) -> None:
    print("3. rebuild", flush=True)
    raw_seconds, events = timed("raw read of the log (sqlite3 + orjson)", lambda: raw_read(db))
    peak = work / "rebuild-peak.json"
    # --no-rescreen: projections and rule decisions, as measured before the screening markers;
    # on a log without a ScreeningCompleted marker (right after an ingest) a plain rebuild also
    # screens every weighing once, which the --rescreen line measures.
    ours, _ = timed("overload rebuild --no-rescreen (end to end: projections and rule decisions)",
                    lambda: overload(db, "rebuild", "--no-rescreen", peak=peak))
    full, _ = timed("overload rebuild --rescreen (also screens every weighing again)",
                    lambda: overload(db, "rebuild", "--rescreen"))
    RESULTS["rebuild"] = {"events": events, "raw_seconds": round(raw_seconds, 2),
                          "overload_seconds": round(ours, 2),
                          "events_per_s": round(events / ours), "ratio": round(raw_seconds / ours, 2),
                          "rescreen_seconds": round(full, 2),
                          "rescreen_events_per_s": round(events / full),
                          "rescreen_ratio": round(raw_seconds / full, 2),
                          "target": ">= 0.3 and >= 200k events/s",
                          "peak_rss_mb": json.loads(peak.read_text())["peak_rss_mb"]}
    print(f"  ratio {RESULTS['rebuild']['ratio']}, {RESULTS['rebuild']['events_per_s']:,} events/s;"
          f" with --rescreen {RESULTS['rebuild']['rescreen_ratio']},"
          f" {RESULTS['rebuild']['rescreen_events_per_s']:,} events/s", flush=True)


def median_of_3(label: str, action: Callable[[], Any]) -> float:
    """Latency is noisy on a small machine: the median of three runs."""
    times = []
    for _ in range(3):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    times.sort()
    print(f"  {label}: {times[1]:.2f} s (runs: {', '.join(f'{t:.2f}' for t in times)})",
          flush=True)
    return times[1]


def bench_list(db: Path) -> None:
    print("4. list and explain latency (end to end, median of 3)", flush=True)
    startup = median_of_3("baseline: `overload --help` (interpreter start and imports)",
                          lambda: subprocess.run([sys.executable, str(ROOT / "main.py"), "--help"],
                                                 stdout=subprocess.DEVNULL, check=True, env=ENV))
    conn = sqlite3.connect(db)
    plate = conn.execute("SELECT json_extract(payload, '$.subject_id') FROM event WHERE type = "
                         "'EntityFlagged' AND json_extract(payload, '$.subject_type') = 'vehicle'"
                         " LIMIT 1").fetchone()
    enterprise = conn.execute("SELECT json_extract(payload, '$.subject_id') FROM event WHERE type ="
                              " 'EntityFlagged' AND json_extract(payload, '$.subject_type') ="
                              " 'enterprise' LIMIT 1").fetchone()
    conn.close()
    figures: dict[str, float] = {"startup": round(startup, 2)}
    for label, args in (("list", ("list", "--as-of", "2026-06-30", "--format", "json")),
                        ("list_table", ("list", "--as-of", "2026-06-30")),
                        ("explain_vehicle", ("explain", plate[0] if plate else "晋LA00000",
                                             "--as-of", "2026-06-30", "--format", "json")),
                        ("explain_enterprise", ("explain", enterprise[0] if enterprise else "x",
                                                "--as-of", "2026-06-30", "--format", "json"))):
        seconds = median_of_3(f"overload {' '.join(args)}", lambda a=args: overload(db, *a))
        figures[label] = round(seconds, 2)
    RESULTS["list"] = {**figures, "target": "<= 1 s each"}


def memory_point(label: str, data: Path, work: Path, counts: dict[str, int]) -> dict[str, Any]:
    db = work / f"{label}.db"
    overload(db, "ingest", str(data / "registry.jsonl"), str(data / "vehicles.csv"),
             peak=work / f"{label}-registry.json")
    overload(db, "ingest", "--type", "weighing", str(data / "weighings.csv"),
             peak=work / f"{label}-ingest.json")
    overload(db, "ingest", str(data / "decisions.jsonl"))
    overload(db, "rebuild", peak=work / f"{label}-rebuild.json")

    def peak(name: str) -> float:
        return float(json.loads((work / f"{label}-{name}.json").read_text())["peak_rss_mb"])

    return {"scale": label, "weighings": counts["weighings"], "vehicles": counts["vehicles"],
            "registry_ingest_peak_mb": peak("registry"), "ingest_peak_mb": peak("ingest"),
            "rebuild_peak_mb": peak("rebuild")}


def bench_memory(scale: str, work: Path, million: bool) -> None:
    """Peak RSS of ingest and rebuild at smaller scales (and, with --million, 1M vehicles with a
    small weighing file), to see how it grows with file size and with entities."""
    print("5. memory", flush=True)
    points = []
    if million:
        data = work / "data-1m"
        counts = generate("small", data, vehicles_wanted=1_000_000, weighings_wanted=200_000)
        points.append(memory_point("1m-vehicles", data, work, counts))
    for small in ("tiny", "small"):
        if SCALES[small] >= SCALES[scale]:
            continue
        data = work / f"data-{small}"
        points.append(memory_point(small, data, work, generate(small, data)))
    points.append({"scale": scale, "weighings": SCALES[scale],
                   "vehicles": max(1_000, SCALES[scale] // 20),
                   "ingest_peak_mb": RESULTS.get("ingest", {}).get("peak_rss_mb"),
                   "rebuild_peak_mb": RESULTS.get("rebuild", {}).get("peak_rss_mb")})
    RESULTS["memory"] = {"points": points, "target": "flat with file size, linear in vehicles, "
                                                     "<= 1 GB at 1M vehicles"}
    for point in points:
        print(f"  {point}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description="overload benchmarks (issue 7)")
    parser.add_argument("--scale", choices=sorted(SCALES), default="small")
    parser.add_argument("--only", default="ingest,evaluate,rebuild,list,memory")
    parser.add_argument("--work", type=Path, default=None, help="keep the databases here")
    parser.add_argument("--million", action="store_true",
                        help="memory: also 1M vehicles with 200k weighings (several minutes)")
    args = parser.parse_args()
    wanted = set(args.only.split(","))
    data = HERE / "data" / args.scale
    if not (data / "weighings.csv").exists():
        print(f"generating {args.scale} ...", flush=True)
        generate(args.scale, data)
    work = args.work or Path(tempfile.mkdtemp(prefix="overload-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    db = work / "overload.db"
    if "ingest" in wanted:
        db = bench_ingest(data, work)
    elif wanted & {"evaluate", "rebuild", "list"} and not db.exists():
        raise SystemExit(f"{db} is missing: run with ingest first (or --work pointing at it)")
    if "evaluate" in wanted:
        bench_evaluate(db)
    if "rebuild" in wanted:
        bench_rebuild(db, work)
    if "list" in wanted:
        bench_list(db)
    if "memory" in wanted:
        bench_memory(args.scale, work, args.million)
    RESULTS["machine"] = {"cores": os.cpu_count(), "python": platform.python_version(),
                          "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf(
                              "SC_PHYS_PAGES") / 2**30), "date": date.today().isoformat(),
                          "scale": args.scale}
    (work / "results.json").write_text(json.dumps(RESULTS, indent=2, ensure_ascii=False))
    print("\nratios (baseline time / overload time, measured in this run):")
    for name in ("ingest", "evaluate", "rebuild"):
        if name in RESULTS:
            print(f"  {name:9} {RESULTS[name]['ratio']:>5}   target {RESULTS[name]['target']}")
    if "rebuild" in RESULTS:
        r = RESULTS["rebuild"]
        print(f"  rebuild   {r['events_per_s']:,} events/s; with --rescreen {r['rescreen_ratio']}"
              f" and {r['rescreen_events_per_s']:,} events/s")
    if "list" in RESULTS:
        r = RESULTS["list"]
        print(f"  list      {r['list']} s (as a table {r['list_table']} s), explain "
              f"{r['explain_vehicle']} s (vehicle) / {r['explain_enterprise']} s (enterprise);"
              f" start-up alone {r['startup']} s; target <= 1 s each")
    print(f"results: {work / 'results.json'}")


if __name__ == "__main__":
    main()
