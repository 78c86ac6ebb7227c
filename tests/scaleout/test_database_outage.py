"""The database going away: the API answers 503 problems (never a 500, never a hang)
and recovers by itself when the database is back. PostgreSQL only: it is the database
that lives on another host; SQLite is a file of the API's own."""

from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
from sqlalchemy import make_url

from app.db import make_engine
from app.settings import Settings
from tests.conftest import Databases, api_client
from tests.plan_jobs import BODY
from tests.services import TcpProxy


@pytest.fixture
def proxied_url(databases: Databases, templates: dict[str, str]) -> Iterator[tuple[str, TcpProxy]]:
    if not databases.pg:
        pytest.skip("needs PostgreSQL: runs in the suite's PostgreSQL pass")
    url = databases.new(templates["seeded"])
    real = make_url(url)
    proxy = TcpProxy(real.port or 5432)
    yield real.set(host="127.0.0.1", port=proxy.port).render_as_string(False), proxy
    proxy.cut()
    databases.drop(url)


@pytest.fixture
async def outage_api(
    proxied_url: tuple[str, TcpProxy],
) -> AsyncIterator[tuple[httpx.AsyncClient, TcpProxy]]:
    url, proxy = proxied_url
    engine = make_engine(url)
    async with api_client(engine, Settings(database_url=url, environment="test")) as client:
        yield client, proxy
    engine.dispose()


async def test_503_while_the_database_is_away_then_recovery(
    outage_api: tuple[httpx.AsyncClient, TcpProxy],
) -> None:
    api, proxy = outage_api
    assert (await api.get("/v1/spots")).status_code == 200  # the pool holds live connections
    proxy.cut()
    for method, path, body in (
        ("GET", "/v1/spots", None),
        ("GET", "/healthz", None),
        ("POST", "/v1/plan-jobs", BODY),
        ("POST", "/v1/itineraries", BODY),
    ):
        r = await api.request(method, path, json=body)
        assert r.status_code == 503, (path, r.status_code, r.text)
        assert r.headers["content-type"] == "application/problem+json"
        problem = r.json()
        assert problem["status"] == 503 and problem["title"] == "Service unavailable"
        assert int(r.headers["retry-after"]) > 0
    proxy.restore()
    assert (await api.get("/healthz")).json()["status"] == "ok"
    assert (await api.get("/v1/spots")).status_code == 200
