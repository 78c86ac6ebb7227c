"""The pages' routes, their CSP, the share page's CSP and the boundaries the maps draw."""

import httpx
import pytest
from geojson_pydantic import FeatureCollection

APP_CSP = (
    "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)


async def test_the_plan_page_is_served_at_the_root(client: httpx.AsyncClient) -> None:
    r = await client.get("/")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    assert r.headers["content-security-policy"] == APP_CSP
    assert '<script type="module" src="/static/plan.js">' in r.text
    assert "<style" not in r.text and " style=" not in r.text and "<script>" not in r.text


@pytest.mark.parametrize(
    "asset",
    ["api.js", "i18n.js", "map.js", "app.css", "plan.js", "market.js", "market.css",
     "packages.js", "package.js", "studio.js", "stats.js"],
)  # fmt: skip
async def test_static_assets_are_served_under_the_app_csp(
    client: httpx.AsyncClient, asset: str
) -> None:
    r = await client.get(f"/static/{asset}")
    assert r.status_code == 200
    assert r.headers["content-security-policy"] == APP_CSP
    assert r.headers["x-content-type-options"] == "nosniff"
    kind = "text/css" if asset.endswith(".css") else "javascript"
    assert kind in r.headers["content-type"]


@pytest.mark.parametrize(
    ("path", "module"),
    [
        ("/packages", "packages.js"),
        (f"/packages/{'a' * 32}", "package.js"),
        ("/studio", "studio.js"),
        ("/stats", "stats.js"),
    ],
)
async def test_the_featured_route_pages_are_served(
    client: httpx.AsyncClient, path: str, module: str
) -> None:
    """The page itself is served for any well-formed id: its module asks the API and shows
    the API's 404 problem for a package that does not exist."""
    r = await client.get(path)
    assert r.status_code == 200
    assert r.headers["content-security-policy"] == APP_CSP
    assert f'<script type="module" src="/static/{module}">' in r.text
    assert "<style" not in r.text and " style=" not in r.text and "<script>" not in r.text


@pytest.mark.parametrize("path", ["/static/nothing.js", f"/packages/{'A' * 32}"])
async def test_unknown_pages_are_404_problems(client: httpx.AsyncClient, path: str) -> None:
    r = await client.get(path)
    assert r.status_code == 404
    assert r.headers["content-security-policy"] == APP_CSP


async def test_the_pages_stay_out_of_the_schema(client: httpx.AsyncClient) -> None:
    paths = (await client.get("/openapi.json")).json()["paths"]
    assert "/v1/boundaries" in paths
    assert not {"/", "/packages", "/studio", "/stats"} & set(paths)
    assert not any(p.startswith(("/static", "/packages/")) for p in paths)


async def test_the_share_page_has_the_printable_page_csp(client: httpx.AsyncClient) -> None:
    """/p/{id} carries inline CSS: it gets the page CSP (style-src 'unsafe-inline'), not
    the API's default-src 'none', whatever it answers."""
    r = await client.get(f"/p/{'0' * 32}")
    assert r.headers["content-security-policy"] == (
        "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"
    )
    api = await client.get("/v1/cities")
    assert api.headers["content-security-policy"] == "default-src 'none'; frame-ancestors 'none'"


async def test_boundaries_are_one_feature_per_city(client: httpx.AsyncClient) -> None:
    r = await client.get("/v1/boundaries")
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/geo+json"
    doc = FeatureCollection.model_validate(r.json())  # valid GeoJSON
    assert {f.properties["city_id"] for f in doc.features} == {"chifeng", "tongliao"}
    assert len(doc.features) == 2
    for feature in doc.features:
        assert feature.geometry.type == "MultiPolygon"
        (polygon,) = feature.geometry.coordinates
        exterior = polygon[0]
        assert len(exterior) > 100 and exterior[0] == exterior[-1]
        lon, lat = exterior[0]
        assert 115 < lon < 125 and 40 < lat < 47  # (lon, lat), eastern Inner Mongolia
    again = await client.get("/v1/boundaries", headers={"If-None-Match": r.headers["etag"]})
    assert again.status_code == 304
    assert r.headers["cache-control"] == "no-cache"
