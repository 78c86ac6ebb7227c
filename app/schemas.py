"""Input schemas: the one validation path for the API and the seed loader.

Plain pydantic (not SQLModel) so that constraints are enforced and appear in OpenAPI.
Every input model spells its numbers, booleans, dates and times with the JSON-typed
aliases below (`Int`, `Float`, `Bool`, `Date`, `Time`), so the whole API takes a value only
in its JSON type, as its schema says.
"""

from collections.abc import Callable
from datetime import date, time
from enum import StrEnum
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticKnownError

from app.errors import field_error
from app.holiday_calendar import NoticeDayKind
from app.models import Basis, Category, HubKind, Mode
from app.opening import OpeningHoursError, normalize

# Validation context of rows read from text (CSV cells): numbers and booleans come as text.
TEXT_CELLS = {"text_cells": True}
# Validation context of a document read back as it was accepted (a plan job's request): the
# rules of a new one that time or a later release added (a past date, a repeated id) keep
# it no less valid than it was.
STORED = {"stored": True}


def stored(info: ValidationInfo) -> bool:
    return bool((info.context or {}).get("stored"))


def _json_typed(*kinds: type, error: str) -> Callable[[Any, ValidationInfo], Any]:
    """A check that the value has the JSON type the schema declares, before pydantic's lax
    conversions: these would take "3" or true for a number, "yes" or 1 for a boolean and
    a number of seconds for a date. An integer field still takes 3.0 but not 3.5, as JSON
    Schema does."""

    def json_typed(value: Any, info: ValidationInfo) -> Any:
        if isinstance(value, str) and info.context and info.context.get("text_cells"):
            return value  # a CSV cell: text is all it can be
        if isinstance(value, bool) != (bool in kinds) or not isinstance(value, kinds):
            raise PydanticKnownError(error)  # type: ignore[arg-type]
        return value

    return json_typed


Int = Annotated[int, BeforeValidator(_json_typed(int, float, error="int_type"))]
Float = Annotated[float, BeforeValidator(_json_typed(int, float, error="float_type"))]
Bool = Annotated[bool, BeforeValidator(_json_typed(bool, error="bool_type"))]
Date = Annotated[date, BeforeValidator(_json_typed(str, date, error="date_type"))]


def _local(value: time) -> time:
    if value.tzinfo is not None:
        raise ValueError("a local clock time (Asia/Shanghai) without an offset, e.g. 09:30")
    return value


# A local clock time (Asia/Shanghai), "HH:MM" or "HH:MM:SS", answered as "HH:MM": JSON
# Schema's `time` format is RFC 3339's, which requires an offset, so a pattern says it.
Time = Annotated[
    time,
    BeforeValidator(_json_typed(str, time, error="time_type")),
    AfterValidator(_local),
    PlainSerializer(lambda t: t.strftime("%H:%M"), return_type=str, when_used="json"),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$",
            "examples": ["09:30"],
            "description": "Local time in Asia/Shanghai",
        }
    ),
]

# Ids of places, links and cities: lowercase slugs (cities are shorter).
SLUG = r"^[a-z][a-z0-9_]{1,63}$"
CITY_SLUG = r"^[a-z][a-z0-9_]{1,31}$"
Slug = Annotated[str, Field(pattern=SLUG, examples=["cf_museum"])]


def each_once(ids: list[str], info: ValidationInfo) -> list[str]:
    """A repeated id is refused at its index (a list of ids is a set the client orders)."""
    if stored(info):
        return ids
    seen: set[str] = set()
    for i, one in enumerate(ids):
        if one in seen:
            raise field_error([i], f"{one!r} is listed twice")
        seen.add(one)
    return ids


# Ids of spots (must-visits, spots to avoid, pins), each once.
Slugs = Annotated[list[Slug], AfterValidator(each_once)]
Text = Annotated[str, Field(max_length=4000, pattern=r"^[^\x00]*$")]
Name = Annotated[str, Field(min_length=1, max_length=200, pattern=r"^[^\x00]+$")]
# Dates the service reasons about (holiday calendars, sun events): far-off ones are refused.
# JSON Schema has no range for a `date` string: the pattern states the years taken.
YEARS_2000_2100 = r"^(20[0-9]{2}|2100)-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"
TripDate = Annotated[
    Date,
    Field(
        ge=date(2000, 1, 1),
        le=date(2100, 12, 31),
        json_schema_extra={"pattern": YEARS_2000_2100},
    ),
]
Lat = Annotated[Float, Field(ge=-90, le=90, description="WGS-84 latitude")]
Lon = Annotated[Float, Field(ge=-180, le=180, description="WGS-84 longitude")]


class Lang(StrEnum):
    """Language of returned text."""

    zh = "zh"
    en = "en"


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


def _opening(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return normalize(value)
    except OpeningHoursError as exc:
        raise field_error((), str(exc)) from None


class DistrictIn(_In):
    id: Slug
    name_zh: Name
    name_en: Name
    is_central: Bool = False


class CityIn(_In):
    id: Slug
    name_zh: Name
    name_en: Name
    lat: Lat
    lon: Lon
    min_lat: Lat
    max_lat: Lat
    min_lon: Lon
    max_lon: Lon
    taxi_flag_cny: Int = Field(default=8, ge=0, le=1000)
    taxi_cny_per_km: Float = Field(default=2.0, ge=0, le=100)
    charter_cny_per_day: Int = Field(default=400, ge=0, le=100_000)
    charter_cny_per_km: Float = Field(default=1.5, ge=0, le=100)
    tariff_source: Text = ""
    districts: list[DistrictIn] = Field(min_length=1)


class ClosureIn(_In):
    start_date: Date
    end_date: Date
    reason: Text = ""

    @model_validator(mode="after")
    def _ordered(self) -> "ClosureIn":
        if self.end_date < self.start_date:
            raise field_error(["end_date"], "end_date is before start_date")
        return self


class _PlaceIn(_In):
    """What every spot and hub has."""

    id: Slug
    city_id: Slug
    district_id: Slug
    name_zh: Name
    name_en: Name
    lat: Lat
    lon: Lon
    description_zh: Text = ""
    description_en: Text = ""
    source: Text = ""
    confidence: Text = ""
    follows_workweek: Bool = Field(
        default=False,
        description="Opens on the work calendar (an office, a visitor centre): a 调休 working "
        "Saturday or Sunday opens as the weekday it pays for, not with the weekend's hours",
    )


class SpotIn(_PlaceIn):
    a_level: Int | None = Field(
        default=None, ge=0, le=5, description="1-5 for 1A-5A; 0 not rated; null unknown"
    )
    categories: list[Category] = Field(min_length=1, max_length=18)
    visit_minutes: Int = Field(ge=5, le=24 * 60)
    ticket_cny: Int = Field(ge=0, le=10_000)
    ticket_basis: Basis
    opening_hours: str = Field(
        max_length=500, pattern=r"\S", description="OSM opening_hours expression"
    )
    hours_basis: Basis
    hours_note: Text = ""
    daily_capacity: Int | None = Field(default=None, ge=1, le=10_000_000)
    priority: Int = Field(default=3, ge=1, le=5)
    highlight: Int = Field(
        default=0,
        ge=0,
        le=10,
        description="How many independent reliable travellers' guides name it a must-see",
    )
    closures: list[ClosureIn] = Field(default_factory=list, max_length=366)

    _check_opening = field_validator("opening_hours")(_opening)

    @field_validator("categories")
    @classmethod
    def _unique(cls, value: list[Category]) -> list[Category]:
        return list(dict.fromkeys(value))


class HubIn(_PlaceIn):
    kind: HubKind
    high_speed_rail: Bool = False
    opening_hours: str | None = Field(default=None, max_length=500, pattern=r"\S")

    _check_opening = field_validator("opening_hours")(_opening)


class DepartureIn(_In):
    service_code: Annotated[str, Field(max_length=32, pattern=r"^[^\x00]*$")] = ""
    departs: Time
    arrives: Time
    arrives_day_offset: Int = Field(default=0, ge=0, le=2)
    days: str = Field(
        default="Mo-Su", pattern=r"^(Mo|Tu|We|Th|Fr|Sa|Su)([-,](Mo|Tu|We|Th|Fr|Sa|Su))*$"
    )
    valid_from: Date | None = None
    valid_to: Date | None = None

    @model_validator(mode="after")
    def _consistent(self) -> "DepartureIn":
        if self.arrives_day_offset == 0 and self.arrives <= self.departs:
            raise field_error(
                ["arrives"], "arrives must be after departs (or set arrives_day_offset)"
            )
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise field_error(["valid_to"], "valid_to is before valid_from")
        return self


class LinkIn(_In):
    id: Slug
    mode: Mode
    service: Annotated[str, Field(max_length=32, pattern=r"^[a-z0-9_]*$")] = ""
    from_id: Slug
    to_id: Slug
    bidirectional: Bool = True
    distance_km: Float | None = Field(default=None, gt=0, le=5000)
    duration_min: Int | None = Field(default=None, gt=0, le=3 * 24 * 60)
    price_cny: Int | None = Field(default=None, ge=0, le=100_000)
    frequency: Annotated[str, Field(max_length=200, pattern=r"^[^\x00]*$")] = ""
    straight_line_km: Float | None = Field(default=None, ge=0, le=5000)
    estimated: Bool = True
    notes: Text = ""
    source: Text = ""
    confidence: Text = ""
    departures: list[DepartureIn] = Field(default_factory=list, max_length=500)

    @model_validator(mode="after")
    def _endpoints(self) -> "LinkIn":
        if self.from_id == self.to_id:
            raise field_error(["to_id"], "from_id and to_id are the same place")
        if self.departures and self.mode == Mode.road:
            raise field_error(["departures"], "road links have no departures")
        return self


class NoticeDayIn(_In):
    date: Date
    kind: NoticeDayKind
    name: str = Field(default="", max_length=100, pattern=r"^[^\x00]*$", validate_default=True)

    @field_validator("kind")
    @classmethod
    def _workday_on_a_weekend(cls, kind: NoticeDayKind, info: ValidationInfo) -> NoticeDayKind:
        day = info.data.get("date")
        if kind is NoticeDayKind.workday and day is not None and day.weekday() < 5:
            raise field_error(
                (), f"{day} is a {day:%A}: a swapped working day is a Saturday or Sunday"
            )
        return kind

    @field_validator("name")
    @classmethod
    def _holiday_named(cls, name: str, info: ValidationInfo) -> str:
        if info.data.get("kind") is NoticeDayKind.holiday and not name:
            raise field_error((), "a holiday needs its name (e.g. 国庆节)")
        return name


class NoticeIn(_In):
    """A State Council holiday notice: every day off and every working weekend day."""

    source: Annotated[str, Field(max_length=500, pattern=r"^https?://[^\s\x00]+$")] = Field(
        description="URL of the published notice"
    )
    published: TripDate
    days: list[NoticeDayIn] = Field(min_length=1, max_length=366)
