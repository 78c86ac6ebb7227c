"""The independent checker must be able to fail: each tampered plan is caught."""

import copy
from collections.abc import Callable

import httpx
import pytest

from tests.itinerary_checker import check_itinerary

BODY = {
    "start_date": "2026-07-14",
    "days": 4,
    "party": "elderly",
    "arrive": {"place_id": "cf_rail_chifeng", "time": "09:00"},
    "depart": {"place_id": "tl_airport", "time": "18:00"},
    "time_limit_s": 0.5,
}


def _middle(doc: dict) -> dict:
    return doc["days"][1]


def _meal(doc: dict) -> dict:
    return next(s for s in _middle(doc)["stops"] if s["kind"] == "meal")


def early_lunch(doc: dict) -> None:
    meal = _meal(doc)
    meal["start"] = meal["start"][:11] + "10:00" + meal["start"][16:]


def no_lunch(doc: dict) -> None:
    _middle(doc)["stops"].remove(_meal(doc))


def dawn_start(doc: dict) -> None:
    first = _middle(doc)["stops"][0]
    first["depart"] = first["depart"][:11] + "06:00" + first["depart"][16:]


def long_drive(doc: dict) -> None:
    _middle(doc)["stops"][1]["travel_minutes"] += 600


def late_lunch(doc: dict) -> None:
    meal = _meal(doc)
    meal["start"] = meal["start"][:11] + "13:45" + meal["start"][16:]


def _changing_day(doc: dict) -> dict:
    return next(d for d in doc["days"] if any(s["kind"] == "transfer" for s in d["stops"]))


def long_drive_when_changing_city(doc: dict) -> None:
    _changing_day(doc)["stops"][-1]["travel_minutes"] += 120


def _sights(doc: dict) -> list[dict]:
    return [s for d in doc["days"] for s in d["stops"] if s["kind"] == "spot"]


def venue_as_sight(doc: dict) -> None:
    _sights(doc)[0]["place_id"] = "tl_mengcan_street"


def evening_at_the_sight(doc: dict) -> None:
    day = next(d for d in doc["days"] if any(s["kind"] == "evening" for s in d["stops"]))
    sight = next(s for d in doc["days"] for s in d["stops"] if s["kind"] == "spot")
    day["stops"].insert(1, dict(sight))
    evening = next(s for s in day["stops"] if s["kind"] == "evening")
    evening.update(lat=sight["lat"] + 0.001, lon=sight["lon"])


def no_sights_on_a_full_day(doc: dict) -> None:
    day = _middle(doc)
    day["stops"] = [s for s in day["stops"] if s["kind"] != "spot"]


def no_highlights(doc: dict) -> None:
    for day in doc["days"]:
        day["stops"] = [s for s in day["stops"] if s["kind"] != "spot"]


def _unvisited(doc: dict, reason: str) -> None:
    doc["unvisited"].append(
        {"spot_id": "cf_hongshan_park", "must_visit": False, "reason": reason, "text": ""}
    )


def near_spot_unreachable(doc: dict) -> None:
    _unvisited(doc, "unreachable_in_a_day")


def open_spot_closed(doc: dict) -> None:
    _unvisited(doc, "closed_during_trip")


def over_a_budget_never_set(doc: dict) -> None:
    _unvisited(doc, "over_budget")


def transport_cost_unsaid(doc: dict) -> None:
    doc["summary"]["transport_cost_cny"] = None


@pytest.mark.parametrize(
    ("tamper", "found"),
    [
        (early_lunch, "lunch"),
        (no_lunch, "0 lunches"),
        (dawn_start, "leaves the hotel"),
        (long_drive, "on the road"),
        (late_lunch, "lunch"),
        (long_drive_when_changing_city, "on the road"),
        (venue_as_sight, "planned as a sight"),
        (evening_at_the_sight, "both a sight and the evening stop"),
        (no_sights_on_a_full_day, "min of sightseeing"),
        (no_highlights, "must-sees"),
        (near_spot_unreachable, "'unreachable in a day' near"),
        (open_spot_closed, "closed on every date: False"),
        (over_a_budget_never_set, "over a budget nobody set"),
        (transport_cost_unsaid, "transport_cost_cny"),
    ],
)
async def test_tampered_plans_are_caught(
    client: httpx.AsyncClient, tamper: Callable[[dict], None], found: str
) -> None:
    r = await client.post("/v1/itineraries", json=BODY)
    assert r.status_code == 201, r.text
    doc = r.json()
    assert await check_itinerary(client, BODY, doc) == []
    bad = copy.deepcopy(doc)
    tamper(bad)
    problems = await check_itinerary(client, BODY, bad)
    assert any(found in p for p in problems), problems


async def test_a_spot_of_a_city_not_asked_for_is_caught(client: httpx.AsyncClient) -> None:
    doc = (await client.post("/v1/itineraries", json=BODY)).json()
    only_chifeng = {**BODY, "cities": ["chifeng"]}
    problems = await check_itinerary(client, only_chifeng, doc)
    assert any("a city not asked for" in p for p in problems), problems


async def test_a_long_taxi_in_transit_mode_is_caught(client: httpx.AsyncClient) -> None:
    body = {**BODY, "mode": "transit"}
    r = await client.post("/v1/itineraries", json=body)
    assert r.status_code == 201, r.text
    doc = r.json()
    assert await check_itinerary(client, body, doc) == []
    leg = next(s for d in doc["days"] for s in d["stops"] if s["mode"] == "charter")
    leg["mode"] = "taxi"
    problems = await check_itinerary(client, body, doc)
    assert any("-minute taxi" in p for p in problems), problems
