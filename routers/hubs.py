"""Hubs: stations, airports, hotel areas, visitor centres, evening leisure, gateways."""

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response
from sqlmodel import Session

from app.models import HubKind
from app.schemas import SLUG
from app.services import hubs as service
from app.services.edits import HUB
from routers.deps import DatumDep, LangDep, PageDep
from routers.errors import ERROR_RESPONSES
from routers.filters import BBoxDep, Slug, TextQuery
from routers.reads import NOT_MODIFIED, Built, ReadsDep
from routers.views import HubOut, Paged, hub_out
from routers.writes import add_write_routes

router = APIRouter(prefix="/hubs", tags=["hubs"], responses=ERROR_RESPONSES)
HubPage = Paged[HubOut]


@router.get("", response_model=HubPage, responses=NOT_MODIFIED)
def list_hubs(
    reads: ReadsDep,
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
) -> Response:
    """List hubs, ordered by city and id."""
    f = service.HubFilter(
        city=city, district=district, kinds=tuple(kind or ()), central=central, bbox=bbox, q=q
    )

    def build(session: Session) -> Built:
        views, total = service.list_hubs(session, f, page)
        return Built(HubPage(data=[hub_out(v, lang, datum) for v in views], count=total))

    return reads.respond(("hubs", f, page, lang, datum), HubPage, build)


@router.get("/{hub_id}", response_model=HubOut, responses=NOT_MODIFIED)
def get_hub(
    hub_id: Annotated[str, Path(pattern=SLUG)], reads: ReadsDep, lang: LangDep, datum: DatumDep
) -> Response:
    """One hub; its ETag goes back in If-Match when updating it."""

    def build(session: Session) -> Built:
        view = service.get_hub(session, hub_id)
        return Built(hub_out(view, lang, datum), view.hub.version)

    return reads.respond(("hub", hub_id, lang, datum), HubOut, build)


add_write_routes(router, HUB, HubOut, hub_out)
