"""POST /v1/itineraries: plans checked by the independent checker, and bad requests."""

import json
from datetime import date, datetime, timedelta

import httpx
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests.conftest import set_today
from tests.itinerary_checker import check_itinerary

BASE = {
    "start_date": "2026-07-14",
    "days": 4,
    "arrive": {"place_id": "cf_rail_chifeng", "time": "09:00"},
    "depart": {"place_id": "tl_airport", "time": "18:00"},
    "time_limit_s": 0.4,
}


async def plan(client: httpx.AsyncClient, body: dict) -> dict:
    r = await client.post("/v1/itineraries", json=body)
    assert r.status_code == 201, r.text
    return r.json()


async def test_a_four_day_twin_city_trip(client: httpx.AsyncClient) -> None:
    doc = await plan(client, {**BASE, "lang": "en"})
    assert await check_itinerary(client, BASE, doc) == []
    summary = doc["summary"]
    assert summary["central_nights"] == summary["total_nights"] == 3
    assert set(summary["nights_per_city"]) == {"chifeng", "tongliao"}
    assert sum(summary["spots_per_city"].values()) >= 6
    kinds = {s["kind"] for d in doc["days"] for s in d["stops"]}
    assert {"hub", "spot", "meal", "evening", "transfer"} <= kinds
    stored = await client.get(f"/v1/itineraries/{doc['id']}")
    assert stored.json() == doc


async def test_nights_per_city_are_respected(client: httpx.AsyncClient) -> None:
    body = {**BASE, "cities": {"chifeng": 1, "tongliao": 2}}
    doc = await plan(client, body)
    assert doc["summary"]["nights_per_city"] == {"chifeng": 1, "tongliao": 2}
    assert await check_itinerary(client, body, doc) == []


async def test_must_visit_and_budget(client: httpx.AsyncClient) -> None:
    body = {**BASE, "must_visit": ["cf_yulong_shahu"], "budget_cny": 100, "avoid": ["cf_museum"]}
    doc = await plan(client, body)
    assert await check_itinerary(client, body, doc) == []
    visited = {s["place_id"] for d in doc["days"] for s in d["stops"] if s["kind"] == "spot"}
    assert "cf_yulong_shahu" in visited and "cf_museum" not in visited


async def test_an_impossible_must_visit_is_explained(client: httpx.AsyncClient) -> None:
    """Asihatu is closed in winter: the plan says so and suggests another date (trying
    changes takes time: the whole request is bounded by its time limit)."""
    body = {**BASE, "start_date": "2026-12-08", "must_visit": ["cf_asihatu"], "time_limit_s": 3}
    doc = await plan(client, body)
    missing = [u for u in doc["unvisited"] if u["spot_id"] == "cf_asihatu"]
    assert missing and missing[0]["reason"] == "closed_during_trip"
    suggestion = missing[0]["suggestion"]
    assert suggestion["change"][0] == "another_date"
    assert suggestion["start_date"] >= "2027-04-30"  # its May-Oct season
    assert await check_itinerary(client, body, doc) == []
    await assert_followed_it_fits(client, body, "cf_asihatu", suggestion)


async def assert_followed_it_fits(
    client: httpx.AsyncClient, body: dict, spot_id: str, suggestion: dict
) -> None:
    """A suggestion works: setting the request fields it names plans the spot in."""
    followed = {**body, **{k: v for k, v in suggestion.items() if k not in ("change", "text")}}
    doc = await plan(client, followed)
    assert spot_id in {s["place_id"] for d in doc["days"] for s in d["stops"]}
    assert await check_itinerary(client, followed, doc) == []


@pytest.mark.parametrize(
    ("change", "loc"),
    [
        ({"days": 0}, ["body", "days"]),
        ({"cities": {"chifeng": 1, "tongliao": 1}}, ["body", "cities"]),
        ({"arrive": {"place_id": "nowhere", "time": "09:00"}}, ["body", "arrive", "place_id"]),
        ({"must_visit": ["cf_museum"], "avoid": ["cf_museum"]}, ["body", "avoid", 0]),
        ({"cities": ["beijing"]}, ["body", "cities", 0]),
        ({"must_visit": ["tl_museum"], "cities": ["chifeng"]}, ["body", "must_visit", 0]),
        ({"days": 1, "depart": {"place_id": "tl_airport", "time": "11:00"}}, ["body", "depart"]),
        ({"time_limit_s": 99}, ["body", "time_limit_s"]),
        ({"interests": {"casino": 2}}, ["body", "interests", "casino", "[key]"]),
    ],
)
async def test_bad_requests_name_the_field(
    client: httpx.AsyncClient, change: dict, loc: list
) -> None:
    r = await client.post("/v1/itineraries", json={**BASE, **change})
    assert r.status_code == 422, r.text
    assert r.json()["errors"][0]["loc"] == loc


@pytest.mark.parametrize(
    ("change", "loc", "msg"),
    [
        (
            {"cities": {"chifeng": 1, "tongliao": 1}},
            ["body", "cities"],
            "nights per city must add up to days - 1 = 3",
        ),
        ({"cities": []}, ["body", "cities"], "name at least one city"),
        (
            {
                "days": 1,
                "arrive": {"place_id": "cf_rail_chifeng", "time": "12:00"},
                "depart": {"place_id": "cf_airport", "time": "11:00"},
            },
            ["body", "depart", "time"],
            "a one-day trip must depart after it arrives",
        ),  # fmt: skip
        (
            {"must_visit": ["cf_museum", "tl_museum"], "avoid": ["cf_dalinor", "tl_museum"]},
            ["body", "avoid", 1],
            "'tl_museum' is also a must-visit",
        ),
    ],
)
async def test_rules_across_fields_name_their_field_in_plain_words(
    client: httpx.AsyncClient, change: dict, loc: list, msg: str
) -> None:
    """A rule of the whole request (a model validator) points at the field to change and
    says so without pydantic's "Value error, " prefix."""
    r = await client.post("/v1/itineraries", json={**BASE, **change})
    assert r.status_code == 422, r.text
    problem = r.json()
    assert problem["errors"] == [{"loc": loc, "msg": msg, "type": "value_error"}]
    assert problem["detail"] == f"{'.'.join(map(str, loc))}: {msg}"


@pytest.mark.parametrize(
    ("change", "loc", "msg"),
    [
        ({"days": "3"}, ["body", "days"], "Input should be a valid integer"),
        ({"days": True}, ["body", "days"], "Input should be a valid integer"),
        (
            {"days": 3.5},
            ["body", "days"],
            "Input should be a valid integer, got a number with a fractional part",
        ),
        ({"budget_cny": "100"}, ["body", "budget_cny"], "Input should be a valid integer"),
        ({"time_limit_s": "1"}, ["body", "time_limit_s"], "Input should be a valid number"),
        ({"evening": "false"}, ["body", "evening"], "Input should be a valid boolean"),
        ({"gateway_nights": 0}, ["body", "gateway_nights"], "Input should be a valid boolean"),
        ({"start_date": 1815955200}, ["body", "start_date"], "Input should be a valid date"),
    ],
)
async def test_values_must_have_their_json_type(
    client: httpx.AsyncClient, change: dict, loc: list, msg: str
) -> None:
    """Numbers are JSON numbers, booleans JSON booleans, dates ISO text: no "3" or true for
    a number, no "false" or 0 for a boolean."""
    r = await client.post("/v1/itineraries", json={**BASE, **change})
    assert r.status_code == 422, r.text
    assert [(e["loc"], e["msg"]) for e in r.json()["errors"]] == [(loc, msg)]


async def test_a_whole_float_is_an_integer(client: httpx.AsyncClient) -> None:
    """As in JSON Schema, 4.0 is the integer 4."""
    doc = await plan(client, {**BASE, "days": 4.0, "budget_cny": 300.0})
    assert len(doc["days"]) == 4 and doc["request"]["budget_cny"] == 300


@pytest.mark.parametrize(
    ("change", "loc", "msg"),
    [
        ({"avoid": ["cf_museum", "tl_museum", "cf_nothing"]}, ["body", "avoid", 2],
         "no spot 'cf_nothing'"),
        ({"avoid": ["cf_rail_chifeng"]}, ["body", "avoid", 0], "no spot 'cf_rail_chifeng'"),
        ({"must_visit": ["cf_nothing"]}, ["body", "must_visit", 0], "no spot 'cf_nothing'"),
        ({"must_visit": ["cf_museum", "cf_yulong_shahu", "cf_museum"]},
         ["body", "must_visit", 2], "'cf_museum' is listed twice"),
        ({"avoid": ["tl_museum", "tl_museum"]}, ["body", "avoid", 1],
         "'tl_museum' is listed twice"),
        ({"cities": ["chifeng", "chifeng"]}, ["body", "cities", 1], "'chifeng' is listed twice"),
        ({"cities": {"chifeng": 2, "beijing": 1}}, ["body", "cities", "beijing"],
         "unknown city 'beijing'"),
        ({"depart": {"place_id": "tl_nowhere", "time": "18:00"}}, ["body", "depart", "place_id"],
         "no hub or spot 'tl_nowhere'"),
    ],
)  # fmt: skip
async def test_unknown_and_repeated_ids_are_named_at_their_index(
    client: httpx.AsyncClient, change: dict, loc: list, msg: str
) -> None:
    r = await client.post("/v1/itineraries", json={**BASE, **change})
    assert r.status_code == 422, r.text
    assert r.json()["errors"] == [{"loc": loc, "msg": msg, "type": "value_error"}]


async def test_a_deleted_spot_is_unknown(
    client: httpx.AsyncClient, tokens: dict[str, str]
) -> None:
    from tests.conftest import auth

    assert (
        await client.delete("/v1/spots/cf_museum", headers=auth(tokens["admin"]))
    ).status_code == 204
    for field in ("must_visit", "avoid"):
        r = await client.post("/v1/itineraries", json={**BASE, field: ["cf_museum"]})
        assert r.status_code == 422, r.text
        assert r.json()["errors"][0]["loc"] == ["body", field, 0]
        assert r.json()["errors"][0]["msg"] == "no spot 'cf_museum'"
    arrive = {"place_id": "cf_museum", "time": "09:00"}
    r = await client.post("/v1/itineraries", json={**BASE, "arrive": arrive})
    assert r.json()["errors"][0]["loc"] == ["body", "arrive", "place_id"]


async def test_a_plan_may_not_start_in_the_past(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The service's today (China's date; pinned here): a trip from yesterday is refused,
    one from today is planned, and read endpoints still answer for any date."""
    set_today(monkeypatch, "2026-07-14")
    r = await client.post("/v1/itineraries", json={**BASE, "start_date": "2026-07-13"})
    assert r.status_code == 422, r.text
    assert r.json()["errors"] == [
        {
            "loc": ["body", "start_date"],
            "msg": "2026-07-13 is in the past (today is 2026-07-14)",
            "type": "value_error",
        }
    ]
    assert (await plan(client, BASE))["days"][0]["date"] == "2026-07-14"
    opening = await client.get("/v1/spots/cf_museum/opening", params={"date": "2020-01-07"})
    assert opening.status_code == 200 and opening.json()["windows"]
    assert (await client.get("/v1/spots", params={"open_on": "2001-01-01"})).status_code == 200


async def test_replan_once_the_trip_began(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On the trip's third day, the days behind cannot be planned again: a replan goes on
    from today or later."""
    doc = await plan(client, BASE)  # 2026-07-14 to 17
    set_today(monkeypatch, "2026-07-16")
    url = f"/v1/itineraries/{doc['id']}/replan"
    whole = await client.post(url, json={"pinned": ["cf_yulong_shahu"]})
    assert whole.status_code == 422, whole.text
    assert whole.json()["errors"][0]["loc"] == ["body", "from"]
    assert "began on 2026-07-14" in whole.json()["errors"][0]["msg"]
    here = {"day": 2, "time": "10:00", "place_id": "cf_museum"}
    yesterday = await client.post(url, json={"from": here})
    assert yesterday.status_code == 422, yesterday.text
    assert yesterday.json()["errors"] == [
        {
            "loc": ["body", "from", "day"],
            "msg": "2026-07-15 is in the past (today is 2026-07-16)",
            "type": "value_error",
        }
    ]
    new = await client.post(url, json={"from": {**here, "day": 3}})
    assert new.status_code == 201, new.text
    assert new.json()["days"][0]["date"] == "2026-07-16"


async def test_unknown_itinerary(client: httpx.AsyncClient) -> None:
    assert (await client.get(f"/v1/itineraries/{'0' * 32}")).status_code == 404


ARRIVALS = ["cf_rail_chifeng", "cf_airport", "cf_bus_central", "tl_rail_tongliao", "tl_airport"]
NEAR_SPOTS = ["cf_museum", "cf_hongshan_park", "tl_museum", "tl_xiaozhuangyuan", "cf_yulong_shahu"]
PREFIX = {"chifeng": "cf", "tongliao": "tl"}
CATEGORIES = ["grassland", "desert", "history", "temple", "museum", "lake", "park", "food"]


@st.composite
def requests(draw: st.DrawFn) -> dict:
    days = draw(st.integers(1, 5))
    start = date(2026, 5, 1) + timedelta(days=draw(st.integers(0, 540)))
    arrive_h = draw(st.integers(7, 11))
    depart_h = draw(st.integers(15 if days > 1 else arrive_h + 4, 21))
    city_choice = draw(st.sampled_from([["chifeng"], ["tongliao"], ["chifeng", "tongliao"]]))
    prefixes = [PREFIX[c] for c in city_choice]
    arrive = draw(st.sampled_from([a for a in ARRIVALS if a[:2] == prefixes[0]]))
    depart = draw(st.sampled_from([a for a in ARRIVALS if a[:2] == prefixes[-1]]))
    if days == 1:
        depart = draw(st.sampled_from([a for a in ARRIVALS if a[:2] == arrive[:2]]))
    in_cities = [s for s in NEAR_SPOTS if s[:2] in prefixes]
    must = draw(st.lists(st.sampled_from(in_cities), max_size=2, unique=True)) if in_cities else []
    return {
        "start_date": start.isoformat(),
        "days": days,
        "arrive": {"place_id": arrive, "time": f"{arrive_h:02d}:00"},
        "depart": {"place_id": depart, "time": f"{depart_h:02d}:30"},
        "cities": city_choice,
        "interests": draw(
            st.dictionaries(
                st.sampled_from(CATEGORIES), st.sampled_from([0.0, 0.5, 2.0, 3.0]), max_size=3
            )
        ),
        "pace": draw(st.sampled_from(["relaxed", "normal", "packed"])),
        "party": draw(st.sampled_from(["adults", "young_children", "elderly"])),
        "mode": draw(st.sampled_from(["self_drive", "transit"])),
        "gateway_nights": draw(st.booleans()),
        "budget_cny": draw(st.one_of(st.none(), st.integers(0, 300))),
        "must_visit": must,
        "avoid": draw(
            st.lists(
                st.sampled_from([s for s in NEAR_SPOTS if s not in must]), max_size=2, unique=True
            )
        ),
        "lang": draw(st.sampled_from(["zh", "en"])),
        "time_limit_s": 0.2,
    }


@settings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    phases=(Phase.explicit, Phase.reuse, Phase.generate),  # a plan costs a second: no shrinking
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(body=requests())
async def test_every_generated_plan_is_feasible(client: httpx.AsyncClient, body: dict) -> None:
    r = await client.post("/v1/itineraries", json=body)
    if r.status_code == 422:  # an impossible skeleton must be refused with a reason
        assert r.json()["errors"], r.text
        return
    assert r.status_code == 201, r.text
    problems = await check_itinerary(client, body, r.json())
    assert problems == [], f"{problems} for {json.dumps(body)}"


async def test_exports(client: httpx.AsyncClient) -> None:
    from icalendar import Calendar

    doc = await plan(client, {**BASE, "lang": "en", "coords": "gcj02"})
    base = f"/v1/itineraries/{doc['id']}"
    geo = await client.get(base + ".geojson")
    assert geo.headers["content-type"] == "application/geo+json"
    features = geo.json()["features"]
    assert sum(f["geometry"]["type"] == "LineString" for f in features) == 4
    points = [f for f in features if f["geometry"]["type"] == "Point"]
    assert len(points) == sum(len(d["stops"]) for d in doc["days"])
    assert geo.json()["properties"]["datum"] == "wgs84"  # RFC 7946, whatever `coords` was

    ics = await client.get(base + ".ics")
    assert ics.headers["content-type"].startswith("text/calendar")
    events = Calendar.from_ical(ics.content).walk("VEVENT")
    spans = [
        s for d in doc["days"] for s in d["stops"] if (s["start"] or s["arrive"]) and s["depart"]
    ]
    assert len(events) == len(spans)
    first = events[0]
    assert first.decoded("dtstart").utcoffset().total_seconds() == 8 * 3600

    page = await client.get(base + ".html")
    assert page.headers["content-type"].startswith("text/html")
    assert "style-src 'unsafe-inline'" in page.headers["content-security-policy"]
    assert doc["days"][0]["stops"][1]["name"] in page.text
    assert (await client.get(f"/v1/itineraries/{'0' * 32}.ics")).status_code == 404


def _flat(pairs: list[tuple[float, float]]) -> list[float]:
    return [x for pair in pairs for x in pair]


async def _stored_wgs84(client: httpx.AsyncClient, place_id: str) -> tuple[float, float]:
    """A place's WGS-84 position through the public read API (a spot or a hub)."""
    r = await client.get(f"/v1/spots/{place_id}")
    if r.status_code == 404:
        r = await client.get(f"/v1/hubs/{place_id}")
    assert r.status_code == 200, r.text
    assert r.json()["datum"] == "wgs84"
    return r.json()["lat"], r.json()["lon"]


async def _export_positions(
    client: httpx.AsyncClient, itinerary_id: str
) -> tuple[list[tuple[float, float]], list[list[tuple[float, float]]], list[tuple[float, float]]]:
    """The stop points and day lines of the GeoJSON export and the GEO of each ICS event,
    as (lat, lon)."""
    from icalendar import Calendar

    base = f"/v1/itineraries/{itinerary_id}"
    features = (await client.get(base + ".geojson")).json()["features"]
    points = [
        (f["geometry"]["coordinates"][1], f["geometry"]["coordinates"][0])
        for f in features
        if f["geometry"]["type"] == "Point"
    ]
    lines = [
        [(lat, lon) for lon, lat in f["geometry"]["coordinates"]]
        for f in features
        if f["geometry"]["type"] == "LineString"
    ]
    events = Calendar.from_ical((await client.get(base + ".ics")).content).walk("VEVENT")
    geos = [(e["geo"].latitude, e["geo"].longitude) for e in events]
    return points, lines, geos


async def test_a_gcj02_plan_exports_wgs84(client: httpx.AsyncClient) -> None:
    """The plan itself is GCJ-02 and says so on every stop; its exports are WGS-84, at the
    stored positions of the places the read API returns."""
    doc = await plan(client, {**BASE, "coords": "gcj02"})
    stops = [s for d in doc["days"] for s in d["stops"]]
    assert {s["datum"] for s in stops} == {"gcj02"}
    assert doc["request"]["coords"] == "gcj02"
    wgs = {pid: await _stored_wgs84(client, pid) for pid in {s["place_id"] for s in stops}}
    expected = [wgs[s["place_id"]] for s in stops]
    assert all((s["lat"], s["lon"]) != wgs[s["place_id"]] for s in stops)  # really shifted

    points, lines, geos = await _export_positions(client, doc["id"])
    assert _flat(points) == pytest.approx(_flat(expected), abs=1e-6)
    assert [p for line in lines for p in line] == points  # each day's line runs through its stops
    spans = [wgs[s["place_id"]] for s in stops if (s["start"] or s["arrive"]) and s["depart"]]
    assert _flat(geos) == pytest.approx(_flat(spans), abs=1e-6)
    features = (await client.get(f"/v1/itineraries/{doc['id']}.geojson")).json()["features"]
    assert {f["properties"]["datum"] for f in features if "order" in f["properties"]} == {"wgs84"}


async def test_a_wgs84_plan_exports_its_own_coordinates(client: httpx.AsyncClient) -> None:
    doc = await plan(client, BASE)
    stops = [s for d in doc["days"] for s in d["stops"]]
    assert {s["datum"] for s in stops} == {"wgs84"}
    points, lines, geos = await _export_positions(client, doc["id"])
    assert points == [(s["lat"], s["lon"]) for s in stops]
    assert lines == [[(s["lat"], s["lon"]) for s in d["stops"]] for d in doc["days"]]
    spans = [(s["lat"], s["lon"]) for s in stops if (s["start"] or s["arrive"]) and s["depart"]]
    assert geos == spans


async def test_alternatives_are_distinct_and_each_feasible(client: httpx.AsyncClient) -> None:
    body = {**BASE, "alternatives": 3}
    doc = await plan(client, body)
    assert doc["variant"] == "more_sights"
    assert 1 <= len(doc["alternatives"]) <= 2
    plans = [doc] + [
        (await client.get(f"/v1/itineraries/{a['id']}")).json() for a in doc["alternatives"]
    ]
    visit_sets = set()
    for p in plans:
        assert await check_itinerary(client, body, p) == []
        visit_sets.add(
            frozenset(s["place_id"] for d in p["days"] for s in d["stops"] if s["kind"] == "spot")
        )
    assert len(visit_sets) == len(plans)
    by_variant = {p["variant"]: p["summary"] for p in plans}
    if "cheaper" in by_variant:
        assert (
            by_variant["cheaper"]["ticket_total_cny"]
            < by_variant["more_sights"]["ticket_total_cny"]
        )
    if "less_driving" in by_variant:
        assert (
            by_variant["less_driving"]["travel_minutes"]
            < by_variant["more_sights"]["travel_minutes"]
        )


async def test_no_plan_shown_leaves_out_a_must_visit_the_main_plan_holds(
    client: httpx.AsyncClient,
) -> None:
    """Within 100 CNY the must-visit desert (80 CNY) fits, and the main plan holds it,
    though a cheaper plan without it would score more; no alternative drops it."""
    body = {
        **BASE, "days": 3, "must_visit": ["cf_yulong_shahu"], "budget_cny": 100,
        "alternatives": 3, "time_limit_s": 2.0,
    }  # fmt: skip
    doc = await plan(client, body)
    plans = [doc] + [
        (await client.get(f"/v1/itineraries/{a['id']}")).json() for a in doc["alternatives"]
    ]
    for p in plans:
        assert await check_itinerary(client, body, p) == []
        assert "cf_yulong_shahu" in {s["place_id"] for d in p["days"] for s in d["stops"]}
    assert not [u for u in doc["unvisited"] if u["must_visit"]]


async def test_a_day_waiting_for_lunch_stays_on_at_its_sight_instead(
    client: httpx.AsyncClient,
) -> None:
    """Young children, Tongliao to Chifeng: the city-change day (a Monday, the museums
    shut) sees the two sights near the hotel before lunch and then drives. Rather than
    wait for lunch at 11:00, the party stays on at the last sight, which makes the day's
    two hours of sightseeing; nothing after it moves."""
    body = {
        "start_date": "2026-07-19", "days": 3, "party": "young_children",
        "arrive": {"place_id": "tl_airport", "time": "08:00"},
        "depart": {"place_id": "cf_airport", "time": "15:00"}, "time_limit_s": 1.0,
    }  # fmt: skip
    doc = await plan(client, body)
    assert await check_itinerary(client, body, doc) == []
    day = doc["days"][1]
    sights = [s for s in day["stops"] if s["kind"] == "spot"]
    seen = sum(
        (datetime.fromisoformat(s["depart"]) - datetime.fromisoformat(s["start"])).seconds // 60
        for s in sights
    )
    assert seen >= 120
    meal = next(s for s in day["stops"] if s["kind"] == "meal")
    assert meal["start"] >= sights[-1]["depart"]


async def test_replan_keeps_pins_and_most_of_the_plan(client: httpx.AsyncClient) -> None:
    doc = await plan(client, BASE)
    old = {s["place_id"] for d in doc["days"] for s in d["stops"] if s["kind"] == "spot"}
    r = await client.post(
        f"/v1/itineraries/{doc['id']}/replan",
        json={"pinned": ["cf_yulong_shahu"], "avoid": ["cf_hongshan_park"]},
    )
    assert r.status_code == 201, r.text
    new = r.json()
    assert new["replanned_from"] == doc["id"]
    body = {**BASE, "must_visit": ["cf_yulong_shahu"], "avoid": ["cf_hongshan_park"]}
    assert await check_itinerary(client, body, new) == []
    spots = {s["place_id"] for d in new["days"] for s in d["stops"] if s["kind"] == "spot"}
    assert "cf_yulong_shahu" in spots and "cf_hongshan_park" not in spots
    assert len(spots & old) >= len(old) // 2  # most of the old plan survives


async def test_replan_from_here(client: httpx.AsyncClient) -> None:
    doc = await plan(client, BASE)
    day1 = {s["place_id"] for s in doc["days"][0]["stops"] if s["kind"] == "spot"}
    here = {"day": 2, "time": "13:00", "place_id": "cf_museum"}
    r = await client.post(f"/v1/itineraries/{doc['id']}/replan", json={"from": here})
    assert r.status_code == 201, r.text
    new = r.json()
    assert new["first_day"] == 2 and len(new["days"]) == 3
    assert new["days"][0]["date"] == "2026-07-15"
    assert new["days"][0]["stops"][0]["place_id"] == "cf_museum"
    assert [d["night_place_id"] for d in new["days"]] == [
        d["night_place_id"] for d in doc["days"][1:]
    ]
    spots = {s["place_id"] for d in new["days"] for s in d["stops"] if s["kind"] == "spot"}
    assert not spots & day1  # nothing already seen is planned again
    assert await check_itinerary(client, new["request"], new) == []
    bad = await client.post(
        f"/v1/itineraries/{doc['id']}/replan", json={"from": {**here, "day": 9}}
    )
    assert bad.status_code == 422


async def test_transit_takes_a_real_departure_when_it_is_better(
    client: httpx.AsyncClient, tokens: dict[str, str]
) -> None:
    """A (hypothetical) 2-hour intercity train makes a morning flight from Tongliao
    reachable where the 4.5-hour road does not: the plan takes one of its departures."""
    from tests.conftest import auth

    train = {
        "id": "t_intercity", "mode": "rail", "service": "hsr", "from_id": "cf_rail_chifeng",
        "to_id": "tl_rail_tongliao", "duration_min": 120, "bidirectional": False,
        "departures": [
            {"service_code": "C1", "departs": "08:00", "arrives": "10:00"},
            {"service_code": "C3", "departs": "16:00", "arrives": "18:00", "days": "Mo-Fr"},
        ],
    }  # fmt: skip
    r = await client.post("/v1/links", json=train, headers=auth(tokens["admin"]))
    assert r.status_code == 201, r.text
    body = {
        **BASE, "days": 1, "mode": "transit",
        "arrive": {"place_id": "cf_rail_chifeng", "time": "07:00"},
        "depart": {"place_id": "tl_airport", "time": "12:30"},
    }  # fmt: skip
    drive = await client.post("/v1/itineraries", json={**body, "mode": "self_drive"})
    assert drive.status_code == 422  # the road cannot make it
    doc = await plan(client, body)
    assert await check_itinerary(client, body, doc) == []
    rides = [s for d in doc["days"] for s in d["stops"] if s.get("link_id")]
    assert len(rides) == 1 and rides[0]["service_code"] == "C1"
    assert rides[0]["mode"] == "rail" and rides[0]["place_id"] == "tl_rail_tongliao"


async def test_transit_without_a_timetable_charters_a_car(client: httpx.AsyncClient) -> None:
    """No stored departure between the cities: the city change is a chartered car."""
    body = {**BASE, "mode": "transit"}
    doc = await plan(client, body)
    assert await check_itinerary(client, body, doc) == []
    crossing = [s for d in doc["days"] for s in d["stops"] if s["kind"] == "transfer"]
    assert [s["mode"] for s in crossing] == ["charter"]
    assert crossing[0]["fare_cny"] > 0 and doc["summary"]["transport_cost_cny"] > 0
    taxis = [s for d in doc["days"] for s in d["stops"] if s["mode"] == "taxi"]
    assert taxis and all(s["travel_minutes"] <= 90 and s["fare_cny"] > 0 for s in taxis)


async def test_a_gateway_night_unlocks_the_hexigten_loop(client: httpx.AsyncClient) -> None:
    body = {
        "start_date": "2026-07-14", "days": 4, "cities": ["chifeng"],
        "arrive": {"place_id": "cf_rail_chifeng", "time": "08:00"},
        "depart": {"place_id": "cf_airport", "time": "19:00"},
        "interests": {"geology": 5, "grassland": 5, "lake": 4}, "time_limit_s": 1.0,
    }  # fmt: skip
    central_only = await plan(client, body)
    assert central_only["summary"]["central_nights"] == 3
    with_gateway = await plan(client, {**body, "gateway_nights": True})
    summary = with_gateway["summary"]
    assert await check_itinerary(client, {**body, "gateway_nights": True}, with_gateway) == []
    assert summary["central_nights"] == 2 and summary["total_nights"] == 3
    assert summary["nights_outside_central"] == 1
    assert summary["score"] > central_only["summary"]["score"]


async def test_suggestions_name_the_budget_and_the_gateway(client: httpx.AsyncClient) -> None:
    body = {**BASE, "must_visit": ["cf_yulong_shahu"], "budget_cny": 20}
    doc = await plan(client, body)
    over = next(u for u in doc["unvisited"] if u["spot_id"] == "cf_yulong_shahu")
    assert over["reason"] == "over_budget"
    assert over["suggestion"]["change"] == ["higher_budget"]
    assert over["suggestion"]["budget_cny"] >= 80
    await assert_followed_it_fits(client, body, "cf_yulong_shahu", over["suggestion"])
    far_body = {**BASE, "must_visit": ["cf_dalinor"], "lang": "en"}
    far = await plan(client, far_body)
    dalinor = next(u for u in far["unvisited"] if u["spot_id"] == "cf_dalinor")
    assert dalinor["reason"] == "unreachable_in_a_day"
    assert "gateway_nights" in dalinor["suggestion"]["change"]
    assert "county gateway" in dalinor["suggestion"]["text"]  # in the request's language
    await assert_followed_it_fits(client, far_body, "cf_dalinor", dalinor["suggestion"])


async def test_the_bureau_sets_the_gateway_penalty(
    client: httpx.AsyncClient, tokens: dict[str, str]
) -> None:
    from tests.conftest import auth

    body = {
        "start_date": "2026-07-14", "days": 4, "cities": ["chifeng"], "gateway_nights": True,
        "arrive": {"place_id": "cf_rail_chifeng", "time": "08:00"},
        "depart": {"place_id": "cf_airport", "time": "19:00"},
        "interests": {"geology": 5, "grassland": 5, "lake": 4}, "time_limit_s": 1.0,
    }  # fmt: skip
    settings = {"gateway_night_penalty": 10_000}
    other = await client.patch(
        "/v1/cities/chifeng", json=settings, headers=auth(tokens["bureau_tongliao"])
    )
    assert other.status_code == 403
    own = await client.patch(
        "/v1/cities/chifeng", json=settings, headers=auth(tokens["bureau_chifeng"])
    )
    assert own.status_code == 200 and own.json()["gateway_night_penalty"] == 10_000
    doc = await plan(client, body)
    assert doc["summary"]["nights_outside_central"] == 0
    log = await client.get("/v1/audit", params={"entity": "city"}, headers=auth(tokens["admin"]))
    assert log.json()["data"][0]["after"] == settings


async def test_evening_arrival_and_morning_departure(client: httpx.AsyncClient) -> None:
    body = {
        **BASE, "days": 3,
        "arrive": {"place_id": "cf_rail_chifeng", "time": "19:30"},
        "depart": {"place_id": "tl_airport", "time": "08:00"},
    }  # fmt: skip
    doc = await plan(client, body)
    assert await check_itinerary(client, body, doc) == []
    assert [s["kind"] for s in doc["days"][-1]["stops"]] == ["hub", "hub"]


async def test_a_spot_open_around_the_clock(
    client: httpx.AsyncClient, tokens: dict[str, str]
) -> None:
    """Windows that touch at midnight (24/7) are one window to the solver."""
    from tests.conftest import auth

    etag = (await client.get("/v1/spots/cf_hongshan_park")).headers["etag"]
    r = await client.patch(
        "/v1/spots/cf_hongshan_park", json={"opening_hours": "24/7"},
        headers={**auth(tokens["admin"]), "If-Match": etag},
    )  # fmt: skip
    assert r.status_code == 200
    doc = await plan(client, {**BASE, "must_visit": ["cf_hongshan_park"]})
    assert await check_itinerary(client, {**BASE, "must_visit": ["cf_hongshan_park"]}, doc) == []


async def test_far_off_dates_are_refused(client: httpx.AsyncClient) -> None:
    assert (
        await client.post("/v1/itineraries", json={**BASE, "start_date": "9999-12-30"})
    ).status_code == 422
    r = await client.get("/v1/spots/cf_museum/opening", params={"date": "9999-12-31"})
    assert r.status_code == 422
    assert (await client.get("/v1/spots", params={"open_on": "9999-12-31"})).status_code == 422


async def test_replan_from_the_other_city_keeps_the_hotel_order(client: httpx.AsyncClient) -> None:
    """Standing in Tongliao on day 2 does not reorder the booked nights."""
    body = {**BASE, "cities": {"chifeng": 2, "tongliao": 1}}
    doc = await plan(client, body)
    here = {"day": 2, "time": "10:00", "place_id": "tl_museum"}
    new = (await client.post(f"/v1/itineraries/{doc['id']}/replan", json={"from": here})).json()
    assert [d["night_place_id"] for d in new["days"]] == [
        d["night_place_id"] for d in doc["days"][1:]
    ]


async def test_the_bureau_sets_the_charter_prices(
    client: httpx.AsyncClient, tokens: dict[str, str]
) -> None:
    """Transit fares come from the city's tariff, which its bureau sets (audited)."""
    from tests.conftest import auth

    home = {"place_id": "cf_airport", "time": "18:00"}
    body = {**BASE, "cities": {"chifeng": 3}, "depart": home, "mode": "transit"}
    cheap = await plan(client, body)
    bureau = auth(tokens["bureau_chifeng"])
    prices = {"charter_cny_per_day": 900, "charter_cny_per_km": 4.0, "taxi_cny_per_km": 3.5}
    r = await client.patch("/v1/cities/chifeng", json=prices, headers=bureau)
    assert r.status_code == 200, r.text
    assert r.json()["tariff"]["charter_cny_per_day"] == 900
    dear = await plan(client, body)
    assert dear["summary"]["transport_cost_cny"] > cheap["summary"]["transport_cost_cny"]
    charters = [s for d in dear["days"] for s in d["stops"] if s["mode"] == "charter"]
    assert charters and max(s["fare_cny"] for s in charters) >= 900  # the day's fee
    assert await check_itinerary(client, body, dear) == []
    audit = (await client.get("/v1/audit", params={"entity": "city"}, headers=bureau)).json()
    assert audit["data"][0]["after"] == prices
    refused = await client.patch("/v1/cities/tongliao", json=prices, headers=bureau)
    assert refused.status_code == 403
    assert (await client.patch("/v1/cities/chifeng", json={}, headers=bureau)).status_code == 422


async def test_the_same_request_gives_the_same_plan(client: httpx.AsyncClient) -> None:
    first, second = await plan(client, BASE), await plan(client, BASE)
    assert first["id"] != second["id"]
    assert (
        first["days"] == second["days"] and first["summary"]["score"] == second["summary"]["score"]
    )


async def test_replan_errors_name_the_replan_fields(client: httpx.AsyncClient) -> None:
    doc = await plan(client, {**BASE, "must_visit": ["cf_museum"], "avoid": ["tl_museum"]})
    url = f"/v1/itineraries/{doc['id']}/replan"
    here = {"day": 2, "time": "13:00", "place_id": "nowhere"}
    r = await client.post(url, json={"from": here})
    assert r.status_code == 422, r.text
    assert r.json()["errors"][0]["loc"] == ["body", "from", "place_id"]
    for body, loc, msg in [
        ({"pinned": ["cf_yulong_shahu", "cf_nothing"]}, ["body", "pinned", 1],
         "no spot 'cf_nothing'"),
        ({"pinned": ["cf_dalinor", "cf_dalinor"]}, ["body", "pinned", 1],
         "'cf_dalinor' is listed twice"),
        ({"avoid": ["cf_nothing"]}, ["body", "avoid", 0], "no spot 'cf_nothing'"),
        ({"pinned": ["cf_dalinor"], "avoid": ["cf_hongshan_park", "cf_dalinor"]},
         ["body", "avoid", 1], "'cf_dalinor' is also pinned"),
    ]:  # fmt: skip
        r = await client.post(url, json=body)
        assert r.status_code == 422, (body, r.text)
        assert r.json()["errors"] == [{"loc": loc, "msg": msg, "type": "value_error"}]


async def test_a_replan_pin_is_named_at_its_own_index(client: httpx.AsyncClient) -> None:
    """The derived request's must-visits are the old ones, then the pins: an error about
    one is at the pin's index in the replan body. From day 2 every night is in Tongliao,
    so a Chifeng pin cannot be planned (and the old Chifeng must-visit drops out)."""
    body = {**BASE, "cities": {"chifeng": 1, "tongliao": 2}, "must_visit": ["cf_hongshan_park"]}
    doc = await plan(client, body)
    here = {"day": 2, "time": "10:00", "place_id": "tl_museum"}
    pins = ["tl_xiaozhuangyuan", "cf_yulong_shahu"]
    url = f"/v1/itineraries/{doc['id']}/replan"
    r = await client.post(url, json={"pinned": pins, "from": here})
    assert r.status_code == 422, r.text
    assert r.json()["errors"] == [
        {
            "loc": ["body", "pinned", 1],
            "msg": "'cf_yulong_shahu' is not in the chosen cities",
            "type": "value_error",
        }
    ]
    new = await client.post(url, json={"pinned": pins[:1], "from": here})
    assert new.status_code == 201, new.text
    assert new.json()["request"]["must_visit"] == ["tl_xiaozhuangyuan"]


async def test_replan_keeps_to_what_still_exists(
    client: httpx.AsyncClient, tokens: dict[str, str]
) -> None:
    """The old request's must-visit and spot to avoid were deleted since: the replan goes on
    without them; the traveller's own new pin is what it checks."""
    from tests.conftest import auth

    doc = await plan(client, {**BASE, "must_visit": ["cf_museum"], "avoid": ["tl_museum"]})
    for spot in ("cf_museum", "tl_museum"):
        r = await client.delete(f"/v1/spots/{spot}", headers=auth(tokens["admin"]))
        assert r.status_code == 204
    r = await client.post(
        f"/v1/itineraries/{doc['id']}/replan", json={"pinned": ["cf_yulong_shahu"]}
    )
    assert r.status_code == 201, r.text
    assert r.json()["request"]["must_visit"] == ["cf_yulong_shahu"]
    assert r.json()["request"]["avoid"] == []


async def test_the_same_request_on_the_same_data_gets_the_same_plan(
    client: httpx.AsyncClient, tokens: dict[str, str]
) -> None:
    """A 6-day trip with gateway nights and a short time limit is cut short before it
    converges, and yet asked again it gets the same plan (as a new itinerary), alternatives
    included. Once a bureau changes the data it is planned afresh on the new data."""
    from tests.conftest import auth

    body = {**BASE, "days": 6, "gateway_nights": True, "alternatives": 2, "time_limit_s": 0.3}
    first = await plan(client, body)
    again = await plan(client, body)
    assert again["id"] != first["id"]
    same = ("days", "summary", "unvisited")
    assert {k: again[k] for k in same} == {k: first[k] for k in same}
    assert [a["summary"] for a in again["alternatives"]] == [
        a["summary"] for a in first["alternatives"]
    ]
    assert await check_itinerary(client, body, again) == []

    seen = {s["place_id"] for d in first["days"] for s in d["stops"] if s["kind"] == "spot"}
    gone = sorted(seen)[0]
    r = await client.delete(f"/v1/spots/{gone}", headers=auth(tokens["admin"]))
    assert r.status_code == 204
    afresh = await plan(client, body)
    assert gone not in {s["place_id"] for d in afresh["days"] for s in d["stops"]}


async def test_an_elderly_party_rests_at_the_hotel_to_reach_a_farther_sight(
    client: httpx.AsyncClient,
) -> None:
    """The elderly's 180 minutes on the road count the evening outing too. Zhurihe
    grassland is 90 minutes out of Tongliao: its day trip takes the whole cap, so that
    evening the party rests at the hotel instead of going out, and every other evening
    keeps its outing."""
    body = {
        "start_date": "2026-07-14", "days": 3, "party": "elderly",
        "cities": {"tongliao": 2}, "must_visit": ["tl_zhurihe"],
        "arrive": {"place_id": "tl_airport", "time": "09:00"},
        "depart": {"place_id": "tl_airport", "time": "18:00"}, "time_limit_s": 1.0,
    }  # fmt: skip
    doc = await plan(client, body)
    assert await check_itinerary(client, body, doc) == []
    assert doc["summary"]["status"] == "feasible"
    (day,) = [d for d in doc["days"] if any(s["place_id"] == "tl_zhurihe" for s in d["stops"])]
    assert sum(s["travel_minutes"] or 0 for s in day["stops"]) <= 180
    assert all(s["kind"] != "evening" for s in day["stops"])
    others = [d for d in doc["days"][:-1] if d is not day]
    assert others and all(any(s["kind"] == "evening" for s in d["stops"]) for d in others)


async def test_a_city_change_day_too_short_for_its_hours_still_sees_what_it_can(
    client: httpx.AsyncClient,
) -> None:
    """Elderly and relaxed, by transit (no train fits: a chartered car), Tongliao to
    Chifeng: from 09:30 to 17:00 with lunch and the 270-minute crossing the day could hold
    its two hours only on the direct road, and any sight costs a detour. Rather than see
    nothing, it sees a sight on the way (more than an hour and a half of it)."""
    body = {
        "start_date": "2026-10-10", "days": 3, "party": "elderly", "pace": "relaxed",
        "mode": "transit", "cities": {"tongliao": 1, "chifeng": 1},
        "arrive": {"place_id": "tl_airport", "time": "13:00"},
        "depart": {"place_id": "cf_rail_chifeng_south", "time": "12:00"}, "time_limit_s": 1.0,
    }  # fmt: skip
    doc = await plan(client, body)
    change = doc["days"][1]
    sights = [s for s in change["stops"] if s["kind"] == "spot"]
    seen = sum(
        (datetime.fromisoformat(s["depart"]) - datetime.fromisoformat(s["start"])).seconds // 60
        for s in sights
    )
    assert seen >= 90
    problems = await check_itinerary(client, body, doc)
    assert [p for p in problems if "day 2" in p] == [
        f"day 2: {seen} min of sightseeing, a full day has 120"
    ]
