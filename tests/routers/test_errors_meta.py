"""One error format everywhere; health and version."""

import httpx
import pytest
from sqlalchemy import Engine, create_engine

from app.main import create_app
from routers.deps import engine_dep
from tests.conftest import api_client, auth


def assert_problem(r: httpx.Response, status: int) -> dict:
    assert r.status_code == status
    assert r.headers["content-type"] == "application/problem+json"
    body = r.json()
    assert {"type", "title", "status", "detail", "instance", "errors"} <= set(body)
    assert body["status"] == status
    return body


@pytest.mark.parametrize(
    ("url", "params", "loc"),
    [
        ("/v1/spots", {"limit": 0}, ["query", "limit"]),
        ("/v1/spots", {"limit": 201}, ["query", "limit"]),
        ("/v1/spots", {"offset": -1}, ["query", "offset"]),
        ("/v1/spots", {"category": "casino"}, ["query", "category", 0]),
        ("/v1/spots", {"a_level_min": 9}, ["query", "a_level_min"]),
        ("/v1/spots", {"open_on": "2026-02-30"}, ["query", "open_on"]),
        ("/v1/spots", {"coords": "bd09"}, ["query", "coords"]),
        ("/v1/spots", {"lang": "fr"}, ["query", "lang"]),
        ("/v1/spots", {"bbox": "1,2,3"}, ["query", "bbox"]),
        ("/v1/spots", {"q": "\x00"}, ["query", "q"]),
        ("/v1/hubs", {"kind": "castle"}, ["query", "kind", 0]),
        ("/v1/links", {"mode": "teleport"}, ["query", "mode", 0]),
    ],
)
async def test_bad_query_names_the_field(
    client: httpx.AsyncClient, url: str, params: dict, loc: list
) -> None:
    body = assert_problem(await client.get(url, params=params), 422)
    assert body["errors"][0]["loc"] == loc
    assert body["detail"].startswith(".".join(str(p) for p in loc))


async def test_unknown_route_and_method(client: httpx.AsyncClient) -> None:
    assert_problem(await client.get("/v1/nothing"), 404)
    assert_problem(await client.delete("/v1/spots"), 405)


async def test_health_and_version(client: httpx.AsyncClient, engine: Engine) -> None:
    health = (await client.get("/healthz")).json()
    assert health == {"status": "ok", "database": engine.dialect.name}
    assert (await client.get("/version")).json()["api"] == "v1"


async def test_health_reports_an_unreachable_database() -> None:
    app = create_app()
    app.dependency_overrides[engine_dep] = lambda: create_engine("sqlite:////nonexistent/dir/x.db")
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
        body = assert_problem(await c.get("/healthz"), 503)
    assert "database" in body["detail"]


async def test_cities_with_central_districts(client: httpx.AsyncClient) -> None:
    cities = (await client.get("/v1/cities", params={"lang": "en"})).json()
    central = {c["id"]: [d["name"] for d in c["districts"] if d["central"]] for c in cities}
    assert sorted(central["chifeng"]) == [
        "Hongshan District",
        "Songshan District",
        "Yuanbaoshan District",
    ]
    assert central["tongliao"] == ["Horqin District"]


async def test_openapi_is_served(client: httpx.AsyncClient) -> None:
    schema = (await client.get("/openapi.json")).json()
    assert "/v1/spots/{spot_id}/opening" in schema["paths"]
    assert (await client.get("/docs")).status_code == 200


async def test_an_unexpected_error_is_a_500_problem_without_internals() -> None:
    def broken_engine():
        raise RuntimeError("secret internals: SELECT * FROM api_key")

    app = create_app()
    app.dependency_overrides[engine_dep] = broken_engine
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
        r = await c.get("/v1/spots")
    body = assert_problem(r, 500)
    assert "SELECT" not in r.text and "Traceback" not in r.text
    assert body["detail"] == "the server failed; the error was logged"


async def test_an_unreachable_database_is_a_503_with_retry_after() -> None:
    app = create_app()
    app.dependency_overrides[engine_dep] = lambda: create_engine("sqlite:////nonexistent/dir/x.db")
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
        r = await c.get("/v1/spots")
    assert_problem(r, 503)
    assert r.headers["retry-after"] == "5"


async def test_an_exhausted_connection_pool_is_503_with_retry_after(engine: Engine) -> None:
    """Every connection held elsewhere and none freed in time: a 503 to retry, not a 500."""
    tight = create_engine(engine.url, pool_size=1, max_overflow=0, pool_timeout=0.2)
    held = tight.connect()
    try:
        async with api_client(tight) as c:
            r = await c.post("/v1/spots", json={}, headers=auth("tsk_abc_def"))
        body = assert_problem(r, 503)
        assert int(r.headers["retry-after"]) >= 1 and "retry" in body["detail"]
    finally:
        held.close()
        tight.dispose()


async def test_a_rate_limit_store_that_is_down_is_503(app_with, tokens: dict[str, str]) -> None:
    async with app_with(RATE_LIMIT_STORAGE="redis://127.0.0.1:9/0") as client:
        r = await client.delete("/v1/spots/cf_museum", headers=auth(tokens["admin"]))
        assert_problem(r, 503)
        assert (await client.get("/v1/spots/cf_museum")).status_code == 200  # reads go on
