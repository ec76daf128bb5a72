"""A synthetic but realistic province-year for the benchmarks, from a fixed seed.

`python bench/generate.py --scale small|medium|large` writes bench/data/<scale>/: the registry
(enterprises with fleets from 1 to 2,000 vehicles, individually owned vehicles, drivers), the
weighings of 40 stations (about 3 % over the limit, repeat offenders, some weigh-in-motion), and
the decisions: penalties for most static detections, revocations, suspension orders. Identifiers
are valid (check digits computed with python-stdnum).
"""

import argparse
import csv
import json
import random
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from stdnum.cn import uscc
from stdnum.iso7064 import mod_11_2

SCALES = {"tiny": 20_000, "small": 100_000, "medium": 2_000_000, "large": 20_000_000}
LIMITS = {2: 18_000, 3: 27_000, 4: 36_000, 5: 43_000, 6: 49_000}
YEAR_START = datetime(2025, 7, 1)
CITY_LETTERS = "ABCDEFHJKLM"  # Shanxi: 太原 A ... 临汾 L, 吕梁 J, ...
ALPHABET = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"
REGIONS = ["141002", "141021", "140105", "140202", "140303", "140402", "140502", "140602"]


@dataclass(frozen=True)
class Vehicle:
    plate: str
    enterprise: str | None
    axles: int
    driver: int
    offender: bool


def plate(n: int) -> str:
    letter = CITY_LETTERS[n % len(CITY_LETTERS)]
    n //= len(CITY_LETTERS)
    chars = []
    for _ in range(5):
        chars.append(ALPHABET[n % 34])
        n //= 34
    return "晋" + letter + "".join(chars)


def id_number(n: int) -> str:
    """Unique for n below 120 million: region, birth date and sequence all derive from n."""
    born = date(1960, 1, 1) + timedelta(days=(n // len(REGIONS)) % 15_000)
    body = f"{REGIONS[n % len(REGIONS)]}{born:%Y%m%d}{(n // (len(REGIONS) * 15_000)) % 1000:03d}"
    return body + mod_11_2.calc_check_digit(body)


def credit_code(n: int) -> str:
    body = f"911410{n % 100:02d}MA{n:07d}"[:16] + "X"
    return body + uscc.calc_check_digit(body)


def licence_date(plate_text: str) -> str:
    """A deterministic 道路运输证 date per plate (str hash() is randomised per process)."""
    code = sum(map(ord, plate_text))
    return f"{2018 + code % 5}-0{1 + code % 9}-01"


def fleet_sizes(vehicles: int, rng: random.Random) -> list[int]:
    """Heavy-tailed fleets (most small, a few up to 2,000) that use 90 % of the vehicles."""
    sizes, left = [], int(vehicles * 0.9)
    while left > 0:
        size = min(2_000, max(1, int(rng.paretovariate(1.1))), left)
        sizes.append(size)
        left -= size
    return sizes


def generate(scale: str, out: Path, seed: int = 2026, vehicles_wanted: int | None = None,
             weighings_wanted: int | None = None) -> dict[str, int]:
    rng = random.Random(seed)
    weighings = weighings_wanted or SCALES[scale]
    vehicle_count = vehicles_wanted or max(1_000, SCALES[scale] // 20)
    driver_count = int(vehicle_count * 1.2)
    out.mkdir(parents=True, exist_ok=True)
    sizes = fleet_sizes(vehicle_count, rng)
    enterprises = [credit_code(i) for i in range(len(sizes))]
    sources = [credit_code(900_000 + i) for i in range(max(10, len(sizes) // 20))]
    vehicles: list[Vehicle] = []
    for enterprise, size in zip(enterprises, sizes, strict=True):
        for _ in range(size):
            vehicles.append(Vehicle(plate(len(vehicles)), enterprise, rng.choice([2, 3, 4, 5, 6, 6]),
                                    rng.randrange(driver_count), rng.random() < 0.02))
    while len(vehicles) < vehicle_count:
        vehicles.append(Vehicle(plate(len(vehicles)), None, 6, rng.randrange(driver_count),
                                rng.random() < 0.02))
    drivers = [id_number(i) for i in range(driver_count)]

    with (out / "registry.jsonl").open("w", encoding="utf-8") as f:
        for i, code in enumerate(enterprises):
            f.write(json.dumps({"type": "enterprise_registered", "enterprise_id": code,
                                "name": f"山西省第{i}运输有限公司", "registered_on": "2015-03-01",
                                "licence_issued_on": f"{2010 + i % 12}-0{1 + i % 9}-15"},
                               ensure_ascii=False) + "\n")
        for code in sources:
            f.write(json.dumps({"type": "enterprise_registered", "enterprise_id": code,
                                "name": f"货运源头{code[-6:]}", "registered_on": "2012-01-01"},
                               ensure_ascii=False) + "\n")
        for i, driver_id in enumerate(drivers):
            f.write(json.dumps({"type": "driver_registered", "driver_id": driver_id,
                                "name": f"驾驶员{i}", "licence_issued_on": f"{2005 + i % 18}-06-01"},
                               ensure_ascii=False) + "\n")
    with (out / "vehicles.csv").open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["type", "plate", "enterprise_id", "axles", "registered_on",
                         "licence_issued_on"])
        for v in vehicles:
            writer.writerow(["vehicle_registered", v.plate, v.enterprise or "", v.axles,
                             "2020-01-01", licence_date(v.plate)])

    stations = [f"SX-TS-{i:02d}" for i in range(1, 37)] + [f"SX-WIM-{i:02d}" for i in range(1, 5)]
    decisions: list[dict[str, object]] = []
    over_count = 0
    with (out / "weighings.csv").open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["station_id", "record_id", "plate", "axles", "gross_kg", "weighed_at",
                         "scale", "driver_id"])
        seconds = 365 * 86_400
        for n in range(weighings):
            v = vehicles[rng.randrange(len(vehicles))]
            station = stations[rng.randrange(40)]
            wim = station.startswith("SX-WIM")
            over = rng.random() < (0.30 if v.offender else 0.024)
            limit = LIMITS[v.axles]
            gross = limit + rng.randrange(500, 15_000) if over else limit - rng.randrange(0, 9_000)
            at = YEAR_START + timedelta(seconds=seconds * n // weighings + rng.randrange(600))
            driver = drivers[v.driver if rng.random() < 0.8 else rng.randrange(driver_count)]
            record = f"{n:09d}"
            writer.writerow([station, record, v.plate, v.axles, gross,
                             at.strftime("%Y-%m-%dT%H:%M:%S"), "wim" if wim else "static", driver])
            if over:
                over_count += 1
            if over and not wim and rng.random() < 0.85:
                decided = at.date() + timedelta(days=rng.randrange(3, 30))
                decision: dict[str, object] = {
                    "type": "penalty_decided", "case_no": f"晋交罚〔{decided.year}〕{len(decisions):07d}号",
                    "plate": v.plate, "violation_at": at.strftime("%Y-%m-%dT%H:%M:%S"),
                    "decided_on": decided.isoformat(), "driver_id": driver,
                    "station_id": station, "record_id": record, "gross_kg": gross,
                    "limit_kg": limit, "authority": "山西省交通运输综合行政执法局"}
                if v.enterprise and rng.random() < 0.5:
                    decision["enterprise_id"] = v.enterprise
                if rng.random() < 0.3:
                    decision["source_unit_id"] = sources[rng.randrange(len(sources))]
                decisions.append(decision)
    with (out / "decisions.jsonl").open("w", encoding="utf-8") as f:
        for decision in decisions:
            f.write(json.dumps(decision, ensure_ascii=False) + "\n")
        revoked = rng.sample(decisions, k=len(decisions) // 50)
        for decision in revoked:
            on = date.fromisoformat(str(decision["decided_on"])) + timedelta(days=rng.randrange(20, 90))
            f.write(json.dumps({"type": "penalty_revoked", "case_no": decision["case_no"],
                                "revoked_on": on.isoformat(), "reason": "复议撤销"},
                               ensure_ascii=False) + "\n")
        for i, enterprise in enumerate(rng.sample(enterprises, k=max(1, len(enterprises) // 100))):
            f.write(json.dumps({"type": "suspension_ordered", "enterprise_id": enterprise,
                                "order_no": f"晋交运责〔2026〕{i}号",
                                "ordered_on": f"2026-0{1 + i % 6}-15"}, ensure_ascii=False) + "\n")
    return {"weighings": weighings, "over_limit": over_count, "decisions": len(decisions),
            "revocations": len(decisions) // 50, "vehicles": len(vehicles),
            "drivers": driver_count, "enterprises": len(enterprises)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=sorted(SCALES), default="small")
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--vehicles", type=int, default=None,
                        help="override the number of vehicles (memory against entities)")
    parser.add_argument("--weighings", type=int, default=None, help="override the weighings")
    args = parser.parse_args()
    out = args.out or Path(__file__).parent / "data" / args.scale
    started = time.perf_counter()
    counts = generate(args.scale, out, args.seed, args.vehicles, args.weighings)
    print(json.dumps({**counts, "seconds": round(time.perf_counter() - started, 1),
                      "out": str(out)}, ensure_ascii=False))


if __name__ == "__main__":
    main()
