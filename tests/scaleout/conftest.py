"""A real queue for each test: a private Redis (one per session, flushed per test), a
seeded database of the test's own, `twinstars worker` processes on it, and the API
configured for Celery, reached through httpx."""

import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine

from app.db import make_engine
from app.settings import Settings
from tests.conftest import Databases, api_client
from tests.services import RedisServer, Worker, wait_until

# Short, so a job of a worker that vanished is handed on within seconds; every job in
# these tests is far shorter.
VISIBILITY_S = 6


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path_factory.mktemp("redis"))
    server.start()
    yield server
    server.stop()


class Cluster:
    """The services of one test; workers are started on demand and stopped at the end."""

    def __init__(self, redis: RedisServer, database_url: str, logs: Path) -> None:
        self.redis, self.database_url, self.logs = redis, database_url, logs
        self.settings = Settings(
            database_url=database_url,
            redis_url=redis.url,
            job_visibility_timeout_s=VISIBILITY_S,
            environment="test",
        )
        self.engine: Engine = make_engine(database_url)
        self.workers: list[Worker] = []
        self.visibility_s = VISIBILITY_S  # of the workers started from now on

    def start_workers(self, count: int) -> list[Worker]:
        env = {
            **os.environ,
            "DATABASE_URL": self.database_url,
            "REDIS_URL": self.redis.url,
            "JOB_VISIBILITY_TIMEOUT_S": str(self.visibility_s),
            "ENVIRONMENT": "test",
        }
        new = [
            Worker(f"w{len(self.workers) + i}", env, self.logs / f"w{len(self.workers) + i}.log")
            for i in range(count)
        ]
        self.workers += new
        wait_until(lambda: all(w.ready() for w in new), 60, "workers to be ready")
        return new

    def close(self) -> None:
        for worker in self.workers:
            worker.stop()
        self.engine.dispose()


@pytest.fixture
def cluster(
    redis_server: RedisServer, databases: Databases, templates: dict[str, str], tmp_path: Path
) -> Iterator[Cluster]:
    redis_server.client().flushall()
    url = databases.new(templates["seeded"])
    cluster = Cluster(redis_server, url, tmp_path)
    yield cluster
    cluster.close()
    databases.drop(url)


@pytest.fixture
async def api(cluster: Cluster) -> AsyncIterator[httpx.AsyncClient]:
    """The API with the Celery back-end, on the cluster's database."""
    async with api_client(cluster.engine, cluster.settings) as client:
        yield client
