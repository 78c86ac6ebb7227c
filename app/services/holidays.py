"""Holiday notices: admins load a year's State Council notice (API or CLI, audited), and
every opening answer reads the calendar they make.

Several processes serve the API and run plans, so a loaded notice must reach all of them
without a restart: each read asks the database for the loaded years and their `loaded_at`
(one small query) and rebuilds the calendar only when that list changed.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, select
from sqlmodel import Session, col

from app.errors import InvalidInput, NotFound
from app.holiday_calendar import (
    CalendarSource,
    CalendarStatus,
    HolidayCalendar,
    NoticeDay,
    NoticeDayKind,
)
from app.models import HolidayNotice, HolidayNoticeDay, Role
from app.schemas import NoticeIn
from app.services.access import Principal, require
from app.services.audit import record

ENTITY = "holidays"
Stamps = tuple[tuple[int, datetime], ...]
_last: tuple[Stamps, HolidayCalendar] = ((), HolidayCalendar())


def _stamps(session: Session) -> Stamps:
    rows = session.execute(
        select(col(HolidayNotice.year), col(HolidayNotice.loaded_at)).order_by(
            col(HolidayNotice.year)
        )
    )
    return tuple((year, at) for year, at in rows)


def current_calendar(session: Session) -> HolidayCalendar:
    """The calendar with every notice loaded (committed, or written in this session)."""
    global _last
    stamps, calendar = _last
    if _stamps(session) == stamps:
        return calendar
    # Notices and days in one statement, and the cache keyed by what it read: a notice
    # committed between two queries cannot leave days cached under an older key.
    rows = session.execute(
        select(
            col(HolidayNotice.year),
            col(HolidayNotice.loaded_at),
            col(HolidayNoticeDay.date),
            col(HolidayNoticeDay.kind),
            col(HolidayNoticeDay.name),
        ).outerjoin(HolidayNoticeDay, col(HolidayNoticeDay.year) == HolidayNotice.year)
    ).all()
    read = tuple(sorted({(r.year, r.loaded_at) for r in rows}))
    notices: dict[int, list[NoticeDay]] = {year: [] for year, _ in read}
    for r in rows:
        if r.date is not None:
            notices[r.year].append(NoticeDay(r.date, NoticeDayKind(r.kind), r.name))
    calendar = HolidayCalendar(notices)
    _last = (read, calendar)
    return calendar


@dataclass(frozen=True)
class YearCalendar:
    year: int
    status: CalendarStatus
    source: CalendarSource
    notice: HolidayNotice | None
    days: list[NoticeDay]


def year_calendar(session: Session, year: int) -> YearCalendar:
    """A year's status, where it comes from, and its holidays and swapped working days."""
    calendar = current_calendar(session)
    return YearCalendar(
        year,
        calendar.status(year),
        calendar.source(year),
        session.get(HolidayNotice, year),
        calendar.special_days(year),
    )


def _check_days(year: int, doc: NoticeIn, loc: Sequence[str | int]) -> None:
    seen = set()
    for i, day in enumerate(doc.days):
        if day.date.year != year:
            raise InvalidInput([*loc, "days", i, "date"], f"{day.date} is not in {year}")
        if day.date in seen:
            raise InvalidInput([*loc, "days", i, "date"], f"{day.date} is listed twice")
        seen.add(day.date)


def _state(session: Session, notice: HolidayNotice) -> dict[str, Any]:
    """The notice as its input document: what the audit keeps before a change."""
    days = session.scalars(
        select(HolidayNoticeDay)
        .where(col(HolidayNoticeDay.year) == notice.year)
        .order_by(col(HolidayNoticeDay.date))
    )
    doc = NoticeIn.model_validate(
        {
            "source": notice.source,
            "published": notice.published,
            "days": [{"date": d.date, "kind": d.kind, "name": d.name} for d in days],
        }
    )
    return doc.model_dump(mode="json")


def replace_notice(
    session: Session,
    who: Principal | None,
    year: int,
    doc: NoticeIn,
    loc: Sequence[str | int] = ("body",),
) -> HolidayNotice:
    """Make `doc` the year's notice (admins): its calendar then comes from it alone."""
    p = require(who, Role.admin)
    _check_days(year, doc, loc)
    notice = session.get(HolidayNotice, year)
    now = datetime.now(UTC)
    before = None
    if notice is None:
        notice = HolidayNotice(year=year, source=doc.source, published=doc.published,
                               loaded_at=now, loaded_by=p.key_id)  # fmt: skip
        session.add(notice)
    else:
        before = _state(session, notice)
        session.execute(delete(HolidayNoticeDay).where(col(HolidayNoticeDay.year) == year))
        notice.source, notice.published, notice.loaded_by = doc.source, doc.published, p.key_id
        # Later than the last load even if this server's clock is behind: the cache key moves.
        notice.loaded_at = max(now, notice.loaded_at + timedelta(microseconds=1))
    session.flush()
    session.add_all(
        HolidayNoticeDay(year=year, date=d.date, kind=d.kind.value, name=d.name) for d in doc.days
    )
    session.flush()
    action = "create" if before is None else "update"
    record(session, p, action, ENTITY, str(year), (), before, doc.model_dump(mode="json"))
    return notice


def delete_notice(session: Session, who: Principal | None, year: int) -> None:
    """Remove a year's notice (admins): the year falls back to `holidays`."""
    p = require(who, Role.admin)
    notice = session.get(HolidayNotice, year)
    if notice is None:
        raise NotFound(f"no holiday notice is loaded for {year}")
    before = _state(session, notice)
    session.execute(delete(HolidayNoticeDay).where(col(HolidayNoticeDay.year) == year))
    session.delete(notice)
    session.flush()
    record(session, p, "delete", ENTITY, str(year), (), before, None)
