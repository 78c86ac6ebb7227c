"""Package generation and the season check: median seconds over a few runs of generating
`count` distinct packages (the trip optimiser under the overlap constraints) and of
re-checking one package on every start date of a 92-day season, with the overlap of the
packages made.

    TWINSTARS_TODAY=2026-05-01 python -m tests.benchmarks.packages [--runs 3]

Not a test: it prints; nothing is asserted about time.
"""

import argparse
import statistics
import time

from app.db import session_scope
from app.packages import service
from app.services.access import CLI
from tests.benchmarks.seeded import seeded_engine

SUMMER = {"start": "2026-06-01", "end": "2026-08-31"}
CASES = {
    "joint, 4 days, 3 packages": {"season": SUMMER, "days": 4, "count": 3,
                                  "theme": {"grassland": 3, "history": 2}},
    "Chifeng, 3 days, 3 packages": {"season": SUMMER, "days": 3, "count": 3,
                                    "cities": ["chifeng"]},
    "joint, 6 days, 5 packages": {"season": SUMMER, "days": 6, "count": 5},
}  # fmt: skip


def jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print("| case | made | generation median s | season check median s | max overlap |")
    print("|---|---|---|---|---|")
    with seeded_engine() as engine:
        for name, body in CASES.items():
            req = service.GenerateRequest.model_validate(body)
            made, times, checks, overlap = 0, [], [], 0.0
            for _ in range(args.runs):
                started = time.perf_counter()
                report = service.generate(engine, CLI, req, lambda _n: None)
                times.append(time.perf_counter() - started)
                with session_scope(engine) as session:
                    docs = [service.get(session, CLI, i) for i in report["package_ids"]]
                    started = time.perf_counter()
                    service.season_check(
                        session, docs[0].itinerary, req.season.start, req.season.end
                    )
                    checks.append(time.perf_counter() - started)
                sets = [set(service.season.spots_of(d.itinerary)) for d in docs]
                pairs = [jaccard(a, b) for i, a in enumerate(sets) for b in sets[:i]]
                made, overlap = len(docs), max(pairs, default=0.0)
            print(f"| {name} | {made} | {statistics.median(times):.2f} | "
                  f"{statistics.median(checks):.3f} | {overlap:.2f} |")  # fmt: skip


if __name__ == "__main__":
    main()
