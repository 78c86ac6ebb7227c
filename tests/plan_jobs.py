"""Shared by the plan-job tests of both back-ends."""

import asyncio

import httpx
from sqlalchemy import Engine
from sqlmodel import Session

from app.models import JobStatus, PlanJob

BODY = {
    "start_date": "2026-07-14",
    "days": 3,
    "arrive": {"place_id": "cf_rail_chifeng", "time": "09:00"},
    "depart": {"place_id": "tl_airport", "time": "18:00"},
    "time_limit_s": 0.5,
}


async def wait_for(client: httpx.AsyncClient, url: str, timeout: float = 90) -> dict:
    for _ in range(int(timeout / 0.25)):
        job = (await client.get(url)).json()
        if job["status"] in ("done", "failed", "cancelled"):
            return job
        await asyncio.sleep(0.25)
    raise AssertionError(f"job still {job['status']} after {timeout} s")


class HeldQueue:
    """A job queue that runs nothing (a test runs the jobs itself, if at all). It records
    each job handed to it and whether the job's row was committed by then, as read through
    a session of its own: another database connection, which sees only committed rows.
    With `refuse`, it then fails like a queue that is down."""

    def __init__(self, *, refuse: bool = False) -> None:
        self.refuse = refuse
        self.handed: list[tuple[str, bool]] = []

    def submit(self, engine: Engine, job_id: str, time_limit_s: float) -> None:
        with Session(engine) as other:
            row = other.get(PlanJob, job_id)
            self.handed.append((job_id, row is not None and row.status == JobStatus.queued))
        if self.refuse:
            raise ConnectionError("the broker is down")

    def shutdown(self) -> None:
        pass
