"""Alembic environment: metadata from app.models, URL from settings, batch mode on SQLite."""

from typing import Any, Literal

from alembic import context
from sqlalchemy import Connection

import app.models
from app.db import make_engine
from app.models.base import UTCDateTime
from app.settings import get_settings

config = context.config
target_metadata = app.models.metadata


def _url() -> str:
    return config.attributes.get("url") or get_settings().database_url


def _render_item(type_: str, obj: object, autogen_context: object) -> str | Literal[False]:
    """Write our column types as the plain SQLAlchemy types they wrap."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def _configure(**kwargs: Any) -> None:
    url = _url()
    context.configure(
        target_metadata=target_metadata,
        render_as_batch=url.startswith("sqlite"),
        compare_type=True,
        render_item=_render_item,
        **kwargs,
    )


def run_migrations_offline() -> None:
    _configure(url=_url(), literal_binds=True, dialect_opts={"paramstyle": "named"})
    with context.begin_transaction():
        context.run_migrations()


def _run(connection: Connection) -> None:
    if connection.dialect.name == "sqlite":
        # Batch mode rebuilds tables (copy, drop, rename); foreign keys would block the drop.
        connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
        connection.commit()  # end the autobegun transaction so Alembic's own one commits
    _configure(connection=connection)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = make_engine(_url())
    with engine.connect() as conn:
        _run(conn)
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
