"""/v1/holiday-calendars/{year}: a year's status and days; admins load and remove notices."""

import httpx
import pytest

from tests.conftest import auth

# Made up for the tests: the real 2027 notice is not published (corrections-2026-12.md).
NOTICE = {
    "source": "https://www.gov.cn/zhengce/content/2027-holidays.htm",
    "published": "2026-11-20",
    "days": [
        {"date": "2027-02-14", "kind": "workday", "name": "春节调休上班"},
        {"date": "2027-02-20", "kind": "workday", "name": "春节调休上班"},
        {"date": "2027-10-05", "kind": "holiday", "name": "国庆节"},
        {"date": "2027-10-06", "kind": "holiday", "name": "国庆节"},
    ],
}
PH_MUSEUM = "Tu-Su 09:00-16:30; PH 10:00-15:00"


async def opening(client: httpx.AsyncClient, day: str) -> tuple[str, str, list]:
    body = (await client.get("/v1/spots/cf_museum/opening", params={"date": day})).json()
    return body["day_kind"], body["calendar"], body["windows"]


def hours(open_: str, close: str) -> list[dict[str, str]]:
    return [{"open": open_, "close": close}]


class TestRead:
    async def test_2027_is_provisional_from_the_rules(self, client: httpx.AsyncClient) -> None:
        body = (await client.get("/v1/holiday-calendars/2027")).json()
        assert (body["status"], body["source"], body["notice"]) == ("provisional", "rules", None)
        assert {"date": "2027-10-05", "kind": "holiday",
                "name": "National Day (observed)"} in body["days"]  # fmt: skip
        assert not [d for d in body["days"] if d["kind"] == "workday"]  # no 调休 known

    async def test_2026_is_official_from_the_package(self, client: httpx.AsyncClient) -> None:
        body = (await client.get("/v1/holiday-calendars/2026")).json()
        assert (body["status"], body["source"]) == ("official", "package")
        assert {"date": "2026-02-28", "kind": "workday", "name": "调休 working day"} in body[
            "days"
        ]

    @pytest.mark.parametrize("year", ["1999", "2101", "x"])
    async def test_year_out_of_range(self, client: httpx.AsyncClient, year: str) -> None:
        r = await client.get(f"/v1/holiday-calendars/{year}")
        assert r.status_code == 422
        assert r.json()["errors"][0]["loc"] == ["path", "year"]


async def test_admin_loads_a_notice(client: httpx.AsyncClient, tokens: dict[str, str]) -> None:
    """The year becomes official, opening answers follow the notice, the load is audited."""
    admin = auth(tokens["admin"])
    etag = (await client.get("/v1/spots/cf_museum")).headers["etag"]
    r = await client.patch("/v1/spots/cf_museum", json={"opening_hours": PH_MUSEUM},
                           headers={**admin, "If-Match": etag})  # fmt: skip
    assert r.status_code == 200
    before = await opening(client, "2027-10-06")
    assert before == ("workday", "provisional", hours("09:00", "16:30"))

    r = await client.put("/v1/holiday-calendars/2027", json=NOTICE, headers=admin)
    assert r.status_code == 200, r.text
    body = r.json()
    assert (body["status"], body["source"]) == ("official", "notice")
    assert body["notice"]["source"] == NOTICE["source"]
    assert body["days"] == NOTICE["days"]

    # A working Saturday keeps the museum's Saturday hours; PH hours on a listed holiday.
    assert await opening(client, "2027-02-20") == (
        "swapped_workday", "official", hours("09:00", "16:30")
    )  # fmt: skip
    assert await opening(client, "2027-10-06") == (
        "public_holiday", "official", hours("10:00", "15:00")
    )  # fmt: skip
    # Mon 2027-10-04 was a guessed day off; the notice does not list it: a closed Monday.
    assert await opening(client, "2027-10-04") == ("workday", "official", [])

    audit = (
        await client.get(
            "/v1/audit", params={"entity": "holidays", "entity_id": "2027"}, headers=admin
        )
    ).json()
    assert [(e["action"], e["actor"], e["before"]) for e in audit["data"]] == [
        ("create", "admin", None)
    ]
    assert audit["data"][0]["after"] == NOTICE


async def test_admin_deletes_a_notice(client: httpx.AsyncClient, tokens: dict[str, str]) -> None:
    admin = auth(tokens["admin"])
    assert (await client.delete("/v1/holiday-calendars/2027", headers=admin)).status_code == 404
    await client.put("/v1/holiday-calendars/2027", json=NOTICE, headers=admin)
    assert (await client.delete("/v1/holiday-calendars/2027", headers=admin)).status_code == 204
    body = (await client.get("/v1/holiday-calendars/2027")).json()
    assert (body["status"], body["source"]) == ("provisional", "rules")
    audit = (await client.get("/v1/audit", params={"entity": "holidays"}, headers=admin)).json()
    assert [e["action"] for e in audit["data"]] == ["delete", "create"]


@pytest.mark.parametrize(
    ("who", "status"), [(None, 401), ("bureau_chifeng", 403), ("marketer", 403)]
)
async def test_only_admins_write(
    client: httpx.AsyncClient, tokens: dict[str, str], who: str | None, status: int
) -> None:
    h = auth(tokens[who] if who else None)
    r = await client.put("/v1/holiday-calendars/2027", json=NOTICE, headers=h)
    assert (r.status_code, r.headers["content-type"]) == (status, "application/problem+json")
    assert (await client.delete("/v1/holiday-calendars/2027", headers=h)).status_code == status
    assert (await client.get("/v1/holiday-calendars/2027")).json()["source"] == "rules"


def with_day(day: dict) -> dict:
    return {**NOTICE, "days": [*NOTICE["days"], day]}


@pytest.mark.parametrize(
    ("body", "loc"),
    [
        (with_day({"date": "2027-10-07", "kind": "workday"}), ["body", "days", 4, "kind"]),
        (with_day({"date": "2027-10-07", "kind": "holiday"}), ["body", "days", 4, "name"]),
        (with_day({"date": "2028-01-01", "kind": "holiday", "name": "元旦"}),
         ["body", "days", 4, "date"]),
        (with_day({"date": "2027-10-05", "kind": "holiday", "name": "国庆节"}),
         ["body", "days", 4, "date"]),
        (with_day({"date": "2027-10-07", "kind": "off", "name": "x"}),
         ["body", "days", 4, "kind"]),
        ({**NOTICE, "source": "gov.cn"}, ["body", "source"]),
        ({**NOTICE, "days": []}, ["body", "days"]),
        ({**NOTICE, "extra": 1}, ["body", "extra"]),
    ],
)  # fmt: skip
async def test_bad_bodies_are_422_naming_the_field(
    client: httpx.AsyncClient, tokens: dict[str, str], body: dict, loc: list
) -> None:
    r = await client.put("/v1/holiday-calendars/2027", json=body, headers=auth(tokens["admin"]))
    assert r.status_code == 422
    assert r.json()["errors"][0]["loc"] == loc
    assert r.json()["detail"].startswith(".".join(str(p) for p in loc))
    assert (await client.get("/v1/holiday-calendars/2027")).json()["source"] == "rules"


async def test_plans_follow_the_loaded_notice(
    client: httpx.AsyncClient, tokens: dict[str, str]
) -> None:
    """A plan over provisional dates says so; once the notice is loaded the same trip is
    official, and a PH rule of the notice's holiday shapes the visit."""
    admin = auth(tokens["admin"])
    etag = (await client.get("/v1/spots/cf_museum")).headers["etag"]
    await client.patch("/v1/spots/cf_museum", json={"opening_hours": PH_MUSEUM},
                       headers={**admin, "If-Match": etag})  # fmt: skip
    trip = {
        "start_date": "2027-10-05", "days": 2, "cities": ["chifeng"],
        "arrive": {"place_id": "cf_rail_chifeng", "time": "09:00"},
        "depart": {"place_id": "cf_rail_chifeng", "time": "18:00"},
        "must_visit": ["cf_museum"], "time_limit_s": 0.3,
    }  # fmt: skip
    before = (await client.post("/v1/itineraries", json=trip)).json()["summary"]
    assert before["calendar"] == "provisional"
    assert before["provisional_dates"] == ["2027-10-05", "2027-10-06"]
    assert (await client.put("/v1/holiday-calendars/2027", json=NOTICE, headers=admin)).is_success
    after = (await client.post("/v1/itineraries", json=trip)).json()
    assert after["summary"]["calendar"] == "official"
    assert after["summary"]["provisional_dates"] == []
    museum = next(s for d in after["days"] for s in d["stops"] if s["place_id"] == "cf_museum")
    assert museum["start"][11:16] >= "10:00" and museum["depart"][11:16] <= "15:00"
