"""The unit of work: one transaction, then what must follow its commit."""

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from app.db import after_commit, session_scope
from app.models import City


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
