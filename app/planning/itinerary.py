"""A solver solution -> the day-by-day itinerary document the API returns."""

from datetime import datetime, time, timedelta
from typing import Any

from app.geo import to_datum
from app.opening import TZ
from app.planning.build import DAY, GATEWAY_REACH, DaySpec, PlanData, tour_days
from app.planning.request import TravelMode
from app.schemas import Lang
from app.services.spots import opening_on
from solver import Reason, Solution, TourPlan

EVENING = (19 * 60, 90)  # the evening leisure stop: not before 19:00, 90 minutes
EVENING_LATEST_ARRIVAL = 20 * 60 + 30
REASON_TEXT = {
    Reason.CLOSED_DURING_TRIP: ("行程期间不开放", "closed on every day of the trip"),
    Reason.UNREACHABLE_IN_A_DAY: ("一天之内无法往返", "too far to reach and visit within a day"),
    Reason.OVER_BUDGET: ("超出门票预算", "its ticket does not fit the budget"),
    Reason.NO_TIME_LEFT: ("日程已满", "no day has time left for it"),
}
NEXT_OPEN_SEARCH_DAYS = 366


def iso(data: PlanData, minute: int) -> str:
    day = data.request.start_date + timedelta(days=minute // DAY)
    m = minute % DAY
    return datetime.combine(day, time(m // 60, m % 60), TZ).isoformat()


class Assembler:
    def __init__(self, data: PlanData, specs: list[DaySpec], solution: Solution) -> None:
        self.data, self.specs, self.solution = data, specs, solution
        self.req = data.request
        self.mode = "drive" if self.req.mode is TravelMode.self_drive else "taxi"

    def _name(self, place_id: str) -> tuple[str, float, float]:
        place = self.data.places[place_id]
        lat, lon = to_datum(place.lat, place.lon, self.req.coords)
        return place_id, lat, lon

    def stop(
        self, kind: str, place_id: str, arrive: int | None, start: int | None,
        depart: int | None, travel: int, cost: int = 0,
    ) -> dict[str, Any]:  # fmt: skip
        _, lat, lon = self._name(place_id)
        return {
            "kind": kind,
            "place_id": place_id,
            "name": self.names[place_id],
            "lat": lat,
            "lon": lon,
            "datum": str(self.req.coords),
            "arrive": None if arrive is None else iso(self.data, arrive),
            "start": None if start is None else iso(self.data, start),
            "depart": None if depart is None else iso(self.data, depart),
            "travel_minutes": travel,
            "mode": self.mode if travel else None,
            "cost_cny": cost,
        }

    def _visits(self, plan: TourPlan, here: str, stops: list[dict[str, Any]]) -> str:
        """Append a tour's visits (and its lunch) to `stops`; return where it ends up."""
        for k, s in enumerate(plan.stops):
            if plan.break_after == k and plan.break_start is not None:
                stops.append(self.meal(here, plan.break_start))
            spot = self.data.spots[s.visit].spot
            travel = self.data.travel(here, spot.id)
            stops.append(
                self.stop(
                    "spot", spot.id, s.arrival, s.start, s.departure, travel, spot.ticket_cny
                )
            )
            here = spot.id
        if plan.break_after == len(plan.stops) and plan.break_start is not None:
            stops.append(self.meal(here, plan.break_start))
        return here

    def day(self, d: int, plans: list[TourPlan]) -> dict[str, Any]:
        spec, base = self.specs[d], d * DAY
        kind = "hub" if self.data.places[spec.start].kind != "spot" else "spot"
        stops = [self.stop(kind, spec.start, None, None, plans[0].departure, 0)]
        here = self._visits(plans[0], spec.start, stops)
        ride = spec.ride
        if ride is not None:
            # Taxi to the station, the scheduled ride, then the rest of the day.
            to_station = self.data.travel(here, ride.board)
            stops.append(
                self.stop(
                    "hub", ride.board, plans[0].arrival, None, base + ride.departs, to_station
                )
            )
            minutes = ride.arrives - ride.departs
            aboard = self.stop(
                "transfer", ride.alight, base + ride.arrives, None, plans[1].departure, minutes,
                ride.price,
            )  # fmt: skip
            aboard.update(mode=ride.mode, link_id=ride.link_id, service_code=ride.service_code)
            stops.append(aboard)
            here = self._visits(plans[1], ride.alight, stops)
        travel = self.data.travel(here, spec.end)
        crosses = ride is None and (
            self.data.places[spec.end].city_id != self.data.places[spec.start].city_id
        )
        last = d == self.req.days - 1
        arrival = self.stop(
            "transfer" if crosses else "hub", spec.end, plans[-1].arrival, None, None, travel
        )
        if crosses and self.req.mode is TravelMode.transit:
            arrival["mode"] = "charter"  # no better scheduled ride that day
        stops.append(arrival)
        if not last:
            evening = self.evening(spec.end, plans[-1].arrival)
            if evening:
                # Leave the hotel just in time for the evening stop.
                arrival["depart"] = iso(self.data, evening[0].pop("_leave"))
            stops.extend(evening)
        night = None if last else spec.end
        return {
            "date": spec.day.isoformat(),
            "night_place_id": night,
            "night_city": None if night is None else self.data.places[night].city_id,
            "stops": stops,
        }

    def meal(self, place_id: str, start: int) -> dict[str, Any]:
        return self.stop("meal", place_id, start, start, start + 60, 0)

    def evening(self, hotel: str, arrival: int) -> list[dict[str, Any]]:
        """Night market or food street near the hotel, then back to the hotel."""
        city = self.data.places[hotel].city_id
        spot = self.data.evening_hub.get(city)
        if not self.req.evening or spot is None or not self.data.places[hotel].central:
            return []
        go, back = self.data.travel(hotel, spot), self.data.travel(spot, hotel)
        reach = max(arrival + go, arrival - arrival % DAY + EVENING[0])
        if reach % DAY > EVENING_LATEST_ARRIVAL:
            return []
        end = reach + EVENING[1]
        return [
            {**self.stop("evening", spot, reach, reach, end, go), "_leave": reach - go},
            self.stop("hub", hotel, end + back, None, None, back),
        ]

    def build(self, names: dict[str, str]) -> dict[str, Any]:
        self.names = names
        by_day: list[list[TourPlan]] = [[] for _ in self.specs]
        for day, plan in zip(tour_days(self.specs), self.solution.tours, strict=True):
            by_day[day].append(plan)
        days = [self.day(d, plans) for d, plans in enumerate(by_day)]
        return {"days": days, "summary": self.summary(days), "unvisited": self.unvisited()}

    def summary(self, days: list[dict[str, Any]]) -> dict[str, Any]:
        nights: dict[str, int] = {}
        central = 0
        spots_per_city: dict[str, int] = {}
        for day in days:
            if day["night_place_id"]:
                nights[day["night_city"]] = nights.get(day["night_city"], 0) + 1
                central += self.data.places[day["night_place_id"]].central
            for s in day["stops"]:
                if s["kind"] == "spot" and s["arrive"] is not None:
                    city = self.data.places[s["place_id"]].city_id
                    spots_per_city[city] = spots_per_city.get(city, 0) + 1
        return {
            "score": self.solution.score,
            "status": str(self.solution.status),
            "nights_per_city": nights,
            "central_nights": central,
            "nights_outside_central": self.req.days - 1 - central,
            "total_nights": self.req.days - 1,
            "travel_minutes": sum(s["travel_minutes"] for d in days for s in d["stops"]),
            "ticket_total_cny": self.solution.cost,
            "spots_per_city": spots_per_city,
            "solver": {
                "strategy": self.solution.strategy,
                "seconds": round(self.solution.seconds, 3),
            },
        }

    def suggestion(self, visit: int, reason: Reason) -> dict[str, Any]:
        """The smallest change that would let a must-visit fit, by why it did not."""
        view = self.data.spots[visit]
        spot = view.spot
        if reason is Reason.OVER_BUDGET:
            need = self.solution.cost + spot.ticket_cny
            return {"change": "higher_budget", "budget_cny": need,
                    "text": f"raise the ticket budget to {need} CNY"}  # fmt: skip
        if reason is Reason.CLOSED_DURING_TRIP:
            for k in range(1, NEXT_OPEN_SEARCH_DAYS):
                day = self.req.start_date + timedelta(days=k)
                if opening_on(view, day).windows:
                    return {"change": "another_date", "start_date": day.isoformat(),
                            "text": f"it is open again from {day.isoformat()}"}  # fmt: skip
            return {"change": "another_date", "text": "no opening in the coming year is known"}
        if reason is Reason.UNREACHABLE_IN_A_DAY:
            gateways = self.data.gateways.get(spot.city_id, [])
            near = min(gateways, key=lambda g: self.data.travel(g, spot.id), default=None)
            if near is not None and self.data.travel(near, spot.id) <= GATEWAY_REACH:
                text = f"allow a night at {self.names.get(near, near)} (gateway_nights)"
                return {"change": "gateway_night", "hub_id": near, "text": text}
        return {"change": "one_more_day", "days": self.req.days + 1,
                "text": "add a day to the trip"}  # fmt: skip

    def unvisited(self) -> list[dict[str, Any]]:
        """Must-visits left out, and the five most valuable spots that did not fit."""
        zh = self.req.lang is Lang.zh
        left = sorted(
            self.solution.unvisited,
            key=lambda u: (-self.data.scores[self.data.spots[u.visit].spot.id], u.visit),
        )
        must = set(self.req.must_visit)
        chosen = [u for u in left if self.data.spots[u.visit].spot.id in must]
        chosen += [u for u in left if self.data.spots[u.visit].spot.id not in must][:5]
        out = []
        for u in chosen:
            spot_id = self.data.spots[u.visit].spot.id
            entry = {
                "spot_id": spot_id,
                "name": self.names[spot_id],
                "must_visit": spot_id in must,
                "reason": str(u.reason),
                "text": REASON_TEXT[u.reason][0 if zh else 1],
            }
            if spot_id in must:
                entry["suggestion"] = self.suggestion(u.visit, u.reason)
            out.append(entry)
        return out
