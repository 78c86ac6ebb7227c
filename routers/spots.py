"""Scenic spots: list with filters, get one, and a day's opening windows."""

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response
from sqlmodel import Session

from app.models import Category
from app.schemas import SLUG, TripDate
from app.services import spots as service
from app.services.edits import SPOT
from routers.deps import DatumDep, LangDep, PageDep, SessionDep
from routers.errors import ERROR_RESPONSES
from routers.filters import BBoxDep, Slug, TextQuery
from routers.reads import NOT_MODIFIED, Built, ReadsDep
from routers.views import OpeningOut, Paged, SpotOut, spot_out, windows_out
from routers.writes import add_write_routes

router = APIRouter(prefix="/spots", tags=["spots"], responses=ERROR_RESPONSES)
SpotId = Annotated[str, Path(pattern=SLUG, max_length=64)]
SpotPage = Paged[SpotOut]


@router.get("", response_model=SpotPage, responses=NOT_MODIFIED)
def list_spots(
    reads: ReadsDep,
    page: PageDep,
    lang: LangDep,
    datum: DatumDep,
    bbox: BBoxDep,
    city: Slug = None,
    district: Slug = None,
    category: Annotated[list[Category] | None, Query(description="Any of these")] = None,
    a_level_min: Annotated[
        int | None, Query(ge=0, le=5, description="e.g. 4 for 4A and 5A")
    ] = None,
    central: Annotated[
        bool | None, Query(description="Only in (or outside) central districts")
    ] = None,
    q: TextQuery = None,
    open_on: Annotated[TripDate | None, Query(description="Only spots open that day")] = None,
) -> Response:
    """List scenic spots, ordered by city and id."""
    f = service.SpotFilter(
        city=city,
        district=district,
        categories=tuple(category or ()),
        a_level_min=a_level_min,
        central=central,
        bbox=bbox,
        q=q,
        open_on=open_on,
    )

    def build(session: Session) -> Built:
        views, total = service.list_spots(session, f, page)
        return Built(SpotPage(data=[spot_out(v, lang, datum) for v in views], count=total))

    return reads.respond(("spots", f, page, lang, datum), SpotPage, build)


@router.get("/{spot_id}", response_model=SpotOut, responses=NOT_MODIFIED)
def get_spot(spot_id: SpotId, reads: ReadsDep, lang: LangDep, datum: DatumDep) -> Response:
    """One scenic spot; its ETag goes back in If-Match when updating it."""

    def build(session: Session) -> Built:
        view = service.get_spot(session, spot_id)
        return Built(spot_out(view, lang, datum), view.spot.version)

    return reads.respond(("spot", spot_id, lang, datum), SpotOut, build)


@router.get("/{spot_id}/opening", response_model=OpeningOut)
def get_opening(
    spot_id: SpotId,
    session: SessionDep,
    on: Annotated[TripDate, Query(alias="date", description="Local date (Asia/Shanghai)")],
) -> OpeningOut:
    """That day's opening windows after season, weekday, holidays, 调休 and closures."""
    result = service.opening_on(service.get_spot(session, spot_id), on)
    return OpeningOut(
        spot_id=spot_id,
        date=on,
        day_kind=result.day.kind,
        holiday=result.day.name,
        calendar=result.day.status,
        closed_by=(result.closure.reason or "closed") if result.closure else None,
        windows=windows_out(result.windows),
    )


add_write_routes(router, SPOT, SpotOut, spot_out)
