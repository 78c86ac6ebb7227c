"""The WeChat map payload of hand-built plans: GCJ-02 whatever the plan's datum, a marker
per place, a line per day, text in the plan's language, and the mini-program's typings."""

from typing import Any

import pytest

from app.geo import Datum, to_datum
from app.planning import wechat_map
from app.planning.document import Itinerary
from app.schemas import Lang
from tests import documents
from tests.miniprogram import check_wechat_map

HOTEL = (42.2655, 118.9572)  # WGS-84, Hongshan old town
MUSEUM = (42.2946, 118.9476)
PARK = (42.2871, 118.9823)
STATION = (42.2386, 118.8936)
TL_STATION = (43.6083, 122.2655)
TL_HOTEL = (43.6172, 122.2631)
STORED = {
    "cf_hotel": HOTEL,
    "cf_museum": MUSEUM,
    "cf_park": PARK,
    "cf_rail": STATION,
    "tl_rail": TL_STATION,
    "tl_hotel": TL_HOTEL,
}


def _at(clock: str, day: int = 0) -> str:
    return f"2027-07-{14 + day}T{clock}:00+08:00"


def _hub(place_id: str, coords: str, day: int, arrive: str | None, depart: str | None,
         **fields: Any) -> dict[str, Any]:  # fmt: skip
    return documents.stop(
        place_id, STORED[place_id], coords, kind="hub", start=None,
        arrive=arrive and _at(arrive, day), depart=depart and _at(depart, day), **fields,
    )  # fmt: skip


def _trip(coords: str = "wgs84", lang: str = "en") -> Itinerary:
    """Three days from the same hotel: the museum (30 CNY) with lunch inside the visit, the
    park, then the station."""
    visit = {"arrive": _at("09:00"), "start": _at("09:00"), "depart": _at("11:20")}
    museum = documents.stop("cf_museum", MUSEUM, coords, cost_cny=30, **visit)
    lunch = documents.stop(
        "cf_museum", MUSEUM, coords, kind="meal", start=_at("11:20"), depart=_at("12:20")
    )
    park = documents.stop("cf_park", PARK, coords, arrive=_at("09:30", 1), start=_at("09:30", 1),
                          depart=_at("11:00", 1))  # fmt: skip
    days = [
        [_hub("cf_hotel", coords, 0, None, "08:40"), museum, lunch,
         _hub("cf_hotel", coords, 0, "12:40", None)],
        [_hub("cf_hotel", coords, 1, None, "09:10"), park,
         _hub("cf_hotel", coords, 1, "11:20", None)],
        [_hub("cf_hotel", coords, 2, None, "08:00"), _hub("cf_rail", coords, 2, "08:30", None)],
    ]  # fmt: skip
    doc = documents.itinerary(coords, days)
    nights = ["cf_hotel", "cf_hotel", None]
    return doc.model_copy(
        update={
            "request": doc.request.model_copy(update={"lang": Lang(lang)}),
            "days": [
                day.model_copy(update={"night_place_id": n})
                for day, n in zip(doc.days, nights, strict=True)
            ],
        }
    )


def _ride(coords: str = "wgs84") -> Itinerary:
    """A day that takes the K2559 from Chifeng to Tongliao between taxi rides."""
    day = [
        _hub("cf_hotel", coords, 0, None, "08:00"),
        _hub("cf_rail", coords, 0, "08:30", "09:10", mode="taxi", travel_minutes=30),
        documents.stop(
            "tl_rail", TL_STATION, coords, kind="transfer", arrive=_at("13:00"), start=None,
            depart=_at("13:10"), mode="rail", travel_minutes=230, link_id="cf_tl_k2559",
            service_code="K2559", fare_cny=60,
        ),
        _hub("tl_hotel", coords, 0, "13:30", None, mode="taxi", travel_minutes=20),
    ]  # fmt: skip
    return documents.itinerary(coords, [day])


def _positions(payload: wechat_map.WeChatMap) -> dict[str, tuple[float, float]]:
    """Each place's marker position, through the `stops` mapping."""
    by_id = {m.id: (m.latitude, m.longitude) for m in payload.markers}
    return {s.place_id: by_id[s.markerId] for s in payload.stops}


def test_a_wgs84_plan_is_shifted_to_gcj02() -> None:
    """Markers sit at the stored WGS-84 positions shifted to GCJ-02, not at the plan's."""
    payload = wechat_map.build(_trip("wgs84"), STORED)
    assert payload.datum == "gcj02"
    expected = {pid: to_datum(*STORED[pid], Datum.gcj02) for pid in ("cf_hotel", "cf_museum")}
    assert {pid: _positions(payload)[pid] for pid in expected} == expected
    assert all(_positions(payload)[pid] != STORED[pid] for pid in expected)  # really shifted
    assert payload.includePoints[0].model_dump() == dict(
        zip(("latitude", "longitude"), expected["cf_hotel"], strict=True)
    )


@pytest.mark.parametrize("stored", [STORED, {}], ids=["places_stored", "places_gone"])
def test_a_gcj02_plan_keeps_its_own_positions(stored: dict[str, tuple[float, float]]) -> None:
    doc = _trip("gcj02")
    own = {s.place_id: (s.lat, s.lon) for day in doc.days for s in day.stops}
    assert _positions(wechat_map.build(doc, stored)) == own


def test_a_marker_per_place_in_the_order_the_plan_reaches_them() -> None:
    """The hotel of every night is one marker; ids count from 1 in order of first
    appearance; every stop leads back to its place's marker."""
    doc = _trip()
    payload = wechat_map.build(doc, STORED)
    assert [m.id for m in payload.markers] == [1, 2, 3, 4]
    assert [m.title for m in payload.markers] == ["Cf Hotel", "Cf Museum", "Cf Park", "Cf Rail"]
    assert [m.iconPath for m in payload.markers] == [
        "/assets/map/hotel.png",
        "/assets/map/spot.png",
        "/assets/map/spot.png",
        "/assets/map/hub.png",
    ]
    hotel = payload.markers[0]
    assert hotel.callout.content == "Cf Hotel\nHotel: nights 1, 2"
    assert hotel.ariaLabel == "Cf Hotel, Hotel"
    stops = [(s.markerId, s.day, s.order, s.place_id, s.kind) for s in payload.stops]
    assert stops == [
        (ids, d, i, stop.place_id, stop.kind)
        for d, day in enumerate(doc.days, start=1)
        for i, stop in enumerate(day.stops)
        for ids in [{"cf_hotel": 1, "cf_museum": 2, "cf_park": 3, "cf_rail": 4}[stop.place_id]]
    ]
    assert payload.includePoints == [
        wechat_map.MapPosition(latitude=m.latitude, longitude=m.longitude) for m in payload.markers
    ]


def test_a_line_per_day_in_its_own_colour() -> None:
    """Each day's line runs through its stops' markers (lunch inside a visit goes nowhere)."""
    payload = wechat_map.build(_trip(), STORED)
    at = {m.id: wechat_map.MapPosition(latitude=m.latitude, longitude=m.longitude)
          for m in payload.markers}  # fmt: skip
    assert [[at[i] for i in ids] for ids in ([1, 2, 1], [1, 3, 1], [1, 4])] == [
        line.points for line in payload.polyline
    ]
    colours = [line.color for line in payload.polyline]
    assert len(set(colours)) == 3
    assert all(len(c) == 9 and c.startswith("#") for c in colours)  # "#RRGGBBAA"
    assert not any(line.dottedLine for line in payload.polyline)
    assert [(d.day, d.color, d.polylines) for d in payload.days] == [
        (n + 1, colours[n], [n]) for n in range(3)
    ]


def test_a_scheduled_ride_is_dotted() -> None:
    """The train splits the day's line: taxi, the ride dotted, taxi, in the day's colour."""
    payload = wechat_map.build(_ride(), STORED)
    assert [line.dottedLine for line in payload.polyline] == [False, True, False]
    assert len({line.color for line in payload.polyline}) == 1
    assert payload.days[0].polylines == [0, 1, 2]
    joints = [
        (a.points[-1], b.points[0])
        for a, b in zip(payload.polyline, payload.polyline[1:], strict=False)
    ]
    assert all(end == start for end, start in joints)
    station = payload.markers[1]
    assert station.callout.content == "Cf Rail\nDay 1 · Board K2559 · 08:30-09:10"
    assert payload.markers[2].callout.content.endswith("Day 1 · Alight K2559 · 13:00-13:10")


@pytest.mark.parametrize(
    ("lang", "museum", "hotel"),
    [
        ("en", "Day 1 · Visit · 09:00-11:20 · ticket ¥30\nDay 1 · Lunch · 11:20-12:20",
         "Hotel: nights 1, 2"),
        ("zh", "第1天 · 景点 · 09:00-11:20 · 门票 30 元\n第1天 · 午餐 · 11:20-12:20",
         "住宿：第1、2晚"),
    ],
)  # fmt: skip
def test_callouts_speak_the_plans_language(lang: str, museum: str, hotel: str) -> None:
    payload = wechat_map.build(_trip(lang=lang), STORED)
    assert payload.lang == lang
    hotel_marker, museum_marker = payload.markers[:2]
    assert museum_marker.callout.content == f"Cf Museum\n{museum}"
    assert hotel_marker.callout.content == f"Cf Hotel\n{hotel}"
    assert museum_marker.label.content == "Cf Museum"
    station = payload.markers[3].callout.content.splitlines()[1]
    assert station == {"en": "Day 3 · Hub · arr. 08:30", "zh": "第3天 · 枢纽 · 08:30 到达"}[lang]


@pytest.mark.parametrize(
    "doc", [_trip(), _trip("gcj02", "zh"), _ride()], ids=["trip", "zh", "ride"]
)
def test_the_payload_matches_the_mini_program_typings(doc: Itinerary) -> None:
    assert check_wechat_map(wechat_map.build(doc, STORED).model_dump(mode="json")) == []
