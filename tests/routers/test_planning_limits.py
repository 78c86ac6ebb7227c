"""Planning under a rush: solver slots, the anonymous ceilings, solver seconds, and no
database connection held while a plan is solved."""

import asyncio

import pytest
from sqlalchemy import Engine

from app.planning import service
from tests.conftest import auth
from tests.routers.test_itineraries import BASE


async def test_plans_beyond_the_slots_get_503_with_retry_after(app_with) -> None:
    """One slot and no wait: of four plans sent at once one is solved, three are told to
    retry, and reads are answered meanwhile."""
    async with app_with(PLAN_CONCURRENCY="1", PLAN_QUEUE_WAIT_S="0") as client:
        body = {**BASE, "time_limit_s": 1}
        plans = [client.post("/v1/itineraries", json=body) for _ in range(4)]
        *answers, health = await asyncio.gather(*plans, client.get("/healthz"))
        assert sorted(r.status_code for r in answers) == [201, 503, 503, 503]
        refused = next(r for r in answers if r.status_code == 503)
        assert refused.headers["content-type"] == "application/problem+json"
        assert int(refused.headers["retry-after"]) >= 1
        assert "POST /v1/plan-jobs" in refused.json()["detail"]
        assert health.status_code == 200


async def test_anonymous_callers_get_lower_ceilings(app_with, tokens: dict[str, str]) -> None:
    async with app_with(ANONYMOUS_MAX_TIME_LIMIT_S="5") as client:
        long_trip = {**BASE, "days": 8, "time_limit_s": 0.4}
        r = await client.post("/v1/itineraries", json=long_trip)
        assert r.status_code == 401 and "API key" in r.json()["detail"]
        r = await client.post("/v1/plan-jobs", json=long_trip)
        assert r.status_code == 401
        keyed = await client.post(
            "/v1/itineraries", json=long_trip, headers=auth(tokens["marketer"])
        )
        assert keyed.status_code == 201, keyed.text
        r = await client.post("/v1/itineraries", json={**BASE, "time_limit_s": 20})
        assert r.status_code == 201
        assert r.json()["request"]["time_limit_s"] == 5  # cut to the ceiling, and says so


async def test_the_planning_limit_counts_solver_seconds(app_with) -> None:
    async with app_with(RATE_LIMIT_SOLVER_SECONDS="3/minute") as client:
        first = await client.post("/v1/itineraries", json={**BASE, "time_limit_s": 2})
        assert first.status_code == 201
        second = await client.post("/v1/itineraries", json={**BASE, "time_limit_s": 2})
        assert second.status_code == 429
        assert int(second.headers["retry-after"]) >= 1
        replan = await client.post(f"/v1/itineraries/{first.json()['id']}/replan", json={})
        assert replan.status_code == 429


async def test_a_solve_holds_no_database_connection(
    client, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Loaded, released, solved, then stored: while the solver runs no connection of the
    pool is checked out (by this request or its key lookup)."""
    held: list[int] = []
    solve = service.solve

    def watched(*args, **kwargs):
        held.append(engine.pool.checkedout())  # type: ignore[attr-defined]
        return solve(*args, **kwargs)

    monkeypatch.setattr(service, "solve", watched)
    r = await client.post("/v1/itineraries", json=BASE, headers=auth(None))
    assert r.status_code == 201, r.text
    assert held == [0]
