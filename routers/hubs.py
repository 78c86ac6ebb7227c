"""Hubs: stations, airports, hotel areas, visitor centres, evening leisure, gateways."""

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response

from app.models import HubKind
from app.schemas import SLUG
from app.services import hubs as service
from app.services.edits import HUB, etag
from routers.deps import DatumDep, LangDep, PageDep, SessionDep
from routers.errors import ERROR_RESPONSES
from routers.filters import BBoxDep, Slug, TextQuery
from routers.views import HubOut, Paged, hub_out
from routers.writes import add_write_routes

router = APIRouter(prefix="/hubs", tags=["hubs"], responses=ERROR_RESPONSES)


@router.get("", response_model=Paged[HubOut])
def list_hubs(
    session: SessionDep,
    page: PageDep,
    lang: LangDep,
    datum: DatumDep,
    bbox: BBoxDep,
    city: Slug = None,
    district: Slug = None,
    kind: Annotated[list[HubKind] | None, Query(description="Any of these")] = None,
    central: Annotated[
        bool | None, Query(description="Only in (or outside) central districts")
    ] = None,
    q: TextQuery = None,
) -> Paged[HubOut]:
    """List hubs, ordered by city and id."""
    f = service.HubFilter(
        city=city, district=district, kinds=tuple(kind or ()), central=central, bbox=bbox, q=q
    )
    views, total = service.list_hubs(session, f, page)
    return Paged[HubOut](data=[hub_out(v, lang, datum) for v in views], count=total)


@router.get("/{hub_id}", response_model=HubOut)
def get_hub(
    hub_id: Annotated[str, Path(pattern=SLUG)],
    response: Response,
    session: SessionDep,
    lang: LangDep,
    datum: DatumDep,
) -> HubOut:
    """One hub; its ETag goes back in If-Match when updating it."""
    view = service.get_hub(session, hub_id)
    response.headers["ETag"] = etag(view.hub.version)
    return hub_out(view, lang, datum)


add_write_routes(router, HUB, HubOut, hub_out)
