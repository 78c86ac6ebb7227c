"""The unit of work (one transaction, then what must follow its commit) and the data
version: the database itself moves it on every committed change to the tables behind the
reads, whichever connection, process or tool made the change."""

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.exc import OperationalError
from sqlmodel import Session

from app.db import after_commit, data_version, session_scope
from app.models import City
from app.services import edits, holidays
from app.services.access import CLI
from tests.app.test_holidays import FIRST


def source(engine: Engine) -> str:
    """The city's tariff source as another connection sees it (committed data only)."""
    with Session(engine) as other:
        return other.get_one(City, "chifeng").tariff_source


def test_callbacks_run_in_order_once_the_transaction_committed(engine: Engine) -> None:
    seen: list[tuple[str, str]] = []
    with session_scope(engine) as session:
        session.get_one(City, "chifeng").tariff_source = "bureau notice"
        after_commit(session, lambda: seen.append(("first", source(engine))))
        after_commit(session, lambda: seen.append(("second", source(engine))))
        session.flush()
        assert seen == []
    assert seen == [("first", "bureau notice"), ("second", "bureau notice")]


def test_no_callback_runs_when_the_transaction_rolls_back(engine: Engine) -> None:
    seen: list[str] = []
    with pytest.raises(ValueError), session_scope(engine) as session:
        session.get_one(City, "chifeng").tariff_source = "never"
        after_commit(session, lambda: seen.append("ran"))
        raise ValueError("the request failed")
    assert seen == [] and source(engine) != "never"


class TestDataVersion:
    def test_a_committed_write_moves_it(self, engine: Engine) -> None:
        """An update of a spot through the services moves the version once committed."""
        before = data_version(engine)
        with session_scope(engine) as session:
            edits.update(session, CLI, edits.SPOT, "cf_museum", {"visit_minutes": 99}, "*")
            assert data_version(engine) == before  # not yet committed
        assert data_version(engine) > before  # type: ignore[operator]

    def test_a_rolled_back_write_leaves_it(self, engine: Engine) -> None:
        before = data_version(engine)
        with pytest.raises(RuntimeError), session_scope(engine) as session:
            edits.update(session, CLI, edits.SPOT, "cf_museum", {"visit_minutes": 99}, "*")
            raise RuntimeError("the request failed")
        assert data_version(engine) == before

    @pytest.mark.parametrize(
        "sql",
        [
            "UPDATE city SET gateway_night_penalty = 41",
            "UPDATE district SET name_en = 'Moved' WHERE id = 'cf_hongshan'",
            "DELETE FROM spot_category WHERE spot_id = 'cf_museum'",
            "UPDATE hub SET name_en = 'Moved' WHERE id = 'cf_hotel_hongshan'",
            "DELETE FROM transit_link WHERE id = 'cf_yulong'",
        ],
    )
    def test_plain_sql_on_a_read_table_moves_it(self, engine: Engine, sql: str) -> None:
        """SQL typed into a console counts as much as the API's writes."""
        before = data_version(engine)
        with engine.begin() as conn:
            conn.execute(text(sql))
        assert data_version(engine) > before  # type: ignore[operator]

    def test_a_loaded_holiday_notice_moves_it(self, engine: Engine) -> None:
        """Spots listed as open on a day depend on the holiday calendar too."""
        before = data_version(engine)
        with session_scope(engine) as session:
            holidays.replace_notice(session, CLI, 2027, FIRST)
        assert data_version(engine) > before  # type: ignore[operator]

    def test_writes_elsewhere_leave_it(self, engine: Engine) -> None:
        """Only what a read can show counts: audit rows and API keys do not."""
        before = data_version(engine)
        with engine.begin() as conn:
            conn.execute(text("DELETE FROM audit_entry"))
        assert data_version(engine) == before

    def test_a_dropped_connection_costs_a_retry_not_an_error(self, engine: Engine) -> None:
        """The check skips the pool's pre-ping: a connection the server dropped is found
        by the query, and the check starts over on a new one."""
        if engine.dialect.name != "postgresql":
            pytest.skip("SQLite has no server to drop a connection")
        before = data_version(engine)  # leaves a live connection in the check's pool
        with engine.begin() as conn:
            conn.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
            )
        assert data_version(engine) == before

    def test_an_unreachable_database_is_an_operational_error(self) -> None:
        """The raw query's driver errors come out as SQLAlchemy's (a 503 in the API)."""
        with pytest.raises(OperationalError):
            data_version(create_engine("sqlite:////nonexistent/dir/x.db"))


def test_on_sqlite_a_reader_is_not_kept_waiting_by_a_writer(engine: Engine) -> None:
    """WAL: while a transaction holds the write lock (an import), another connection reads
    the committed data at once, instead of waiting out the busy timeout."""
    if engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL readers never wait for writers")
    with engine.connect() as writer, engine.connect() as reader:
        # A cache of one page spills the change to the file before commit, as a large
        # import does: without WAL that takes the lock that shuts readers out.
        writer.exec_driver_sql("PRAGMA cache_size = 1")
        writer.execute(text("UPDATE spot SET source = 'pending'"))
        reader.exec_driver_sql("PRAGMA busy_timeout = 0")  # waiting would fail at once
        seen = reader.execute(text("SELECT tariff_source FROM city WHERE id = 'chifeng'"))
        assert seen.scalar_one() != "pending"
        writer.rollback()
