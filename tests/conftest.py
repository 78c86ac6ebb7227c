"""Fixtures: a database of its own per test, copied from templates that are migrated (and
seeded) once per session, and an httpx client against the real app.

SQLite by default; with `DATABASE_URL=postgresql+psycopg://...` every test gets a new
PostgreSQL database cloned from a template database (the role needs CREATEDB).
"""

import itertools
import os
import sqlite3
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, closing
from pathlib import Path

import httpx
import pytest
from alembic import command
from alembic.config import Config
from playwright.sync_api import BrowserContext
from sqlalchemy import Engine, make_url, text
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session

from app.db import make_engine, session_scope
from app.main import create_app
from app.services.seed import apply_seed, read_seed
from app.settings import Settings, get_settings
from app.workers import JobQueue
from routers.deps import engine_dep
from tests.browser import LAUNCH_ARGS, LiveServer, Offline, chromium

ROOT = Path(__file__).resolve().parents[1]
# Tests and benchmarks plan trips on fixed dates from 2026-05-01 on, and plans may not start
# in the past: the service's today is pinned to that day, so they stay valid as time passes.
TODAY = "2026-05-01"
os.environ["TWINSTARS_TODAY"] = TODAY
get_settings.cache_clear()


def set_today(monkeypatch: pytest.MonkeyPatch, day: str | None) -> None:
    """Move the service's today for one test (None: the real date in China)."""
    if day is None:
        monkeypatch.delenv("TWINSTARS_TODAY")
    else:
        monkeypatch.setenv("TWINSTARS_TODAY", day)
    get_settings.cache_clear()


@pytest.fixture(autouse=True)
def _settings_read_afresh() -> Iterator[None]:
    """A test that changed the environment (its today, limits) leaves no cached settings."""
    yield
    get_settings.cache_clear()


def alembic_config(url: str) -> Config:
    cfg = Config(toml_file=str(ROOT / "pyproject.toml"))
    cfg.attributes["url"] = url
    return cfg


class Databases:
    """Creates throwaway databases, empty or cloned from a template, on one backend."""

    def __init__(self, base_url: str | None, workdir: Path) -> None:
        self.pg = base_url is not None and base_url.startswith("postgresql")
        self.base_url = base_url
        self.workdir = workdir
        self.prefix = f"ts_{uuid.uuid4().hex[:8]}"
        self.counter = itertools.count()
        self.created: list[str] = []

    def _admin(self) -> Engine:
        return make_engine(self.base_url).execution_options(isolation_level="AUTOCOMMIT")  # type: ignore[arg-type]

    def new(self, template: str | None = None) -> str:
        """URL of a new database, a copy of `template` (a URL from here) when given."""
        name = f"{self.prefix}_{next(self.counter)}"
        if not self.pg:
            path = self.workdir / f"{name}.db"
            if template:
                # The backup API, not a file copy: a WAL database's last writes may still
                # be in its -wal file.
                with (
                    closing(sqlite3.connect(make_url(template).database)) as src,  # type: ignore[arg-type]
                    closing(sqlite3.connect(path)) as dst,
                ):
                    src.backup(dst)
            return f"sqlite:///{path}"
        engine = self._admin()
        clause = f" TEMPLATE {make_url(template).database}" if template else ""
        with engine.connect() as conn:
            conn.execute(text(f"CREATE DATABASE {name}{clause}"))
        engine.dispose()
        self.created.append(name)
        return make_url(self.base_url).set(database=name).render_as_string(hide_password=False)  # type: ignore[arg-type]

    def drop(self, url: str) -> None:
        if not self.pg:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{make_url(url).database}{suffix}").unlink(missing_ok=True)
            return
        engine = self._admin()
        try:
            name = make_url(url).database
            with engine.connect() as conn:
                conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        except DBAPIError:
            # A server process of another role (autovacuum) may still be attached; the
            # database is dropped again at the end of the session.
            pass
        finally:
            engine.dispose()

    def drop_all(self) -> None:
        if self.pg:
            for name in reversed(self.created):
                self.drop(make_url(self.base_url).set(database=name).render_as_string(False))  # type: ignore[arg-type]


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    """Each test starts with empty rate-limit windows (memory storage is per process)."""
    from routers.ratelimit import _limiter

    _limiter.cache_clear()


@pytest.fixture(scope="session")
def databases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Databases]:
    dbs = Databases(os.environ.get("DATABASE_URL"), tmp_path_factory.mktemp("db"))
    yield dbs
    dbs.drop_all()


@pytest.fixture(scope="session")
def templates(databases: Databases) -> dict[str, str]:
    """Two template databases: migrated-empty and migrated-and-seeded."""
    empty = databases.new()
    command.upgrade(alembic_config(empty), "head")
    seeded = databases.new(template=empty)
    engine = make_engine(seeded)
    with session_scope(engine) as session:
        apply_seed(session, read_seed())
    engine.dispose()
    return {"empty": empty, "seeded": seeded}


def _engine(databases: Databases, template: str | None) -> Iterator[Engine]:
    url = databases.new(template)
    engine = make_engine(url)
    yield engine
    engine.dispose()
    databases.drop(url)


@pytest.fixture
def blank_url(databases: Databases) -> Iterator[str]:
    """An empty database that has not been migrated."""
    url = databases.new()
    yield url
    databases.drop(url)


@pytest.fixture
def empty_url(databases: Databases, templates: dict[str, str]) -> Iterator[str]:
    """A migrated database with no rows."""
    url = databases.new(templates["empty"])
    yield url
    databases.drop(url)


@pytest.fixture
def empty_engine(databases: Databases, templates: dict[str, str]) -> Iterator[Engine]:
    yield from _engine(databases, templates["empty"])


@pytest.fixture
def engine(databases: Databases, templates: dict[str, str]) -> Iterator[Engine]:
    """A seeded database of its own for each test."""
    yield from _engine(databases, templates["seeded"])


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with session_scope(engine) as s:
        yield s


@asynccontextmanager
async def api_client(
    engine: Engine, settings: Settings | None = None, queue: JobQueue | None = None
) -> AsyncIterator[httpx.AsyncClient]:
    """The real app (under `settings`, else the environment's) on `engine`, through httpx,
    with its own job queue unless `queue` is given; the queue is shut down at the end."""
    app = create_app(settings)
    if queue is not None:
        app.state.jobs.shutdown()
        app.state.jobs = queue
    app.dependency_overrides[engine_dep] = lambda: engine
    transport = httpx.ASGITransport(app=app)
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
            yield c
    finally:
        app.state.jobs.shutdown()


@pytest.fixture
async def client(engine: Engine) -> AsyncIterator[httpx.AsyncClient]:
    async with api_client(engine) as c:
        yield c


@pytest.fixture
def tokens(engine: Engine) -> dict[str, str]:
    """One key per role: admin, each city's bureau, marketer."""
    from app.models import Role
    from app.services.access import Principal
    from app.services.keys import create_key

    specs = {
        "admin": (Role.admin, None),
        "bureau_chifeng": (Role.bureau, "chifeng"),
        "bureau_tongliao": (Role.bureau, "tongliao"),
        "marketer": (Role.marketer, None),
    }
    FIXTURES = Principal(key_id=None, name="test fixtures", role=Role.admin)
    with session_scope(engine) as session:
        return {
            who: create_key(session, FIXTURES, who, role, city, None).token
            for who, (role, city) in specs.items()
        }


def auth(token: str | None) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"} if token else {}


# Page tests (tests/browser.py): pytest-playwright's `page` and `context` on Debian's
# Chromium, the service under uvicorn, and no request for any other origin.
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Page tests run last. While Playwright's sync API is up (a session fixture) the
    thread counts as running an event loop, so no async test could run after one."""
    items.sort(key=lambda item: "browser" in getattr(item, "fixturenames", ()))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    return {**browser_type_launch_args, "executable_path": chromium(), "args": LAUNCH_ARGS}


@pytest.fixture(scope="session")
def live_server(
    databases: Databases, templates: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    """The real service on a seeded database of its own, shared by the session's page
    tests (a test that writes must not count on what another one wrote)."""
    url = databases.new(templates["seeded"])
    server = LiveServer(url, tmp_path_factory.mktemp("live") / "uvicorn.log")
    yield server
    server.stop()
    databases.drop(url)


@pytest.fixture
def offline(context: BrowserContext, live_server: LiveServer) -> Offline:
    """The test's browser context reaches the live server only (see `Offline`)."""
    return Offline(context, live_server.url)
