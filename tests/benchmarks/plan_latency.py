"""Plan latency over the full seed data: p50/p95 for 2-, 4- and 7-day requests, and the
score against a long search of the same request (every chain of days searched until 3,000
iterations find nothing better, within 30 s; run in the same process).

    python -m tests.benchmarks.plan_latency [--runs 5] [--reference-seconds 30]

Not a test: it prints a table; nothing is asserted about time.
"""

import argparse
import statistics
import time
from dataclasses import replace

from app.planning import service
from app.planning.request import PlanRequest
from tests.benchmarks.seeded import seeded_engine

REQUESTS = {
    2: {"start_date": "2026-07-14", "days": 2, "cities": ["chifeng"],
        "arrive": {"place_id": "cf_rail_chifeng", "time": "09:00"},
        "depart": {"place_id": "cf_airport", "time": "19:00"}},
    4: {"start_date": "2026-07-14", "days": 4,
        "arrive": {"place_id": "cf_rail_chifeng", "time": "09:00"},
        "depart": {"place_id": "tl_airport", "time": "18:00"}},
    7: {"start_date": "2026-08-03", "days": 7, "interests": {"grassland": 2, "desert": 2},
        "arrive": {"place_id": "cf_airport", "time": "10:00"},
        "depart": {"place_id": "tl_rail_tongliao", "time": "17:00"}},
}  # fmt: skip


# The reference: every chain of days searched, each until 3,000 iterations find nothing.
LONG = replace(service.SEARCH, patience=3000, explore=50, explore_within=1.0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--reference-seconds", type=float, default=30.0)
    args = parser.parse_args()
    with seeded_engine() as engine:
        reference = f"score ({args.reference_seconds:g} s)"
        print(f"| days | p50 s | p95 s | score (default) | {reference} | ratio |")
        print("|---|---|---|---|---|---|")
        for days, body in REQUESTS.items():
            seconds, scores = [], []
            for _ in range(args.runs):
                t0 = time.perf_counter()
                doc = service.plan(engine, PlanRequest.model_validate(body))
                seconds.append(time.perf_counter() - t0)
                scores.append(doc.summary.score)
            long_body = {**body, "time_limit_s": args.reference_seconds}
            default, service.SEARCH = service.SEARCH, LONG
            try:
                ref = service.plan(engine, PlanRequest.model_validate(long_body)).summary.score
            finally:
                service.SEARCH = default
            p95 = statistics.quantiles(seconds, n=20)[-1] if len(seconds) > 1 else seconds[0]
            med = statistics.median(scores)
            print(
                f"| {days} | {statistics.median(seconds):.2f} | {p95:.2f} | {med:.0f} | {ref} "
                f"| {med / ref if ref else 1:.3f} |"
            )
        engine.dispose()


if __name__ == "__main__":
    main()
