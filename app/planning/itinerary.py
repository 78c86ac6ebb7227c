"""A solver solution -> the day-by-day itinerary document the API returns."""

from dataclasses import replace
from datetime import datetime, time, timedelta

from app.geo import haversine_km, to_datum
from app.holiday_calendar import CalendarStatus, provisional_dates
from app.opening import TZ
from app.planning.build import DAY, FULL_DAY_SIGHTS, LUNCH, DaySpec, PlanData, tour_days
from app.planning.document import (
    Day,
    LegMode,
    Plan,
    SolverRun,
    Stop,
    StopKind,
    Summary,
    Unvisited,
    Variant,
)
from app.planning.request import TravelMode
from app.planning.value import hosts_lunch
from app.schemas import Lang
from app.services.spots import opening_on
from solver import Reason, Solution, Status, TourPlan

EVENING = (19 * 60, 90)  # the evening leisure stop: not before 19:00, 90 minutes
EVENING_LATEST_ARRIVAL = 20 * 60 + 30
REASON_TEXT = {
    Reason.CLOSED_DURING_TRIP: ("行程期间不开放", "closed on every day of the trip"),
    Reason.UNREACHABLE_IN_A_DAY: ("一天之内无法往返", "too far to reach and visit within a day"),
    Reason.OVER_BUDGET: ("超出门票预算", "its ticket does not fit the budget"),
    Reason.NO_TIME_LEFT: ("日程已满", "no day has time left for it"),
}
LUNCH_AT = 12 * 60  # lunch inside a visit starts at noon when the visit allows
TAXI_MAX = 90  # minutes: a longer leg in transit mode is a chartered car (包车)
ROAD_KM_PER_KM = 1.3  # road distance per great-circle km, as the offline travel model
NEAR_HUB_KM = 30  # a spot this close to a night's hub is never "unreachable in a day"
SAME_PLACE_KM = 0.5  # an evening venue this close to the day's sight is the same place


def at(data: PlanData, minute: int) -> datetime:
    """The trip's minute (0 = midnight before day 1) as a local time."""
    day = data.request.start_date + timedelta(days=minute // DAY)
    m = minute % DAY
    return datetime.combine(day, time(m // 60, m % 60), TZ)


class Assembler:
    def __init__(
        self, data: PlanData, specs: list[DaySpec], solution: Solution, main: bool = True
    ) -> None:
        """``main``: the plan asked for; an alternative lists only the must-visits it
        leaves out (its own tighter limits are not the traveller's)."""
        self.data, self.specs, self.solution, self.main = data, specs, solution, main
        self.req = data.request
        self.transit = self.req.mode is TravelMode.transit

    def _name(self, place_id: str) -> tuple[str, float, float]:
        place = self.data.places[place_id]
        lat, lon = to_datum(place.lat, place.lon, self.req.coords)
        return place_id, lat, lon

    def stop(
        self, kind: StopKind, place_id: str, arrive: int | None, start: int | None,
        depart: int | None, travel: int, cost: int = 0,
    ) -> Stop:  # fmt: skip
        _, lat, lon = self._name(place_id)
        return Stop(
            kind=kind,
            place_id=place_id,
            name=self.names[place_id],
            lat=lat,
            lon=lon,
            datum=self.req.coords,
            arrive=None if arrive is None else at(self.data, arrive),
            start=None if start is None else at(self.data, start),
            depart=None if depart is None else at(self.data, depart),
            travel_minutes=travel,
            mode=(LegMode.taxi if self.transit else LegMode.drive) if travel else None,
            fare_cny=0,  # priced by `_fares` in transit mode
            cost_cny=cost,
        )

    def _visits(self, plan: TourPlan, here: str, stops: list[Stop]) -> str:
        """Append a tour's visits (and its lunch) to `stops`; return where it ends up."""
        for k, s in enumerate(plan.stops):
            if plan.break_after == k and plan.break_start is not None:
                self._lunch(plan, k, here, stops)
            spot = self.data.spots[s.visit].spot
            travel = self.data.travel(here, spot.id)
            stops.append(
                self.stop(
                    StopKind.spot,
                    spot.id,
                    s.arrival,
                    s.start,
                    s.departure,
                    travel,
                    spot.ticket_cny,
                )  # fmt: skip
            )
            here = spot.id
        if plan.break_after == len(plan.stops) and plan.break_start is not None:
            self._lunch(plan, len(plan.stops), here, stops)
        return here

    def _lunch(self, plan: TourPlan, k: int, here: str, stops: list[Stop]) -> None:
        """Lunch after the first `k` visits; when it begins before the visit before it ends,
        it is taken inside that visit (the scenic area's restaurant): the stay lengthens by
        the meal, which lies within it."""
        start = plan.break_start
        assert start is not None
        before = plan.stops[k - 1] if k else None
        if before is None or start >= before.departure:
            stops.append(self.meal(here, start))
            return
        latest = min(before.departure, (start - start % DAY) + LUNCH[1] - LUNCH[2])
        start = max(start, min((start - start % DAY) + LUNCH_AT, latest))
        stops[-1].depart = at(self.data, before.departure + LUNCH[2])
        stops.append(self.meal(here, start))

    def _linger(self, d: int, plans: list[TourPlan]) -> list[TourPlan]:
        """On a full day with fewer than the day's hours of sightseeing and time to spare,
        stay longer at the last sight (until it closes or the day must end). A lunch right
        after it that the traveller would wait for is reached by staying on; beyond that
        the lunch moves with the stay while it still starts in its hour."""
        spec, base, last = self.specs[d], d * DAY, plans[-1]
        if not 0 < d < self.req.days - 1 or not last.stops:
            return plans
        changes_city = self.data.places[spec.start].city_id != self.data.places[spec.end].city_id
        final = last.stops[-1]
        lunch = last.break_start if last.break_after == len(last.stops) else None
        lunch_after = lunch is not None and lunch >= final.departure
        seen = sum(s.departure - s.start for p in plans for s in p.stops)
        view = self.data.spots[final.visit]
        closes = [
            base + w.minutes[1] - (LUNCH[2] if hosts_lunch(view) else 0)
            for w in opening_on(view, spec.day).windows
            if base + w.minutes[0] <= final.start
        ]
        want = min(
            FULL_DAY_SIGHTS // (2 if changes_city else 1) - seen,
            max(closes, default=0) - final.departure,
        )
        # Waiting for lunch to open costs nothing to stay through.
        idle = lunch - final.departure if lunch is not None and lunch_after else 0
        free = max(0, min(want, idle))
        shift = max(0, min(want - free, base + spec.latest - last.arrival))
        if lunch is not None and lunch_after:
            shift = max(0, min(shift, base + LUNCH[1] - LUNCH[2] - lunch))
        if free + shift <= 0:
            return plans
        longer = replace(final, departure=final.departure + free + shift)
        moved = replace(
            last,
            stops=(*last.stops[:-1], longer),
            arrival=last.arrival + shift,
            break_start=lunch + shift if lunch is not None and lunch_after else last.break_start,
        )
        return [*plans[:-1], moved]

    def day(self, d: int, plans: list[TourPlan]) -> Day:
        plans = self._linger(d, plans)
        spec, base = self.specs[d], d * DAY
        # A day that starts at a spot (a replan from where the traveller stands) starts
        # there: no visit.
        kind = StopKind.hub if self.data.places[spec.start].kind != "spot" else StopKind.start
        stops = [self.stop(kind, spec.start, None, None, plans[0].departure, 0)]
        here = self._visits(plans[0], spec.start, stops)
        ride = spec.ride
        if ride is not None:
            # Taxi to the station, the scheduled ride, then the rest of the day.
            to_station = self.data.travel(here, ride.board)
            stops.append(
                self.stop(
                    StopKind.hub,
                    ride.board,
                    plans[0].arrival,
                    None,
                    base + ride.departs,
                    to_station,
                )  # fmt: skip
            )
            minutes = ride.arrives - ride.departs
            aboard = self.stop(
                StopKind.transfer, ride.alight, base + ride.arrives, None, plans[1].departure,
                minutes,
            )  # fmt: skip
            aboard.mode = LegMode(ride.mode)
            aboard.link_id, aboard.service_code = ride.link_id, ride.service_code
            aboard.fare_cny = ride.price
            stops.append(aboard)
            here = self._visits(plans[1], ride.alight, stops)
        travel = self.data.travel(here, spec.end)
        crosses = ride is None and (
            self.data.places[spec.end].city_id != self.data.places[spec.start].city_id
        )
        last = d == self.req.days - 1
        arrival = self.stop(
            StopKind.transfer if crosses else StopKind.hub, spec.end, plans[-1].arrival, None,
            None, travel,
        )  # fmt: skip
        stops.append(arrival)
        if not last and spec.evening:
            self.evening(spec.end, plans[-1].arrival, stops)
        if self.transit:
            self._fares(spec, stops)
        night = None if last else spec.end
        return Day(
            date=spec.day,
            night_place_id=night,
            night_city=None if night is None else self.data.places[night].city_id,
            stops=stops,
        )

    def _km(self, a: str, b: str) -> float:
        pa, pb = self.data.places[a], self.data.places[b]
        return haversine_km(pa.lat, pa.lon, pb.lat, pb.lon) * ROAD_KM_PER_KM

    def _fares(self, spec: DaySpec, stops: list[Stop]) -> None:
        """Transit legs and their prices: taxis for short hops in town; a day with a longer
        leg (a county sight, the crossing without a better ride) is a chartered car, priced
        by the city's tariff per day and per km."""
        tariff = self.data.tariffs[self.data.places[spec.start].city_id]
        legs = [
            (prev.place_id, st)
            for prev, st in zip(stops, stops[1:], strict=False)
            if st.travel_minutes and st.link_id is None and st.kind is not StopKind.meal
        ]
        charter = any(st.travel_minutes > TAXI_MAX for _, st in legs)
        day_fee = tariff.charter_per_day if charter else 0
        for origin, st in legs:
            km = self._km(origin, st.place_id)
            if charter:
                st.mode, fare = LegMode.charter, tariff.charter_per_km * km + day_fee
                day_fee = 0
            else:
                fare = tariff.taxi_flag + tariff.taxi_per_km * km
            st.fare_cny = round(fare)

    def meal(self, place_id: str, start: int) -> Stop:
        return self.stop(StopKind.meal, place_id, start, start, start + LUNCH[2], 0)

    def evening(self, hotel: str, arrival: int, stops: list[Stop]) -> None:
        """After the day's arrival at the hotel (the last of `stops`): the nearest evening
        venue (leisure area, food street) that is not a place the day already visited as a
        sight, then back to the hotel; the traveller leaves the hotel just in time."""
        place = self.data.places[hotel]
        if not self.req.evening or not place.central:
            return
        seen = [self.data.places[st.place_id] for st in stops if st.kind is StopKind.spot]
        venue = next(
            (
                v
                for v in self.data.evenings.get(place.city_id, [])
                if v in self.data.index
                and all(
                    v != p.id
                    and haversine_km(
                        p.lat, p.lon, self.data.places[v].lat, self.data.places[v].lon
                    )
                    >= SAME_PLACE_KM
                    for p in seen
                )
            ),
            None,
        )
        if venue is None:
            return
        go, back = self.data.travel(hotel, venue), self.data.travel(venue, hotel)
        reach = max(arrival + go, arrival - arrival % DAY + EVENING[0])
        if reach % DAY > EVENING_LATEST_ARRIVAL:
            return
        end = reach + EVENING[1]
        stops[-1].depart = at(self.data, reach - go)
        stops.append(self.stop(StopKind.evening, venue, reach, reach, end, go))
        stops.append(self.stop(StopKind.hub, hotel, end + back, None, None, back))

    def build(self, names: dict[str, str], variant: Variant) -> Plan:
        self.names = names
        by_day: list[list[TourPlan]] = [[] for _ in self.specs]
        for day, plan in zip(tour_days(self.specs), self.solution.tours, strict=True):
            by_day[day].append(plan)
        days = [self.day(d, plans) for d, plans in enumerate(by_day)]
        return Plan(
            days=days, summary=self.summary(days), unvisited=self.unvisited(), variant=variant
        )

    def summary(self, days: list[Day]) -> Summary:
        nights: dict[str, int] = {}
        central = 0
        spots_per_city: dict[str, int] = {}
        for day in days:
            if day.night_place_id is not None and day.night_city is not None:
                nights[day.night_city] = nights.get(day.night_city, 0) + 1
                central += self.data.places[day.night_place_id].central
            for s in day.stops:
                if s.kind is StopKind.spot and s.arrive is not None:
                    city = self.data.places[s.place_id].city_id
                    spots_per_city[city] = spots_per_city.get(city, 0) + 1
        stops = [s for d in days for s in d.stops]
        provisional = provisional_dates(self.data.calendar, [s.day for s in self.specs])
        return Summary(
            score=self.solution.score,
            status=Status(self.solution.status),
            nights_per_city=nights,
            central_nights=central,
            nights_outside_central=self.req.days - 1 - central,
            total_nights=self.req.days - 1,
            travel_minutes=sum(s.travel_minutes for s in stops),
            ticket_total_cny=self.solution.cost,
            # Self-drive plans count no fuel or tolls: the service knows neither.
            transport_cost_cny=sum(s.fare_cny for s in stops),
            spots_per_city=spots_per_city,
            # Dates whose holiday schedule is not yet the State Council's (no notice loaded):
            # their holidays and 调休 are the statutory rules' guess.
            calendar=CalendarStatus.provisional if provisional else CalendarStatus.official,
            provisional_dates=provisional,
            solver=SolverRun(
                strategy=self.solution.strategy,
                seconds=round(self.solution.seconds, 3),
                converged=self.solution.converged,
            ),
        )

    def reason(self, visit: int, reason: Reason) -> Reason:
        """The solver's reason, made true for the traveller: closed during the trip means
        closed on every date of it; a spot close to a night's hub that did not fit was left
        out for want of time on its open days, not for its distance."""
        if reason is Reason.CLOSED_DURING_TRIP:
            view = self.data.spots[visit]
            if any(opening_on(view, s.day).windows for s in self.specs):
                return Reason.NO_TIME_LEFT
            return reason
        if reason is not Reason.UNREACHABLE_IN_A_DAY:
            return reason
        spot = self.data.places[self.data.spots[visit].spot.id]
        hubs = {self.req.arrive.place_id, *(s.end for s in self.specs[:-1])}
        near = any(
            haversine_km(spot.lat, spot.lon, self.data.places[h].lat, self.data.places[h].lon)
            < NEAR_HUB_KM
            for h in hubs
        )
        return Reason.NO_TIME_LEFT if near else reason

    def unvisited(self) -> list[Unvisited]:
        """Must-visits left out, and (in the main plan) the five most valuable spots that
        did not fit, each with a true reason; over budget only when a budget was asked."""
        zh = self.req.lang is Lang.zh
        left = sorted(
            self.solution.unvisited,
            key=lambda u: (-self.data.scores[self.data.spots[u.visit].spot.id], u.visit),
        )
        must = set(self.req.must_visit)
        chosen = [u for u in left if self.data.spots[u.visit].spot.id in must]
        if self.main:
            chosen += [u for u in left if self.data.spots[u.visit].spot.id not in must][:5]
        out = []
        for u in chosen:
            spot_id = self.data.spots[u.visit].spot.id
            reason = self.reason(u.visit, u.reason)
            if reason is Reason.OVER_BUDGET and self.req.budget_cny is None:
                reason = Reason.NO_TIME_LEFT
            out.append(
                Unvisited(
                    spot_id=spot_id,
                    name=self.names[spot_id],
                    must_visit=spot_id in must,
                    reason=reason,
                    text=REASON_TEXT[reason][0 if zh else 1],
                )
            )
        return out
