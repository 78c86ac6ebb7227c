"""Bulk imports (dry run first) and the data-quality report, for bureaus and admins."""

import csv
from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel

from app.errors import InvalidInput
from app.models import Role
from app.schemas import TripDate
from app.services import edits
from app.services.access import require
from app.services.gtfs import import_gtfs
from app.services.imports import ImportReport, import_places, parse_csv, parse_geojson
from app.services.quality import city_quality
from app.settings import today
from routers.deps import SessionDep, WriterDep
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
    return ImportReportOut(**asdict(report), written=report.written)


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


@router.post("/imports/{kind}", response_model=ImportReportOut, openapi_extra=_PLACE_BODY)
async def import_place_file(
    kind: Annotated[str, Path(pattern=r"^(spots|hubs)$")],
    request: Request,
    _limit: WriteLimit,
    session: SessionDep,
    principal: WriterDep,
    dry_run: DryRun = True,
) -> ImportReportOut:
    """Spots or hubs from CSV (`text/csv`) or GeoJSON (`application/geo+json`).

    A dry run reports rows to add, change and leave, and each bad row with its field and
    reason; a real run writes everything in one transaction or, with any bad row, nothing
    (422 with the same report)."""
    body = _text(await request.body())
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    csv_file = media == "text/csv"
    try:
        rows = parse_csv(body) if csv_file else parse_geojson(body)
    except (ValueError, csv.Error) as exc:
        raise InvalidInput(["body"], f"cannot read the file: {exc}"[:300]) from None
    report = await run_in_threadpool(
        import_places, session, principal, KINDS[kind], rows, dry_run=dry_run, text_cells=csv_file
    )
    return _out(report)


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
