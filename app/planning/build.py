"""Stored data + a request -> the ways to spend each day (where each night is spent) -> the
solver's trip model.

Times inside a problem are minutes from 00:00 of the first day, so day d spans
[d * 1440, (d + 1) * 1440). Every night is at a central-district hotel area.
"""

from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import partial

from sqlalchemy import select
from sqlmodel import Session, col

from app.errors import InvalidInput
from app.geo import haversine_km
from app.holiday_calendar import HolidayCalendar
from app.models import City, Departure, District, Hub, HubKind, Mode, Spot, TransitLink
from app.planning.request import Pace, Party, PlanRequest, TravelMode
from app.planning.value import (
    EVENING_POINTS,
    SHORT_DAY_POINTS,
    hosts_lunch,
    is_venue,
    values,
    wants_venues,
)
from app.services.common import Page
from app.services.holidays import current_calendar
from app.services.spots import SpotFilter as _SpotFilter
from app.services.spots import SpotView, list_spots, opening_on
from app.travel import Point, travel_times
from solver import Break, DayOption, Tour, Trip, Visit

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
# Lunch: an hour starting between 11:00 and 13:30; during a long visit it is taken at the
# scenic area's own restaurant (a meal visit of the solver).
LUNCH = (11 * 60, 14 * 60 + 30, 60)
# Minutes to get out of a station at arrival, and to be there before departure.
ARRIVAL_SLACK: dict[str, int] = {
    HubKind.airport: 40,
    HubKind.rail_station: 20,
    HubKind.bus_station: 15,
}
DEPARTURE_SLACK: dict[str, int] = {
    HubKind.airport: 90,
    HubKind.rail_station: 40,
    HubKind.bus_station: 30,
}


@dataclass(frozen=True)
class Place:
    id: str
    city_id: str
    lat: float
    lon: float
    kind: str  # "spot" or a hub kind
    central: bool


@dataclass(frozen=True)
class Tariff:
    """A city's transit prices (yuan), from its bureau's settings."""

    taxi_flag: int
    taxi_per_km: float
    charter_per_day: int
    charter_per_km: float


@dataclass(frozen=True)
class Ride:
    """One scheduled departure between the cities, from the stored timetable."""

    link_id: str
    mode: str
    service_code: str
    board: str  # station ids
    alight: str
    departs: int  # minutes of the day
    arrives: int
    price: int


@dataclass(frozen=True)
class DaySpec:
    day: date
    start: str
    end: str
    earliest: int  # minutes of the day
    latest: int
    max_travel: int | None
    lunch: bool
    ride: Ride | None = None  # transit days that change city are split around it
    evening: bool = True  # the evening outing after the day's arrival, where the night has one


@dataclass
class PlanData:
    """Everything loaded once per request, shared by every candidate skeleton."""

    request: PlanRequest
    places: dict[str, Place]
    spots: list[SpotView]
    scores: dict[str, int]
    night_hub: dict[str, str]  # city -> its central hotel area
    calendar: HolidayCalendar  # the holidays and 调休 the opening hours follow
    gateways: dict[str, list[str]] = field(default_factory=dict)  # city -> county gateways
    # city -> evening venues near the hotel (leisure areas, food streets), nearest first
    evenings: dict[str, list[str]] = field(default_factory=dict)
    crossing: int = 0  # the shortest stored road link between the cities, minutes
    tariffs: dict[str, Tariff] = field(default_factory=dict)
    penalties: dict[str, int] = field(default_factory=dict)  # city -> gateway-night penalty
    index: dict[str, int] = field(default_factory=dict)
    matrix: list[list[int]] = field(default_factory=list)
    departures: list[tuple[TransitLink, Departure]] = field(default_factory=list)

    def travel(self, a: str, b: str) -> int:
        return self.matrix[self.index[a]][self.index[b]]


def clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _nearest(hubs: list[Hub], lat: float, lon: float) -> Hub:
    return min(hubs, key=lambda h: (haversine_km(h.lat, h.lon, lat, lon), h.id))


# A replan keeps what it can: spots of the previous plan score this much more.
KEEP_BONUS = 1.5


EVENING_REACH = 30  # minutes from the hotel to an evening venue


def spot_cities(session: Session) -> dict[str, str]:
    """The city of every spot not deleted (a soft-deleted spot is unknown to planning)."""
    live = select(col(Spot.id), col(Spot.city_id)).where(col(Spot.deleted_at).is_(None))
    return {spot_id: city_id for spot_id, city_id in session.execute(live)}


def validate(session: Session, req: PlanRequest) -> None:
    """Every id in the request names what it must in the database, or `InvalidInput` at
    the first that does not (its index in `loc`): cities that have a central hotel area,
    arrival and departure places, must-visits in the chosen cities, spots to avoid.
    `load` starts with it; a plan job is checked with it before it is accepted."""
    at: list[str | int] = (
        list(req.cities) if isinstance(req.cities, dict) else list(range(len(req.cities)))
    )
    known = set(session.scalars(select(col(City.id))))
    hotels = set(
        session.scalars(
            select(col(Hub.city_id))
            .join(District, col(District.id) == col(Hub.district_id))
            .where(
                col(Hub.kind) == HubKind.hotel_area,
                col(District.is_central),
                col(Hub.deleted_at).is_(None),
            )
        )
    )
    for where, city_id in zip(at, req.city_ids, strict=True):
        if city_id not in known:
            raise InvalidInput(["body", "cities", where], f"unknown city {city_id!r}")
        if city_id not in hotels:
            raise InvalidInput(["body", "cities", where], f"{city_id!r} has no central hotel area")
    spots = spot_cities(session)
    ends = {req.arrive.place_id, req.depart.place_id} - set(spots)
    hubs = set(
        session.scalars(
            select(col(Hub.id)).where(col(Hub.id).in_(ends), col(Hub.deleted_at).is_(None))
        )
    )
    for field_name in ("arrive", "depart"):
        pid = getattr(req, field_name).place_id
        if pid not in spots and pid not in hubs:
            raise InvalidInput(["body", field_name, "place_id"], f"no hub or spot {pid!r}")
    for i, sid in enumerate(req.must_visit):
        if sid not in spots:
            raise InvalidInput(["body", "must_visit", i], f"no spot {sid!r}")
        if spots[sid] not in req.city_ids:
            raise InvalidInput(["body", "must_visit", i], f"{sid!r} is not in the chosen cities")
    for i, sid in enumerate(req.avoid):
        if sid not in spots:
            raise InvalidInput(["body", "avoid", i], f"no spot {sid!r}")


# Spots offered to the optimiser at most (besides must-visits and a replan's own): a trip of
# ten days visits some sixty, and the model's size, not the search, would otherwise set the
# time of a plan over a thousand spots (8 s for a 1 s limit before this cap).
MAX_CANDIDATES = 150


def _strongest(views: list[SpotView], worth: dict[str, int], keep: set[str]) -> list[SpotView]:
    """The most valuable candidates (ties by id), in their original order."""
    if len(views) <= MAX_CANDIDATES:
        return views
    ranked = sorted(views, key=lambda v: (v.spot.id not in keep, -worth[v.spot.id], v.spot.id))
    chosen = {v.spot.id for v in ranked[: max(MAX_CANDIDATES, len(keep & set(worth)))]}
    return [v for v in views if v.spot.id in chosen]


def _night_hubs(cities: dict[str, City], hubs: list[Hub], central: set[str]) -> dict[str, str]:
    """Each city's night hub: its central hotel area nearest the city's centre."""
    found = {}
    for city_id, city in cities.items():
        hotels = [
            h
            for h in hubs
            if h.city_id == city_id and h.kind == HubKind.hotel_area and h.district_id in central
        ]
        if hotels:
            found[city_id] = _nearest(hotels, city.lat, city.lon).id
    return found


def night_hubs(session: Session) -> dict[str, str]:
    """city -> the hotel area its nights are planned at (a package starts and ends there)."""
    cities = {c.id: c for c in session.scalars(select(City))}
    central = set(session.scalars(select(col(District.id)).where(col(District.is_central))))
    hubs = list(session.scalars(select(Hub).where(col(Hub.deleted_at).is_(None))))
    return _night_hubs(cities, hubs, central)


def load(session: Session, req: PlanRequest, prefer: frozenset[str] = frozenset()) -> PlanData:
    validate(session, req)
    cities = {c.id: c for c in session.scalars(select(City))}
    central = set(session.scalars(select(col(District.id)).where(col(District.is_central))))
    hubs = list(session.scalars(select(Hub).where(col(Hub.deleted_at).is_(None))))
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
    interests = {k.value: v for k, v in req.interests.items()}
    as_sights = wants_venues(interests)
    must = set(req.must_visit)
    in_cities = [v for v in views if v.spot.city_id in wanted and v.spot.id not in avoid]
    # Food streets, shopping areas and station districts are lunch and evening venues.
    candidates = [
        v for v in in_cities if as_sights or v.spot.id in must or not is_venue(v.categories)
    ]
    night_hub = _night_hubs(cities, hubs, central)
    evenings: dict[str, list[str]] = {}
    for city_id in night_hub:
        hotel = places[night_hub[city_id]]
        venues = [h.id for h in hubs if h.city_id == city_id and h.kind == HubKind.evening_leisure]
        venues += [
            v.spot.id
            for v in views
            if v.spot.city_id == city_id and v.central and is_venue(v.categories)
        ]
        evenings[city_id] = sorted(
            venues,
            key=lambda pid: (
                haversine_km(hotel.lat, hotel.lon, places[pid].lat, places[pid].lon),
                pid,
            ),
        )
    worth = values(candidates, interests)
    candidates = _strongest(candidates, worth, must | prefer)
    worth = {v.spot.id: worth[v.spot.id] for v in candidates}
    data = PlanData(
        request=req,
        places=places,
        spots=candidates,
        scores={
            sid: round(value * (KEEP_BONUS if sid in prefer else 1))
            for sid, value in worth.items()
        },
        night_hub=night_hub,
        evenings=evenings,
        crossing=_crossing(session, places),
        calendar=current_calendar(session),
        tariffs={
            c.id: Tariff(
                c.taxi_flag_cny, c.taxi_cny_per_km, c.charter_cny_per_day, c.charter_cny_per_km
            )
            for c in cities.values()
        },
        penalties={c.id: c.gateway_night_penalty for c in cities.values()},
    )
    if req.mode is TravelMode.transit:
        data.departures = [
            (link, dep)
            for link, dep in session.execute(
                select(TransitLink, Departure)
                .join(Departure, col(Departure.link_id) == col(TransitLink.id))
                .where(col(TransitLink.mode) != Mode.road, col(TransitLink.deleted_at).is_(None))
                .order_by(col(Departure.departs), col(Departure.id))
            ).all()
            if link.from_id in places and link.to_id in places
        ]
    for h in hubs:  # for gateway nights, and to suggest one when a must-visit is too far
        if h.kind == HubKind.county_gateway and h.city_id in wanted:
            data.gateways.setdefault(h.city_id, []).append(h.id)
    stations = [pid for link, _ in data.departures for pid in (link.from_id, link.to_id)]
    gateway_ids = [g for gs in data.gateways.values() for g in gs]
    venue_ids = [pid for c in wanted for pid in evenings.get(c, [])]
    used = dict.fromkeys(
        [req.arrive.place_id, req.depart.place_id, *night_hub.values(), *venue_ids,
         *stations, *gateway_ids, *(v.spot.id for v in candidates)]
    )  # fmt: skip
    data.index = {pid: i for i, pid in enumerate(used)}
    points = [Point(pid, places[pid].lat, places[pid].lon) for pid in used]
    data.matrix = travel_times(session).matrix(points)
    return data


def _crossing(session: Session, places: dict[str, Place]) -> int:
    """The direct road crossing: the shortest stored road link between the two cities (the
    city-change day's driving allowance is counted from it)."""
    links = session.scalars(
        select(TransitLink).where(
            col(TransitLink.mode) == Mode.road, col(TransitLink.deleted_at).is_(None)
        )
    )
    return min(
        (
            link.duration_min
            for link in links
            if link.duration_min is not None
            and link.from_id in places
            and link.to_id in places
            and places[link.from_id].city_id != places[link.to_id].city_id
        ),
        default=0,
    )


def night_plans(data: PlanData) -> list[tuple[str, ...]]:
    """Candidate sequences of night hubs (central hotel areas): fixed by the request's
    nights per city, or every split between the two cities."""
    req = data.request
    nights = req.days - 1
    arrive_city = data.places[req.arrive.place_id].city_id
    order = sorted(req.city_ids, key=lambda c: (c != arrive_city, req.city_ids.index(c)))
    if req.fixed_nights is not None:
        cities = [tuple(c for c in order for _ in range(req.fixed_nights[c]))]
    elif len(order) == 1 or nights <= 1:
        cities = [tuple([order[0]] * nights)]
    else:
        first, second = order[0], order[1]
        cities = [tuple([first] * k + [second] * (nights - k)) for k in range(1, nights)]
    return [tuple(data.night_hub[c] for c in plan) for plan in cities]


GATEWAY_REACH = 150  # minutes: spots this close to a gateway count as unlocked by it
GATEWAY_CHOICES = 2  # gateways tried per city


def gateway_plans(data: PlanData, base: tuple[str, ...]) -> list[tuple[str, ...]]:
    """Variants of a night plan with one night at a county gateway, for the gateways that
    bring the most value within reach that the central district does not."""
    out = []
    for city in dict.fromkeys(data.places[h].city_id for h in base):
        central = data.night_hub[city]
        run = [i for i, h in enumerate(base) if h == central]
        if not run:
            continue
        unlocked = {
            g: sum(
                data.scores[v.spot.id]
                for v in data.spots
                if data.travel(g, v.spot.id) <= GATEWAY_REACH < data.travel(central, v.spot.id)
            )
            for g in data.gateways.get(city, [])
        }
        best = sorted((g for g in unlocked if unlocked[g] > 0), key=lambda g: -unlocked[g])
        # A night out there comes back to the central district the next night: never the
        # night before the city change or the last night (those days would be all road).
        between = [i for i in run if i + 1 < len(base) and base[i + 1] == central]
        if not between:
            continue
        middle = between[len(between) // 2]
        for g in best[:GATEWAY_CHOICES]:
            out.append(tuple(g if i == middle else h for i, h in enumerate(base)))
    return out


BOARDING = 30  # minutes at the station before a departure
ALIGHTING = 15
MAX_RIDES = 4  # departures tried per city change


def _runs_on(dep: Departure, day: date) -> bool:
    """The departure's weekday selector and validity; a swapped working day (调休) keeps
    its calendar weekday here, as timetables do."""
    if (dep.valid_from and day < dep.valid_from) or (dep.valid_to and day > dep.valid_to):
        return False
    days: set[int] = set()
    names = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
    for part in dep.days.split(","):
        lo, _, hi = part.partition("-")
        i, j = names.index(lo), names.index(hi or lo)
        days.update(range(i, j + 1) if i <= j else [*range(i, 7), *range(0, j + 1)])
    return day.weekday() in days


def rides(data: PlanData, day: date, from_city: str, to_city: str) -> list[Ride]:
    """Same-day departures from one city to the other, spread over the day."""
    found = []
    for link, dep in data.departures:
        if dep.arrives_day_offset or not _runs_on(dep, day):
            continue
        if (data.places[link.from_id].city_id, data.places[link.to_id].city_id) != (
            from_city,
            to_city,
        ):
            continue
        found.append(
            Ride(link.id, link.mode, dep.service_code, link.from_id, link.to_id,
                 dep.departs.hour * 60 + dep.departs.minute,
                 dep.arrives.hour * 60 + dep.arrives.minute, link.price_cny or 0)
        )  # fmt: skip
    if len(found) > MAX_RIDES:
        step = (len(found) - 1) / (MAX_RIDES - 1)
        found = [found[round(i * step)] for i in range(MAX_RIDES)]
    return found


def _legs(data: PlanData, spec: DaySpec) -> list[tuple[str, str, int, int]]:
    """(from, to, earliest, latest) of the tours of one day: two around a ride."""
    if spec.ride is None:
        return [(spec.start, spec.end, spec.earliest, spec.latest)]
    r = spec.ride
    return [
        (spec.start, r.board, spec.earliest, r.departs - BOARDING),
        (r.alight, spec.end, r.arrives + ALIGHTING, spec.latest),
    ]


def day_specs(data: PlanData, nights: tuple[str, ...]) -> list[list[DaySpec]]:
    """Every workable skeleton for these nights: one, or one per ride choice on transit
    days that change city. Raises `InvalidInput` when none works."""
    req = data.request
    start_m, end_m = PACE[req.pace]
    later, earlier, cap = PARTY[req.party]
    hubs = list(nights)
    options: list[list[DaySpec]] = [[]]
    for d in range(req.days):
        start = req.arrive.place_id if d == 0 else hubs[d - 1]
        end = req.depart.place_id if d == req.days - 1 else hubs[d]
        earliest, latest = start_m + later, end_m - earlier
        if d == 0:  # the day starts when the traveller gets out of the station
            slack = ARRIVAL_SLACK.get(data.places[start].kind, 0)
            earliest = req.arrive.time.hour * 60 + req.arrive.time.minute + slack
        if d == req.days - 1:
            slack = DEPARTURE_SLACK.get(data.places[end].kind, 0)
            latest = req.depart.time.hour * 60 + req.depart.time.minute - slack
        # Arriving in the evening or leaving in the morning: that day is just the transfer.
        leg = data.travel(start, end)
        if d == 0 < req.days - 1:
            latest = max(latest, earliest + leg)
        if d == req.days - 1 > 0:
            earliest = min(earliest, latest - leg)
        day = req.start_date + timedelta(days=d)
        where = ["body", "depart" if d == req.days - 1 else "days"]
        a, b = data.places[start].city_id, data.places[end].city_id
        # By transit, the city change is a scheduled ride or, as a fallback, a chartered
        # car on the road link; the solver's best plan decides.
        day_rides: list[Ride | None] = [None]
        if req.mode is TravelMode.transit and a != b:
            day_rides = [*rides(data, day, a, b), None]
        # The party's cap counts every minute on the road or rails that day, the evening
        # outing included; the day that changes city may add the direct crossing to half of it.
        allowance = None
        if cap is not None:
            allowance = cap if a == b else data.crossing + cap // 2
            if d < req.days - 1:
                allowance -= evening_minutes(data, end)
        specs = []
        for ride in day_rides:
            draft = DaySpec(day, start, end, earliest, latest, None, False, ride)
            legs = _legs(data, draft)
            if any(hi < lo + data.travel(f, t) for f, t, lo, hi in legs):
                continue
            drive = sum(data.travel(f, t) for f, t, _, _ in legs)
            max_travel = None
            if allowance is not None:
                aboard = 0 if ride is None else ride.arrives - ride.departs
                max_travel = max(allowance - aboard, drive)
            lunch = any(_lunch_fits(lo, hi, data.travel(f, t)) for f, t, lo, hi in legs)
            specs.append(DaySpec(day, start, end, earliest, latest, max_travel, lunch, ride))
        if not specs:
            raise InvalidInput(
                where,
                f"day {d + 1} ({day}): the {leg}-minute trip from {start} to {end} does not fit "
                f"between {clock(earliest)} and {clock(latest)}",
            )
        options = [[*o, s] for o in options for s in specs]
    return options


def _restful(data: PlanData, spec: DaySpec) -> DaySpec | None:
    """The same day without the evening outing, its minutes given to the day trip under
    the party's cap (a sight a little farther out, then a rest at the hotel); None where
    there is no cap or no outing to give up."""
    evening = evening_minutes(data, spec.end)
    last = spec.day == data.request.start_date + timedelta(days=data.request.days - 1)
    if spec.max_travel is None or not evening or last or not spec.evening:
        return None
    return replace(spec, evening=False, max_travel=spec.max_travel + evening)


def evening_minutes(data: PlanData, hotel: str) -> int:
    """The round trip to the nearest evening venue, when the night has one."""
    place = data.places[hotel]
    venues = data.evenings.get(place.city_id, [])
    if not (data.request.evening and venues and place.central):
        return 0
    return data.travel(hotel, venues[0]) + data.travel(venues[0], hotel)


def _lunch_fits(lo: int, hi: int, leg: int) -> bool:
    """Lunch can start by its window and the leg still ends in time."""
    ready = max(lo, LUNCH[0]) + LUNCH[2]
    return ready <= LUNCH[1] and ready + leg <= hi


def tour_days(specs: list[DaySpec]) -> list[int]:
    """The day of each tour of the problem (a ride day has two tours)."""
    return [d for d, s in enumerate(specs) for _ in range(1 if s.ride is None else 2)]


FULL_DAY_SIGHTS = 240  # minutes of sightseeing a full day in the open season should hold
OPEN_SEASON = range(5, 11)  # May-October


def _full_day_sights(data: PlanData, spec: DaySpec, d: int, days: int) -> int:
    """Minutes of sightseeing day `d` should hold: four hours on a full day in the open
    season, two on the day that changes city; none on the first and last days."""
    if not 0 < d < days - 1 or spec.day.month not in OPEN_SEASON:
        return 0
    moves = data.places[spec.start].city_id != data.places[spec.end].city_id
    return FULL_DAY_SIGHTS // (2 if moves else 1)


DETOUR_MINUTES = 30  # the road a short hop to a sight costs a day, both ways


def _leaves_a_full_day(data: PlanData, spec: DaySpec, d: int, days: int, view: SpotView) -> bool:
    """Whether a full day in the open season can visit the spot and still hold four hours of
    sightseeing (two on the day that changes city): a spot so far that the road eats the day
    is for a gateway night, the arrival or departure day, or a must-visit."""
    need = _full_day_sights(data, spec, d, days)
    if not need or spec.ride:
        return True
    road = data.travel(spec.start, view.spot.id) + data.travel(view.spot.id, spec.end)
    lunch = LUNCH[2] if spec.lunch and not hosts_lunch(view) else 0  # else part of the stay
    # A day that could hardly hold its hours even on the direct road (a relaxed city
    # change) asks of a spot only what such a day can hold, less a short hop to reach it:
    # what it can see is better than nothing.
    return spec.latest - spec.earliest - road - lunch >= min(
        need, _most(data, spec) - DETOUR_MINUTES
    )


def _most(data: PlanData, spec: DaySpec) -> int:
    """Minutes of sightseeing the day could hold on its direct road, lunch apart."""
    direct = data.travel(spec.start, spec.end)
    return spec.latest - spec.earliest - direct - (LUNCH[2] if spec.lunch else 0)


def _tours(data: PlanData, spec: DaySpec, d: int) -> tuple[Tour, ...]:
    """The solver tours of one day: one, or two around a ride; lunch in the first that
    fits it."""
    base = d * DAY
    tours = []
    lunch_given = False
    for f, t, lo, hi in _legs(data, spec):
        lunch = None
        if spec.lunch and not lunch_given and _lunch_fits(lo, hi, data.travel(f, t)):
            lunch, lunch_given = Break(LUNCH[2], base + LUNCH[0], base + LUNCH[1]), True
        tours.append(
            Tour(
                start_place=data.index[f],
                end_place=data.index[t],
                earliest_start=base + lo,
                latest_end=base + hi,
                break_=lunch,
                max_travel=spec.max_travel,
            )
        )
    return tuple(tours)


def _visits(data: PlanData) -> tuple[Visit, ...]:
    """Every candidate spot with its windows over the whole trip."""
    req = data.request
    visits = []
    for view in data.spots:
        meal = hosts_lunch(view)
        windows: list[tuple[int, int]] = []
        for d in range(req.days):
            for w in opening_on(view, req.start_date + timedelta(days=d)).windows:
                o, c = w.minutes
                if meal:  # the stay, lunch included, ends by closing time
                    c -= LUNCH[2]
                    if c < o:
                        continue
                if windows and d * DAY + o <= windows[-1][1]:  # open through midnight
                    windows[-1] = (windows[-1][0], d * DAY + c)
                else:
                    windows.append((d * DAY + o, d * DAY + c))
        visits.append(
            Visit(
                place=data.index[view.spot.id],
                service=view.spot.visit_minutes,
                score=data.scores[view.spot.id],
                windows=tuple(windows),
                cost=view.spot.ticket_cny,
                required=view.spot.id in req.must_visit,
                finish_by_close=True,
                meal=meal,
                name=view.spot.id,
            )
        )
    return tuple(visits)


def trip(data: PlanData, skeletons: list[list[DaySpec]]) -> tuple[Trip, list[DaySpec]]:
    """The trip model over every day of the given skeletons: each distinct day spec is an
    option of its day, chained by its hubs; a night outside the central district pays its
    city's gateway-night penalty and counts towards the one such night a trip may have.
    Returns the model and the spec of each option."""
    days = data.request.days
    specs = list(dict.fromkeys(spec for skeleton in skeletons for spec in skeleton))
    specs += [spec for spec in map(partial(_restful, data), specs) if spec is not None]
    must = set(data.request.must_visit)
    options = []
    for spec in specs:
        d = (spec.day - data.request.start_date).days
        outside = d < days - 1 and not data.places[spec.end].central
        excluded = frozenset(
            j
            for j, view in enumerate(data.spots)
            if view.spot.id not in must and not _leaves_a_full_day(data, spec, d, days, view)
        )
        want = _full_day_sights(data, spec, d, days)
        options.append(
            DayOption(
                day=d,
                start=data.index[spec.start],
                end=data.index[spec.end],
                tours=_tours(data, spec, d),
                span=(d * DAY, (d + 1) * DAY),
                penalty=(data.penalties.get(data.places[spec.end].city_id, 0) if outside else 0)
                + (0 if spec.evening else EVENING_POINTS),
                counts=(int(outside),),
                excluded=excluded,
                want=want,
                # (A day that holds its hours only on the direct road sees what it can.)
                short=SHORT_DAY_POINTS if _most(data, spec) - DETOUR_MINUTES >= want else 0,
            )
        )
    model = Trip(
        travel=tuple(tuple(row) for row in data.matrix),
        visits=_visits(data),
        options=tuple(options),
        budget=data.request.budget_cny,
        bounds=((0, 1),),
    )
    return model, specs
