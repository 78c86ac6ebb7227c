"""Scenic spots: list with filters, get one, and a day's opening windows."""

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response

from app.models import Category
from app.schemas import SLUG, TripDate
from app.services import spots as service
from app.services.edits import SPOT, etag
from routers.deps import DatumDep, LangDep, PageDep, SessionDep
from routers.errors import ERROR_RESPONSES
from routers.filters import BBoxDep, Slug, TextQuery
from routers.views import OpeningOut, Paged, SpotOut, spot_out, windows_out
from routers.writes import add_write_routes

router = APIRouter(prefix="/spots", tags=["spots"], responses=ERROR_RESPONSES)
SpotId = Annotated[str, Path(pattern=SLUG, max_length=64)]


@router.get("", response_model=Paged[SpotOut])
def list_spots(
    session: SessionDep,
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
) -> Paged[SpotOut]:
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
    views, total = service.list_spots(session, f, page)
    return Paged[SpotOut](data=[spot_out(v, lang, datum) for v in views], count=total)


@router.get("/{spot_id}", response_model=SpotOut)
def get_spot(
    spot_id: SpotId, response: Response, session: SessionDep, lang: LangDep, datum: DatumDep
) -> SpotOut:
    """One scenic spot; its ETag goes back in If-Match when updating it."""
    view = service.get_spot(session, spot_id)
    response.headers["ETag"] = etag(view.spot.version)
    return spot_out(view, lang, datum)


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
