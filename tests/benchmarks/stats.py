"""The bureaus' report over a day of 10,000 logged plans (the packages issue's figure):
median seconds of `city_report` for each city, the log made of plausible lines.

    python -m tests.benchmarks.stats [--plans 10000] [--runs 5]

Not a test: it prints; nothing is asserted about time.
"""

import argparse
import random
import statistics
import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import insert, select
from sqlmodel import col

from app.db import session_scope
from app.models import PlanLog, Spot
from app.opening import TZ
from app.services.access import CLI
from app.services.stats import city_report
from tests.benchmarks.seeded import seeded_engine


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--plans", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    rnd = random.Random(0)
    with seeded_engine() as engine:
        with session_scope(engine) as session:
            spots = [tuple(r) for r in session.execute(select(col(Spot.id), col(Spot.city_id)))]
            day = datetime.now(TZ).replace(hour=0, minute=0, second=0, microsecond=0)
            lines = []
            for i in range(args.plans):
                chosen = dict(rnd.sample(spots, 8))
                both = rnd.random() < 0.4
                nights = {"chifeng": 2, "tongliao": 2} if both else {"chifeng": 3}
                lines.append({
                    "at": (day + timedelta(seconds=i * 8)).astimezone(UTC),
                    "fingerprint": f"{rnd.getrandbits(64):016x}", "days": 4 + both,
                    "two_cities": both, "nights": nights, "central_nights": nights,
                    "visits": chosen, "must_visit": list(chosen)[:1],
                    "unmet": [[spots[0][0], "closed_during_trip"]] if i % 7 == 0 else [],
                    "transfers": ["rail"] if both else [],
                })  # fmt: skip
            session.execute(insert(PlanLog), lines)
        print(f"| city | plans logged that day | report median s ({args.runs} runs) |")
        print("|---|---|---|")
        for city in ("chifeng", "tongliao"):
            seconds = []
            for _ in range(args.runs):
                t0 = time.perf_counter()
                with session_scope(engine) as session:
                    report = city_report(session, CLI, city, day.date(), day.date())
                seconds.append(time.perf_counter() - t0)
            print(f"| {city} | {report.plans} | {statistics.median(seconds):.3f} |")
        engine.dispose()


if __name__ == "__main__":
    main()
