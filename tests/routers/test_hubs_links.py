"""GET /v1/hubs and /v1/links."""

from datetime import time

import httpx
from sqlalchemy import Engine

from app.db import session_scope
from app.schemas import DepartureIn, LinkIn
from app.services.links import upsert_link


class TestHubs:
    async def test_central_hotel_areas_of_both_cities(self, client: httpx.AsyncClient) -> None:
        r = await client.get("/v1/hubs", params={"kind": "hotel_area", "central": "true"})
        body = r.json()
        assert body["count"] == 6
        assert {h["city_id"] for h in body["data"]} == {"chifeng", "tongliao"}
        assert all(h["central"] for h in body["data"])

    async def test_gateways_are_outside_the_central_districts(
        self, client: httpx.AsyncClient
    ) -> None:
        r = await client.get("/v1/hubs", params={"kind": "county_gateway", "limit": 200})
        assert r.json()["count"] == 15
        assert not any(h["central"] for h in r.json()["data"])

    async def test_evening_leisure_and_stations(self, client: httpx.AsyncClient) -> None:
        evening = await client.get("/v1/hubs", params={"kind": "evening_leisure"})
        assert {h["id"] for h in evening.json()["data"]} == {
            "cf_evening_hada",
            "tl_evening_mengcan",
        }
        hsr = await client.get("/v1/hubs/cf_rail_chifeng", params={"lang": "en"})
        assert hsr.json()["high_speed_rail"] is True
        assert hsr.json()["name"].startswith("Chifeng railway station")

    async def test_gcj02_and_text_search(self, client: httpx.AsyncClient) -> None:
        r = await client.get("/v1/hubs", params={"q": "airport", "coords": "gcj02"})
        ids = {h["id"] for h in r.json()["data"]}
        assert {"cf_airport", "tl_airport", "tl_airport_holingol"} <= ids
        assert all(h["datum"] == "gcj02" for h in r.json()["data"])

    async def test_unknown_hub(self, client: httpx.AsyncClient) -> None:
        r = await client.get("/v1/hubs/cf_none")
        assert r.status_code == 404


class TestLinks:
    async def test_filter_by_mode_and_place(self, client: httpx.AsyncClient) -> None:
        rail = await client.get("/v1/links", params={"mode": "rail"})
        assert {x["id"] for x in rail.json()["data"]} == {
            "x_rail_conv",
            "x_rail_k2559",
            "x_rail_hsr_detour",
            "tl_ganjig_hsr",
        }
        at_hotel = await client.get(
            "/v1/links", params={"place": "cf_hotel_hongshan", "limit": 200}
        )
        body = at_hotel.json()
        assert body["count"] == 12
        assert all("cf_hotel_hongshan" in (x["from_id"], x["to_id"]) for x in body["data"])

    async def test_the_road_between_the_cities(self, client: httpx.AsyncClient) -> None:
        r = await client.get("/v1/links/x_road")
        road = r.json()
        assert (road["mode"], road["distance_km"], road["duration_min"]) == ("road", 360.0, 270)
        assert road["departures"] == []

    async def test_departures_of_a_scheduled_link(
        self, client: httpx.AsyncClient, engine: Engine
    ) -> None:
        """Departures are stored per link and listed in time order."""
        link = LinkIn(
            id="t_test_coach",
            mode="bus",
            from_id="cf_bus_central",
            to_id="tl_bus_central",
            duration_min=300,
            departures=[
                DepartureIn(
                    service_code="B2", departs=time(13, 0), arrives=time(18, 0), days="Mo-Fr"
                ),
                DepartureIn(service_code="B1", departs=time(7, 30), arrives=time(12, 30)),
            ],
        )
        with session_scope(engine) as session:
            assert upsert_link(session, link)
        r = await client.get("/v1/links/t_test_coach")
        deps = r.json()["departures"]
        assert [(d["service_code"], d["departs"], d["days"]) for d in deps] == [
            ("B1", "07:30", "Mo-Su"),
            ("B2", "13:00", "Mo-Fr"),
        ]
        with session_scope(engine) as session:
            assert not upsert_link(session, link)  # same data: nothing changes


def test_departures_that_differ_only_in_validity(engine: Engine) -> None:
    """Comparing timetables must not order a missing date against a date."""
    from datetime import date

    same = {"service_code": "K1", "departs": time(7, 30), "arrives": time(12, 30)}
    link = LinkIn(
        id="t_seasonal", mode="bus", from_id="cf_bus_central", to_id="tl_bus_central",
        departures=[DepartureIn(**same), DepartureIn(**same, valid_from=date(2026, 5, 1))],
    )  # fmt: skip
    with session_scope(engine) as session:
        assert upsert_link(session, link)
    with session_scope(engine) as session:
        assert not upsert_link(session, link)
