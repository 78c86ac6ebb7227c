"""Plan jobs (embedded back-end): queued, run in a worker process, polled, cancelled."""

import httpx

from tests.itinerary_checker import check_itinerary
from tests.plan_jobs import BODY, wait_for


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


async def test_cancel_and_failure(client: httpx.AsyncClient) -> None:
    queued = (await client.post("/v1/plan-jobs", json={**BODY, "time_limit_s": 5})).json()
    cancelled = (await client.delete(f"/v1/plan-jobs/{queued['id']}")).json()
    assert cancelled["status"] == "cancelled"
    final = await wait_for(client, f"/v1/plan-jobs/{queued['id']}")
    assert final["status"] == "cancelled" and final["itinerary_id"] is None
    bad = {
        **BODY,
        "cities": ["chifeng"],
        "must_visit": ["cf_museum"],
        "arrive": {"place_id": "cf_museum", "time": "09:00"},
        "depart": {"place_id": "cf_rail_chifeng", "time": "09:30"},
        "days": 1,
    }
    r = await client.post("/v1/plan-jobs", json=bad)
    failed = await wait_for(client, r.headers["location"])
    assert failed["status"] == "failed" and "does not fit" in failed["error"]
    assert (await client.get(f"/v1/plan-jobs/{'0' * 32}")).status_code == 404
