"""An itinerary as GeoJSON (maps), iCalendar (phones' calendars) and a printable page.

GeoJSON (RFC 7946) and the iCalendar GEO (RFC 5545) are WGS-84 by definition, so both
exports are WGS-84 whatever datum the plan was made in.
"""

from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from icalendar import Calendar, Event
from jinja2 import Environment, FileSystemLoader, select_autoescape

from app.geo import Datum, from_datum, to_datum
from app.opening import TZ

_templates = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=select_autoescape(["html"]),
)
KIND_LABEL = {
    "zh": {
        "spot": "景点",
        "start": "出发",
        "hub": "枢纽",
        "transfer": "城际转移",
        "meal": "午餐",
        "evening": "夜游",
    },
    "en": {
        "spot": "Visit",
        "start": "Start",
        "hub": "Hub",
        "transfer": "Transfer",
        "meal": "Lunch",
        "evening": "Evening",
    },
}


def _wgs84(
    stop: dict[str, Any], datum: Datum, stored: Mapping[str, tuple[float, float]]
) -> tuple[float, float]:
    """The stop's WGS-84 position: its place's stored one when the stop was converted from
    it (the place has not moved since), else the numerical inverse of the stop's datum."""
    lat, lon = stop["lat"], stop["lon"]
    if datum is Datum.wgs84:
        return lat, lon
    place = stored.get(stop["place_id"])
    if place is not None and to_datum(*place, datum) == (lat, lon):
        return to_datum(*place, Datum.wgs84)
    return to_datum(*from_datum(lat, lon, datum), Datum.wgs84)


def _in_wgs84(doc: dict[str, Any], stored: Mapping[str, tuple[float, float]]) -> dict[str, Any]:
    """A copy of the plan with every stop in WGS-84; `stored` maps place ids to their
    stored WGS-84 positions."""
    # Plans stored before stops carried their datum have it only in the request.
    default = doc["request"]["coords"]
    days = []
    for day in doc["days"]:
        stops = []
        for stop in day["stops"]:
            lat, lon = _wgs84(stop, Datum(stop.get("datum", default)), stored)
            stops.append({**stop, "lat": lat, "lon": lon, "datum": Datum.wgs84.value})
        days.append({**day, "stops": stops})
    return {**doc, "days": days}


def _stops(doc: dict[str, Any]):  # type: ignore[no-untyped-def]
    for d, day in enumerate(doc["days"], start=1):
        for i, stop in enumerate(day["stops"]):
            yield d, i, day, stop


def geojson(doc: dict[str, Any], stored: Mapping[str, tuple[float, float]]) -> dict[str, Any]:
    """Points for the stops and one line per day, in WGS-84 (RFC 7946)."""
    doc = _in_wgs84(doc, stored)
    features: list[dict[str, Any]] = []
    for d, day in enumerate(doc["days"], start=1):
        line = [[s["lon"], s["lat"]] for s in day["stops"]]
        features.append({
            "type": "Feature",
            "geometry": {"type": "LineString", "coordinates": line},
            "properties": {"day": d, "date": day["date"], "night_place_id": day["night_place_id"]},
        })  # fmt: skip
    for d, i, _day, stop in _stops(doc):
        props = {k: v for k, v in stop.items() if k not in ("lat", "lon")}
        features.append({
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [stop["lon"], stop["lat"]]},
            "properties": {"day": d, "order": i, **props},
        })  # fmt: skip
    return {
        "type": "FeatureCollection",
        "features": features,
        "properties": {"itinerary_id": doc["id"], "datum": Datum.wgs84.value},
    }


def ical(doc: dict[str, Any], stored: Mapping[str, tuple[float, float]]) -> bytes:
    """One event per stop with a time span (visits, meals, evenings), Asia/Shanghai, its
    GEO (and the position in LOCATION) in WGS-84."""
    doc = _in_wgs84(doc, stored)
    lang = doc["request"]["lang"]
    cal = Calendar()
    cal.add("prodid", "-//Twin Stars//itinerary//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"Twin Stars {doc['days'][0]['date']}")
    cal.add("x-wr-timezone", "Asia/Shanghai")
    for d, i, _day, stop in _stops(doc):
        begin = stop["start"] or stop["arrive"]
        end = stop["depart"]
        if begin is None or end is None:
            continue
        event = Event()
        event.add("uid", f"{doc['id']}-{d}-{i}@twinstars")
        event.add("summary", f"{KIND_LABEL[lang][stop['kind']]}: {stop['name']}")
        event.add("dtstart", datetime.fromisoformat(begin).astimezone(TZ))
        event.add("dtend", datetime.fromisoformat(end).astimezone(TZ))
        event.add("dtstamp", datetime.fromisoformat(doc["created_at"]))
        event.add("location", f"{stop['name']} ({stop['lat']}, {stop['lon']})")
        event.add("geo", (stop["lat"], stop["lon"]))
        cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()


def html(doc: dict[str, Any]) -> str:
    lang = doc["request"]["lang"]
    return _templates.get_template("itinerary.html").render(
        doc=doc, lang=lang, labels=KIND_LABEL[lang], clock=lambda v: v[11:16] if v else ""
    )
