"""The itinerary document: what the API answers and stores for a plan, typed end to end.

The assembler builds these models, exports and jobs read their attributes, and the stored
JSON validates against them (`schema_version` names the shape; a migration upgrades
stored rows when it changes). A mini-program client is generated from their schema.
"""

from datetime import date, datetime
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from app.geo import Datum
from app.holiday_calendar import CalendarStatus
from app.planning.request import PlanRequest
from solver import Reason, Status

SCHEMA_VERSION: Literal[1] = 1


class StopKind(StrEnum):
    """`start`: where a replanned day begins (the traveller's place); `hub`: a station,
    airport or hotel area; `spot`: a visit; `meal`: lunch (inside the visit before it when
    its time lies in that visit); `transfer`: arrival in the other city; `evening`: the
    evening leisure stop near the hotel."""

    start = "start"
    hub = "hub"
    spot = "spot"
    meal = "meal"
    transfer = "transfer"
    evening = "evening"


class LegMode(StrEnum):
    """How a leg is travelled: `drive` (self-drive), `taxi` (a short hop in transit mode),
    `charter` (a chartered car for a day with a long leg), or a scheduled ride's mode."""

    drive = "drive"
    taxi = "taxi"
    charter = "charter"
    road = "road"
    rail = "rail"
    bus = "bus"
    air = "air"


class Variant(StrEnum):
    more_sights = "more_sights"
    less_driving = "less_driving"
    cheaper = "cheaper"


class Change(StrEnum):
    """A change to the request that a suggestion makes."""

    another_date = "another_date"
    one_more_day = "one_more_day"
    higher_budget = "higher_budget"
    gateway_nights = "gateway_nights"


class _Doc(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Leg(_Doc):
    """The leg into a stop from the stop before it (zero minutes: the traveller is there)."""

    travel_minutes: int = Field(ge=0)
    mode: LegMode | None = Field(description="null when there is no travel")
    fare_cny: int = Field(ge=0, description="The leg's price: a taxi, a charter, a ticket")
    link_id: str | None = Field(default=None, description="The scheduled ride's transit link")
    service_code: str | None = Field(default=None, description="Train or coach number")


class StopBase(Leg):
    """A stop without its position (the GeoJSON export puts that in the geometry)."""

    kind: StopKind
    place_id: str
    name: str
    datum: Datum = Field(description="Datum of the position: the request's `coords`")
    arrive: datetime | None = Field(description="null at the day's first stop")
    start: datetime | None = Field(description="When the visit, meal or evening begins")
    depart: datetime | None = Field(description="null at the day's last stop")
    cost_cny: int = Field(ge=0, description="Admission")


class Stop(StopBase):
    lat: float
    lon: float


class Day(_Doc):
    date: date
    night_place_id: str | None = Field(description="The night's hotel area; null on the last day")
    night_city: str | None
    stops: list[Stop]


class SolverRun(_Doc):
    strategy: str
    seconds: float = Field(ge=0)
    converged: bool | None = Field(
        default=None,
        description="the search stopped by its own rule (no better plan found for a while), "
        "not by the time limit; null on plans stored before this was recorded",
    )


class Summary(_Doc):
    score: int
    status: Status
    nights_per_city: dict[str, int]
    central_nights: int = Field(ge=0)
    nights_outside_central: int = Field(ge=0)
    total_nights: int = Field(ge=0)
    travel_minutes: int = Field(ge=0)
    ticket_total_cny: int = Field(ge=0)
    transport_cost_cny: int = Field(
        ge=0, description="Taxi, charter and ride fares; self-drive counts no fuel or tolls"
    )
    spots_per_city: dict[str, int]
    calendar: CalendarStatus = Field(
        description="`provisional` when a date's holiday schedule is the statutory rules' "
        "guess (no State Council notice loaded for its year)"
    )
    provisional_dates: list[date]
    solver: SolverRun


def _absent(value: object) -> bool:
    return value is None


_OMITTED: Any = Field(default=None, exclude_if=_absent)  # a field only some changes set


class Suggestion(_Doc):
    """A change the service planned with and saw the spot fit: set the request fields it
    carries (only those of the change are present) and plan again."""

    change: list[Change] = Field(min_length=1)
    start_date: date | None = _OMITTED
    days: int | None = _OMITTED
    cities: dict[str, int] | None = Field(
        default=None,
        exclude_if=_absent,
        description="Nights per city, when the request fixed them",
    )
    budget_cny: int | None = _OMITTED
    gateway_nights: bool | None = _OMITTED
    text: str = Field(description="The change in the request's language")


class Unvisited(_Doc):
    spot_id: str
    name: str
    must_visit: bool
    reason: Reason
    text: str = Field(description="The reason in the request's language")
    suggestion: Suggestion | None = Field(
        default=None, description="For a must-visit left out, a change that lets it fit"
    )


class Alternative(_Doc):
    variant: Variant
    id: str = Field(description="The alternative's own itinerary id")
    summary: Summary


class Plan(_Doc):
    """The planned part of an itinerary: what is stored besides its id and request."""

    schema_version: Literal[1] = SCHEMA_VERSION
    days: list[Day]
    summary: Summary
    unvisited: list[Unvisited]
    variant: Variant
    alternatives: list[Alternative] = Field(
        default_factory=list, description="Other takes on the same request (main plan only)"
    )
    replanned_from: str | None = Field(default=None, description="The itinerary replanned")
    first_day: int = Field(
        default=1, ge=1, description="The day of the replanned trip this plan's first day is"
    )


class Itinerary(Plan):
    id: str
    created_at: datetime
    request: PlanRequest
