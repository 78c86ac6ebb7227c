"""Bureau writes: the role x endpoint matrix, ETag/If-Match, soft delete, audit."""

import httpx
import pytest

from tests.conftest import auth

NEW_SPOT = {
    "id": "cf_test_spot",
    "city_id": "chifeng",
    "district_id": "cf_hongshan",
    "name_zh": "测试景点",
    "name_en": "Test spot",
    "lat": 42.28,
    "lon": 118.96,
    "categories": ["park"],
    "visit_minutes": 60,
    "ticket_cny": 0,
    "ticket_basis": "published",
    "opening_hours": "Tu-Su 09:00-17:00",
    "hours_basis": "published",
}
NEW_HUB = {
    "id": "cf_test_hub",
    "kind": "visitor_centre",
    "city_id": "chifeng",
    "district_id": "cf_songshan",
    "name_zh": "测试游客中心",
    "name_en": "Test visitor centre",
    "lat": 42.27,
    "lon": 118.90,
}


async def etag_of(client: httpx.AsyncClient, url: str) -> str:
    r = await client.get(url)
    assert r.status_code == 200
    return r.headers["etag"]


async def call(client: httpx.AsyncClient, action: str, token: str | None) -> httpx.Response:
    """Perform one named write as the given key."""
    h = auth(token)
    if action == "create_spot":
        return await client.post("/v1/spots", json=NEW_SPOT, headers=h)
    if action == "create_hub":
        return await client.post("/v1/hubs", json=NEW_HUB, headers=h)
    if action.startswith("patch_") or action.startswith("delete_"):
        verb, what = action.split("_", 1)
        url = {
            "spot": "/v1/spots/cf_museum",
            "hub": "/v1/hubs/cf_hotel_hongshan",
            "link": "/v1/links/cf_yulong",
            "crosslink": "/v1/links/x_road",
        }[what]
        h["If-Match"] = await etag_of(client, url)
        if verb == "delete":
            return await client.delete(url, headers=h)
        body = {"notes": "checked"} if "link" in what else {"name_en": "Renamed"}
        return await client.patch(url, json=body, headers=h)
    if action == "create_key":
        return await client.post("/v1/keys", json={"name": "x", "role": "marketer"}, headers=h)
    if action == "read_audit":
        return await client.get("/v1/audit", headers=h)
    raise AssertionError(action)


CHIFENG_WRITES = [
    "create_spot",
    "create_hub",
    "patch_spot",
    "patch_hub",
    "patch_link",
    "delete_spot",
    "delete_hub",
    "delete_link",
]
ADMIN_ONLY = ["patch_crosslink", "delete_crosslink", "create_key"]
ALLOWED = {
    None: set(),
    "marketer": set(),
    "bureau_tongliao": {"read_audit"},
    "bureau_chifeng": {*CHIFENG_WRITES, "read_audit"},
    "admin": {*CHIFENG_WRITES, *ADMIN_ONLY, "read_audit"},
}


@pytest.mark.parametrize("who", list(ALLOWED))
@pytest.mark.parametrize("action", [*CHIFENG_WRITES, *ADMIN_ONLY, "read_audit"])
async def test_role_matrix(
    client: httpx.AsyncClient, tokens: dict[str, str], who: str | None, action: str
) -> None:
    r = await call(client, action, tokens.get(who) if who else None)
    if action in ALLOWED[who]:
        assert r.status_code in (200, 201, 204), r.text
    else:
        assert r.status_code == (401 if who is None else 403), r.text
        assert r.headers["content-type"] == "application/problem+json"


async def test_bad_keys_are_401(client: httpx.AsyncClient, tokens: dict[str, str]) -> None:
    for header in ("Bearer tsk_00000000_nope", "Basic abc", "Bearer " + tokens["admin"] + "x"):
        r = await client.post("/v1/spots", json=NEW_SPOT, headers={"Authorization": header})
        assert r.status_code == 401


class TestConcurrency:
    async def test_stale_if_match_is_412_and_writes_nothing(
        self, client: httpx.AsyncClient, tokens: dict[str, str]
    ) -> None:
        h = auth(tokens["bureau_chifeng"])
        first = await etag_of(client, "/v1/spots/cf_museum")
        ok = await client.patch(
            "/v1/spots/cf_museum", json={"visit_minutes": 150}, headers={**h, "If-Match": first}
        )
        assert ok.status_code == 200 and ok.headers["etag"] != first
        stale = await client.patch(
            "/v1/spots/cf_museum", json={"visit_minutes": 30}, headers={**h, "If-Match": first}
        )
        assert stale.status_code == 412
        assert (await client.get("/v1/spots/cf_museum")).json()["visit_minutes"] == 150

    async def test_if_match_is_required(
        self, client: httpx.AsyncClient, tokens: dict[str, str]
    ) -> None:
        r = await client.patch(
            "/v1/spots/cf_museum", json={"visit_minutes": 30}, headers=auth(tokens["admin"])
        )
        assert r.status_code == 428

    async def test_an_invalid_patch_names_the_field_and_writes_nothing(
        self, client: httpx.AsyncClient, tokens: dict[str, str]
    ) -> None:
        h = {**auth(tokens["admin"]), "If-Match": await etag_of(client, "/v1/spots/cf_museum")}
        r = await client.patch(
            "/v1/spots/cf_museum", json={"opening_hours": "Mo-Fr 25:00"}, headers=h
        )
        assert r.status_code == 422
        assert r.json()["errors"][0]["loc"] == ["body", "opening_hours"]
        assert (await client.get("/v1/spots/cf_museum")).json()[
            "opening_hours"
        ] == "Tu-Su 09:00-16:30"

    async def test_a_bureau_cannot_move_a_spot_to_the_other_city(
        self, client: httpx.AsyncClient, tokens: dict[str, str]
    ) -> None:
        h = {
            **auth(tokens["bureau_chifeng"]),
            "If-Match": await etag_of(client, "/v1/spots/cf_museum"),
        }
        r = await client.patch(
            "/v1/spots/cf_museum",
            json={"city_id": "tongliao", "district_id": "tl_horqin"},
            headers=h,
        )
        assert r.status_code == 403


class TestLifecycle:
    async def test_create_read_delete_restore(
        self, client: httpx.AsyncClient, tokens: dict[str, str]
    ) -> None:
        h = auth(tokens["bureau_chifeng"])
        created = await client.post("/v1/spots", json=NEW_SPOT, headers=h)
        assert created.status_code == 201
        assert created.headers["location"].endswith("/v1/spots/cf_test_spot")
        assert (await client.post("/v1/spots", json=NEW_SPOT, headers=h)).status_code == 409
        assert (await client.delete("/v1/spots/cf_test_spot", headers=h)).status_code == 204
        assert (await client.get("/v1/spots/cf_test_spot")).status_code == 404
        assert "cf_test_spot" not in {
            s["id"] for s in (await client.get("/v1/spots?limit=200")).json()["data"]
        }
        restored = await client.post("/v1/spots/cf_test_spot/restore", headers=h)
        assert restored.status_code == 200
        assert (await client.get("/v1/spots/cf_test_spot")).status_code == 200

    async def test_closures_are_edited_through_patch(
        self, client: httpx.AsyncClient, tokens: dict[str, str]
    ) -> None:
        h = {
            **auth(tokens["bureau_tongliao"]),
            "If-Match": await etag_of(client, "/v1/spots/tl_museum"),
        }
        closure = {"start_date": "2026-12-01", "end_date": "2026-12-31", "reason": "renovation"}
        r = await client.patch("/v1/spots/tl_museum", json={"closures": [closure]}, headers=h)
        assert r.status_code == 200
        day = await client.get("/v1/spots/tl_museum/opening", params={"date": "2026-12-09"})
        assert (day.json()["windows"], day.json()["closed_by"]) == ([], "renovation")

    async def test_every_write_is_audited_with_before_and_after(
        self, client: httpx.AsyncClient, tokens: dict[str, str]
    ) -> None:
        cf, tl, admin = (auth(tokens[k]) for k in ("bureau_chifeng", "bureau_tongliao", "admin"))
        await client.post("/v1/spots", json=NEW_SPOT, headers=cf)
        etag = await etag_of(client, "/v1/spots/cf_test_spot")
        await client.patch(
            "/v1/spots/cf_test_spot", json={"ticket_cny": 10}, headers={**cf, "If-Match": etag}
        )
        await client.delete("/v1/spots/cf_test_spot", headers=cf)
        await client.post("/v1/spots/cf_test_spot/restore", headers=cf)
        log = (
            await client.get("/v1/audit", params={"entity_id": "cf_test_spot"}, headers=cf)
        ).json()
        assert [e["action"] for e in log["data"]] == ["restore", "delete", "update", "create"]
        update = log["data"][2]
        assert (update["before"]["ticket_cny"], update["after"]["ticket_cny"]) == (0, 10)
        assert update["actor"] == "bureau_chifeng" and update["city_id"] == "chifeng"
        other = (
            await client.get("/v1/audit", params={"entity_id": "cf_test_spot"}, headers=tl)
        ).json()
        assert other["count"] == 0
        assert (await client.get("/v1/audit", headers=admin)).json()["count"] >= 4

    async def test_a_bureau_sets_highlight_and_priority(
        self, client: httpx.AsyncClient, tokens: dict[str, str]
    ) -> None:
        """A bureau PATCH of highlight and priority is stored, shown and audited."""
        cf = auth(tokens["bureau_chifeng"])
        old = await client.get("/v1/spots/cf_museum")
        patch = {"highlight": 9, "priority": 5}
        r = await client.patch(
            "/v1/spots/cf_museum", json=patch, headers={**cf, "If-Match": old.headers["etag"]}
        )
        assert r.status_code == 200, r.text
        new = (await client.get("/v1/spots/cf_museum")).json()
        assert (new["highlight"], new["priority"]) == (9, 5)
        log = (await client.get("/v1/audit", params={"entity_id": "cf_museum"}, headers=cf)).json()
        update = log["data"][0]
        assert (update["action"], update["actor"]) == ("update", "bureau_chifeng")
        before, after = update["before"], update["after"]
        assert (before["highlight"], before["priority"]) == (
            old.json()["highlight"],
            old.json()["priority"],
        )
        assert (after["highlight"], after["priority"]) == (9, 5)

    async def test_highlight_is_bounded(
        self, client: httpx.AsyncClient, tokens: dict[str, str]
    ) -> None:
        """A highlight count above 10 is refused with its field named."""
        h = {**auth(tokens["admin"]), "If-Match": await etag_of(client, "/v1/spots/cf_museum")}
        r = await client.patch("/v1/spots/cf_museum", json={"highlight": 11}, headers=h)
        assert r.status_code == 422 and r.json()["errors"][0]["loc"] == ["body", "highlight"]


NEW_LINK = {
    "id": "cf_test_link", "mode": "bus", "from_id": "cf_rail_chifeng", "to_id": "cf_museum",
    "duration_min": 30,
}  # fmt: skip


class TestRulesAcrossFields:
    """A rule over several fields (a model validator) names the field to change, in plain
    words, as a create (validated by FastAPI) and as a merged PATCH (by the service)."""

    @pytest.mark.parametrize(
        ("change", "loc", "msg"),
        [
            (
                {"to_id": "cf_rail_chifeng"},
                ["body", "to_id"],
                "from_id and to_id are the same place",
            ),
            (
                {"mode": "road", "departures": [{"departs": "08:00", "arrives": "09:00"}]},
                ["body", "departures"],
                "road links have no departures",
            ),
            (
                {"departures": [{"departs": "08:00", "arrives": "07:00"}]},
                ["body", "departures", 0, "arrives"],
                "arrives must be after departs (or set arrives_day_offset)",
            ),
            (
                {"departures": [{"departs": "08:00", "arrives": "09:00",
                                 "valid_from": "2027-01-02", "valid_to": "2027-01-01"}]},
                ["body", "departures", 0, "valid_to"],
                "valid_to is before valid_from",
            ),
        ],
    )  # fmt: skip
    async def test_a_new_link(
        self, client: httpx.AsyncClient, tokens: dict[str, str], change: dict, loc: list, msg: str
    ) -> None:
        r = await client.post(
            "/v1/links", json={**NEW_LINK, **change}, headers=auth(tokens["admin"])
        )
        assert r.status_code == 422, r.text
        assert r.json()["errors"] == [{"loc": loc, "msg": msg, "type": "value_error"}]

    async def test_a_closure_in_a_patch(
        self, client: httpx.AsyncClient, tokens: dict[str, str]
    ) -> None:
        h = {**auth(tokens["admin"]), "If-Match": await etag_of(client, "/v1/spots/cf_museum")}
        closure = {"start_date": "2026-12-31", "end_date": "2026-12-01"}
        r = await client.patch("/v1/spots/cf_museum", json={"closures": [closure]}, headers=h)
        assert r.status_code == 422, r.text
        assert r.json()["errors"] == [
            {
                "loc": ["body", "closures", 0, "end_date"],
                "msg": "end_date is before start_date",
                "type": "value_error",
            }
        ]

    @pytest.mark.parametrize(
        ("body", "loc", "msg"),
        [
            ({}, ["body"], "send at least one setting"),
            ({"taxi_flag_cny": None}, ["body", "taxi_flag_cny"], "may not be null"),
        ],
    )
    async def test_city_settings(
        self, client: httpx.AsyncClient, tokens: dict[str, str], body: dict, loc: list, msg: str
    ) -> None:
        r = await client.patch("/v1/cities/chifeng", json=body, headers=auth(tokens["admin"]))
        assert r.status_code == 422, r.text
        assert r.json()["errors"] == [{"loc": loc, "msg": msg, "type": "value_error"}]


class TestJsonTypes:
    """Write bodies take numbers and booleans only as JSON numbers and booleans."""

    @pytest.mark.parametrize(
        ("body", "loc"),
        [
            ({"gateway_night_penalty": False}, ["body", "gateway_night_penalty"]),
            ({"gateway_night_penalty": "40"}, ["body", "gateway_night_penalty"]),
            ({"taxi_cny_per_km": "1.8"}, ["body", "taxi_cny_per_km"]),
            ({"charter_cny_per_day": 450.5}, ["body", "charter_cny_per_day"]),
        ],
    )
    async def test_city_settings(
        self, client: httpx.AsyncClient, tokens: dict[str, str], body: dict, loc: list
    ) -> None:
        r = await client.patch("/v1/cities/chifeng", json=body, headers=auth(tokens["admin"]))
        assert r.status_code == 422, r.text
        assert [e["loc"] for e in r.json()["errors"]] == [loc]
        ok = await client.patch(
            "/v1/cities/chifeng",
            json={"gateway_night_penalty": 40.0},
            headers=auth(tokens["admin"]),
        )
        assert ok.status_code == 200 and ok.json()["gateway_night_penalty"] == 40

    @pytest.mark.parametrize(
        ("patch", "loc"),
        [
            ({"visit_minutes": "30"}, ["body", "visit_minutes"]),
            ({"lat": "42.3"}, ["body", "lat"]),
            ({"follows_workweek": "yes"}, ["body", "follows_workweek"]),
            ({"closures": [{"start_date": 0, "end_date": "2027-01-01"}]},
             ["body", "closures", 0, "start_date"]),
        ],
    )  # fmt: skip
    async def test_a_spot_patch(
        self, client: httpx.AsyncClient, tokens: dict[str, str], patch: dict, loc: list
    ) -> None:
        h = {**auth(tokens["admin"]), "If-Match": await etag_of(client, "/v1/spots/cf_museum")}
        r = await client.patch("/v1/spots/cf_museum", json=patch, headers=h)
        assert r.status_code == 422, r.text
        assert [e["loc"] for e in r.json()["errors"]] == [loc]

    async def test_a_new_spot(self, client: httpx.AsyncClient, tokens: dict[str, str]) -> None:
        r = await client.post(
            "/v1/spots", json={**NEW_SPOT, "ticket_cny": True}, headers=auth(tokens["admin"])
        )
        assert r.status_code == 422, r.text
        assert [e["loc"] for e in r.json()["errors"]] == [["body", "ticket_cny"]]


class TestKeys:
    async def test_admin_creates_lists_and_revokes(
        self, client: httpx.AsyncClient, tokens: dict[str, str]
    ) -> None:
        admin = auth(tokens["admin"])
        r = await client.post(
            "/v1/keys",
            json={"name": "tl staff", "role": "bureau", "city_id": "tongliao"},
            headers=admin,
        )
        assert r.status_code == 201
        new = r.json()
        listed = (await client.get("/v1/keys", headers=admin)).json()
        assert all("token" not in k and "secret_hash" not in k for k in listed)
        assert (await client.get("/v1/audit", headers=auth(new["token"]))).status_code == 200
        assert (await client.delete(f"/v1/keys/{new['id']}", headers=admin)).status_code == 200
        assert (await client.get("/v1/audit", headers=auth(new["token"]))).status_code == 401
        params = {"entity": "key", "entity_id": str(new["id"])}
        log = (await client.get("/v1/audit", params=params, headers=admin)).json()
        assert [e["action"] for e in log["data"]] == ["revoke", "create"]
        assert {e["actor"] for e in log["data"]} == {"admin"}
        assert log["data"][1]["after"] == {
            "id": new["id"], "name": "tl staff", "role": "bureau", "city_id": "tongliao",
            "expires_at": None,
        }  # fmt: skip
        assert new["token"].split("_", 2)[2] not in str(log)

    async def test_a_bureau_key_needs_a_known_city(
        self, client: httpx.AsyncClient, tokens: dict[str, str]
    ) -> None:
        r = await client.post(
            "/v1/keys", json={"name": "x", "role": "bureau"}, headers=auth(tokens["admin"])
        )
        assert r.status_code == 422 and r.json()["errors"][0]["loc"] == ["body", "city_id"]
