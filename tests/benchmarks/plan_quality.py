"""Plan quality over the full seed data, for scenarios of our own: the region's must-sees
per plan, minutes on the road per day against the party's cap, lunch start times, minutes
of sightseeing per day, transport cost, and the problems the independent checker finds.

    python -m tests.benchmarks.plan_quality

Not a test: it prints a table (the README's "Plan quality" figures); it asserts nothing.
"""

import asyncio
from datetime import datetime

import httpx

from tests.benchmarks.seeded import seeded_engine
from tests.conftest import api_client
from tests.itinerary_checker import PARTY_RULES, _groups, check_itinerary, lunch_inside

SCENARIOS = {
    "cf-4d-relaxed": {"start_date": "2027-07-13", "days": 4, "pace": "relaxed",
                      "arrive": {"place_id": "cf_airport", "time": "09:30"},
                      "depart": {"place_id": "cf_rail_chifeng", "time": "18:30"},
                      "cities": {"chifeng": 3}},
    "tl-3d-history": {"start_date": "2027-09-21", "days": 3, "interests": {"history": 2},
                      "arrive": {"place_id": "tl_airport", "time": "08:40"},
                      "depart": {"place_id": "tl_rail_tongliao", "time": "19:00"},
                      "cities": {"tongliao": 2}},
    "both-6d-children": {"start_date": "2027-08-02", "days": 6, "party": "young_children",
                         "arrive": {"place_id": "tl_rail_tongliao", "time": "10:00"},
                         "depart": {"place_id": "cf_rail_chifeng", "time": "16:00"}},
    "both-4d-elderly": {"start_date": "2027-06-15", "days": 4, "party": "elderly",
                        "arrive": {"place_id": "cf_rail_chifeng", "time": "09:00"},
                        "depart": {"place_id": "tl_airport", "time": "18:00"}},
    "both-5d-transit": {"start_date": "2027-07-20", "days": 5, "mode": "transit",
                        "arrive": {"place_id": "cf_airport", "time": "11:00"},
                        "depart": {"place_id": "tl_airport", "time": "18:00"}},
    "cf-3d-packed": {"start_date": "2027-10-05", "days": 3, "pace": "packed",
                     "arrive": {"place_id": "cf_rail_chifeng", "time": "08:00"},
                     "depart": {"place_id": "cf_airport", "time": "20:00"},
                     "cities": ["chifeng"]},
}  # fmt: skip


def _clock(stamp: str) -> str:
    return datetime.fromisoformat(stamp).strftime("%H:%M")


async def run(client: httpx.AsyncClient) -> None:
    columns = ["scenario", "must-sees", "road min/day (cap)", "lunch starts", "sight min/day"]
    columns += ["transport CNY", "checker"]
    print("| " + " | ".join(columns) + " |")
    print("|---|---|---|---|---|---|---|")
    found = {}
    for name, body in SCENARIOS.items():
        r = await client.post("/v1/itineraries", json=body)
        if r.status_code != 201:
            print(f"| {name} | {r.status_code} {r.text[:80]} |")
            continue
        doc = r.json()
        spots = [
            (await client.get(f"/v1/spots/{s['place_id']}")).json()
            for d in doc["days"]
            for s in d["stops"]
            if s["kind"] == "spot"
        ]
        groups = _groups(spots)
        road, lunches, sights = [], [], []
        for day in doc["days"]:
            stops = day["stops"]
            road.append(sum(s["travel_minutes"] for s in stops))
            lunches.append(
                next((_clock(s["start"]) for s in stops if s["kind"] == "meal"), "-")
                + ("*" if any(lunch_inside(stops, i) for i in range(len(stops))) else "")
            )
            sights.append(
                sum(
                    (
                        datetime.fromisoformat(s["depart"]) - datetime.fromisoformat(s["start"])
                    ).total_seconds()
                    // 60
                    for s in stops
                    if s["kind"] == "spot"
                )
            )
        cap = PARTY_RULES[body.get("party", "adults")][2]
        problems = await check_itinerary(client, body, doc)
        found.update({name: problems} if problems else {})
        print(
            f"| {name} | {len(groups)} in {body['days']} days | "
            f"{' / '.join(map(str, road))} ({cap or '-'}) | {' '.join(lunches)} | "
            f"{' / '.join(f'{m:.0f}' for m in sights)} | "
            f"{doc['summary']['transport_cost_cny']} | {len(problems)} problems |"
        )
    print("\n`*`: lunch at the scenic area's own restaurant, inside the visit.")
    for name, problems in found.items():
        print(f"- {name}: {'; '.join(problems)}")


async def main() -> None:
    with seeded_engine() as engine:
        async with api_client(engine) as client:
            await run(client)


if __name__ == "__main__":
    asyncio.run(main())
