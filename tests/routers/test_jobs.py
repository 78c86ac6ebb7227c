"""Plan jobs (embedded back-end): queued, run in a worker process, polled, cancelled;
refused up front for whatever the synchronous plan is refused for."""

from collections.abc import AsyncIterator

import httpx
import pytest
from sqlalchemy import Engine, func, select
from sqlmodel import Session

from app.models import PlanJob
from app.services import jobs
from tests.conftest import api_client, auth, set_today
from tests.itinerary_checker import check_itinerary
from tests.plan_jobs import BODY, HeldQueue, wait_for


@pytest.fixture
async def held(engine: Engine) -> AsyncIterator[tuple[httpx.AsyncClient, HeldQueue]]:
    """The app with a queue that runs nothing and records what it was handed."""
    queue = HeldQueue()
    async with api_client(engine, queue=queue) as client:
        yield client, queue


def job_rows(engine: Engine) -> int:
    with Session(engine) as session:
        return session.scalar(select(func.count()).select_from(PlanJob)) or 0


async def test_a_job_runs_to_an_itinerary(client: httpx.AsyncClient) -> None:
    r = await client.post("/v1/plan-jobs", json=BODY, headers={"Idempotency-Key": "trip-42"})
    assert r.status_code == 202, r.text
    assert r.json()["status"] == "queued"
    job = await wait_for(client, r.headers["location"])
    assert job["status"] == "done", job
    assert job["best_score"] > 0 and job["itinerary_id"]
    doc = (await client.get(f"/v1/itineraries/{job['itinerary_id']}")).json()
    assert await check_itinerary(client, BODY, doc) == []
    again = await client.post("/v1/plan-jobs", json=BODY, headers={"Idempotency-Key": "trip-42"})
    assert again.status_code == 202 and again.json()["id"] == job["id"]


async def test_cancel_needs_the_jobs_token(
    client: httpx.AsyncClient, tokens: dict[str, str]
) -> None:
    """Knowing a job's id is not enough to cancel it: its creator got a token, which the
    job's reads never show; an admin needs none."""
    queued = (await client.post("/v1/plan-jobs", json={**BODY, "time_limit_s": 5})).json()
    url = f"/v1/plan-jobs/{queued['id']}"
    assert "cancel_token" not in (await client.get(url)).json()
    assert (await client.delete(url)).status_code == 401
    other = (await client.post("/v1/plan-jobs", json=BODY)).json()
    wrong = await client.delete(url, headers={"Cancel-Token": other["cancel_token"]})
    assert wrong.status_code == 403
    odd = await client.delete(url, headers={"Cancel-Token": "é".encode("latin-1")})
    assert odd.status_code == 403
    assert (await client.delete(url, headers=auth(tokens["marketer"]))).status_code == 401
    assert (await client.get(url)).json()["status"] != "cancelled"
    r = await client.delete(url, headers={"Cancel-Token": queued["cancel_token"]})
    cancelled = r.json()
    assert cancelled["status"] == "cancelled"
    admin = await client.delete(f"/v1/plan-jobs/{other['id']}", headers=auth(tokens["admin"]))
    assert admin.status_code == 200
    final = await wait_for(client, f"/v1/plan-jobs/{queued['id']}")
    assert final["status"] == "cancelled" and final["itinerary_id"] is None
    assert (await client.get(f"/v1/plan-jobs/{'0' * 32}")).status_code == 404


async def test_a_job_is_queued_after_its_row_is_committed(
    held: tuple[httpx.AsyncClient, HeldQueue],
) -> None:
    """The queue is handed the job once the request's transaction committed, so a worker
    that looks it up (on a connection of its own) finds it."""
    client, queue = held
    r = await client.post("/v1/plan-jobs", json=BODY)
    assert r.status_code == 202, r.text
    assert queue.handed == [(r.json()["id"], True)]


async def test_a_job_the_queue_refuses_is_a_503_and_a_retry_is_a_new_job(
    engine: Engine,
) -> None:
    refusing = HeldQueue(refuse=True)
    async with api_client(engine, queue=refusing) as client:
        r = await client.post("/v1/plan-jobs", json=BODY, headers={"Idempotency-Key": "k1"})
        assert r.status_code == 503, r.text
        assert r.headers["retry-after"] == "5"
        assert r.json()["title"] == "Service unavailable"
    (refused_id, committed), *_ = refusing.handed
    assert committed
    async with api_client(engine, queue=HeldQueue()) as client:
        failed = (await client.get(f"/v1/plan-jobs/{refused_id}")).json()
        assert (failed["status"], failed["error"]) == ("failed", "the job queue was unavailable")
        retry = await client.post("/v1/plan-jobs", json=BODY, headers={"Idempotency-Key": "k1"})
        assert retry.status_code == 202 and retry.json()["id"] != refused_id


async def test_an_idempotency_key_reused_with_another_body_is_a_422(
    held: tuple[httpx.AsyncClient, HeldQueue], engine: Engine
) -> None:
    """As the IETF Idempotency-Key draft says; the same body again is the same job."""
    client, queue = held
    key = {"Idempotency-Key": "trip-43"}
    first = await client.post("/v1/plan-jobs", json=BODY, headers=key)
    assert first.status_code == 202, first.text
    other = await client.post("/v1/plan-jobs", json={**BODY, "days": 2}, headers=key)
    assert other.status_code == 422, other.text
    problem = other.json()
    assert problem["title"] == "Idempotency-Key is already used"
    assert problem["type"].startswith("https://datatracker.ietf.org/doc/draft-ietf-httpapi-")
    assert [e["loc"] for e in problem["errors"]] == [["header", "idempotency-key"]]
    # The same request, spelled differently (a default sent, an integer as 3.0): the same job.
    same = await client.post(
        "/v1/plan-jobs", json={**BODY, "days": 3.0, "pace": "normal"}, headers=key
    )
    assert same.status_code == 202 and same.json()["id"] == first.json()["id"]
    assert len(queue.handed) == 1 and job_rows(engine) == 1


BAD = [
    ({"arrive": {"place_id": "nowhere", "time": "09:00"}}, ["body", "arrive", "place_id"]),
    ({"must_visit": ["cf_nothing"]}, ["body", "must_visit", 0]),
    ({"avoid": ["cf_museum", "cf_nothing"]}, ["body", "avoid", 1]),
    ({"cities": ["chifeng", "beijing"]}, ["body", "cities", 1]),
    (
        {"days": 1, "cities": ["chifeng"], "arrive": {"place_id": "cf_museum", "time": "09:00"},
         "depart": {"place_id": "cf_rail_chifeng", "time": "09:30"}},
        ["body", "depart"],
    ),  # the day cannot fit
    ({"start_date": "2026-04-30"}, ["body", "start_date"]),
    ({"must_visit": ["cf_museum", "cf_museum"]}, ["body", "must_visit", 1]),
]  # fmt: skip


@pytest.mark.parametrize(("change", "loc"), BAD)
async def test_a_job_is_refused_at_once_as_the_synchronous_plan_is(
    held: tuple[httpx.AsyncClient, HeldQueue], engine: Engine, change: dict, loc: list
) -> None:
    """Nothing is queued to fail later: the same 422 as POST /v1/itineraries, no row."""
    client, queue = held
    body = {**BODY, **change}
    now = await client.post("/v1/itineraries", json=body)
    later = await client.post("/v1/plan-jobs", json=body)
    assert now.status_code == later.status_code == 422, later.text
    assert later.json()["errors"] == now.json()["errors"]
    assert later.json()["errors"][0]["loc"] == loc
    assert queue.handed == [] and job_rows(engine) == 0


async def test_a_job_made_impossible_after_it_was_accepted_fails(
    held: tuple[httpx.AsyncClient, HeldQueue],
    engine: Engine,
    tokens: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Accepted, then its must-visit deleted and its start date passed before a worker
    took it: it runs as accepted (its date stands) and fails with the reason."""
    client, _ = held
    r = await client.post("/v1/plan-jobs", json={**BODY, "must_visit": ["cf_museum"]})
    assert r.status_code == 202, r.text
    assert (
        await client.delete("/v1/spots/cf_museum", headers=auth(tokens["admin"]))
    ).status_code == 204
    set_today(monkeypatch, "2026-12-01")
    assert jobs.run(engine, r.json()["id"]) == "failed"
    job = (await client.get(r.headers["location"])).json()
    assert (job["status"], job["error"]) == ("failed", "body.must_visit.0: no spot 'cf_museum'")
