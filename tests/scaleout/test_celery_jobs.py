"""Plan jobs on real Celery workers over a real Redis: the happy path and the faults a
deployment meets (a lost pool process, a vanished worker machine, a Redis restart, a
queue that is down, a rush of jobs)."""

import asyncio
import os
import signal
import subprocess
from datetime import datetime

import httpx
from sqlalchemy import func, select
from sqlmodel import Session

from app.models import Itinerary, PlanJob
from app.workers import CeleryJobs, Reaper
from tests.itinerary_checker import check_itinerary
from tests.plan_jobs import BODY, wait_for
from tests.scaleout.conftest import Cluster


def count(cluster: Cluster, model: type) -> int:
    with Session(cluster.engine) as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


async def wait_running(api: httpx.AsyncClient, url: str, timeout: float = 30) -> dict:
    for _ in range(int(timeout / 0.1)):
        job = (await api.get(url)).json()
        if job["status"] == "running":
            return job
        assert job["status"] == "queued", job
        await asyncio.sleep(0.1)
    raise AssertionError("the job never started")


async def test_jobs_run_on_workers_and_cancel(cluster: Cluster, api: httpx.AsyncClient) -> None:
    cluster.start_workers(1)
    r = await api.post("/v1/plan-jobs", json=BODY, headers={"Idempotency-Key": "celery-1"})
    assert r.status_code == 202, r.text
    job = await wait_for(api, r.headers["location"])
    assert job["status"] == "done" and job["attempts"] == 1, job
    doc = (await api.get(f"/v1/itineraries/{job['itinerary_id']}")).json()
    assert await check_itinerary(api, BODY, doc) == []
    again = await api.post("/v1/plan-jobs", json=BODY, headers={"Idempotency-Key": "celery-1"})
    assert again.json()["id"] == job["id"]

    # One worker: the second job waits in Redis behind the first and is cancelled there.
    busy = (await api.post("/v1/plan-jobs", json={**BODY, "time_limit_s": 2})).json()
    waiting = (await api.post("/v1/plan-jobs", json=BODY)).json()
    token = {"Cancel-Token": waiting["cancel_token"]}
    r = await api.delete(f"/v1/plan-jobs/{waiting['id']}", headers=token)
    assert r.json()["status"] == "cancelled"
    assert (await wait_for(api, f"/v1/plan-jobs/{busy['id']}"))["status"] == "done"
    await asyncio.sleep(1.0)  # the worker has taken the cancelled job up by now
    final = (await api.get(f"/v1/plan-jobs/{waiting['id']}")).json()
    assert final["status"] == "cancelled" and final["itinerary_id"] is None
    assert final["attempts"] == 0
    assert count(cluster, Itinerary) == 2


async def test_a_crashed_pool_process_is_retried(cluster: Cluster, api: httpx.AsyncClient) -> None:
    (worker,) = cluster.start_workers(1)
    r = await api.post("/v1/plan-jobs", json={**BODY, "time_limit_s": 3})
    await wait_running(api, r.headers["location"])
    (child,) = subprocess.check_output(["pgrep", "-P", str(worker.proc.pid)]).split()
    os.kill(int(child), signal.SIGKILL)  # the process solving the job dies mid-solve
    job = await wait_for(api, r.headers["location"], timeout=60)
    assert job["status"] == "done" and job["attempts"] == 2, job
    assert b"WorkerLostError" in worker.log.read_bytes()
    assert count(cluster, Itinerary) == 1


async def test_a_vanished_worker_hands_its_job_to_another(
    cluster: Cluster, api: httpx.AsyncClient
) -> None:
    workers = cluster.start_workers(2)
    r = await api.post("/v1/plan-jobs", json={**BODY, "time_limit_s": 3})
    job_id = r.json()["id"]
    await wait_running(api, r.headers["location"])
    owner = next(w for w in workers if job_id.encode() in w.log.read_bytes())
    other = next(w for w in workers if w is not owner)
    owner.kill()  # the worker and its pool process, without a word to Redis
    job = await wait_for(api, r.headers["location"], timeout=90)
    assert job["status"] == "done" and job["attempts"] == 2, job
    assert f"twinstars.plan[{job_id}] succeeded".encode() in other.log.read_bytes()
    assert count(cluster, Itinerary) == 1
    doc = (await api.get(f"/v1/itineraries/{job['itinerary_id']}")).json()
    assert await check_itinerary(api, {**BODY, "time_limit_s": 3}, doc) == []


async def test_the_reaper_hands_on_a_vanished_machines_job_long_before_the_broker(
    cluster: Cluster, api: httpx.AsyncClient
) -> None:
    """Six jobs on two workers, one worker killed with its pool as if its machine died.
    Redis would hand its job on after the visibility timeout (ten minutes here); the
    reaper sees the heartbeat stop and resubmits it: every job done, one itinerary each,
    the lost one on its second attempt."""
    cluster.visibility_s = 600
    workers = cluster.start_workers(2)
    reaper = Reaper(CeleryJobs(cluster.settings), cluster.engine, every_s=1).start()
    try:
        body = {**BODY, "time_limit_s": 3}
        urls = [(await api.post("/v1/plan-jobs", json=body)).headers["location"] for _ in range(6)]
        running = await wait_running(api, urls[0])
        owner = next(w for w in workers if running["id"].encode() in w.log.read_bytes())
        owner.kill()
        done = [await wait_for(api, url, timeout=120) for url in urls]
    finally:
        reaper.stop()
    assert [j["status"] for j in done] == ["done"] * 6, done
    assert count(cluster, Itinerary) == 6
    assert done[0]["attempts"] == 2
    assert len({j["itinerary_id"] for j in done}) == 6


async def test_queued_jobs_survive_a_redis_restart(
    cluster: Cluster, api: httpx.AsyncClient
) -> None:
    cluster.start_workers(1)
    urls = [(await api.post("/v1/plan-jobs", json=BODY)).headers["location"] for _ in range(4)]
    cluster.redis.stop()
    cluster.redis.start()
    jobs = [await wait_for(api, url, timeout=120) for url in urls]
    assert [j["status"] for j in jobs] == ["done"] * 4, jobs
    assert count(cluster, Itinerary) == 4


async def test_a_queue_that_is_down_refuses_the_job_and_leaves_nothing_queued(
    cluster: Cluster, api: httpx.AsyncClient
) -> None:
    """The row committed before the send is failed at once (not left queued for nobody),
    its Idempotency-Key released: the client's retry makes a new job."""
    cluster.redis.stop()
    try:
        r = await api.post("/v1/plan-jobs", json=BODY, headers={"Idempotency-Key": "down-1"})
        assert r.status_code == 503, r.text
        assert r.headers["content-type"] == "application/problem+json"
        assert r.headers["retry-after"] and "queue" in r.json()["detail"]
        with Session(cluster.engine) as session:
            (job,) = session.scalars(select(PlanJob)).all()
        assert (job.status, job.idempotency_key) == ("failed", None)
    finally:
        cluster.redis.start()
    cluster.start_workers(1)
    r = await api.post("/v1/plan-jobs", json=BODY, headers={"Idempotency-Key": "down-1"})
    assert r.status_code == 202
    assert (await wait_for(api, r.headers["location"]))["status"] == "done"


async def test_twenty_jobs_on_two_workers_complete_in_order_of_arrival(
    cluster: Cluster, api: httpx.AsyncClient
) -> None:
    body = {**BODY, "days": 2, "time_limit_s": 0.2}
    # Queued before any worker runs (a POST checks the request in full first, so workers
    # started earlier could drain the queue as fast as it fills): each is told how many
    # queued jobs are ahead of it.
    posted = [(await api.post("/v1/plan-jobs", json=body)).json() for _ in range(20)]
    ids = [job["id"] for job in posted]
    assert [job["ahead"] for job in posted] == list(range(20))
    cluster.start_workers(2)
    jobs = [await wait_for(api, f"/v1/plan-jobs/{i}", timeout=180) for i in ids]
    assert [j["status"] for j in jobs] == ["done"] * 20
    assert all(j["ahead"] is None for j in jobs)
    assert count(cluster, Itinerary) == 20
    # Two workers take the queue from the front: no job starts more than one place before
    # its turn (the other worker may be a moment quicker). One may start later than its
    # turn: a 2-day plan converges in tens of milliseconds, less than a worker's first job
    # takes to begin, so the other worker runs several meanwhile.
    started = sorted(range(20), key=lambda i: datetime.fromisoformat(jobs[i]["started_at"]))
    assert all(i <= rank + 1 for rank, i in enumerate(started)), started
