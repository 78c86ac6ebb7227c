"""A throwaway SQLite database, migrated and seeded, for the benchmarks."""

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from sqlalchemy import Engine

from app.db import make_engine, session_scope
from app.services.seed import apply_seed, read_seed
from tests.conftest import alembic_config


@contextmanager
def seeded_engine() -> Iterator[Engine]:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        command.upgrade(alembic_config(url), "head")
        engine = make_engine(url)
        with session_scope(engine) as session:
            apply_seed(session, read_seed())
        yield engine
