"""A large import runs as a job: 202 at once, progress while its rows are checked, then
the same report and all-or-nothing write as a synchronous import."""

import asyncio

import httpx

from tests.conftest import auth
from tests.routers.test_imports import spot_row, to_csv


async def post(client: httpx.AsyncClient, rows: list[dict], token: str) -> httpx.Response:
    return await client.post(
        "/v1/imports/spots",
        params={"dry_run": "false"},
        content=to_csv(rows),
        headers={**auth(token), "Content-Type": "text/csv"},
    )


async def finished(client: httpx.AsyncClient, url: str, token: str) -> list[dict]:
    """Every state the job was seen in, polled until it ended."""
    seen = []
    for _ in range(600):
        job = (await client.get(url, headers=auth(token))).json()
        seen.append(job)
        if job["status"] in ("done", "failed"):
            return seen
        await asyncio.sleep(0.05)
    raise AssertionError(f"the import job never ended: {seen[-1]}")


async def test_a_large_import_is_a_job_with_progress_and_a_report(
    app_with, tokens: dict[str, str]
) -> None:
    async with app_with(IMPORT_JOB_ROWS="100") as client:
        rows = [spot_row(i) for i in range(3000)]
        r = await post(client, rows, tokens["bureau_chifeng"])
        assert r.status_code == 202, r.text
        assert r.json()["total"] == 3000 and r.json()["status"] in ("queued", "running")
        seen = await finished(client, r.headers["location"], tokens["bureau_chifeng"])
        done = [s["done"] for s in seen]
        assert done == sorted(done) and done[-1] == 3000
        report = seen[-1]["report"]
        assert seen[-1]["status"] == "done" and report["written"] is True
        assert len(report["add"]) == 3000
        assert (await client.get("/v1/spots/cf_imp_2999")).status_code == 200
        # Small ones are answered at once, as before.
        small = await post(client, [spot_row(5000)], tokens["bureau_chifeng"])
        assert small.status_code == 200 and small.json()["add"] == ["cf_imp_5000"]


async def test_a_large_import_with_a_bad_row_fails_and_writes_nothing(
    app_with, tokens: dict[str, str]
) -> None:
    async with app_with(IMPORT_JOB_ROWS="10") as client:
        rows = [spot_row(i) for i in range(50)] + [spot_row(99, visit_minutes="long")]
        r = await post(client, rows, tokens["admin"])
        assert r.status_code == 202
        job = (await finished(client, r.headers["location"], tokens["admin"]))[-1]
        assert job["status"] == "failed" and job["report"]["written"] is False
        assert job["report"]["errors"][0]["row"] == 51
        assert (await client.get("/v1/spots/cf_imp_0001")).status_code == 404


async def test_an_import_job_is_its_senders(app_with, tokens: dict[str, str]) -> None:
    """Another bureau's key sees no such job; a marketer may not start one; an admin sees
    every job."""
    async with app_with(IMPORT_JOB_ROWS="10") as client:
        rows = [spot_row(i) for i in range(20)]
        assert (await post(client, rows, tokens["marketer"])).status_code == 403
        r = await post(client, rows, tokens["bureau_chifeng"])
        url = r.headers["location"]
        await finished(client, url, tokens["bureau_chifeng"])
        assert (await client.get(url, headers=auth(tokens["bureau_tongliao"]))).status_code == 404
        assert (await client.get(url, headers=auth(tokens["admin"]))).status_code == 200
        assert (await client.get(url)).status_code == 401
