"""Bulk imports (dry run first) and the data-quality report, for bureaus and admins."""

import csv
from dataclasses import asdict
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from app.errors import InvalidInput
from app.models import ImportJob, JobStatus, Role
from app.schemas import TripDate
from app.services import edits, import_jobs
from app.services.access import require
from app.services.gtfs import import_gtfs
from app.services.imports import ImportReport, import_places, parse_csv, parse_geojson
from app.services.quality import city_quality
from app.settings import get_settings, today
from routers.deps import EngineDep, SessionDep, WriterDep
from routers.errors import ERROR_RESPONSES, WRITE_RESPONSES
from routers.ratelimit import WriteLimit, limited

router = APIRouter(tags=["imports"], responses={**ERROR_RESPONSES, **WRITE_RESPONSES})
DryRun = Annotated[bool, Query(description="Only report what would change (default)")]
KINDS = {"spots": edits.SPOT, "hubs": edits.HUB}


class RowErrorOut(BaseModel):
    row: int
    field: str
    reason: str


class ImportReportOut(BaseModel):
    kind: str
    dry_run: bool
    written: bool
    add: list[str]
    change: list[str]
    unchanged: list[str]
    errors: list[RowErrorOut]
    warnings: list[str]


class QualityOut(BaseModel):
    city_id: str
    spots_without_hours: list[str]
    spots_beyond_a_day_trip: list[dict]
    links_without_departures: list[str]


def _out(report: ImportReport) -> ImportReportOut:
    return ImportReportOut(**report.as_dict())


# The GTFS route is declared first: "/imports/{kind}" would otherwise capture "gtfs".


def _text(body: bytes) -> str:
    try:
        return body.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput(["body"], "the file must be UTF-8") from None


_PLACE_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "text/csv": {"schema": {"type": "string"}},
            "application/geo+json": {"schema": {"type": "object"}},
        },
    }
}


@router.post(
    "/imports/gtfs",
    response_model=ImportReportOut,
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/zip": {"schema": {"type": "string", "format": "binary"}}},
        }
    },
)
async def import_gtfs_feed(
    request: Request,
    _limit: WriteLimit,
    session: SessionDep,
    principal: WriterDep,
    dry_run: DryRun = True,
) -> ImportReportOut:
    """Rail and coach timetables from a GTFS zip: links between our hubs with departures."""
    data = await request.body()
    report = await run_in_threadpool(import_gtfs, session, principal, data, dry_run=dry_run)
    return _out(report)


class ImportJobOut(BaseModel):
    id: str
    kind: str
    status: JobStatus
    created_at: datetime
    finished_at: datetime | None
    done: int = Field(description="Rows checked so far")
    total: int
    report: ImportReportOut | None = Field(description="When it ended: what it wrote or why not")
    error: str | None


def _job_out(job: ImportJob) -> ImportJobOut:
    return ImportJobOut(**job.model_dump(exclude={"key_id", "heartbeat_at"}))


@router.post(
    "/imports/{kind}",
    response_model=ImportReportOut,
    openapi_extra=_PLACE_BODY,
    responses={202: {"model": ImportJobOut, "description": "A large import, run as a job"}},
)
async def import_place_file(
    kind: Annotated[str, Path(pattern=r"^(spots|hubs)$")],
    request: Request,
    _limit: WriteLimit,
    session: SessionDep,
    engine: EngineDep,
    principal: WriterDep,
    dry_run: DryRun = True,
) -> Any:
    """Spots or hubs from CSV (`text/csv`) or GeoJSON (`application/geo+json`).

    A dry run reports rows to add, change and leave, and each bad row with its field and
    reason; a real run writes everything in one transaction or, with any bad row, nothing
    (422 with the same report). A real run of more than `IMPORT_JOB_ROWS` rows answers 202
    at once: poll the Location (`GET /v1/import-jobs/{id}`) for its progress and report."""
    body = _text(await request.body())
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    csv_file = media == "text/csv"
    try:
        rows = parse_csv(body) if csv_file else parse_geojson(body)
    except (ValueError, csv.Error) as exc:
        raise InvalidInput(["body"], f"cannot read the file: {exc}"[:300]) from None
    if not dry_run and len(rows) > get_settings().import_job_rows:
        job = await run_in_threadpool(
            import_jobs.start, engine, principal, KINDS[kind], rows, csv_file
        )
        url = str(request.url_for("get_import_job", job_id=job.id))
        content = _job_out(job).model_dump(mode="json")
        return JSONResponse(content, status_code=202, headers={"Location": url})
    report = await run_in_threadpool(
        import_places, session, principal, KINDS[kind], rows, dry_run=dry_run, text_cells=csv_file
    )
    return _out(report)


@router.get("/import-jobs/{job_id}", response_model=ImportJobOut, dependencies=[limited("keyed")])
def get_import_job(
    job_id: Annotated[str, Path(pattern=r"^[0-9a-f]{32}$")],
    session: SessionDep,
    principal: WriterDep,
) -> ImportJobOut:
    """A large import's state: rows checked of the total, then its report (for the key
    that sent it, or an admin)."""
    return _job_out(import_jobs.get(session, principal, job_id, {k.name for k in KINDS.values()}))


@router.get(
    "/cities/{city_id}/quality", response_model=QualityOut, dependencies=[limited("keyed")]
)
def quality(
    city_id: Annotated[str, Path(pattern=r"^[a-z][a-z0-9_]{1,31}$")],
    session: SessionDep,
    principal: WriterDep,
    on: Annotated[TripDate | None, Query(alias="date", description="Today, by default")] = None,
) -> QualityOut:
    """What to fix first: spots without hours, spots beyond a day trip from the central
    district, scheduled links with no departure in the coming season."""
    require(principal, Role.admin, Role.bureau)
    return QualityOut(**asdict(city_quality(session, city_id, on or today())))
