"""What the plans tell the bureaus: a city's report over a period (its bureau or admins)."""

from dataclasses import asdict
from datetime import date, datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Path, Query, Response
from pydantic import BaseModel, Field
from sqlmodel import Session

from app.schemas import CITY_SLUG, TripDate
from app.services import charts
from app.services.access import Principal
from app.services.stats import CityReport, city_report
from app.settings import TZ
from routers.deps import SessionDep, WriterDep
from routers.errors import ERROR_RESPONSES, WRITE_RESPONSES
from routers.ratelimit import limited

router = APIRouter(
    prefix="/stats",
    tags=["stats"],
    responses={**ERROR_RESPONSES, **WRITE_RESPONSES},
    dependencies=[limited("keyed")],
)


class ExposureOut(BaseModel):
    spot_id: str
    planned: int = Field(description="Plans that visit it")
    requested: int = Field(description="Plans that asked for it as a must-visit")


class UnmetOut(BaseModel):
    spot_id: str
    reason: str
    plans: int


class CityReportOut(BaseModel):
    city_id: str
    start: date
    end: date
    plans: int = Field(description="Plans that sleep or visit in the city")
    nights: int
    central_nights: int = Field(description="Of the nights, in the central district")
    exposure: list[ExposureOut]
    transfers: dict[str, int] = Field(description="Two-city plans by mode between the cities")
    unmet: list[UnmetOut] = Field(description="Must-visits of the city that did not fit")
    two_city_plans: int
    balance_nights: dict[str, int] = Field(description="Nights per city of two-city plans")
    balance_visits: dict[str, int] = Field(description="Visits per city of two-city plans")


CHART_TYPES = {"png": "image/png", "svg": "image/svg+xml"}


# Before the JSON route: "/cities/{city_id}" would take "chifeng.png" as a city id.
@router.get(
    "/cities/{city_id}.{fmt}",
    response_class=Response,
    responses={200: {"content": {t: {"schema": {"type": "string"}} for t in CHART_TYPES.values()},
                     "description": "The report as a chart, Chinese labels"}},
)  # fmt: skip
def get_city_chart(
    city_id: Annotated[str, Path(pattern=CITY_SLUG)],
    fmt: Annotated[str, Path(pattern=r"^(png|svg)$")],
    session: SessionDep,
    principal: WriterDep,
    start: Annotated[TripDate | None, Query(alias="from", description="30 days ago")] = None,
    end: Annotated[TripDate | None, Query(alias="to", description="Today (China)")] = None,
) -> Response:
    """The same report as a chart (PNG or SVG) with Chinese labels, for a bureau's own
    reports: nights in and out of the central district, the most planned spots against
    the must-visit requests, the transfers between the cities."""
    report = _report(session, principal, city_id, start, end)
    return Response(charts.city_chart(session, report, fmt), media_type=CHART_TYPES[fmt])


def _report(
    session: Session, who: Principal, city_id: str, start: date | None, end: date | None
) -> CityReport:
    end = end or datetime.now(TZ).date()  # the log's clock, not a pinned planning day
    return city_report(session, who, city_id, start or end - timedelta(days=30), end)


@router.get("/cities/{city_id}", response_model=CityReportOut)
def get_city_report(
    city_id: Annotated[str, Path(pattern=CITY_SLUG)],
    session: SessionDep,
    principal: WriterDep,
    start: Annotated[TripDate | None, Query(alias="from", description="30 days ago")] = None,
    end: Annotated[TripDate | None, Query(alias="to", description="Today (China)")] = None,
) -> CityReportOut:
    """Nights generated and how many in the central district (the forum's aim), spot
    exposure, transfers between the cities, unmet must-visits and the twin-city balance,
    from the log of plans answered (no personal data is logged)."""
    report = _report(session, principal, city_id, start, end)
    fields = asdict(report)
    fields["unmet"] = [UnmetOut(spot_id=s, reason=r, plans=n) for s, r, n in report.unmet]
    return CityReportOut(**fields)
