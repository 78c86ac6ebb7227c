"""With several API processes, rate limits must be counted in Redis, not per process."""

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from app.settings import get_settings
from routers import ratelimit
from tests.conftest import api_client
from tests.services import RedisServer


@pytest.fixture
def fresh_settings(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    yield monkeypatch
    monkeypatch.undo()
    get_settings.cache_clear()
    ratelimit._limiter.cache_clear()


async def test_rate_limits_are_shared_through_redis(
    redis_server: RedisServer, engine: Engine, fresh_settings: pytest.MonkeyPatch
) -> None:
    redis_server.client().flushall()
    fresh_settings.setenv("RATE_LIMIT_STORAGE", redis_server.url)
    fresh_settings.setenv("RATE_LIMIT_WRITES", "3/minute")
    get_settings.cache_clear()
    codes = []
    for i in range(5):
        ratelimit._limiter.cache_clear()  # each request as if to another API process
        async with api_client(engine) as client:
            r = await client.delete(
                "/v1/spots/cf_museum", headers={"Authorization": f"Bearer tsk_{i:08x}_guess"}
            )
        codes.append(r.status_code)
    assert codes == [401, 401, 401, 429, 429]
    assert redis_server.client().dbsize() > 0  # the counts live in Redis
