"""Itineraries: plan a joint trip (synchronously, within its time limit) and fetch it."""

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request, Response, status

from app.planning import service
from app.planning.request import PlanRequest
from routers.deps import SessionDep
from routers.errors import ERROR_RESPONSES, WRITE_RESPONSES
from routers.ratelimit import limited

router = APIRouter(
    prefix="/itineraries", tags=["itineraries"], responses={**ERROR_RESPONSES, **WRITE_RESPONSES}
)
ItineraryId = Annotated[str, Path(pattern=r"^[0-9a-f]{32}$")]


@router.post("", status_code=status.HTTP_201_CREATED, dependencies=[limited("planning")])
def create_itinerary(
    body: PlanRequest, request: Request, response: Response, session: SessionDep
) -> dict[str, Any]:
    """Plan a day-by-day trip across Chifeng and Tongliao: every night in a central
    district, day trips inside opening hours, the best split and transfer between cities."""
    doc = service.plan(session, body)
    response.headers["Location"] = str(request.url_for("get_itinerary", itinerary_id=doc["id"]))
    return doc


@router.get("/{itinerary_id}")
def get_itinerary(itinerary_id: ItineraryId, session: SessionDep) -> dict[str, Any]:
    """A stored itinerary, exactly as it was planned."""
    return service.get(session, itinerary_id)
