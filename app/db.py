"""Engine factory and the one-transaction-per-unit-of-work session."""

import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import lru_cache

from sqlalchemy import Engine, event
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import ConnectionPoolEntry
from sqlmodel import Session, create_engine

from app.settings import get_settings


def make_engine(url: str) -> Engine:
    """Create an engine; SQLite gets foreign keys on, WAL, a busy timeout and a thread-safe
    connection setting."""
    if url.startswith("sqlite"):
        # Solve jobs write from other processes: wait for a lock rather than fail at once.
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn: DBAPIConnection, _record: ConnectionPoolEntry) -> None:
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            # Readers never wait for a writer (an import, a plan being stored), and a
            # commit syncs at checkpoints only: safe against a crash of the process.
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()

        return engine
    # A database host that vanished must give a 503 within seconds, not hang a worker.
    engine = create_engine(
        url,
        pool_pre_ping=True,
        pool_size=10,
        max_overflow=10,
        connect_args={"connect_timeout": 5},
    )
    # Every read checks the data version: on connections of its own, in autocommit (no
    # BEGIN and ROLLBACK around the query) and without the pre-ping round trip (a dead
    # connection shows in the query itself, which then starts over on new ones). A check
    # holds one for a round trip; four kept open serve thousands a second, and opening
    # overflow connections (a server process each) was what made the slow answers.
    checker = create_engine(
        url, isolation_level="AUTOCOMMIT", pool_size=4, max_overflow=0,
        connect_args={"connect_timeout": 5},
    )  # fmt: skip
    event.listen(engine, "engine_disposed", lambda _engine: checker.dispose())
    _version_engines[engine] = checker
    return engine


_version_engines: "weakref.WeakKeyDictionary[Engine, Engine]" = weakref.WeakKeyDictionary()


@lru_cache
def get_engine() -> Engine:
    return make_engine(get_settings().database_url)


AFTER_COMMIT = "after_commit"


def after_commit(session: Session, callback: Callable[[], None]) -> None:
    """Run `callback` once the session's transaction has committed, never if it rolls
    back: how work outside the database (a job handed to the queue) follows the one commit
    of a request. Callbacks run in order; one that raises is the request's error."""
    session.info.setdefault(AFTER_COMMIT, []).append(callback)


@contextmanager
def session_scope(engine: Engine | None = None) -> Iterator[Session]:
    """One transaction: commit when the block ends cleanly, roll back on any error; then
    the `after_commit` callbacks."""
    with Session(engine or get_engine(), expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.info.pop(AFTER_COMMIT, None)
            session.rollback()
            raise
        for callback in session.info.pop(AFTER_COMMIT, []):
            callback()


_DATA_VERSION_SQL = "SELECT version FROM data_version WHERE id = 1"


def data_version(engine: Engine) -> int | None:
    """The database's data version (`app.models.data_version`); None if its row is gone.

    One query on a raw pooled connection (of the engine's checker on PostgreSQL, see
    `make_engine`): a read answered from the page cache does nothing else, and SQLAlchemy's
    result machinery would cost more than the query. Driver errors are raised as
    SQLAlchemy's, so an unreachable database is still a 503.
    """
    checker = _version_engines.get(engine, engine)
    try:
        return _read_version(checker)
    except DBAPIError as exc:
        if checker is engine or not exc.connection_invalidated:
            raise
        checker.dispose()  # the rest of its pool went down with the one that failed
        return _read_version(checker)


def _read_version(engine: Engine) -> int | None:
    dbapi = engine.dialect.loaded_dbapi
    try:
        conn = engine.raw_connection()
    except dbapi.Error as exc:
        raise DBAPIError.instance(_DATA_VERSION_SQL, None, exc, dbapi.Error) from exc
    cursor = None
    try:
        cursor = conn.cursor()
        cursor.execute(_DATA_VERSION_SQL)
        row = cursor.fetchone()
    except dbapi.Error as exc:
        gone = engine.dialect.is_disconnect(exc, conn.driver_connection, cursor)
        conn.invalidate(exc)
        raise DBAPIError.instance(
            _DATA_VERSION_SQL, None, exc, dbapi.Error, connection_invalidated=gone
        ) from exc
    finally:
        if cursor is not None:
            cursor.close()
        conn.close()
    return None if row is None else int(row[0])
