"""The itinerary request: what a traveller asks for, validated at the edge."""

from datetime import date
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from app.errors import Unauthorized, field_error
from app.geo import Datum
from app.models import Category
from app.schemas import (
    STORED,
    Bool,
    Float,
    Int,
    Lang,
    Slug,
    Slugs,
    Time,
    TripDate,
    each_once,
    stored,
)
from app.settings import get_settings, today


class Pace(StrEnum):
    relaxed = "relaxed"
    normal = "normal"
    packed = "packed"


class Party(StrEnum):
    adults = "adults"
    young_children = "young_children"
    elderly = "elderly"


class TravelMode(StrEnum):
    self_drive = "self_drive"
    transit = "transit"


class Endpoint(BaseModel):
    model_config = ConfigDict(extra="forbid")

    place_id: Slug = Field(description="A hub (station, airport, hotel area) or spot id")
    time: Time


class PlanRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    start_date: TripDate
    days: Int = Field(ge=1, le=10)
    arrive: Endpoint = Field(description="Where and when the trip starts on day 1")
    depart: Endpoint = Field(description="Where and when it ends on the last day")
    cities: list[Slug] | dict[Slug, Annotated[Int, Field(ge=0, le=9)]] = Field(
        default_factory=lambda: ["chifeng", "tongliao"],
        description='Cities to visit, or nights per city: {"chifeng": 2, "tongliao": 1}',
    )
    interests: dict[Category, Annotated[Float, Field(ge=0, le=5)]] = Field(
        default_factory=dict, description="Category weights, 1 = neutral (default)"
    )
    pace: Pace = Pace.normal
    party: Party = Party.adults
    mode: TravelMode = TravelMode.self_drive
    budget_cny: Int | None = Field(default=None, ge=0, le=100_000, description="Tickets cap")
    must_visit: Slugs = Field(default_factory=list, max_length=15)
    avoid: Slugs = Field(default_factory=list, max_length=200)
    evening: Bool = Field(default=True, description="An evening leisure stop near the hotel")
    gateway_nights: Bool = Field(
        default=False,
        description="Allow a night at a county gateway town when it unlocks remote spots "
        "(each such night costs the bureau's penalty in score)",
    )
    alternatives: Int = Field(
        default=1,
        ge=1,
        le=3,
        description="Up to 3 distinct plans: more sights, less driving, cheaper",
    )
    lang: Lang = Lang.zh
    coords: Datum = Datum.wgs84
    time_limit_s: Float = Field(default=1.0, ge=0.2, le=30, description="Search time")

    @field_validator("start_date")
    @classmethod
    def _not_past(cls, start: date, info: ValidationInfo) -> date:
        """A new plan starts today or later (the service's today, in China); a request read
        back as it was accepted keeps its date."""
        if not stored(info) and start < (now := today()):
            raise field_error((), f"{start} is in the past (today is {now})")
        return start

    @field_validator("cities")
    @classmethod
    def _cities_once(cls, cities: Any, info: ValidationInfo) -> Any:
        return each_once(cities, info) if isinstance(cities, list) else cities

    @model_validator(mode="after")
    def _consistent(self) -> "PlanRequest":
        if not self.cities:
            raise field_error(["cities"], "name at least one city")
        if isinstance(self.cities, dict) and sum(self.cities.values()) != self.days - 1:
            raise field_error(
                ["cities"], f"nights per city must add up to days - 1 = {self.days - 1}"
            )
        if self.days == 1 and self.depart.time <= self.arrive.time:
            raise field_error(["depart", "time"], "a one-day trip must depart after it arrives")
        must = set(self.must_visit)
        for i, spot_id in enumerate(self.avoid):
            if spot_id in must:
                raise field_error(["avoid", i], f"{spot_id!r} is also a must-visit")
        return self

    @classmethod
    def stored(cls, doc: dict[str, Any]) -> "PlanRequest":
        """A request as it was accepted (a job's, a stored plan's): valid then, and its
        date may have passed since."""
        return cls.model_validate(doc, context=STORED)

    @property
    def city_ids(self) -> list[str]:
        return list(self.cities)

    @property
    def fixed_nights(self) -> dict[str, int] | None:
        return dict(self.cities) if isinstance(self.cities, dict) else None


def within_ceilings(req: PlanRequest, keyed: bool) -> PlanRequest:
    """The request as a caller without a key may have it: a longer search is cut to the
    anonymous ceiling (the stored request says so), more days need a key (401)."""
    if keyed:
        return req
    settings = get_settings()
    if req.days > settings.anonymous_max_days:
        raise Unauthorized(
            f"plans of more than {settings.anonymous_max_days} days need an API key "
            "(Authorization: Bearer ...)"
        )
    if req.time_limit_s > settings.anonymous_max_time_limit_s:
        return req.model_copy(update={"time_limit_s": settings.anonymous_max_time_limit_s})
    return req
