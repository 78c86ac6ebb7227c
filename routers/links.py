"""Transit links (road, rail, bus, air) with the departures of scheduled modes."""

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response

from app.models import Mode
from app.schemas import SLUG
from app.services import links as service
from app.services.edits import LINK, etag
from routers.deps import PageDep, SessionDep
from routers.errors import ERROR_RESPONSES
from routers.views import LinkOut, Paged, link_out
from routers.writes import add_write_routes

router = APIRouter(prefix="/links", tags=["transit links"], responses=ERROR_RESPONSES)


@router.get("", response_model=Paged[LinkOut])
def list_links(
    session: SessionDep,
    page: PageDep,
    mode: Annotated[list[Mode] | None, Query(description="Any of these")] = None,
    place: Annotated[
        str | None,
        Query(pattern=SLUG, description="Links starting or ending here"),
    ] = None,
) -> Paged[LinkOut]:
    """List transit links, ordered by id."""
    views, total = service.list_links(session, service.LinkFilter(tuple(mode or ()), place), page)
    return Paged[LinkOut](data=[link_out(v) for v in views], count=total)


@router.get("/{link_id}", response_model=LinkOut)
def get_link(
    link_id: Annotated[str, Path(pattern=SLUG)],
    response: Response,
    session: SessionDep,
) -> LinkOut:
    """One transit link with its departures; its ETag goes back in If-Match on updates."""
    view = service.get_link(session, link_id)
    response.headers["ETag"] = etag(view.link.version)
    return link_out(view)


add_write_routes(router, LINK, LinkOut, lambda view, _lang, _datum: link_out(view))
