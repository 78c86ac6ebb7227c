"""No write crosses a city: role x write x city, imports included.

A bureau key may change its own city's rows only, whichever way the write comes in (a
single write, a CSV or GeoJSON import, a GTFS feed), and a refused write changes nothing:
neither the rows nor the audit log. A change that touches both cities is audited in both.
"""

import io
import json
from collections.abc import Awaitable, Callable

import httpx
import pytest

from tests.conftest import auth
from tests.routers.test_imports import feed_zip

Write = Callable[[httpx.AsyncClient, dict[str, str]], Awaitable[httpx.Response]]
PLACES = {  # a spot, a hub, a link and a district of each city
    "chifeng": ("cf_museum", "cf_hotel_hongshan", "cf_yulong", "cf_hongshan", 42.28, 118.96),
    "tongliao": ("tl_museum", "tl_hotel_centre", "tl_agula", "tl_horqin", 43.62, 122.26),
}


def _spot(city: str, spot_id: str, **over: object) -> dict:
    _s, _h, _l, district, lat, lon = PLACES[city]
    return {
        "id": spot_id, "city_id": city, "district_id": district, "name_zh": "测试",
        "name_en": "Test", "lat": lat, "lon": lon, "categories": ["park"],
        "visit_minutes": 60, "ticket_cny": 0, "ticket_basis": "published",
        "opening_hours": "Tu-Su 09:00-17:00", "hours_basis": "published", **over,
    }  # fmt: skip


async def _patch(client: httpx.AsyncClient, h: dict[str, str], url: str, body: dict):
    tag = (await client.get(url)).headers["etag"]
    return await client.patch(url, json=body, headers={**h, "If-Match": tag})


def _gtfs(route: str, stops: list[str]) -> bytes:
    calls = "".join(f"t1,0{7 + i}:00:00,0{7 + i}:00:00,{s},{i + 1}\n" for i, s in enumerate(stops))
    stop_rows = "".join(f"{s},{s},42,119\n" for s in stops)
    return feed_zip({
        "agency.txt": "agency_id,agency_name,agency_url,agency_timezone\n"
        "a,A,https://example.invalid,Asia/Shanghai\n",
        "stops.txt": "stop_id,stop_name,stop_lat,stop_lon\n" + stop_rows,
        "routes.txt": f"route_id,agency_id,route_short_name,route_type\n{route},a,R,3\n",
        "trips.txt": f"route_id,service_id,trip_id\n{route},daily,t1\n",
        "stop_times.txt": "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n" + calls,
        "calendar.txt": "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,"
        "start_date,end_date\ndaily,1,1,1,1,1,1,1,20261201,20270531\n",
    })  # fmt: skip


def _geojson(hub_id: str, city: str) -> bytes:
    _s, _h, _l, district, lat, lon = PLACES[city]
    feature = {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
        "properties": {"id": hub_id, "kind": "visitor_centre", "city_id": city,
                       "district_id": district, "name_zh": "中心", "name_en": "Centre"},
    }  # fmt: skip
    return json.dumps({"type": "FeatureCollection", "features": [feature]}).encode()


def _csv(row: dict) -> bytes:
    out = io.StringIO()
    cells = {k: ";".join(v) if isinstance(v, list) else v for k, v in row.items()}
    out.write(",".join(cells) + "\n" + ",".join(str(v) for v in cells.values()) + "\n")
    return out.getvalue().encode()


def writes(city: str) -> dict[str, tuple[set[str], Write]]:
    """Each write on `city`'s data, with the cities it touches."""
    spot, hub, link, _d, _lat, _lon = PLACES[city]
    other = "tongliao" if city == "chifeng" else "chifeng"
    o_spot, o_hub, *_ = PLACES[other]
    prefix = city[:2]
    imports = "/v1/imports/{}?dry_run=false"

    def post(url: str, body: bytes, kind: str) -> Write:
        return lambda c, h: c.post(url, content=body, headers={**h, "Content-Type": kind})

    moved = {
        k: v
        for k, v in _spot(other, spot).items()
        if k in ("city_id", "district_id", "lat", "lon")
    }
    new_link = {
        "id": f"{prefix}_x_new",
        "mode": "road",
        "from_id": hub,
        "to_id": o_hub,
        "duration_min": 300,
        "source": "test",
    }
    return {
        "create spot": (
            {city},
            lambda c, h: c.post("/v1/spots", json=_spot(city, f"{prefix}_new"), headers=h),
        ),
        "patch spot": ({city}, lambda c, h: _patch(c, h, f"/v1/spots/{spot}", {"name_en": "X"})),
        "move spot to the other city": (
            {city, other},
            lambda c, h: _patch(c, h, f"/v1/spots/{spot}", moved),
        ),
        "delete hub": ({city}, lambda c, h: c.delete(f"/v1/hubs/{hub}", headers=h)),
        "patch link": ({city}, lambda c, h: _patch(c, h, f"/v1/links/{link}", {"notes": "x"})),
        "point link at the other city": (
            {city, other},
            lambda c, h: _patch(c, h, f"/v1/links/{link}", {"to_id": o_hub}),
        ),
        "create link between the cities": (
            {city, other},
            lambda c, h: c.post("/v1/links", json=new_link, headers=h),
        ),
        "import spots (CSV)": (
            {city},
            post(imports.format("spots"), _csv(_spot(city, spot, name_en="Y")), "text/csv"),
        ),
        "import a spot as the other city's": (
            {city, other},
            post(imports.format("spots"), _csv(_spot(city, o_spot, name_en="Y")), "text/csv"),
        ),
        "import hubs (GeoJSON)": (
            {city},
            post(imports.format("hubs"), _geojson(hub, city), "application/geo+json"),
        ),
        "import a link (GTFS)": (
            {city},
            post(imports.format("gtfs"), _gtfs("r9", [hub, spot]), "application/zip"),
        ),
        "import a link between the cities (GTFS)": (
            {city, other},
            post(imports.format("gtfs"), _gtfs("r9", [hub, o_hub]), "application/zip"),
        ),
        "patch the city": (
            {city},
            lambda c, h: c.patch(f"/v1/cities/{city}", json={"taxi_flag_cny": 9}, headers=h),
        ),
    }


WHO = [None, "marketer", "bureau_chifeng", "bureau_tongliao", "admin"]


def allowed(who: str | None, cities: set[str]) -> bool:
    if who == "admin":
        return True
    return who is not None and who.startswith("bureau_") and cities == {who.split("_")[1]}


async def snapshot(client: httpx.AsyncClient, admin: str) -> tuple:
    """Everything a write could change: every row of both cities, and the audit count."""
    state = []
    for path in ("/v1/spots", "/v1/hubs", "/v1/links", "/v1/cities"):
        r = await client.get(path, params={"limit": 500}, headers=auth(admin))
        state.append(json.dumps(r.json(), sort_keys=True))
    audit = await client.get("/v1/audit", params={"limit": 1}, headers=auth(admin))
    return (*state, audit.json()["count"])


@pytest.mark.parametrize("city", list(PLACES))
@pytest.mark.parametrize("write", list(writes("chifeng")))
@pytest.mark.parametrize("who", WHO)
async def test_no_write_crosses_a_city(
    client: httpx.AsyncClient, tokens: dict[str, str], who: str | None, write: str, city: str
) -> None:
    cities, do = writes(city)[write]
    before = await snapshot(client, tokens["admin"])
    r = await do(client, auth(tokens[who]) if who else {})
    if allowed(who, cities):
        assert r.status_code in (200, 201, 204), r.text
        assert (await snapshot(client, tokens["admin"])) != before
    else:
        assert r.status_code in (401, 403, 422), r.text
        assert r.status_code != 401 or who is None
        assert (await snapshot(client, tokens["admin"])) == before


async def test_a_feed_cannot_take_over_a_stored_link_of_the_other_city(
    client: httpx.AsyncClient, tokens: dict[str, str]
) -> None:
    """A Chifeng feed whose link id is a stored Tongliao link's is refused, whole."""
    target = "gtfs_r1_cf_bus_central_cf_hotel_hongshan"
    r = await client.post("/v1/links", json={
        "id": target, "mode": "bus", "from_id": "tl_bus_central", "to_id": "tl_hotel_centre",
        "duration_min": 20, "source": "test",
    }, headers=auth(tokens["admin"]))  # fmt: skip
    assert r.status_code == 201, r.text
    before = await snapshot(client, tokens["admin"])
    r = await client.post(
        "/v1/imports/gtfs?dry_run=false",
        content=_gtfs("r1", ["cf_bus_central", "cf_hotel_hongshan"]),
        headers={**auth(tokens["bureau_chifeng"]), "Content-Type": "application/zip"},
    )
    assert r.status_code == 422
    assert "tongliao" in r.json()["report"]["errors"][0]["reason"]
    assert (await snapshot(client, tokens["admin"])) == before
    assert (await client.get(f"/v1/links/{target}")).json()["from_id"] == "tl_bus_central"


async def test_long_route_ids_give_one_link_per_pair_of_stops(
    client: httpx.AsyncClient, tokens: dict[str, str]
) -> None:
    """Ids are never cut into collisions: a 51-character route with 3 stops is 3 links."""
    route = "r" * 51
    stops = ["cf_bus_central", "cf_hotel_hongshan", "cf_museum"]
    r = await client.post(
        "/v1/imports/gtfs?dry_run=false",
        content=_gtfs(route, stops),
        headers={**auth(tokens["admin"]), "Content-Type": "application/zip"},
    )
    assert r.status_code == 200, r.text
    ids = r.json()["add"]
    assert len(set(ids)) == 3 and all(len(i) <= 64 for i in ids)
    ends = set()
    for link_id in ids:
        link = (await client.get(f"/v1/links/{link_id}")).json()
        assert len(link["departures"]) == 1
        ends.add((link["from_id"], link["to_id"]))
    assert ends == {(a, b) for i, a in enumerate(stops) for b in stops[i + 1 :]}


async def test_a_link_between_the_cities_is_in_both_audit_logs(
    client: httpx.AsyncClient, tokens: dict[str, str]
) -> None:
    r = await _patch(client, auth(tokens["admin"]), "/v1/links/x_bus", {"notes": "checked"})
    assert r.status_code == 200
    for bureau in ("bureau_chifeng", "bureau_tongliao"):
        log = await client.get(
            "/v1/audit", params={"entity_id": "x_bus"}, headers=auth(tokens[bureau])
        )
        assert [e["action"] for e in log.json()["data"]][:1] == ["update"], bureau


async def test_an_empty_patch_changes_nothing(
    client: httpx.AsyncClient, tokens: dict[str, str]
) -> None:
    before = await snapshot(client, tokens["admin"])
    tag = (await client.get("/v1/spots/cf_museum")).headers["etag"]
    r = await _patch(client, auth(tokens["admin"]), "/v1/spots/cf_museum", {})
    assert r.status_code == 200 and r.headers["etag"] == tag
    assert (await snapshot(client, tokens["admin"])) == before
