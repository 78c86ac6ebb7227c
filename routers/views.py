"""Response shapes: localised text and coordinates in the requested datum."""

from datetime import date, datetime
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, Field

from app.geo import Datum, to_datum
from app.holiday_calendar import CalendarSource, CalendarStatus, DayKind, NoticeDayKind
from app.models import City, Departure, District, Hub, HubKind, Mode, Spot
from app.opening import Window
from app.schemas import Lang
from app.services.holidays import YearCalendar
from app.services.hubs import HubView
from app.services.links import LinkView
from app.services.spots import SpotView

T = TypeVar("T")


class Paged(BaseModel, Generic[T]):
    data: list[T]
    count: int = Field(description="Total rows matching the filters (all pages)")


def _pick(lang: Lang, zh: str, en: str) -> str:
    """The asked language, falling back to the other one when a text is missing."""
    first, second = (zh, en) if lang is Lang.zh else (en, zh)
    return first or second


class PlaceOut(BaseModel):
    id: str
    name: str
    name_zh: str
    name_en: str
    description: str
    city_id: str
    district_id: str
    central: bool = Field(description="In a central district (the overnight hubs)")
    lat: float
    lon: float
    datum: Datum
    source: str
    confidence: str
    follows_workweek: bool = Field(
        description="Opens on the work calendar: a 调休 working weekend day as a weekday"
    )


class SpotOut(PlaceOut):
    a_level: int | None = Field(description="1-5 for 1A-5A; 0 not rated; null unknown")
    categories: list[str]
    visit_minutes: int
    ticket_cny: int
    ticket_basis: str
    opening_hours: str = Field(description="OSM opening_hours expression")
    hours_basis: str
    hours_note: str
    daily_capacity: int | None
    priority: int
    highlight: int = Field(
        description="How many independent reliable travellers' guides name it a must-see; "
        "0 not a named highlight"
    )


class HubOut(PlaceOut):
    kind: HubKind
    high_speed_rail: bool
    opening_hours: str | None


class DepartureOut(BaseModel):
    service_code: str
    departs: str
    arrives: str
    arrives_day_offset: int
    days: str
    valid_from: date | None
    valid_to: date | None


class LinkOut(BaseModel):
    id: str
    mode: Mode
    service: str
    from_id: str
    to_id: str
    bidirectional: bool
    distance_km: float | None
    duration_min: int | None
    price_cny: int | None
    frequency: str
    straight_line_km: float | None
    estimated: bool
    notes: str
    source: str
    confidence: str
    departures: list[DepartureOut]


class WindowOut(BaseModel):
    open: str = Field(examples=["08:00"])
    close: str = Field(examples=["17:30"], description="24:00 means until midnight")


class OpeningOut(BaseModel):
    spot_id: str
    date: date
    day_kind: DayKind
    holiday: str | None
    calendar: CalendarStatus = Field(
        description="provisional: the year's State Council notice is not loaded yet, so "
        "holidays and swapped working days are projected from the statutory rules"
    )
    closed_by: str | None = Field(description="Reason of a dated closure, if one applies")
    windows: list[WindowOut]


class NoticeOut(BaseModel):
    source: str
    published: date
    loaded_at: datetime
    loaded_by: int | None = Field(description="Id of the admin key; null when loaded by the CLI")


class CalendarDayOut(BaseModel):
    date: date
    kind: NoticeDayKind = Field(description="workday: a Saturday or Sunday worked (调休)")
    name: str


class YearCalendarOut(BaseModel):
    year: int
    status: CalendarStatus
    source: CalendarSource = Field(
        description="notice: a loaded State Council notice; package: the `holidays` "
        "package's transcription of it; rules: statutory days and guessed days off only"
    )
    notice: NoticeOut | None
    days: list[CalendarDayOut]


class DistrictOut(BaseModel):
    id: str
    name: str
    central: bool


class TariffOut(BaseModel):
    """Transit prices the city's bureau sets, in yuan."""

    taxi_flag_cny: int
    taxi_cny_per_km: float
    charter_cny_per_day: int
    charter_cny_per_km: float
    source: str


class CityOut(BaseModel):
    id: str
    name: str
    lat: float
    lon: float
    datum: Datum
    gateway_night_penalty: int
    tariff: TariffOut
    districts: list[DistrictOut]


def _place(obj: Spot | Hub, central: bool, lang: Lang, datum: Datum) -> dict[str, Any]:
    lat, lon = to_datum(obj.lat, obj.lon, datum)
    return {
        "id": obj.id,
        "name": _pick(lang, obj.name_zh, obj.name_en),
        "name_zh": obj.name_zh,
        "name_en": obj.name_en,
        "description": _pick(lang, obj.description_zh, obj.description_en),
        "city_id": obj.city_id,
        "district_id": obj.district_id,
        "central": central,
        "lat": lat,
        "lon": lon,
        "datum": datum,
        "source": obj.source,
        "confidence": obj.confidence,
        "follows_workweek": obj.follows_workweek,
    }


def spot_out(view: SpotView, lang: Lang, datum: Datum) -> SpotOut:
    s = view.spot
    return SpotOut(
        **_place(s, view.central, lang, datum),
        a_level=s.a_level,
        categories=view.categories,
        visit_minutes=s.visit_minutes,
        ticket_cny=s.ticket_cny,
        ticket_basis=s.ticket_basis,
        opening_hours=s.opening_hours,
        hours_basis=s.hours_basis,
        hours_note=s.hours_note,
        daily_capacity=s.daily_capacity,
        priority=s.priority,
        highlight=s.highlight,
    )


def hub_out(view: HubView, lang: Lang, datum: Datum) -> HubOut:
    h = view.hub
    return HubOut(
        **_place(h, view.central, lang, datum),
        kind=HubKind(h.kind),
        high_speed_rail=h.high_speed_rail,
        opening_hours=h.opening_hours,
    )


def _departure_out(d: Departure) -> DepartureOut:
    return DepartureOut(
        service_code=d.service_code,
        departs=d.departs.strftime("%H:%M"),
        arrives=d.arrives.strftime("%H:%M"),
        arrives_day_offset=d.arrives_day_offset,
        days=d.days,
        valid_from=d.valid_from,
        valid_to=d.valid_to,
    )


def link_out(view: LinkView) -> LinkOut:
    fields = view.link.model_dump()
    return LinkOut(**fields, departures=[_departure_out(d) for d in view.departures])


def windows_out(windows: list[Window]) -> list[WindowOut]:
    return [WindowOut(**w.as_dict()) for w in windows]


def city_out(city: City, districts: list[District], lang: Lang, datum: Datum) -> CityOut:
    lat, lon = to_datum(city.lat, city.lon, datum)
    return CityOut(
        id=city.id,
        name=_pick(lang, city.name_zh, city.name_en),
        lat=lat,
        lon=lon,
        datum=datum,
        gateway_night_penalty=city.gateway_night_penalty,
        tariff=TariffOut(
            taxi_flag_cny=city.taxi_flag_cny,
            taxi_cny_per_km=city.taxi_cny_per_km,
            charter_cny_per_day=city.charter_cny_per_day,
            charter_cny_per_km=city.charter_cny_per_km,
            source=city.tariff_source,
        ),
        districts=[
            DistrictOut(id=d.id, name=_pick(lang, d.name_zh, d.name_en), central=d.is_central)
            for d in districts
        ],
    )


def year_calendar_out(cal: YearCalendar) -> YearCalendarOut:
    n = cal.notice
    notice = None if n is None else NoticeOut(**n.model_dump(exclude={"year"}))
    return YearCalendarOut(
        year=cal.year,
        status=cal.status,
        source=cal.source,
        notice=notice,
        days=[CalendarDayOut(date=d.date, kind=d.kind, name=d.name) for d in cal.days],
    )
