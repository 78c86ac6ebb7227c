"""A spot or hub must lie in its city's outline (within its stated coordinate confidence):
on POST, on a PATCH that moves it, and in every import row."""

import httpx

from tests.conftest import auth
from tests.routers.test_imports import post_csv, spot_count, spot_row
from tests.routers.test_writes import NEW_HUB, NEW_SPOT, etag_of

SHENZHEN = {"lat": 22.54, "lon": 114.06}
LUBEI = {"lat": 44.55, "lon": 120.85}  # Tongliao (Jarud Banner), in Chifeng's old bounding box


async def test_a_spot_at_zero_zero_is_refused_on_lat(
    client: httpx.AsyncClient, tokens: dict[str, str]
) -> None:
    spot = {**NEW_SPOT, "lat": 0.0, "lon": 0.0}
    r = await client.post("/v1/spots", json=spot, headers=auth(tokens["bureau_chifeng"]))
    assert r.status_code == 422
    (error,) = r.json()["errors"]
    assert error["loc"] == ["body", "lat"]
    assert "km outside chifeng" in error["msg"]
    assert (await client.get("/v1/spots/cf_test_spot")).status_code == 404


async def test_a_hub_in_the_other_city_is_refused(
    client: httpx.AsyncClient, tokens: dict[str, str]
) -> None:
    hub = {**NEW_HUB, **LUBEI}
    r = await client.post("/v1/hubs", json=hub, headers=auth(tokens["bureau_chifeng"]))
    assert r.status_code == 422
    assert r.json()["errors"][0]["loc"] == ["body", "lat"]
    ok = await client.post("/v1/hubs", json=NEW_HUB, headers=auth(tokens["bureau_chifeng"]))
    assert ok.status_code == 201


async def test_moving_a_spot_to_shenzhen_is_refused_and_changes_nothing(
    client: httpx.AsyncClient, tokens: dict[str, str]
) -> None:
    before = (await client.get("/v1/spots/cf_museum")).json()
    etag = await etag_of(client, "/v1/spots/cf_museum")
    h = {**auth(tokens["admin"]), "If-Match": etag}
    r = await client.patch("/v1/spots/cf_museum", json=SHENZHEN, headers=h)
    assert r.status_code == 422
    assert r.json()["errors"][0]["loc"] == ["body", "lat"]
    assert (await client.get("/v1/spots/cf_museum")).json() == before
    assert await etag_of(client, "/v1/spots/cf_museum") == etag
    log = await client.get(
        "/v1/audit", params={"entity_id": "cf_museum"}, headers=auth(tokens["admin"])
    )
    assert "update" not in [e["action"] for e in log.json()["data"]]


async def test_a_patch_that_only_claims_more_confidence_is_checked_too(
    client: httpx.AsyncClient, tokens: dict[str, str]
) -> None:
    """tl_wudantala's estimate is ~16 km outside Tongliao: fine as low, not as medium."""
    h = {**auth(tokens["admin"]), "If-Match": await etag_of(client, "/v1/spots/tl_wudantala")}
    r = await client.patch(
        "/v1/spots/tl_wudantala", json={"confidence": "coords=medium"}, headers=h
    )
    assert r.status_code == 422
    assert "up to 5 km allowed" in r.json()["errors"][0]["msg"]


async def test_an_import_row_outside_its_city_rejects_the_import(
    client: httpx.AsyncClient, tokens: dict[str, str]
) -> None:
    rows = [spot_row(1), spot_row(2, **LUBEI), spot_row(3)]
    r = await post_csv(client, rows, tokens["bureau_chifeng"], dry_run=False)
    assert r.status_code == 422
    (error,) = r.json()["report"]["errors"]
    assert (error["row"], error["field"]) == (2, "lat")
    assert error["reason"].startswith("(44.55, 120.85) is 39.0 km outside chifeng")
    assert await spot_count(client) == 57
