"""The mobile share page of a package, at a short address (`/p/{id}`) for QR codes."""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from app.packages import service
from app.packages.document import Platform
from app.packages.page import share_page as render
from routers.deps import LangDep, PrincipalDep, SessionDep
from routers.errors import ERROR_RESPONSES, WRITE_RESPONSES
from routers.packages import PackageId

# 401: a key sent that is invalid (a draft is its marketer's, so the key is checked).
router = APIRouter(tags=["packages"], responses={**ERROR_RESPONSES, 401: WRITE_RESPONSES[401]})


@router.get("/p/{package_id:hex32}", response_class=HTMLResponse)
def share_page(
    package_id: PackageId,
    request: Request,
    session: SessionDep,
    principal: PrincipalDep,
    lang: LangDep,
) -> HTMLResponse:
    """A published package as a phone page: its days and stops, the dates it works, its
    exports and posters, and schema.org `TouristTrip` JSON-LD; no request leaves the
    service."""
    doc = service.get(session, principal, package_id)

    def url(name: str, **params: str) -> str:
        return str(request.url_for(name, package_id=package_id, **params))

    links = {
        "pdf": url("get_pdf"),
        "ics": url("get_ics"),
        "geojson": url("get_geojson"),
        **{f"poster_{p.value}": url("get_poster", platform=p.value) for p in Platform},
    }
    return HTMLResponse(render(doc, url("share_page"), lang.value, links))
