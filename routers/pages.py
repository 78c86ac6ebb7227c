"""The service's own web pages: plain HTML, CSS and ES modules from `app/web/` that use
only the public JSON API (`/v1/...`). Out of the OpenAPI schema: they are not API."""

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse

from app.errors import NotFound
from routers.packages import PackageId

WEB = Path(__file__).resolve().parents[1] / "app" / "web"
STATIC = WEB / "static"

router = APIRouter(include_in_schema=False)


def _page(name: str) -> FileResponse:
    """The page's file; a page not written yet is a 404 problem like any other."""
    path = WEB / name
    if not path.is_file():
        raise NotFound(f"no page {name}")
    # no-cache: the pages and their modules change together on a deploy.
    return FileResponse(path, media_type="text/html", headers={"Cache-Control": "no-cache"})


@router.get("/")
def plan_page() -> FileResponse:
    """The traveller's page: plan a trip, see it on a map, replan, export, share."""
    return _page("plan.html")


@router.get("/packages")
def packages_page() -> FileResponse:
    return _page("packages.html")


@router.get("/packages/{package_id:hex32}")
def package_page(package_id: PackageId) -> FileResponse:
    return _page("package.html")


@router.get("/studio")
def studio_page() -> FileResponse:
    return _page("studio.html")


@router.get("/stats")
def stats_page() -> FileResponse:
    return _page("stats.html")
