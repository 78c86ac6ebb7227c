"""An itinerary as GeoJSON (maps), iCalendar (phones' calendars) and a printable page.

GeoJSON (RFC 7946) and the iCalendar GEO (RFC 5545) are WGS-84 by definition, so both
exports are WGS-84 whatever datum the plan was made in.
"""

from collections.abc import Iterator, Mapping
from datetime import date
from pathlib import Path

from geojson_pydantic import Feature, FeatureCollection, LineString, Point
from geojson_pydantic.types import Position2D
from icalendar import Calendar, Event
from jinja2 import Environment, FileSystemLoader, select_autoescape
from pydantic import BaseModel

from app.geo import Datum, from_datum, to_datum
from app.opening import TZ
from app.planning.document import Itinerary, Stop, StopBase, StopKind
from app.schemas import Lang

_templates = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=select_autoescape(["html"]),
)
KIND_LABEL = {
    Lang.zh: {
        StopKind.spot: "景点",
        StopKind.start: "出发",
        StopKind.hub: "枢纽",
        StopKind.transfer: "城际转移",
        StopKind.meal: "午餐",
        StopKind.evening: "夜游",
    },
    Lang.en: {
        StopKind.spot: "Visit",
        StopKind.start: "Start",
        StopKind.hub: "Hub",
        StopKind.transfer: "Transfer",
        StopKind.meal: "Lunch",
        StopKind.evening: "Evening",
    },
}


class DayProperties(BaseModel):
    day: int
    date: date
    night_place_id: str | None


class StopProperties(StopBase):
    day: int
    order: int


class CollectionProperties(BaseModel):
    itinerary_id: str
    datum: Datum


DayFeature = Feature[LineString, DayProperties]
StopFeature = Feature[Point, StopProperties]


class ItineraryFeatures(FeatureCollection[DayFeature | StopFeature]):
    """A line per day, then a point per stop; `properties` is a foreign member (RFC 7946
    section 6.1) naming the itinerary."""

    properties: CollectionProperties


def _wgs84(stop: Stop, stored: Mapping[str, tuple[float, float]]) -> tuple[float, float]:
    """The stop's WGS-84 position: its place's stored one when the stop was converted from
    it (the place has not moved since), else the numerical inverse of the stop's datum."""
    lat, lon = stop.lat, stop.lon
    if stop.datum is Datum.wgs84:
        return lat, lon
    place = stored.get(stop.place_id)
    if place is not None and to_datum(*place, stop.datum) == (lat, lon):
        return to_datum(*place, Datum.wgs84)
    return to_datum(*from_datum(lat, lon, stop.datum), Datum.wgs84)


def in_wgs84(doc: Itinerary, stored: Mapping[str, tuple[float, float]]) -> Itinerary:
    """A copy of the plan with every stop in WGS-84; `stored` maps place ids to their
    stored WGS-84 positions."""
    days = []
    for day in doc.days:
        stops = []
        for stop in day.stops:
            lat, lon = _wgs84(stop, stored)
            stops.append(stop.model_copy(update={"lat": lat, "lon": lon, "datum": Datum.wgs84}))
        days.append(day.model_copy(update={"stops": stops}))
    return doc.model_copy(update={"days": days})


def _stops(doc: Itinerary) -> Iterator[tuple[int, int, Stop]]:
    for d, day in enumerate(doc.days, start=1):
        for i, stop in enumerate(day.stops):
            yield d, i, stop


def geojson(doc: Itinerary, stored: Mapping[str, tuple[float, float]]) -> ItineraryFeatures:
    """Points for the stops and one line per day, in WGS-84 (RFC 7946)."""
    doc = in_wgs84(doc, stored)
    features: list[DayFeature | StopFeature] = [
        DayFeature(
            type="Feature",
            geometry=LineString(
                type="LineString", coordinates=[Position2D(s.lon, s.lat) for s in day.stops]
            ),
            properties=DayProperties(day=d, date=day.date, night_place_id=day.night_place_id),
        )
        for d, day in enumerate(doc.days, start=1)
    ]
    features += [
        StopFeature(
            type="Feature",
            geometry=Point(type="Point", coordinates=Position2D(stop.lon, stop.lat)),
            properties=StopProperties(day=d, order=i, **stop.model_dump(exclude={"lat", "lon"})),
        )
        for d, i, stop in _stops(doc)
    ]
    return ItineraryFeatures(
        type="FeatureCollection",
        features=features,
        properties=CollectionProperties(itinerary_id=doc.id, datum=Datum.wgs84),
    )


def ical(doc: Itinerary, stored: Mapping[str, tuple[float, float]]) -> bytes:
    """One event per stop with a time span (visits, meals, evenings), Asia/Shanghai, its
    GEO (and the position in LOCATION) in WGS-84."""
    doc = in_wgs84(doc, stored)
    labels = KIND_LABEL[doc.request.lang]
    cal = Calendar()
    cal.add("prodid", "-//Twin Stars//itinerary//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"Twin Stars {doc.days[0].date.isoformat()}")
    cal.add("x-wr-timezone", "Asia/Shanghai")
    for d, i, stop in _stops(doc):
        begin = stop.start or stop.arrive
        if begin is None or stop.depart is None:
            continue
        event = Event()
        event.add("uid", f"{doc.id}-{d}-{i}@twinstars")
        event.add("summary", f"{labels[stop.kind]}: {stop.name}")
        event.add("dtstart", begin.astimezone(TZ))
        event.add("dtend", stop.depart.astimezone(TZ))
        event.add("dtstamp", doc.created_at)
        event.add("location", f"{stop.name} ({stop.lat}, {stop.lon})")
        event.add("geo", (stop.lat, stop.lon))
        cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()


def html(doc: Itinerary) -> str:
    lang = doc.request.lang
    return _templates.get_template("itinerary.html").render(
        doc=doc,
        lang=lang.value,
        labels=KIND_LABEL[lang],
        clock=lambda v: v.strftime("%H:%M") if v else "",
    )
