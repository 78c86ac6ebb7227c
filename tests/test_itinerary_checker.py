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


@pytest.mark.parametrize(
    ("tamper", "found"),
    [
        (early_lunch, "lunch"),
        (no_lunch, "0 lunches"),
        (dawn_start, "leaves the hotel"),
        (long_drive, "on the road"),
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
