"""Featured route packages: marketers generate and curate them, everyone reads the
published ones and their exports."""

import math
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.convertors import StringConvertor, register_url_convertor

from app.errors import Unauthorized
from app.models import Category, ImportJob, JobStatus, PackageStatus
from app.packages import service
from app.packages.document import Package, Platform
from app.packages.handout import handout
from app.packages.posters import poster
from app.planning import exports
from app.planning import service as planning
from app.schemas import CITY_SLUG
from app.services import import_jobs
from app.services.access import NEEDS_KEY
from app.services.etags import etag
from routers.deps import EngineDep, PageDep, PrincipalDep, SessionDep, WriterDep
from routers.errors import ERROR_RESPONSES, WRITE_RESPONSES
from routers.itineraries import ICS, GeoJSONResponse
from routers.ratelimit import limited, spend
from routers.views import Paged
from routers.writes import RequiredIfMatch

router = APIRouter(
    prefix="/packages", tags=["packages"], responses={**ERROR_RESPONSES, **WRITE_RESPONSES}
)
PackageId = Annotated[str, Path(pattern=r"^[0-9a-f]{32}$")]


class _Hex32(StringConvertor):
    """Package ids in paths: `/packages/generate` and `/packages/<id>.ics` are never taken
    for a package id, so a method one of them lacks is 405, not another route's 401."""

    regex = "[0-9a-f]{32}"


register_url_convertor("hex32", _Hex32())
JOB_KIND = "packages"


class GenerationReport(BaseModel):
    package_ids: list[str] = Field(description="The draft packages made, best first")
    asked: int
    made: int = Field(description="Fewer than asked when no more distinct trips exist")


class GenerationJobOut(BaseModel):
    id: str
    status: JobStatus
    created_at: datetime
    finished_at: datetime | None
    done: int = Field(description="Packages planned so far")
    total: int = Field(description="Packages asked for")
    report: GenerationReport | None
    error: str | None


def _job_out(job: ImportJob) -> GenerationJobOut:
    return GenerationJobOut(**job.model_dump(exclude={"key_id", "heartbeat_at", "kind"}))


@router.post(
    "/generate",
    status_code=202,
    response_model=GenerationJobOut,
    dependencies=[limited("keyed")],
)
async def generate(
    body: service.GenerateRequest, request: Request, engine: EngineDep, principal: WriterDep
) -> Response:
    """Generate `count` distinct candidate packages of a theme for a season (drafts), as a
    job: poll the Location for progress. The trip optimiser plans them one after another,
    each keeping at most half of any earlier one's spots (Jaccard overlap <= 0.5), and
    checks each against every start date of the season. Marketers of the city (or of the
    region, for joint packages) and admins."""
    service.check_write(principal, body.cities)
    cost = max(1, math.ceil(body.time_limit_s * body.count))
    spend("solver_seconds", request, request.headers.get("authorization"), cost)

    def work(progress: Any) -> dict[str, Any]:
        return service.generate(engine, principal, body, progress)

    job = await run_in_threadpool(
        import_jobs.launch, engine, principal, JOB_KIND, body.count, work
    )
    url = str(request.url_for("get_generation_job", job_id=job.id))
    content = _job_out(job).model_dump(mode="json")
    return JSONResponse(content, status_code=202, headers={"Location": url})


@router.get("/jobs/{job_id}", response_model=GenerationJobOut, dependencies=[limited("keyed")])
def get_generation_job(
    job_id: Annotated[str, Path(pattern=r"^[0-9a-f]{32}$")],
    session: SessionDep,
    principal: WriterDep,
) -> GenerationJobOut:
    """A generation's state: packages planned of those asked, then the ids it made."""
    return _job_out(import_jobs.get(session, principal, job_id, {JOB_KIND}))


@router.get("", response_model=Paged[Package])
def list_packages(
    session: SessionDep,
    principal: PrincipalDep,
    page: PageDep,
    status: Annotated[
        PackageStatus, Query(description="Drafts and retired ones: their marketers only")
    ] = PackageStatus.published,
    theme: Annotated[Category | None, Query(description="The package's main theme")] = None,
    days: Annotated[int | None, Query(ge=1, le=10)] = None,
    city: Annotated[str | None, Query(pattern=CITY_SLUG)] = None,
    month: Annotated[int | None, Query(ge=1, le=12, description="Works in this month")] = None,
    flagged: Annotated[bool | None, Query(description="With open flags (or without)")] = None,
) -> Paged[Package]:
    """Packages, newest first: the published ones for everyone."""
    if status is not PackageStatus.published and principal is None:
        raise Unauthorized(NEEDS_KEY)
    docs, total = service.list_packages(
        session, principal, status, theme, days, city, month, flagged, page.limit, page.offset
    )
    return Paged[Package](data=docs, count=total)


def _with_etag(doc: Package, response: Response) -> Package:
    response.headers["ETag"] = etag(doc.version)
    return doc


@router.get(
    "/{package_id:hex32}.geojson",
    response_model=exports.ItineraryFeatures,
    response_class=GeoJSONResponse,
)
def get_geojson(
    package_id: PackageId, session: SessionDep, principal: PrincipalDep
) -> exports.ItineraryFeatures:
    """The package's route as GeoJSON (WGS-84): a line per day, a point per stop."""
    doc = service.get(session, principal, package_id).itinerary
    return exports.geojson(doc, planning.stored_positions(session, doc))


@router.get(
    "/{package_id:hex32}.ics",
    response_class=Response,
    responses={200: {"content": {ICS: {"schema": {"type": "string"}}}, "description": "RFC 5545"}},
)
def get_ics(package_id: PackageId, session: SessionDep, principal: PrincipalDep) -> Response:
    """The package as an iCalendar file, dated on the day it was planned for."""
    doc = service.get(session, principal, package_id).itinerary
    body = exports.ical(doc, planning.stored_positions(session, doc))
    return Response(
        body,
        media_type=f"{ICS}; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="package-{package_id}.ics"'},
    )


PDF, PNG = "application/pdf", "image/png"


def _share_url(request: Request, package_id: str) -> str:
    return str(request.url_for("share_page", package_id=package_id))


@router.get(
    "/{package_id:hex32}.pdf",
    response_class=Response,
    responses={200: {"content": {PDF: {"schema": {"type": "string", "format": "binary"}}},
                     "description": "An A4 handout, its Chinese text extractable"}},
)  # fmt: skip
def get_pdf(
    package_id: PackageId, request: Request, session: SessionDep, principal: PrincipalDep
) -> Response:
    """A printable handout: titles, the dates it works, each day's stops and times, the
    nights' hotel areas and a QR code to the share page."""
    doc = service.get(session, principal, package_id)
    return Response(
        handout(doc, _share_url(request, package_id)),
        media_type=PDF,
        headers={"Content-Disposition": f'inline; filename="package-{package_id}.pdf"'},
    )


@router.get(
    "/{package_id:hex32}/posters/{platform}.png",
    response_class=Response,
    responses={200: {"content": {PNG: {"schema": {"type": "string", "format": "binary"}}},
                     "description": "Sized for the platform"}},
)  # fmt: skip
def get_poster(
    package_id: PackageId,
    platform: Platform,
    request: Request,
    session: SessionDep,
    principal: PrincipalDep,
) -> Response:
    """A poster for the platform the forum names: `wechat` share card 1000x800, `xiaohongshu`
    note 1080x1440, `douyin` (and Weibo) story 1080x1920: the route on the two prefectures'
    outlines, the day list and a QR code to the share page."""
    doc = service.get(session, principal, package_id)
    return Response(poster(doc, platform, _share_url(request, package_id)), media_type=PNG)


@router.get("/{package_id:hex32}", response_model=Package)
def get_package(
    package_id: PackageId, session: SessionDep, principal: PrincipalDep, response: Response
) -> Package:
    """A package with its itinerary, the dates it works and its flags (a draft: for its
    marketers)."""
    return _with_etag(service.get(session, principal, package_id), response)


@router.patch("/{package_id:hex32}", response_model=Package, dependencies=[limited("keyed")])
def update_package(
    package_id: PackageId,
    body: service.PackageEdit,
    if_match: RequiredIfMatch,
    session: SessionDep,
    principal: WriterDep,
    response: Response,
) -> Package:
    """Edit titles and descriptions, change the season (re-checked on every date), clear
    flags, and draft / publish / retire. Publishing needs a working date and no open flag."""
    doc = service.update(session, principal, package_id, body, if_match)
    return _with_etag(doc, response)


@router.post(
    "/{package_id:hex32}/reoptimise", response_model=Package, dependencies=[limited("planning")]
)
async def reoptimise_package(
    package_id: PackageId,
    body: service.Reoptimise,
    if_match: RequiredIfMatch,
    request: Request,
    engine: EngineDep,
    principal: WriterDep,
    response: Response,
) -> Package:
    """Pin stops and drop others, and let the optimiser re-plan the rest; the new plan is
    checked against the season again."""
    spend("solver_seconds", request, request.headers.get("authorization"),
          max(1, math.ceil(body.time_limit_s)))  # fmt: skip
    doc = await run_in_threadpool(
        service.reoptimise, engine, principal, package_id, body, if_match
    )
    return _with_etag(doc, response)
