"""A holiday rush and a hostile caller, against `twinstars serve` on a seeded SQLite file:
what the hostile-caller issue measures, printed as the README's tables.

    python -m tests.benchmarks.rush [--plans 50] [--rows 14000] [--no-jobs]

1. `time_limit_s` against the wall time of whole requests (alternatives and must-visits
   included), over the seed and over 1,000 imported spots more; the bound is x1.2 + 1 s.
2. `--plans` concurrent anonymous maximal plans from one address (7 days, 3 alternatives,
   30 s asked): every answer by status, and `/healthz` and `GET /v1/spots?limit=5` probed
   every 50 ms meanwhile (p50, p99, max).
3. A 150 MB request header, with the probes.
4. A `--rows` spots CSV import (about 9 MB), with the same probes.
5. kill -9 of one of two Celery workers under 6 queued plan jobs (needs redis-server):
   seconds from the kill until every job is done, and the itineraries stored.

Not a test: nothing is asserted; the figures are printed.
"""

import argparse
import asyncio
import csv
import io
import os
import random
import socket
import statistics
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import httpx
from alembic import command

from app.db import make_engine, session_scope
from app.models import Role
from app.services.access import CLI
from app.services.keys import create_key
from app.services.seed import apply_seed, read_seed
from tests.benchmarks.load import serve
from tests.conftest import alembic_config
from tests.services import ROOT, RedisServer, Worker, free_port, wait_until

PLAN = {
    "start_date": "2026-07-14",
    "days": 4,
    "arrive": {"place_id": "cf_rail_chifeng", "time": "09:00"},
    "depart": {"place_id": "tl_airport", "time": "18:00"},
}
MAXIMAL = {**PLAN, "days": 7, "alternatives": 3, "time_limit_s": 30}
PROBES = ("/healthz", "/v1/spots?limit=5")


def seeded(url: str) -> str:
    """Migrate and seed the database; an admin key's token."""
    command.upgrade(alembic_config(url), "head")
    engine = make_engine(url)
    with session_scope(engine) as session:
        apply_seed(session, read_seed())
        token = create_key(session, CLI, "rush", Role.admin, None, None).token
    engine.dispose()
    return token


class Probes:
    """GETs of the probe paths every 50 ms, each on its own connection, while it runs."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.times: list[float] = []
        self.codes: Counter[object] = Counter()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            for path in PROBES:
                t0 = time.perf_counter()
                try:
                    self.codes[httpx.get(self.base + path, timeout=30).status_code] += 1
                except httpx.HTTPError as exc:
                    self.codes[type(exc).__name__] += 1
                self.times.append(time.perf_counter() - t0)
            self._stop.wait(0.05)

    def __enter__(self) -> "Probes":
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()

    def row(self) -> str:
        t = sorted(self.times)
        p99 = t[min(len(t) - 1, int(len(t) * 0.99))]
        codes = ", ".join(f"{k}: {v}" for k, v in sorted(self.codes.items(), key=str))
        return (
            f"{len(t)} | {statistics.median(t) * 1000:.0f} ms | {p99 * 1000:.0f} ms "
            f"| {t[-1] * 1000:.0f} ms | {codes}"
        )


def rush(base: str, plans: int) -> None:
    async def one(client: httpx.AsyncClient) -> tuple[int, str, float]:
        t0 = time.perf_counter()
        r = await client.post("/v1/itineraries", json=MAXIMAL)
        return r.status_code, r.headers.get("retry-after", ""), time.perf_counter() - t0

    async def all_at_once() -> list[tuple[int, str, float]]:
        limits = httpx.Limits(max_connections=plans)
        async with httpx.AsyncClient(base_url=base, timeout=120, limits=limits) as client:
            return await asyncio.gather(*(one(client) for _ in range(plans)))

    with Probes(base) as probes:
        answers = asyncio.run(all_at_once())
    by_status = Counter(code for code, _, _ in answers)
    retry = all(after for code, after, _ in answers if code in (429, 503))
    solved = [s for code, _, s in answers if code == 201]
    print(f"\n{plans} concurrent anonymous plans ({MAXIMAL['days']} days, 3 alternatives, "
          f"{MAXIMAL['time_limit_s']} s asked, cut to the anonymous ceiling)\n")  # fmt: skip
    print("| answers | Retry-After on every 429/503 | slowest 201 |")
    print("|---|---|---|")
    codes = ", ".join(f"{k}: {v}" for k, v in sorted(by_status.items()))
    print(f"| {codes} | {retry} | {max(solved, default=0):.1f} s |")
    print("\n| probes | p50 | p99 | max | answers |\n|---|---|---|---|---|")
    print(f"| {probes.row()} |")


def bounds(base: str, token: str, label: str) -> None:
    cases = [
        {**PLAN, "time_limit_s": 1},
        {**PLAN, "time_limit_s": 1, "alternatives": 3},
        {**PLAN, "days": 7, "time_limit_s": 3, "alternatives": 3, "must_visit": ["cf_asihatu"]},
        {**PLAN, "days": 10, "time_limit_s": 5, "alternatives": 3, "gateway_nights": True},
    ]
    print(f"\n| spots: {label} | days | alternatives | time_limit_s | wall s | bound s |")
    print("|---|---|---|---|---|---|")
    with httpx.Client(
        base_url=base, timeout=120, headers={"Authorization": f"Bearer {token}"}
    ) as c:
        for body in cases:
            t0 = time.perf_counter()
            r = c.post("/v1/itineraries", json=body)
            wall = time.perf_counter() - t0
            assert r.status_code == 201, r.text
            limit = body["time_limit_s"]
            print(f"| | {body['days']} | {body.get('alternatives', 1)} | {limit} | {wall:.2f} "
                  f"| {limit * 1.2 + 1:.1f} |")  # fmt: skip


def spots_csv(rows: int, pad: int, seed: int = 1) -> bytes:
    """Generated spots around both city centres (`pad` characters of description each)."""
    rnd = random.Random(seed)
    out = io.StringIO()
    fields = ["id", "city_id", "district_id", "name_zh", "name_en", "lat", "lon", "categories",
              "visit_minutes", "ticket_cny", "ticket_basis", "opening_hours", "hours_basis",
              "priority", "description_en"]  # fmt: skip
    writer = csv.DictWriter(out, fieldnames=fields)
    writer.writeheader()
    for i in range(rows):
        cf = i % 2 == 0
        lat, lon = (42.27, 118.95) if cf else (43.62, 122.26)
        writer.writerow({
            "id": f"{'cf' if cf else 'tl'}_gen_{seed}_{i:05d}",
            "city_id": "chifeng" if cf else "tongliao",
            "district_id": "cf_hongshan" if cf else "tl_horqin",
            "name_zh": f"生成景点{i}", "name_en": f"Generated spot {i}",
            "lat": round(lat + rnd.uniform(-0.3, 0.3), 5),
            "lon": round(lon + rnd.uniform(-0.4, 0.4), 5),
            "categories": rnd.choice(["park", "culture", "grassland", "temple", "museum"]),
            "visit_minutes": rnd.choice([45, 60, 90, 120]),
            "ticket_cny": rnd.choice([0, 20, 40, 80]), "ticket_basis": "published",
            "opening_hours": "Mo-Su 08:30-17:30", "hours_basis": "published",
            "priority": rnd.randint(1, 5), "description_en": "x" * pad,
        })  # fmt: skip
    return out.getvalue().encode()


def post_import(base: str, token: str, body: bytes) -> tuple[str, float]:
    """How the import ended and its seconds (a large one is a job: polled to its end)."""
    admin = {"Authorization": f"Bearer {token}"}
    t0 = time.perf_counter()
    r = httpx.post(
        f"{base}/v1/imports/spots",
        params={"dry_run": "false"},
        content=body,
        headers={**admin, "Content-Type": "text/csv"},
        timeout=300,
    )
    answer = str(r.status_code)
    if r.status_code == 202:
        while (job := httpx.get(r.headers["location"], headers=admin).json())["status"] in (
            "queued",
            "running",
        ):
            time.sleep(0.1)
        answer = f"202, job {job['status']} ({len(job['report']['add'])} added)"
    return answer, time.perf_counter() - t0


def big_import(base: str, token: str, rows: int) -> None:
    body = spots_csv(rows, pad=560, seed=2)
    with Probes(base) as probes:
        answer, seconds = post_import(base, token, body)
    size = f"{rows} spots, {len(body) / 1e6:.1f} MB CSV"
    print(f"\n| import | answer | seconds |\n|---|---|---|\n| {size} | {answer} | {seconds:.1f} |")
    print("\n| probes | p50 | p99 | max | answers |\n|---|---|---|---|---|")
    print(f"| {probes.row()} |")


def huge_header(base: str, port: int, megabytes: int = 150) -> None:
    def send() -> tuple[bytes, float]:
        t0 = time.perf_counter()
        with socket.create_connection(("127.0.0.1", port), timeout=60) as sock:
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ")
            try:
                for _ in range(megabytes):
                    sock.sendall(b"a" * 1024 * 1024)
                sock.sendall(b"\r\n\r\n")
            except OSError:
                pass
            try:
                first = sock.recv(100).split(b"\r\n")[0]
            except OSError:
                first = b"(connection reset)"
        return first, time.perf_counter() - t0

    with Probes(base) as probes:
        first, seconds = send()
    print(f"\n| {megabytes} MB header | answer | seconds |\n|---|---|---|\n"
          f"| | {first.decode()} | {seconds:.2f} |")  # fmt: skip
    print("\n| probes | p50 | p99 | max | answers |\n|---|---|---|---|---|")
    print(f"| {probes.row()} |")


def killed_worker(url: str, work: Path) -> None:
    redis = RedisServer(work)
    redis.start()
    env = {**os.environ, "DATABASE_URL": url, "REDIS_URL": redis.url, "PYTHONPATH": str(ROOT)}
    port = free_port()
    api = serve("app.main:app", port, env, ROOT)
    workers = [Worker(f"rush{i}", env, work / f"rush{i}.log") for i in range(2)]
    try:
        wait_until(lambda: all(w.ready() for w in workers), 60, "workers to be ready")
        body = {**PLAN, "time_limit_s": 3}
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
            jobs = [client.post("/v1/plan-jobs", json=body).json() for _ in range(6)]
            while client.get(f"/v1/plan-jobs/{jobs[0]['id']}").json()["status"] != "running":
                time.sleep(0.1)
            owner = next(w for w in workers if jobs[0]["id"].encode() in w.log.read_bytes())
            owner.kill()
            killed = time.perf_counter()
            done: dict[str, dict] = {}
            while len(done) < len(jobs) and time.perf_counter() - killed < 600:
                for job in jobs:
                    state = client.get(f"/v1/plan-jobs/{job['id']}").json()
                    if state["status"] in ("done", "failed", "cancelled"):
                        done.setdefault(
                            job["id"], {**state, "after": time.perf_counter() - killed}
                        )
                time.sleep(0.2)
        statuses = Counter(j["status"] for j in done.values())
        itineraries = len({j["itinerary_id"] for j in done.values() if j["itinerary_id"]})
        retried = [j for j in done.values() if j["attempts"] > 1]
        print("\n| kill -9 of 1 of 2 workers, 6 jobs | jobs | itineraries | last done after kill "
              "| the lost job, done after |\n|---|---|---|---|---|")  # fmt: skip
        last = max(j["after"] for j in done.values())
        lost = ", ".join(f"{j['after']:.1f} s (attempt {j['attempts']})" for j in retried)
        print(f"| | {dict(statuses)} | {itineraries} | {last:.1f} s | {lost or 'none'} |")
    finally:
        for w in workers:
            w.stop()
        api.terminate()
        api.wait(10)
        redis.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--plans", type=int, default=50)
    parser.add_argument("--rows", type=int, default=14_000)
    parser.add_argument("--no-jobs", action="store_true", help="skip the worker kill (no Redis)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        url = f"sqlite:///{work / 'rush.db'}"
        token = seeded(url)
        env = {**os.environ, "DATABASE_URL": url, "PYTHONPATH": str(ROOT)}
        env.pop("REDIS_URL", None)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        api = serve("app.main:app", port, env, ROOT)
        try:
            # The bounds first: the rush spends this address's solver seconds for a minute.
            bounds(base, token, "seed")
            answer, _ = post_import(base, token, spots_csv(1000, pad=0))
            assert answer == "200", answer
            bounds(base, token, "seed + 1,000")
            rush(base, args.plans)
            huge_header(base, port)
            big_import(base, token, args.rows)
        finally:
            api.terminate()
            api.wait(10)
        if not args.no_jobs:
            jobs_url = f"sqlite:///{work / 'jobs.db'}"
            seeded(jobs_url)
            killed_worker(jobs_url, work)


if __name__ == "__main__":
    main()
