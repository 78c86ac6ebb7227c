"""An itinerary as the WeChat mini-program's `map` component takes it, always in GCJ-02.

The component fields carry the names the component documents
(https://developers.weixin.qq.com/miniprogram/dev/component/map.html), so a page binds the
payload as it comes: `<map markers="{{markers}}" polyline="{{polyline}}"
include-points="{{includePoints}}" latitude="{{center.latitude}}"
longitude="{{center.longitude}}">`. Points are the typings' `MapPostion`
(`{latitude, longitude}`) and marker ids are numbers, as `bindmarkertap` and
`bindcallouttap` report them (`e.detail.markerId`); `stops` leads from a marker id back to
the place and the stops of the plan.
"""

from collections.abc import Mapping
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from app.geo import Datum, to_datum
from app.opening import TZ
from app.planning.document import Itinerary, Stop, StopKind
from app.planning.exports import KIND_LABEL, in_wgs84
from app.schemas import Lang

ICON_DIR = "/assets/map"  # in the mini-program's own package: we host no images
ICON_SIZE = 32  # px
# One colour per day (Tableau 10), opaque, "#RRGGBBAA" as the component's polyline wants.
DAY_COLOURS = (
    "#4E79A7FF",
    "#F28E2BFF",
    "#E15759FF",
    "#76B7B2FF",
    "#59A14FFF",
    "#EDC948FF",
    "#B07AA1FF",
    "#FF9DA7FF",
    "#9C755FFF",
    "#BAB0ACFF",
)
LINE_WIDTH = 6
TEXT_COLOUR, BORDER_COLOUR, BACKGROUND = "#222222", "#CCCCCC", "#FFFFFF"

Rgb = Annotated[str, Field(pattern=r"^#[0-9A-F]{6}$", description="#RRGGBB")]
Rgba = Annotated[str, Field(pattern=r"^#[0-9A-F]{8}$", description="#RRGGBBAA")]


class MarkerKind(StrEnum):
    """What a marked place is to the trip; its icon is `/assets/map/<kind>.png`."""

    hotel = "hotel"
    hub = "hub"
    spot = "spot"
    evening = "evening"
    start = "start"
    meal = "meal"


class CalloutDisplay(StrEnum):
    """When a callout shows: on a tap on its marker, or always."""

    BYCLICK = "BYCLICK"
    ALWAYS = "ALWAYS"


# Not an enum: a `center` member would shadow `str.center`.
MapTextAlign = Literal["left", "right", "center"]


class _Component(BaseModel):
    model_config = ConfigDict(extra="forbid")


class MapPosition(_Component):
    """The typings' `MapPostion` (sic): the points of polylines and include-points."""

    latitude: float
    longitude: float


class MarkerAnchor(_Component):
    x: float = Field(ge=0, le=1, description="0 left edge of the icon, 1 right edge")
    y: float = Field(ge=0, le=1, description="0 top edge of the icon, 1 bottom edge")


class MarkerCallout(_Component):
    content: str = Field(description="The place's name, then a line per role or visit")
    color: Rgb
    fontSize: int
    borderRadius: int
    borderWidth: int
    borderColor: Rgb
    bgColor: Rgb
    padding: int
    display: CalloutDisplay
    textAlign: MapTextAlign
    anchorX: int = Field(description="px, to the right")
    anchorY: int = Field(description="px, downwards")


class MarkerLabel(_Component):
    content: str = Field(description="The place's name")
    color: Rgb
    fontSize: int
    anchorX: int = Field(description="px from the marker's position, to the right")
    anchorY: int = Field(description="px from the marker's position, downwards")
    borderWidth: int
    borderColor: Rgb
    borderRadius: int
    bgColor: Rgb
    padding: int
    textAlign: MapTextAlign


class MapMarker(_Component):
    id: int = Field(ge=1, description="1-based, in the order the plan first reaches each place")
    latitude: float
    longitude: float
    title: str
    zIndex: int = Field(description="Sights above hotels and stations")
    iconPath: str = Field(
        description=f"The mini-program's own icon for the place's kind: "
        f"`{ICON_DIR}/<kind>.png` with kind one of "
        f"{', '.join(k.value for k in MarkerKind)} (no image is hosted by the service)"
    )
    width: int
    height: int
    anchor: MarkerAnchor
    callout: MarkerCallout
    label: MarkerLabel
    ariaLabel: str


class MapPolyline(_Component):
    points: list[MapPosition] = Field(min_length=2)
    color: Rgba
    width: int
    dottedLine: bool = Field(description="A scheduled ride (train, coach, flight)")
    arrowLine: bool
    borderColor: Rgba
    borderWidth: int


class MarkerStop(_Component):
    """A stop of the plan at a marker: what a tapped marker stands for."""

    markerId: int
    day: int = Field(ge=1, description="1-based index into the itinerary's days")
    order: int = Field(ge=0, description="0-based index into the day's stops")
    place_id: str
    kind: StopKind


class MapDay(_Component):
    day: int = Field(ge=1)
    date: date
    color: Rgba
    polylines: list[int] = Field(
        description="Indexes into `polyline`: one line, more when a ride splits the day, "
        "none when the day stays in one place"
    )


class WeChatMap(_Component):
    """The plan for the mini-program's `map` component, always GCJ-02."""

    itinerary_id: str
    datum: Literal[Datum.gcj02] = Datum.gcj02
    lang: Lang = Field(description="The language of the plan's request")
    center: MapPosition = Field(description="The middle of the markers' bounding box")
    markers: list[MapMarker] = Field(description="One per distinct place")
    polyline: list[MapPolyline] = Field(description="Each day's route, in its day's colour")
    includePoints: list[MapPosition] = Field(description="Every marker's position")
    stops: list[MarkerStop]
    days: list[MapDay]


TEXT = {
    Lang.zh: {
        "day": "第{}天",
        "night": "住宿：第{}晚",
        "nights": "住宿：第{}晚",
        "join": "、",
        "ticket": "门票 {} 元",
        "from": "{} 出发",
        "until": "{} 到达",
        "arrival": "抵达",
        "departure": "离开",
        "board": "上车",
        "alight": "下车",
    },
    Lang.en: {
        "day": "Day {}",
        "night": "Hotel: night {}",
        "nights": "Hotel: nights {}",
        "join": ", ",
        "ticket": "ticket ¥{}",
        "from": "dep. {}",
        "until": "arr. {}",
        "arrival": "Arrival",
        "departure": "Departure",
        "board": "Board",
        "alight": "Alight",
    },
}
# What a marked place is, for screen readers (`ariaLabel`); sights and the rest as their stops.
PLACE_ROLE = {
    Lang.zh: {MarkerKind.hotel: "住宿", MarkerKind.hub: "交通枢纽"},
    Lang.en: {MarkerKind.hotel: "Hotel", MarkerKind.hub: "Transport hub"},
}
Z_INDEX = {MarkerKind.spot: 3, MarkerKind.evening: 2, MarkerKind.start: 2, MarkerKind.meal: 2}
_STOP_MARKER = {StopKind.hub: MarkerKind.hub, StopKind.transfer: MarkerKind.hub}


def _clock(moment: datetime) -> str:
    return moment.astimezone(TZ).strftime("%H:%M")


def _span(stop: Stop, text: dict) -> str:
    """The stop's times, "09:20-11:20", or its departure or arrival alone at a day's ends."""
    begin = stop.start or stop.arrive
    if begin and stop.depart:
        return f"{_clock(begin)}-{_clock(stop.depart)}"
    if stop.depart:
        return text["from"].format(_clock(stop.depart))
    return text["until"].format(_clock(begin)) if begin else ""


def _role(doc: Itinerary, d: int, i: int, text: dict) -> str:
    """What the stop is: a visit, lunch, the trip's arrival or departure, a ride's ends."""
    stops = doc.days[d].stops
    stop = stops[i]
    if stop.link_id is not None:
        return f"{text['alight']} {stop.service_code or ''}".strip()
    if i + 1 < len(stops) and stops[i + 1].link_id is not None:
        return f"{text['board']} {stops[i + 1].service_code or ''}".strip()
    if doc.first_day == 1 and d == i == 0 and stop.place_id == doc.request.arrive.place_id:
        return text["arrival"]
    last = d == len(doc.days) - 1 and i == len(stops) - 1
    if last and stop.place_id == doc.request.depart.place_id:
        return text["departure"]
    return KIND_LABEL[doc.request.lang][stop.kind]


def _callout(doc: Itinerary, place_id: str, name: str, kind: MarkerKind) -> str:
    """The place's name, then its nights as a hotel and a line per other stop at it."""
    text = TEXT[doc.request.lang]
    lines = [name]
    if kind is MarkerKind.hotel:
        nights = [
            str(doc.first_day + d)
            for d, day in enumerate(doc.days)
            if day.night_place_id == place_id
        ]
        key = "nights" if len(nights) > 1 else "night"
        lines.append(text[key].format(text["join"].join(nights)))
    for d, day in enumerate(doc.days):
        for i, stop in enumerate(day.stops):
            if stop.place_id != place_id:
                continue
            if kind is MarkerKind.hotel and stop.kind in (StopKind.hub, StopKind.transfer):
                continue  # the nights say it
            parts = [text["day"].format(doc.first_day + d), _role(doc, d, i, text)]
            parts.append(_span(stop, text))
            if stop.cost_cny:
                parts.append(text["ticket"].format(stop.cost_cny))
            lines.append(" · ".join(p for p in parts if p))
    return "\n".join(lines)


def _kind(doc: Itinerary, place_id: str, nights: set[str]) -> MarkerKind:
    if place_id in nights:
        return MarkerKind.hotel
    kinds = [s.kind for day in doc.days for s in day.stops if s.place_id == place_id]
    first = next((k for k in kinds if k is not StopKind.meal), StopKind.meal)
    return _STOP_MARKER.get(first) or MarkerKind(first.value)


def _marker(doc: Itinerary, id_: int, first: Stop, at: MapPosition, kind: MarkerKind) -> MapMarker:
    """The marker of the place `first` stops at, `at` its GCJ-02 position."""
    lang, name = doc.request.lang, first.name
    role = PLACE_ROLE[lang].get(kind) or KIND_LABEL[lang][StopKind(kind.value)]
    return MapMarker(
        id=id_,
        latitude=at.latitude,
        longitude=at.longitude,
        title=name,
        zIndex=Z_INDEX.get(kind, 1),
        iconPath=f"{ICON_DIR}/{kind.value}.png",
        width=ICON_SIZE,
        height=ICON_SIZE,
        anchor=MarkerAnchor(x=0.5, y=1),
        callout=MarkerCallout(
            content=_callout(doc, first.place_id, name, kind),
            color=TEXT_COLOUR,
            fontSize=13,
            borderRadius=6,
            borderWidth=1,
            borderColor=BORDER_COLOUR,
            bgColor=BACKGROUND,
            padding=8,
            display=CalloutDisplay.BYCLICK,
            textAlign="left",
            anchorX=0,
            anchorY=0,
        ),
        label=MarkerLabel(
            content=name,
            color=TEXT_COLOUR,
            fontSize=12,
            anchorX=ICON_SIZE // 2,
            anchorY=-ICON_SIZE,
            borderWidth=0,
            borderColor=BACKGROUND,
            borderRadius=4,
            bgColor=BACKGROUND,
            padding=2,
            textAlign="left",
        ),
        ariaLabel=f"{name}, {role}" if lang is Lang.en else f"{name}，{role}",
    )


def _lines(stops: list[Stop], at: Mapping[str, MapPosition], colour: str) -> list[MapPolyline]:
    """The day's route, split where a scheduled ride (dotted) begins or ends; legs that go
    nowhere (lunch inside a visit) are left out."""
    runs: list[tuple[bool, list[MapPosition]]] = []
    for prev, stop in zip(stops, stops[1:], strict=False):
        a, b = at[prev.place_id], at[stop.place_id]
        if a == b:
            continue
        dotted = stop.link_id is not None
        if runs and runs[-1][0] == dotted and runs[-1][1][-1] == a:
            runs[-1][1].append(b)
        else:
            runs.append((dotted, [a, b]))
    return [
        MapPolyline(
            points=points,
            color=colour,
            width=LINE_WIDTH,
            dottedLine=dotted,
            arrowLine=not dotted,
            borderColor="#FFFFFFFF",
            borderWidth=1,
        )
        for dotted, points in runs
    ]


def build(doc: Itinerary, stored: Mapping[str, tuple[float, float]]) -> WeChatMap:
    """The map payload in GCJ-02: each stop's WGS-84 position as the exports find it
    (`stored` maps place ids to their stored WGS-84 positions), shifted to GCJ-02, so a
    GCJ-02 plan keeps its own positions."""
    at: dict[str, MapPosition] = {}
    first: dict[str, Stop] = {}
    for day in in_wgs84(doc, stored).days:
        for stop in day.stops:
            if stop.place_id not in at:
                lat, lon = to_datum(stop.lat, stop.lon, Datum.gcj02)
                at[stop.place_id] = MapPosition(latitude=lat, longitude=lon)
                first[stop.place_id] = stop
    ids = {place_id: n for n, place_id in enumerate(at, start=1)}
    nights = {day.night_place_id for day in doc.days if day.night_place_id}
    markers = [
        _marker(doc, ids[pid], first[pid], pos, _kind(doc, pid, nights)) for pid, pos in at.items()
    ]
    polyline: list[MapPolyline] = []
    days = []
    for d, day in enumerate(doc.days):
        colour = DAY_COLOURS[d % len(DAY_COLOURS)]
        lines = _lines(day.stops, at, colour)
        days.append(
            MapDay(
                day=d + 1,
                date=day.date,
                color=colour,
                polylines=list(range(len(polyline), len(polyline) + len(lines))),
            )
        )
        polyline += lines
    lats = [p.latitude for p in at.values()]
    lons = [p.longitude for p in at.values()]
    return WeChatMap(
        itinerary_id=doc.id,
        lang=doc.request.lang,
        center=MapPosition(
            latitude=round((min(lats) + max(lats)) / 2, 6),
            longitude=round((min(lons) + max(lons)) / 2, 6),
        ),
        markers=markers,
        polyline=polyline,
        includePoints=list(at.values()),
        stops=[
            MarkerStop(
                markerId=ids[stop.place_id], day=d, order=i, place_id=stop.place_id, kind=stop.kind
            )
            for d, day in enumerate(doc.days, start=1)
            for i, stop in enumerate(day.stops)
        ],
        days=days,
    )
