"""Itineraries: plan a joint trip (synchronously, within its time limit) and fetch it."""

from typing import Annotated

from fastapi import APIRouter, Path, Request, Response, status
from fastapi.responses import HTMLResponse, JSONResponse
from pydantic import BaseModel, ConfigDict, Field, model_validator

from app.db import session_scope
from app.errors import field_error
from app.planning import exports, service, wechat_map
from app.planning.document import Itinerary
from app.planning.request import PlanRequest
from app.schemas import SLUG, Int, Slugs, Time
from routers.deps import EngineDep, PrincipalDep, SessionDep
from routers.errors import ERROR_RESPONSES, WRITE_RESPONSES
from routers.planning import budgeted, solve_in_slot
from routers.ratelimit import limited

router = APIRouter(
    prefix="/itineraries", tags=["itineraries"], responses={**ERROR_RESPONSES, **WRITE_RESPONSES}
)
ItineraryId = Annotated[str, Path(pattern=r"^[0-9a-f]{32}$")]


@router.post("", status_code=status.HTTP_201_CREATED, dependencies=[limited("planning")])
async def create_itinerary(
    body: PlanRequest,
    request: Request,
    response: Response,
    engine: EngineDep,
    principal: PrincipalDep,
) -> Itinerary:
    """Plan a day-by-day trip across Chifeng and Tongliao: every night in a central
    district, day trips inside opening hours, the best split and transfer between cities.

    `time_limit_s` bounds the whole request. Callers without a key get at most
    `ANONYMOUS_MAX_TIME_LIMIT_S` (10 s by default; a longer one is cut to it) and
    `ANONYMOUS_MAX_DAYS` (7); each plan counts its seconds against the solver-seconds
    limit. When every planner of the server is busy the answer is 503 with Retry-After."""
    req = budgeted(body, request, principal)
    doc = await solve_in_slot(req, service.plan, engine, req)
    response.headers["Location"] = str(request.url_for("get_itinerary", itinerary_id=doc.id))
    return doc


class GeoJSONResponse(JSONResponse):
    media_type = "application/geo+json"


@router.get(
    "/{itinerary_id}.geojson",
    response_model=exports.ItineraryFeatures,
    response_class=GeoJSONResponse,
)
def get_geojson(itinerary_id: ItineraryId, session: SessionDep) -> exports.ItineraryFeatures:
    """The plan as GeoJSON: a line per day and a point per stop, always WGS-84 (RFC 7946)."""
    doc = service.get(session, itinerary_id)
    return exports.geojson(doc, service.stored_positions(session, doc))


ICS = "text/calendar"


@router.get(
    "/{itinerary_id}.ics",
    response_class=Response,
    responses={200: {"content": {ICS: {"schema": {"type": "string"}}}, "description": "RFC 5545"}},
)
def get_ics(itinerary_id: ItineraryId, session: SessionDep) -> Response:
    """The plan as an iCalendar file: one event per stop, Asia/Shanghai, GEO in WGS-84."""
    doc = service.get(session, itinerary_id)
    body = exports.ical(doc, service.stored_positions(session, doc))
    return Response(
        body,
        media_type=f"{ICS}; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="twinstars-{itinerary_id}.ics"'},
    )


@router.get("/{itinerary_id}.html", response_class=HTMLResponse)
def get_html(itinerary_id: ItineraryId, session: SessionDep) -> HTMLResponse:
    """A print-friendly page of the plan."""
    return HTMLResponse(exports.html(service.get(session, itinerary_id)))


@router.get("/{itinerary_id}/wechat-map", response_model=wechat_map.WeChatMap)
def get_wechat_map(itinerary_id: ItineraryId, session: SessionDep) -> wechat_map.WeChatMap:
    """The plan for the mini-program's `map` component, in its own field names and GCJ-02:
    a marker per place, a line per day, the points to fit the view."""
    doc = service.get(session, itinerary_id)
    return wechat_map.build(doc, service.stored_positions(session, doc))


@router.get("/{itinerary_id}")
def get_itinerary(itinerary_id: ItineraryId, session: SessionDep) -> Itinerary:
    """A stored itinerary, exactly as it was planned."""
    return service.get(session, itinerary_id)


class ReplanFrom(BaseModel):
    model_config = ConfigDict(extra="forbid")

    day: Int = Field(ge=1, le=10, description="1-based day of the trip")
    time: Time
    place_id: str = Field(pattern=SLUG, description="Where the traveller is")


class ReplanRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    pinned: Slugs = Field(default_factory=list, max_length=15, description="Spots to keep")
    avoid: Slugs = Field(
        default_factory=list, max_length=200, description="Spots to drop (e.g. closed today)"
    )
    from_: ReplanFrom | None = Field(default=None, alias="from", description="Replan from here")

    @model_validator(mode="after")
    def _pins_kept(self) -> "ReplanRequest":
        pinned = set(self.pinned)
        for i, spot_id in enumerate(self.avoid):
            if spot_id in pinned:
                raise field_error(["avoid", i], f"{spot_id!r} is also pinned")
        return self


@router.post(
    "/{itinerary_id}/replan",
    status_code=status.HTTP_201_CREATED,
    response_model=Itinerary,
    dependencies=[limited("planning")],
)
async def replan_itinerary(
    itinerary_id: ItineraryId,
    body: ReplanRequest,
    request: Request,
    response: Response,
    engine: EngineDep,
    principal: PrincipalDep,
) -> Itinerary:
    """Plan again, changing as little as possible: keep pinned spots, or continue from a
    given day, time and place with the same hotels (the old request's time limit, counted
    as for a new plan)."""
    start = body.from_
    with session_scope(engine) as session:
        old = service.get(session, itinerary_id).request
    req = budgeted(old, request, principal)
    doc = await solve_in_slot(
        req,
        service.replan,
        engine,
        itinerary_id,
        body.pinned,
        start.day if start else None,
        start.place_id if start else None,
        start.time if start else None,
        body.avoid,
        req.time_limit_s,
    )
    response.headers["Location"] = str(request.url_for("get_itinerary", itinerary_id=doc.id))
    return doc
