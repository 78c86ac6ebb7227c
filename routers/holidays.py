"""China's holiday calendar per year: its status and days; admins load the State
Council's notice for a year (no release needed) or remove it."""

from typing import Annotated

from fastapi import APIRouter, Path, Response, status

from app.schemas import NoticeIn
from app.services import holidays as service
from routers.deps import SessionDep, WriterDep
from routers.errors import ERROR_RESPONSES, WRITE_RESPONSES
from routers.ratelimit import WriteLimit
from routers.views import YearCalendarOut, year_calendar_out

router = APIRouter(prefix="/holiday-calendars", tags=["holidays"], responses=ERROR_RESPONSES)
Year = Annotated[int, Path(ge=2000, le=2100, description="Calendar year")]


@router.get("/{year}", response_model=YearCalendarOut)
def get_year(year: Year, session: SessionDep) -> YearCalendarOut:
    """The year's calendar: official or provisional, where it comes from, and its days."""
    return year_calendar_out(service.year_calendar(session, year))


@router.put("/{year}", response_model=YearCalendarOut, responses=WRITE_RESPONSES)
def put_year(
    year: Year, body: NoticeIn, _limit: WriteLimit, session: SessionDep, principal: WriterDep
) -> YearCalendarOut:
    """Load (or replace) the year's State Council notice (admins); the year is then official
    and comes from the notice alone."""
    service.replace_notice(session, principal, year, body)
    return year_calendar_out(service.year_calendar(session, year))


@router.delete("/{year}", status_code=status.HTTP_204_NO_CONTENT, responses=WRITE_RESPONSES)
def delete_year(
    year: Year, _limit: WriteLimit, session: SessionDep, principal: WriterDep
) -> Response:
    """Remove the year's notice (admins); the year falls back to the `holidays` package."""
    service.delete_notice(session, principal, year)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
