"""Load on loopback: read endpoints' requests/s and p99 with wrk, each next to a bare
FastAPI endpoint served the same way in the same run, and the 304 answer to
If-None-Match; then plan jobs per minute on 1 and 2 Celery workers (4-day plans at the
default time limit).

    python -m tests.benchmarks.load [--duration 10] [--connections 32] [--jobs 12] [--no-jobs]

The bare app is measured before the first read and after each one; a read's ratio is to
the mean of the bare runs on either side of it, so that a shared machine's drift counts
the same on both. Each read is asked once before its run (its page is then cached, as it
is for every request after the first); a last run asks for random spot pages, nearly all
of them built afresh (the cost of a page after a write).

Needs wrk (and redis-server for the jobs; apt). Uses a seeded SQLite file, or
DATABASE_URL when set. Not a test: it prints tables; nothing is asserted about time.
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from alembic import command

from app.db import make_engine, session_scope
from app.services.seed import apply_seed, read_seed
from tests.conftest import alembic_config
from tests.services import ROOT, RedisServer, Worker, free_port, need, wait_until

BARE_APP = """
from fastapi import FastAPI

app = FastAPI()


@app.get("/ping")
def ping() -> dict[str, bool]:
    return {"ok": True}
"""
READS = [
    "/v1/spots?limit=20",
    "/v1/spots/cf_museum?lang=en&coords=gcj02",
    "/v1/hubs",
    "/v1/cities",
    "/v1/links",
]
# Random pages (11,400 of them, against a cache of 1024): nearly every one is built afresh,
# as after a write or for a rare filter.
FRESH = "/v1/spots?limit=<1-200>&offset=<0-56>"
FRESH_LUA = """
math.randomseed(os.time())
request = function()
  local path = "/v1/spots?limit=" .. math.random(1, 200) .. "&offset=" .. math.random(0, 56)
  return wrk.format("GET", path)
end
"""
PLAN = {
    "start_date": "2026-07-14",
    "days": 4,
    "arrive": {"place_id": "cf_rail_chifeng", "time": "09:00"},
    "depart": {"place_id": "tl_airport", "time": "18:00"},
}


def serve(app: str, port: int, env: dict[str, str], cwd: Path) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "app.cli", "serve", "--app", app, "--port", str(port),
         "--no-access-log"],
        cwd=cwd, env=env, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    wait_until(lambda: _up(port), 30, f"{app} to serve")
    return proc


def _up(port: int) -> bool:
    try:
        return httpx.get(f"http://127.0.0.1:{port}/openapi.json", timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


def wrk(url: str, duration: int, connections: int, *extra: str) -> tuple[float, float]:
    """Requests/s and p99 latency (ms) of one wrk run (`extra`: more wrk arguments)."""
    out = subprocess.run(
        [need("wrk"), "-t2", f"-c{connections}", f"-d{duration}s", "--latency", *extra, url],
        capture_output=True, text=True, check=True, timeout=duration + 60,
    ).stdout  # fmt: skip
    if "Non-2xx" in out:
        raise SystemExit(f"{url} answered errors under load:\n{out}")
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    value, unit = re.search(r"\s99%\s+([\d.]+)(us|ms|s)\b", out).groups()  # type: ignore[union-attr]
    return rps, float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def etag(url: str) -> str:
    """The page's ETag, checked to give a 304 (the page is cached from here on)."""
    tag = httpx.get(url, timeout=30).raise_for_status().headers["etag"]
    if httpx.get(url, headers={"If-None-Match": tag}, timeout=30).status_code != 304:
        raise SystemExit(f"{url} does not answer 304 to its own ETag")
    return tag


def reads(bare: str, api: str, duration: int, connections: int, work: Path) -> None:
    """Each read (200, then 304 to its ETag) between two runs of the bare endpoint."""
    print("| endpoint | req/s | p99 ms | vs bare | 304: req/s | p99 ms | vs bare |")
    print("|---|---|---|---|---|---|---|")
    bare_runs = [wrk(bare, duration, connections)]
    rows = []
    for path in READS:
        tag = etag(api + path)
        full = wrk(api + path, duration, connections)
        same = wrk(api + path, duration, connections, "-H", f"If-None-Match: {tag}")
        bare_runs.append(wrk(bare, duration, connections))
        rows.append((path, full, same, (bare_runs[-2][0] + bare_runs[-1][0]) / 2))
    (work / "fresh.lua").write_text(FRESH_LUA)
    fresh = wrk(api, duration, connections, "-s", str(work / "fresh.lua"))
    bare_runs.append(wrk(bare, duration, connections))
    fresh_near = (bare_runs[-2][0] + bare_runs[-1][0]) / 2
    rps = [r for r, _ in bare_runs]
    p99 = sorted(p for _, p in bare_runs)[len(bare_runs) // 2]
    mean = sum(rps) / len(rps)
    print(
        f"| bare FastAPI `/ping` ({len(rps)} runs: mean, min-max; median p99) "
        f"| {mean:.0f} ({min(rps):.0f}-{max(rps):.0f}) | {p99:.1f} | 1.00 | | | |"
    )
    for path, (rps_, p99_), (rps304, p99304), near in rows:
        print(
            f"| `{path}` | {rps_:.0f} | {p99_:.1f} | {rps_ / near:.2f} "
            f"| {rps304:.0f} | {p99304:.1f} | {rps304 / near:.2f} |"
        )
    print(f"| `{FRESH}` (built afresh) | {fresh[0]:.0f} | {fresh[1]:.1f} "
          f"| {fresh[0] / fresh_near:.2f} | | | |")  # fmt: skip


def jobs_per_minute(env: dict[str, str], port: int, workers: int, jobs: int, logs: Path) -> float:
    started = [
        Worker(f"bench{workers}-{i}", env, logs / f"w{workers}-{i}.log") for i in range(workers)
    ]
    try:
        wait_until(lambda: all(w.ready() for w in started), 60, "workers to be ready")
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
            t0 = time.perf_counter()
            urls = [
                client.post("/v1/plan-jobs", json=PLAN).headers["location"] for _ in range(jobs)
            ]
            pending = set(urls)
            while pending:
                time.sleep(0.2)
                for url in list(pending):
                    status = client.get(url).json()["status"]
                    if status in ("done", "failed", "cancelled"):
                        if status != "done":
                            raise SystemExit(f"a job ended {status}: {client.get(url).json()}")
                        pending.discard(url)
            return jobs / ((time.perf_counter() - t0) / 60)
    finally:
        for w in started:
            w.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--jobs", type=int, default=12, help="4-day plans per worker count")
    parser.add_argument("--no-jobs", action="store_true", help="reads only (no Redis needed)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        url = os.environ.get("DATABASE_URL") or f"sqlite:///{work / 'load.db'}"
        command.upgrade(alembic_config(url), "head")
        engine = make_engine(url)
        with session_scope(engine) as session:
            apply_seed(session, read_seed())
        engine.dispose()
        redis = None if args.no_jobs else RedisServer(work)
        if redis is not None:
            redis.start()
        (work / "bare_app.py").write_text(BARE_APP)
        env = {**os.environ, "DATABASE_URL": url, "RATE_LIMIT_PLANNING": "10000/minute",
               "PYTHONPATH": str(ROOT)}  # fmt: skip
        if redis is not None:
            env["REDIS_URL"] = redis.url
        bare_port, api_port = free_port(), free_port()
        servers = [
            serve("bare_app:app", bare_port, env, work),
            serve("app.main:app", api_port, env, ROOT),
        ]
        try:
            print(f"wrk -t2 -c{args.connections} -d{args.duration}s, one uvicorn worker each, "
                  f"database {url.split(':')[0]}\n")  # fmt: skip
            reads(
                f"http://127.0.0.1:{bare_port}/ping",
                f"http://127.0.0.1:{api_port}",
                args.duration,
                args.connections,
                work,
            )
            if redis is None:
                return
            print(f"\n| Celery workers | 4-day plan jobs/min ({args.jobs} jobs) |")
            print("|---|---|")
            rates = {}
            for workers in (1, 2):
                rates[workers] = jobs_per_minute(env, api_port, workers, args.jobs, work)
                print(f"| {workers} | {rates[workers]:.1f} |")
            print(f"\nspeed-up with 2 workers: {rates[2] / rates[1]:.2f}x")
        finally:
            for server in servers:
                server.terminate()
                server.wait(10)
            if redis is not None:
                redis.stop()


if __name__ == "__main__":
    main()
