"""Fixtures: a freshly migrated database per test (copied from a template migrated once
per session), optionally seeded, and an httpx client against the real app."""

import shutil
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import Engine
from sqlmodel import Session

from app.db import make_engine, session_scope
from app.main import create_app
from app.services.seed import apply_seed, read_seed
from routers.deps import engine_dep

ROOT = Path(__file__).resolve().parents[1]


def alembic_config(url: str) -> Config:
    cfg = Config(toml_file=str(ROOT / "pyproject.toml"))
    cfg.attributes["url"] = url
    return cfg


def _sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


@pytest.fixture(scope="session")
def template_dbs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Two template files: migrated-empty and migrated-and-seeded."""
    base = tmp_path_factory.mktemp("templates")
    empty, seeded = base / "empty.db", base / "seeded.db"
    command.upgrade(alembic_config(_sqlite_url(empty)), "head")
    shutil.copy(empty, seeded)
    engine = make_engine(_sqlite_url(seeded))
    with session_scope(engine) as session:
        apply_seed(session, read_seed())
    engine.dispose()
    return {"empty": empty, "seeded": seeded}


def _engine_from(template: Path, tmp_path: Path) -> Iterator[Engine]:
    db = tmp_path / "test.db"
    shutil.copy(template, db)
    engine = make_engine(_sqlite_url(db))
    yield engine
    engine.dispose()


@pytest.fixture
def empty_engine(template_dbs: dict[str, Path], tmp_path: Path) -> Iterator[Engine]:
    yield from _engine_from(template_dbs["empty"], tmp_path)


@pytest.fixture
def engine(template_dbs: dict[str, Path], tmp_path: Path) -> Iterator[Engine]:
    """A seeded database of its own for each test."""
    yield from _engine_from(template_dbs["seeded"], tmp_path)


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with session_scope(engine) as s:
        yield s


@pytest.fixture
async def client(engine: Engine) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app()
    app.dependency_overrides[engine_dep] = lambda: engine
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
        yield c
