"""Shared by the plan-job tests of both back-ends."""

import asyncio

import httpx

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
