"""Stored data + a request -> trip skeletons (where each night is spent) -> solver problems.

Times inside a problem are minutes from 00:00 of the first day, so day d spans
[d * 1440, (d + 1) * 1440). Every night is at a central-district hotel area.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select
from sqlmodel import Session

from app.errors import InvalidInput
from app.geo import haversine_km
from app.models import City, District, Hub, HubKind
from app.planning.request import Pace, Party, PlanRequest
from app.services.common import Page
from app.services.spots import SpotFilter as _SpotFilter
from app.services.spots import SpotView, list_spots, opening_on
from app.travel import Point, travel_times
from solver import Break, Problem, Tour, Visit

DAY = 1440
PACE = {  # (leave the hotel, be back), minutes of the day
    Pace.relaxed: (9 * 60, 17 * 60 + 30),
    Pace.normal: (8 * 60 + 30, 18 * 60 + 30),
    Pace.packed: (7 * 60 + 30, 20 * 60),
}
# (later start, earlier end, cap on driving minutes a day)
PARTY = {
    Party.adults: (0, 0, None),
    Party.young_children: (0, 60, 240),
    Party.elderly: (30, 30, 180),
}
# Lunch: an hour between 11:00 and 15:30, so a long morning visit (a desert lake, 4 h)
# can end before it.
LUNCH = (11 * 60, 15 * 60 + 30, 60)
# Minutes to get out of a station at arrival, and to be there before departure.
ARRIVAL_SLACK = {HubKind.airport: 40, HubKind.rail_station: 20, HubKind.bus_station: 15}
DEPARTURE_SLACK = {HubKind.airport: 90, HubKind.rail_station: 40, HubKind.bus_station: 30}
A_LEVEL_POINTS = {5: 6, 4: 5, 3: 4, 2: 3, 1: 2, 0: 2, None: 3}


@dataclass(frozen=True)
class Place:
    id: str
    city_id: str
    lat: float
    lon: float
    kind: str  # "spot" or a hub kind
    central: bool


@dataclass(frozen=True)
class DaySpec:
    day: date
    start: str
    end: str
    earliest: int  # minutes of the day
    latest: int
    max_travel: int | None
    lunch: bool


@dataclass
class PlanData:
    """Everything loaded once per request, shared by every candidate skeleton."""

    request: PlanRequest
    places: dict[str, Place]
    spots: list[SpotView]
    scores: dict[str, int]
    night_hub: dict[str, str]  # city -> its central hotel area
    evening_hub: dict[str, str] = field(default_factory=dict)  # city -> evening leisure area
    index: dict[str, int] = field(default_factory=dict)
    matrix: list[list[int]] = field(default_factory=list)

    def travel(self, a: str, b: str) -> int:
        return self.matrix[self.index[a]][self.index[b]]


def clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def score(view: SpotView, interests: dict) -> int:
    """Interest x A-level x the bureau's priority, as an integer for the solver."""
    weight = max((interests.get(c, 1.0) for c in view.categories), default=1.0)
    return round(10 * A_LEVEL_POINTS.get(view.spot.a_level, 3) * weight * view.spot.priority / 3)


def _nearest(hubs: list[Hub], lat: float, lon: float) -> Hub:
    return min(hubs, key=lambda h: (haversine_km(h.lat, h.lon, lat, lon), h.id))


# A replan keeps what it can: spots of the previous plan score this much more.
KEEP_BONUS = 1.5


def load(session: Session, req: PlanRequest, prefer: frozenset[str] = frozenset()) -> PlanData:
    cities = {c.id: c for c in session.scalars(select(City))}
    for i, city_id in enumerate(req.city_ids):
        if city_id not in cities:
            raise InvalidInput(["body", "cities", i], f"unknown city {city_id!r}")
    central = set(session.scalars(select(District.id).where(District.is_central)))
    hubs = list(session.scalars(select(Hub).where(Hub.deleted_at.is_(None))))
    places: dict[str, Place] = {
        h.id: Place(h.id, h.city_id, h.lat, h.lon, h.kind, h.district_id in central) for h in hubs
    }
    views, _ = list_spots(session, _SpotFilter(), Page(limit=10_000, offset=0))
    wanted = set(req.city_ids)
    avoid = set(req.avoid)
    for v in views:
        places[v.spot.id] = Place(
            v.spot.id, v.spot.city_id, v.spot.lat, v.spot.lon, "spot", v.central
        )
    for field_name in ("arrive", "depart"):
        pid = getattr(req, field_name).place_id
        if pid not in places:
            raise InvalidInput(["body", field_name, "place_id"], f"no hub or spot {pid!r}")
    candidates = [v for v in views if v.spot.city_id in wanted and v.spot.id not in avoid]
    known = {v.spot.id for v in candidates}
    for i, sid in enumerate(req.must_visit):
        if sid not in known:
            why = "is not a spot" if sid not in places else "is not in the chosen cities"
            raise InvalidInput(["body", "must_visit", i], f"{sid!r} {why}")
    night_hub, evening_hub = {}, {}
    for city_id in cities:
        hotels = [
            h
            for h in hubs
            if h.city_id == city_id and h.kind == HubKind.hotel_area and places[h.id].central
        ]
        if hotels:
            night_hub[city_id] = _nearest(hotels, cities[city_id].lat, cities[city_id].lon).id
            evenings = [
                h for h in hubs if h.city_id == city_id and h.kind == HubKind.evening_leisure
            ]
            if evenings:
                hotel = places[night_hub[city_id]]
                evening_hub[city_id] = _nearest(evenings, hotel.lat, hotel.lon).id
    for i, city_id in enumerate(req.city_ids):
        if city_id not in night_hub:
            raise InvalidInput(["body", "cities", i], f"{city_id!r} has no central hotel area")
    interests = {k.value: v for k, v in req.interests.items()}
    data = PlanData(
        request=req,
        places=places,
        spots=candidates,
        scores={
            v.spot.id: round(score(v, interests) * (KEEP_BONUS if v.spot.id in prefer else 1))
            for v in candidates
        },
        night_hub=night_hub,
        evening_hub=evening_hub,
    )
    used = dict.fromkeys(
        [req.arrive.place_id, req.depart.place_id, *night_hub.values(), *evening_hub.values(),
         *(v.spot.id for v in candidates)]
    )  # fmt: skip
    data.index = {pid: i for i, pid in enumerate(used)}
    points = [Point(pid, places[pid].lat, places[pid].lon) for pid in used]
    data.matrix = travel_times(session).matrix(points)
    return data


def night_plans(data: PlanData) -> list[tuple[str, ...]]:
    """Candidate sequences of night cities: fixed by the request, or every split."""
    req = data.request
    nights = req.days - 1
    arrive_city = data.places[req.arrive.place_id].city_id
    order = sorted(req.city_ids, key=lambda c: (c != arrive_city, req.city_ids.index(c)))
    if req.fixed_nights is not None:
        return [tuple(c for c in order for _ in range(req.fixed_nights[c]))]
    if len(order) == 1 or nights <= 1:
        return [tuple([order[0]] * nights)]
    first, second = order[0], order[1]
    return [tuple([first] * k + [second] * (nights - k)) for k in range(1, nights)]


def day_specs(data: PlanData, nights: tuple[str, ...]) -> list[DaySpec]:
    req = data.request
    start_m, end_m = PACE[req.pace]
    later, earlier, cap = PARTY[req.party]
    hubs = [data.night_hub[c] for c in nights]
    specs = []
    for d in range(req.days):
        start = req.arrive.place_id if d == 0 else hubs[d - 1]
        end = req.depart.place_id if d == req.days - 1 else hubs[d]
        earliest, latest = start_m + later, end_m - earlier
        if d == 0:
            slack = ARRIVAL_SLACK.get(data.places[start].kind, 0)
            earliest = max(earliest, req.arrive.time.hour * 60 + req.arrive.time.minute + slack)
        if d == req.days - 1:
            slack = DEPARTURE_SLACK.get(data.places[end].kind, 0)
            latest = req.depart.time.hour * 60 + req.depart.time.minute - slack
        leg = data.travel(start, end)
        max_travel = None if cap is None else max(cap, leg + 60)
        lunch = earliest <= LUNCH[1] - LUNCH[2] and latest >= LUNCH[0] + LUNCH[2] + leg
        day = req.start_date + timedelta(days=d)
        if latest < earliest + leg:
            raise InvalidInput(
                ["body", "depart" if d == req.days - 1 else "days"],
                f"day {d + 1} ({day}): the {leg}-minute trip from {start} to {end} does not fit "
                f"between {clock(earliest)} and {clock(latest)}",
            )
        specs.append(DaySpec(day, start, end, earliest, latest, max_travel, lunch))
    return specs


def problem(data: PlanData, specs: list[DaySpec], budget: int | None = None) -> Problem:
    """The solver problem of one skeleton; `budget` overrides the request's (alternatives)."""
    tours = []
    for d, s in enumerate(specs):
        base = d * DAY
        lunch = Break(LUNCH[2], base + LUNCH[0], base + LUNCH[1]) if s.lunch else None
        tours.append(
            Tour(
                start_place=data.index[s.start],
                end_place=data.index[s.end],
                earliest_start=base + s.earliest,
                latest_end=base + s.latest,
                break_=lunch,
                max_travel=s.max_travel,
            )
        )
    visits = []
    for view in data.spots:
        windows = []
        for d, s in enumerate(specs):
            for w in opening_on(view, s.day).windows:
                o, c = w.minutes
                windows.append((d * DAY + o, d * DAY + c))
        visits.append(
            Visit(
                place=data.index[view.spot.id],
                service=view.spot.visit_minutes,
                score=data.scores[view.spot.id],
                windows=tuple(windows),
                cost=view.spot.ticket_cny,
                required=view.spot.id in data.request.must_visit,
                finish_by_close=True,
                name=view.spot.id,
            )
        )
    matrix = tuple(tuple(row) for row in data.matrix)
    return Problem(
        travel=matrix,
        visits=tuple(visits),
        tours=tuple(tours),
        budget=data.request.budget_cny if budget is None else budget,
    )
