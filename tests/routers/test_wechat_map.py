"""GET /v1/itineraries/{id}/wechat-map: real plans as the mini-program's `map` component
binds them, checked against its official typings, in GCJ-02 whatever the plan's datum."""

import httpx
import pytest

from app.geo import Datum, to_datum
from tests.miniprogram import check_wechat_map

BASE = {
    "start_date": "2026-07-14",
    "days": 4,
    "arrive": {"place_id": "cf_rail_chifeng", "time": "09:00"},
    "depart": {"place_id": "tl_airport", "time": "18:00"},
    "time_limit_s": 0.4,
}


async def _plan_and_map(client: httpx.AsyncClient, **fields: str) -> tuple[dict, dict]:
    r = await client.post("/v1/itineraries", json={**BASE, **fields})
    assert r.status_code == 201, r.text
    doc = r.json()
    r = await client.get(f"/v1/itineraries/{doc['id']}/wechat-map")
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/json"
    return doc, r.json()


async def _stored_wgs84(client: httpx.AsyncClient, place_id: str) -> tuple[float, float]:
    """A place's WGS-84 position through the public read API (a spot or a hub)."""
    r = await client.get(f"/v1/spots/{place_id}")
    if r.status_code == 404:
        r = await client.get(f"/v1/hubs/{place_id}")
    assert r.status_code == 200, r.text
    return r.json()["lat"], r.json()["lon"]


def _marker_at(payload: dict) -> dict[str, tuple[float, float]]:
    by_id = {m["id"]: (m["latitude"], m["longitude"]) for m in payload["markers"]}
    return {s["place_id"]: by_id[s["markerId"]] for s in payload["stops"]}


async def test_a_wgs84_plan_comes_in_gcj02_a_marker_per_place_a_line_per_day(
    client: httpx.AsyncClient,
) -> None:
    doc, payload = await _plan_and_map(client, lang="en")
    assert check_wechat_map(payload) == []
    assert payload["datum"] == "gcj02" and payload["itinerary_id"] == doc["id"]
    stops = [s for day in doc["days"] for s in day["stops"]]
    places = list(dict.fromkeys(s["place_id"] for s in stops))
    assert len(payload["markers"]) == len(places) < len(stops)  # the hotels come back
    assert [m["id"] for m in payload["markers"]] == list(range(1, len(places) + 1))
    assert len(payload["stops"]) == len(stops)
    at = _marker_at(payload)
    for pid in places:
        assert at[pid] == to_datum(*await _stored_wgs84(client, pid), Datum.gcj02)
    assert len(payload["polyline"]) == len(doc["days"]) == 4  # no scheduled ride in the seed
    assert len({line["color"] for line in payload["polyline"]}) == 4
    assert len(payload["includePoints"]) == len(places)
    hotel = next(m for m in payload["markers"] if m["iconPath"] == "/assets/map/hotel.png")
    assert "\nHotel: night" in hotel["callout"]["content"]
    assert "Day 1 · " in payload["markers"][1]["callout"]["content"]


async def test_a_gcj02_plan_keeps_its_positions_in_chinese(client: httpx.AsyncClient) -> None:
    doc, payload = await _plan_and_map(client, coords="gcj02", lang="zh")
    assert check_wechat_map(payload) == []
    own = {s["place_id"]: (s["lat"], s["lon"]) for day in doc["days"] for s in day["stops"]}
    assert _marker_at(payload) == own
    assert payload["lang"] == "zh"
    assert "第1天 · " in payload["markers"][1]["callout"]["content"]
    hotel = next(m for m in payload["markers"] if m["iconPath"] == "/assets/map/hotel.png")
    assert "\n住宿：第" in hotel["callout"]["content"]


@pytest.mark.parametrize("itinerary_id", ["0" * 32, "not-an-id"])
async def test_an_unknown_itinerary_is_a_problem(
    client: httpx.AsyncClient, itinerary_id: str
) -> None:
    r = await client.get(f"/v1/itineraries/{itinerary_id}/wechat-map")
    assert r.headers["content-type"] == "application/problem+json"
    assert r.status_code == (404 if itinerary_id == "0" * 32 else 422)
    assert r.json()["status"] == r.status_code


async def test_the_response_is_documented_in_the_components_names(
    client: httpx.AsyncClient,
) -> None:
    spec = (await client.get("/openapi.json")).json()
    get = spec["paths"]["/v1/itineraries/{itinerary_id}/wechat-map"]["get"]
    ref = get["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    schemas = spec["components"]["schemas"]
    body = schemas[ref.rsplit("/", 1)[1]]["properties"]
    assert {"markers", "polyline", "includePoints", "center", "datum", "stops"} <= set(body)
    marker = schemas["MapMarker"]["properties"]
    assert {"iconPath", "zIndex", "callout", "label", "anchor", "ariaLabel"} <= set(marker)
    assert "/assets/map/<kind>.png" in marker["iconPath"]["description"]
    assert schemas["CalloutDisplay"]["enum"] == ["BYCLICK", "ALWAYS"]
    assert set(schemas["MapPolyline"]["properties"]) >= {"dottedLine", "arrowLine", "borderColor"}
