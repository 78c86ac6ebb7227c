"""Loaded holiday notices: replaced whole, audited, and seen by every later session."""

from datetime import date

import pytest
from sqlalchemy import Engine, select

from app.db import session_scope
from app.errors import InvalidInput, NotFound
from app.holiday_calendar import CalendarSource, DayKind
from app.models import AuditEntry, HolidayNoticeDay
from app.schemas import NoticeIn
from app.services import holidays
from app.services.access import CLI


def notice(*days: tuple[str, str, str]) -> NoticeIn:
    return NoticeIn.model_validate(
        {
            "source": "https://www.gov.cn/zhengce/2027-notice.htm",
            "published": "2026-11-20",
            "days": [{"date": d, "kind": k, "name": n} for d, k, n in days],
        }
    )


FIRST = notice(("2027-10-05", "holiday", "国庆节"), ("2027-02-14", "workday", ""))
SECOND = notice(("2027-10-06", "holiday", "国庆节"))


def kind_on(engine: Engine, day: date) -> DayKind:
    """What a new session (another request, another process) sees."""
    with session_scope(engine) as session:
        return holidays.current_calendar(session).day(day).kind


def test_load_replace_delete(engine: Engine) -> None:
    """Each step reaches later sessions at once, and the audit keeps before and after."""
    assert kind_on(engine, date(2027, 10, 5)) is DayKind.public_holiday  # the package's guess
    assert kind_on(engine, date(2027, 10, 6)) is DayKind.workday
    with session_scope(engine) as session:
        holidays.replace_notice(session, CLI, 2027, FIRST)
    assert kind_on(engine, date(2027, 2, 14)) is DayKind.swapped_workday
    with session_scope(engine) as session:
        holidays.replace_notice(session, CLI, 2027, SECOND)
    assert kind_on(engine, date(2027, 10, 5)) is DayKind.workday  # no longer listed
    assert kind_on(engine, date(2027, 10, 6)) is DayKind.public_holiday
    assert kind_on(engine, date(2027, 2, 14)) is DayKind.weekend
    with session_scope(engine) as session:
        assert len(session.scalars(select(HolidayNoticeDay)).all()) == 1
        holidays.delete_notice(session, CLI, 2027)
    assert kind_on(engine, date(2027, 10, 6)) is DayKind.workday
    with session_scope(engine) as session:
        assert holidays.year_calendar(session, 2027).source is CalendarSource.rules
        rows = session.scalars(
            select(AuditEntry).where(AuditEntry.entity == "holidays").order_by(AuditEntry.id)
        ).all()
    assert [(r.action, r.actor, r.entity_id) for r in rows] == [
        ("create", "cli", "2027"),
        ("update", "cli", "2027"),
        ("delete", "cli", "2027"),
    ]
    assert rows[1].before == FIRST.model_dump(mode="json") | {"days": [
        {"date": "2027-02-14", "kind": "workday", "name": ""},
        {"date": "2027-10-05", "kind": "holiday", "name": "国庆节"},
    ]}  # fmt: skip
    assert rows[1].after == SECOND.model_dump(mode="json")
    assert rows[2].after is None


def test_a_rolled_back_load_leaves_nothing(engine: Engine) -> None:
    """The calendar read inside a failed transaction is not what later sessions get."""
    with pytest.raises(RuntimeError), session_scope(engine) as session:
        holidays.replace_notice(session, CLI, 2027, SECOND)
        assert holidays.current_calendar(session).day(date(2027, 10, 6)).name == "国庆节"
        raise RuntimeError
    assert kind_on(engine, date(2027, 10, 6)) is DayKind.workday


@pytest.mark.parametrize(
    ("doc", "msg"),
    [
        (notice(("2026-10-05", "holiday", "国庆节")), "2026-10-05 is not in 2027"),
        (
            notice(("2027-10-05", "holiday", "国庆节"), ("2027-10-05", "holiday", "国庆节")),
            "2027-10-05 is listed twice",
        ),
    ],
)
def test_days_must_be_the_years_and_listed_once(engine: Engine, doc: NoticeIn, msg: str) -> None:
    with session_scope(engine) as session, pytest.raises(InvalidInput) as exc:
        holidays.replace_notice(session, CLI, 2027, doc)
    assert exc.value.errors[0]["msg"] == msg
    assert exc.value.errors[0]["loc"][:2] == ["body", "days"]


def test_deleting_a_year_without_a_notice_is_404(engine: Engine) -> None:
    with session_scope(engine) as session, pytest.raises(NotFound):
        holidays.delete_notice(session, CLI, 2027)


def test_loading_the_same_notice_again_moves_its_load_time(engine: Engine) -> None:
    """Same dates, new rows: the stamp that versions every process's cache moves on."""
    with session_scope(engine) as session:
        first = holidays.replace_notice(session, CLI, 2027, FIRST).loaded_at
    with session_scope(engine) as session:
        again = holidays.replace_notice(session, CLI, 2027, FIRST).loaded_at
        assert len(session.scalars(select(HolidayNoticeDay)).all()) == 2
    assert again > first
    assert kind_on(engine, date(2027, 2, 14)) is DayKind.swapped_workday
