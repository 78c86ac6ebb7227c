"""GET /v1/spots: filters, paging, language, datum and opening windows."""

import httpx
import pytest

from app.geo import Datum, to_datum
from tests.conftest import auth


async def ids(client: httpx.AsyncClient, **params: object) -> list[str]:
    r = await client.get("/v1/spots", params={"limit": 200, **params})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["count"] == len(body["data"])
    return [s["id"] for s in body["data"]]


class TestList:
    async def test_all_spots_in_stable_order(self, client: httpx.AsyncClient) -> None:
        all_ids = await ids(client)
        assert len(all_ids) == 57
        assert all_ids == sorted(all_ids, key=lambda i: (not i.startswith("cf_"), i))

    async def test_pages_cover_everything_once(self, client: httpx.AsyncClient) -> None:
        seen: list[str] = []
        for offset in range(0, 57, 20):
            r = await client.get("/v1/spots", params={"limit": 20, "offset": offset})
            body = r.json()
            assert body["count"] == 57
            seen += [s["id"] for s in body["data"]]
        assert seen == await ids(client)

    async def test_default_page_size(self, client: httpx.AsyncClient) -> None:
        body = (await client.get("/v1/spots")).json()
        assert (len(body["data"]), body["count"]) == (50, 57)

    async def test_city_and_district(self, client: httpx.AsyncClient) -> None:
        tongliao = await ids(client, city="tongliao")
        assert len(tongliao) == 27 and all(i.startswith("tl_") for i in tongliao)
        hexigten = await ids(client, district="cf_hexigten")
        assert "cf_asihatu" in hexigten and "cf_museum" not in hexigten

    async def test_categories_match_any(self, client: httpx.AsyncClient) -> None:
        deserts = set(await ids(client, category="desert"))
        temples = set(await ids(client, category="temple"))
        both = set(await ids(client, category=["desert", "temple"]))
        assert "cf_yulong_shahu" in deserts and "tl_dalelin" in temples
        assert both == deserts | temples

    async def test_a_level_minimum(self, client: httpx.AsyncClient) -> None:
        assert await ids(client, a_level_min=5) == ["cf_asihatu"]
        four = await ids(client, a_level_min=4)
        assert "cf_yulong_shahu" in four and "cf_museum" not in four

    async def test_central_districts(self, client: httpx.AsyncClient) -> None:
        central = await ids(client, central="true")
        assert "cf_museum" in central and "tl_museum" in central
        assert "cf_asihatu" not in central

    async def test_text_search_in_both_languages(self, client: httpx.AsyncClient) -> None:
        assert "cf_museum" in await ids(client, q="博物馆")
        assert "cf_museum" in await ids(client, q="chifeng MUSEUM")
        assert await ids(client, q="100%_") == []

    async def test_bounding_box(self, client: httpx.AsyncClient) -> None:
        """A box around central Chifeng, in WGS-84 and as the same box in GCJ-02."""
        inside = await ids(client, bbox="118.85,42.20,119.05,42.35")
        assert "cf_museum" in inside and "cf_asihatu" not in inside
        sw = to_datum(42.20, 118.85, Datum.gcj02)
        ne = to_datum(42.35, 119.05, Datum.gcj02)
        gcj_box = f"{sw[1]},{sw[0]},{ne[1]},{ne[0]}"
        assert await ids(client, bbox=gcj_box, coords="gcj02") == inside
        # The other two corners, and corners beyond the globe, are the same boxes.
        assert await ids(client, bbox="119.05,42.20,118.85,42.35") == inside
        assert "cf_asihatu" in await ids(client, bbox="-999,-99,999,99")

    async def test_open_on_a_date(self, client: httpx.AsyncClient) -> None:
        """Monday 2026-12-07: museums with a Monday closing day and May-Oct sites drop out."""
        open_monday = await ids(client, open_on="2026-12-07")
        assert "cf_museum" not in open_monday
        assert "cf_asihatu" not in open_monday
        assert "cf_yulong_shahu" in open_monday
        assert "cf_museum" in await ids(client, open_on="2026-12-08")
        r = await client.get("/v1/spots", params={"open_on": "2026-12-07", "limit": 5})
        assert r.json()["count"] == len(open_monday)


class TestOne:
    async def test_language_and_datum(self, client: httpx.AsyncClient) -> None:
        zh = (await client.get("/v1/spots/cf_museum")).json()
        en = (await client.get("/v1/spots/cf_museum", params={"lang": "en"})).json()
        gcj = (await client.get("/v1/spots/cf_museum", params={"coords": "gcj02"})).json()
        assert zh["name"] == "赤峰博物馆" and en["name"] == "Chifeng Museum"
        assert (zh["datum"], gcj["datum"]) == ("wgs84", "gcj02")
        assert (gcj["lat"], gcj["lon"]) == to_datum(zh["lat"], zh["lon"], Datum.gcj02)
        assert zh["categories"] == ["archaeology", "history", "museum"]
        assert zh["a_level"] == 3 and zh["ticket_cny"] == 0

    async def test_accept_language_is_the_fallback(self, client: httpx.AsyncClient) -> None:
        r = await client.get("/v1/spots/cf_museum", headers={"Accept-Language": "en-GB,en;q=0.8"})
        assert r.json()["name"] == "Chifeng Museum"
        r = await client.get(
            "/v1/spots/cf_museum", params={"lang": "zh"}, headers={"Accept-Language": "en"}
        )
        assert r.json()["name"] == "赤峰博物馆"

    async def test_description_falls_back_to_the_other_language(
        self, client: httpx.AsyncClient
    ) -> None:
        """The reference notes are English only; zh readers get them rather than nothing."""
        r = await client.get("/v1/spots/cf_museum", params={"lang": "zh"})
        assert "museum" in r.json()["description"].lower()

    async def test_unknown_spot(self, client: httpx.AsyncClient) -> None:
        r = await client.get("/v1/spots/cf_nowhere")
        assert r.status_code == 404
        assert r.headers["content-type"] == "application/problem+json"
        assert r.json()["detail"] == "spot 'cf_nowhere' does not exist"


class TestOpening:
    async def test_weekday_closure(self, client: httpx.AsyncClient) -> None:
        r = await client.get("/v1/spots/cf_museum/opening", params={"date": "2026-12-07"})
        assert r.json() == {
            "spot_id": "cf_museum",
            "date": "2026-12-07",
            "day_kind": "workday",
            "holiday": None,
            "calendar": "official",
            "closed_by": None,
            "windows": [],
        }

    async def test_open_day(self, client: httpx.AsyncClient) -> None:
        r = await client.get("/v1/spots/cf_museum/opening", params={"date": "2026-12-08"})
        assert r.json()["windows"] == [{"open": "09:00", "close": "16:30"}]

    async def test_seasonal_and_winter_hours(self, client: httpx.AsyncClient) -> None:
        """Xiaozhuang: 08:00-17:00 Apr-Oct, 09:00-16:00 Nov-Mar."""
        summer = await client.get(
            "/v1/spots/tl_xiaozhuangyuan/opening", params={"date": "2026-07-01"}
        )
        winter = await client.get(
            "/v1/spots/tl_xiaozhuangyuan/opening", params={"date": "2026-12-01"}
        )
        assert summer.json()["windows"] == [{"open": "08:00", "close": "17:00"}]
        assert winter.json()["windows"] == [{"open": "09:00", "close": "16:00"}]

    async def test_holiday_is_named(self, client: httpx.AsyncClient) -> None:
        r = await client.get("/v1/spots/cf_yulong_shahu/opening", params={"date": "2026-10-01"})
        assert (r.json()["day_kind"], r.json()["holiday"]) == ("public_holiday", "National Day")

    async def test_swapped_saturday_keeps_the_museums_saturday(
        self, client: httpx.AsyncClient
    ) -> None:
        """Sat 2026-02-28 is a 调休 working day paying for a Monday: the Tu-Su museum is
        open as on any Saturday."""
        r = await client.get("/v1/spots/cf_museum/opening", params={"date": "2026-02-28"})
        assert r.json()["day_kind"] == "swapped_workday"
        assert r.json()["windows"] == [{"open": "09:00", "close": "16:30"}]

    async def test_2027_is_provisional(self, client: httpx.AsyncClient) -> None:
        """No State Council notice for 2027 yet: the answer says its calendar is a guess."""
        r = await client.get("/v1/spots/cf_museum/opening", params={"date": "2027-10-05"})
        assert (r.json()["day_kind"], r.json()["calendar"]) == ("public_holiday", "provisional")

    @pytest.mark.parametrize("bad", ["2026-13-01", "tomorrow", ""])
    async def test_bad_date(self, client: httpx.AsyncClient, bad: str) -> None:
        r = await client.get("/v1/spots/cf_museum/opening", params={"date": bad})
        assert r.status_code == 422
        assert r.json()["errors"][0]["loc"] == ["query", "date"]


async def test_dated_closure_closes_the_day(client: httpx.AsyncClient, engine) -> None:
    """A closure for repairs written through the service shows in the opening answer."""
    from datetime import date

    from app.db import session_scope
    from app.schemas import ClosureIn
    from app.services.spots import get_spot, spot_state, upsert_spot

    with session_scope(engine) as session:
        data = spot_state(get_spot(session, "cf_museum"))
        data.closures = [
            ClosureIn(start_date=date(2026, 12, 9), end_date=date(2026, 12, 10), reason="repairs")
        ]
        assert upsert_spot(session, data)
    r = await client.get("/v1/spots/cf_museum/opening", params={"date": "2026-12-09"})
    assert (r.json()["windows"], r.json()["closed_by"]) == ([], "repairs")
    r = await client.get("/v1/spots/cf_museum/opening", params={"date": "2026-12-11"})
    assert r.json()["windows"] == [{"open": "09:00", "close": "16:30"}]


async def test_a_workweek_office_opens_on_a_working_saturday(
    client: httpx.AsyncClient, tokens: dict[str, str]
) -> None:
    """A Mo-Fr office that follows the work week is open on Sat 2026-02-28 (调休); without
    the flag it keeps its weekend closing."""
    office = {
        "id": "cf_test_office", "city_id": "chifeng", "district_id": "cf_hongshan",
        "name_zh": "旅游咨询处", "name_en": "Tourist office", "lat": 42.28, "lon": 118.96,
        "categories": ["culture"], "visit_minutes": 15, "ticket_cny": 0,
        "ticket_basis": "published", "opening_hours": "Mo-Fr 09:00-17:00",
        "hours_basis": "published", "follows_workweek": True,
    }  # fmt: skip
    h = auth(tokens["bureau_chifeng"])
    r = await client.post("/v1/spots", json=office, headers=h)
    assert (r.status_code, r.json()["follows_workweek"]) == (201, True)
    url = "/v1/spots/cf_test_office/opening"
    r = await client.get(url, params={"date": "2026-02-28"})
    assert r.json()["windows"] == [{"open": "09:00", "close": "17:00"}]
    h["If-Match"] = (await client.get("/v1/spots/cf_test_office")).headers["etag"]
    r = await client.patch("/v1/spots/cf_test_office", json={"follows_workweek": False}, headers=h)
    assert r.status_code == 200
    r = await client.get(url, params={"date": "2026-02-28"})
    assert r.json()["windows"] == []
