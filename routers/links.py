"""Transit links (road, rail, bus, air) with the departures of scheduled modes."""

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response
from sqlmodel import Session

from app.models import Mode
from app.schemas import SLUG
from app.services import links as service
from app.services.edits import LINK
from routers.deps import PageDep
from routers.errors import ERROR_RESPONSES
from routers.reads import NOT_MODIFIED, Built, ReadsDep
from routers.views import LinkOut, Paged, link_out
from routers.writes import add_write_routes

router = APIRouter(prefix="/links", tags=["transit links"], responses=ERROR_RESPONSES)
LinkPage = Paged[LinkOut]


@router.get("", response_model=LinkPage, responses=NOT_MODIFIED)
def list_links(
    reads: ReadsDep,
    page: PageDep,
    mode: Annotated[list[Mode] | None, Query(description="Any of these")] = None,
    place: Annotated[
        str | None,
        Query(pattern=SLUG, description="Links starting or ending here"),
    ] = None,
) -> Response:
    """List transit links, ordered by id."""
    f = service.LinkFilter(tuple(mode or ()), place)

    def build(session: Session) -> Built:
        views, total = service.list_links(session, f, page)
        return Built(LinkPage(data=[link_out(v) for v in views], count=total))

    return reads.respond(("links", f, page), LinkPage, build, vary_language=False)


@router.get("/{link_id}", response_model=LinkOut, responses=NOT_MODIFIED)
def get_link(link_id: Annotated[str, Path(pattern=SLUG)], reads: ReadsDep) -> Response:
    """One transit link with its departures; its ETag goes back in If-Match on updates."""

    def build(session: Session) -> Built:
        view = service.get_link(session, link_id)
        return Built(link_out(view), view.link.version)

    return reads.respond(("link", link_id), LinkOut, build, vary_language=False)


add_write_routes(router, LINK, LinkOut, lambda view, _lang, _datum: link_out(view))
