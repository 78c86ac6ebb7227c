"""Random traveller requests over the full seed, each plan through the independent checker
(`tests/itinerary_checker.py`: every plan-quality rule): how often, and where, a plan
breaks a rule. The rules are built for every request, not for the scenarios we know, and
this is how to look for the requests nobody wrote down.

    python -m tests.benchmarks.plan_sweep [--count 40] [--seed 0]

Not a test: it prints the problems found per rule and the requests behind them; it
asserts nothing. A request the API refuses (a day that cannot fit) is counted apart.
"""

import argparse
import asyncio
import json
import os
import random
import re
from collections import Counter
from datetime import date, timedelta

import httpx

from app.settings import get_settings
from tests.benchmarks.seeded import seeded_engine
from tests.conftest import TODAY, api_client
from tests.itinerary_checker import check_itinerary

STATIONS = {
    "chifeng": ["cf_airport", "cf_rail_chifeng", "cf_rail_chifeng_south"],
    "tongliao": ["tl_airport", "tl_rail_tongliao", "tl_hotel_station"],
}
TIMES_IN = ["08:00", "09:30", "11:00", "13:00", "15:00"]
TIMES_OUT = ["12:00", "15:00", "17:30", "19:00"]
INTERESTS = ["museum", "grassland", "desert", "temple", "lake", "history", "forest"]


def request(rng: random.Random, highlights: dict[str, list[str]]) -> dict:
    """One traveller's request, drawn: dates over the coming year, one city or both,
    party, pace, mode, at times a must-visit, a budget, interests or gateway nights."""
    days = rng.choice([2, 3, 3, 4, 4, 5, 6])
    start = date.fromisoformat(TODAY) + timedelta(days=rng.randint(3, 360 - days))
    where = rng.choice(["both", "both", "chifeng", "tongliao"])
    first, last = rng.sample(list(STATIONS), 2) if where == "both" else (where, where)
    body: dict = {
        "start_date": start.isoformat(), "days": days if where != "both" else max(days, 2),
        "arrive": {"place_id": rng.choice(STATIONS[first]), "time": rng.choice(TIMES_IN)},
        "depart": {"place_id": rng.choice(STATIONS[last]), "time": rng.choice(TIMES_OUT)},
        "time_limit_s": 1.0,
    }  # fmt: skip
    if where != "both":
        body["cities"] = {where: body["days"] - 1}
    if rng.random() < 0.4:
        body["party"] = rng.choice(["elderly", "young_children"])
    if rng.random() < 0.25:
        body["mode"] = "transit"
    if rng.random() < 0.2:
        body["pace"] = rng.choice(["relaxed", "packed"])
    pool = [s for c in ([first, last] if where == "both" else [where]) for s in highlights[c]]
    if rng.random() < 0.3 and pool:
        body["must_visit"] = [rng.choice(pool)]
    if rng.random() < 0.15:
        body["budget_cny"] = rng.choice([50, 100, 200])
    if rng.random() < 0.15:
        body["gateway_nights"] = True
    if rng.random() < 0.2:
        body["interests"] = {rng.choice(INTERESTS): 3}
    return body


async def run(client: httpx.AsyncClient, count: int, seed: int) -> None:
    spots = (await client.get("/v1/spots", params={"limit": 200})).json()["data"]
    highlights: dict[str, list[str]] = {c: [] for c in STATIONS}
    for s in spots:
        if s.get("highlight", 0) >= 4:
            highlights[s["city_id"]].append(s["id"])
    rng = random.Random(seed)
    rules: Counter[str] = Counter()
    refused: list[tuple[dict, str]] = []
    failing = []
    for _ in range(count):
        body = request(rng, highlights)
        r = await client.post("/v1/itineraries", json=body)
        if r.status_code != 201:
            problem = r.json()
            refused.append((body, f"{r.status_code} {problem.get('detail') or problem}"))
            continue
        problems = await check_itinerary(client, body, r.json())
        if problems:
            failing.append((body, problems))
            # The rule, without the day and the place it was found at.
            rules.update({re.sub(r"[\d:]+|'[^']*'|\S+_\S+", "#", p) for p in problems})
    print(f"{count} requests, {len(refused)} refused, {len(failing)} plans with problems")
    for rule, n in rules.most_common():
        print(f"{n:4}  {rule}")
    for body, problems in failing:
        print(f"- {json.dumps(body, ensure_ascii=False)}\n    {'; '.join(problems)}")
    for body, why in refused:
        print(f"- refused {json.dumps(body, ensure_ascii=False)}\n    {why}")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=40)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    # The rate limiter reads the environment's settings, not the app's: lift it there.
    os.environ["RATE_LIMIT_PLANNING"] = "100000/minute"
    os.environ["RATE_LIMIT_SOLVER_SECONDS"] = "1000000/minute"
    get_settings.cache_clear()
    with seeded_engine() as engine:
        async with api_client(engine) as client:
            await run(client, args.count, args.seed)


if __name__ == "__main__":
    asyncio.run(main())
