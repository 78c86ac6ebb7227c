"""An independent checker of returned itineraries, built only on the public read API.

It trusts nothing the planner says about itself: opening windows come from
`GET /v1/spots/{id}/opening`, visit lengths, tickets and cities from `GET /v1/spots/{id}`,
central districts from `GET /v1/hubs/{id}`, and travel legs must be at least the
straight-line distance at 120 km/h by road (350 by rail). The day's bounds, lunch and
driving caps are the README's published rules, written out here again on purpose.
"""

import math
from datetime import date, datetime, time, timedelta
from typing import Any

import httpx

FASTEST_KMH = {"rail": 350, "air": 900}  # anything else is on a road: 120
# The README's day rules: out of the hotel and back by pace; a party starts later / ends
# earlier by minutes and may have a cap on a day's driving (not on a city-change day).
DAY_BY_PACE = {"relaxed": (540, 1050), "normal": (510, 1110), "packed": (450, 1200)}
PARTY_RULES = {"adults": (0, 0, None), "young_children": (0, 60, 240), "elderly": (30, 30, 180)}
LUNCH = (660, 930, 60)  # an hour, between 11:00 and 15:30


def _km(a: dict, b: dict) -> float:
    p1, p2 = math.radians(a["lat"]), math.radians(b["lat"])
    dl = math.radians(b["lon"] - a["lon"])
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def _t(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


def _minutes(hhmm: str) -> int:
    h, m = hhmm.split(":")
    return int(h) * 60 + int(m)


async def check_itinerary(client: httpx.AsyncClient, request: dict, doc: dict) -> list[str]:
    """Every problem found, as sentences; an empty list means the itinerary is feasible."""
    problems: list[str] = []
    cache: dict[str, Any] = {}

    async def get(url: str, **params: str) -> dict:
        key = url + repr(sorted(params.items()))
        if key not in cache:
            r = await client.get(url, params=params)
            assert r.status_code == 200, (url, r.text)
            cache[key] = r.json()
        return cache[key]

    days = doc["days"]
    start = date.fromisoformat(request["start_date"])
    if len(days) != request["days"]:
        problems.append(f"{len(days)} days for a {request['days']}-day request")
    visited: list[str] = []
    ticket_total = 0
    for d, day in enumerate(days):
        where = f"day {d + 1}"
        if day["date"] != (start + timedelta(days=d)).isoformat():
            problems.append(f"{where}: date {day['date']}")
        stops = day["stops"]
        last_day = d == len(days) - 1
        first_place = request["arrive"]["place_id"] if d == 0 else days[d - 1]["night_place_id"]
        last_place = request["depart"]["place_id"] if last_day else day["night_place_id"]
        if stops[0]["place_id"] != first_place:
            problems.append(f"{where}: starts at {stops[0]['place_id']}, not {first_place}")
        if stops[-1]["place_id"] != last_place:
            problems.append(f"{where}: ends at {stops[-1]['place_id']}, not {last_place}")
        if not last_day:
            hub = await get(f"/v1/hubs/{day['night_place_id']}")
            gateway_ok = request.get("gateway_nights") and hub["kind"] == "county_gateway"
            if not hub["central"] and not gateway_ok:
                problems.append(f"{where}: night at {hub['id']}, outside the central districts")
        if d == 0 and _t(stops[0]["depart"]).time() < time.fromisoformat(
            request["arrive"]["time"]
        ):
            problems.append(f"{where}: leaves {first_place} before arriving there")
        if last_day:
            end = _t(stops[-1]["arrive"])
            if end.time() > time.fromisoformat(request["depart"]["time"]):
                problems.append(f"{where}: reaches {last_place} after the departure time")
        if 0 < d < len(days) - 1:
            problems += _day_rules(where, request, day)
        for prev, stop in zip(stops, stops[1:], strict=False):
            at = f"{where} {stop['kind']} {stop['place_id']}"
            arrive, begin, leave = _t(stop["arrive"]), _t(stop["start"]), _t(stop["depart"])
            prev_leave = _t(prev["depart"]) or _t(prev["arrive"])
            if arrive is None or prev_leave is None:
                problems.append(f"{at}: missing times")
                continue
            if arrive < prev_leave + timedelta(minutes=stop["travel_minutes"]):
                problems.append(
                    f"{at}: arrives before the {stop['travel_minutes']}-minute leg allows"
                )
            fastest = FASTEST_KMH.get(stop["mode"] or "", 120)
            if _km(prev, stop) / fastest * 60 > stop["travel_minutes"] + 1:
                problems.append(
                    f"{at}: {stop['travel_minutes']} minutes is too fast for the distance"
                )
            if begin is not None and begin < arrive:
                problems.append(f"{at}: starts before arriving")
            if leave is not None and begin is not None and leave < begin:
                problems.append(f"{at}: leaves before starting")
            if stop.get("link_id"):  # a scheduled ride: it must be in the timetable
                link = await get(f"/v1/links/{stop['link_id']}")
                times = {
                    (x["service_code"], x["departs"], x["arrives"]) for x in link["departures"]
                }
                ride = (stop["service_code"], f"{prev_leave:%H:%M}", f"{arrive:%H:%M}")
                if ride not in times or (prev["place_id"], stop["place_id"]) != (
                    link["from_id"],
                    link["to_id"],
                ):
                    problems.append(f"{at}: ride {ride} is not a departure of {link['id']}")
            if stop["kind"] != "spot":
                continue
            spot = await get(f"/v1/spots/{stop['place_id']}")
            visited.append(spot["id"])
            ticket_total += stop["cost_cny"]
            if spot["city_id"] not in request.get("cities", ["chifeng", "tongliao"]):
                problems.append(f"{at}: in {spot['city_id']}, a city not asked for")
            if stop["cost_cny"] != spot["ticket_cny"]:
                problems.append(
                    f"{at}: cost {stop['cost_cny']} but the ticket is {spot['ticket_cny']}"
                )
            if (leave - begin) != timedelta(minutes=spot["visit_minutes"]):
                problems.append(f"{at}: visit is not {spot['visit_minutes']} minutes")
            opening = await get(f"/v1/spots/{spot['id']}/opening", date=begin.date().isoformat())
            first, last = begin.hour * 60 + begin.minute, leave.hour * 60 + leave.minute
            inside = [
                w for w in opening["windows"]
                if _minutes(w["open"]) <= first and last <= _minutes(w["close"])
                and leave.date() == begin.date()
            ]  # fmt: skip
            if not inside:
                problems.append(
                    f"{at}: {begin:%H:%M}-{leave:%H:%M} is outside {opening['windows']}"
                )
    if len(visited) != len(set(visited)):
        problems.append("a spot is visited twice")
    if set(visited) & set(request.get("avoid", [])):
        problems.append("an avoided spot is visited")
    budget = request.get("budget_cny")
    if budget is not None and ticket_total > budget:
        problems.append(f"tickets {ticket_total} exceed the budget {budget}")
    if ticket_total != doc["summary"]["ticket_total_cny"]:
        problems.append("the summary's ticket total is wrong")
    explained = {u["spot_id"] for u in doc["unvisited"] if u["must_visit"] and u["reason"]}
    for must in request.get("must_visit", []):
        if must not in visited and must not in explained:
            problems.append(f"must-visit {must} is neither visited nor explained")
    return problems


def _clock(value: str) -> int:
    t = datetime.fromisoformat(value)
    return t.hour * 60 + t.minute


def _day_rules(where: str, request: dict, day: dict) -> list[str]:
    """A full day (neither the arrival nor the departure day): its bounds, its lunch and
    its driving cap."""
    problems = []
    stops = day["stops"]
    leave_at, back_by = DAY_BY_PACE[request.get("pace", "normal")]
    later, earlier, cap = PARTY_RULES[request.get("party", "adults")]
    back = next(i for i, s in enumerate(stops) if i and s["place_id"] == day["night_place_id"])
    if _clock(stops[0]["depart"]) < leave_at + later:
        problems.append(f"{where}: leaves the hotel before the pace and party allow")
    if _clock(stops[back]["arrive"]) > back_by - earlier:
        problems.append(f"{where}: back at the hotel later than the pace and party allow")
    meals = [s for s in stops if s["kind"] == "meal"]
    lo, hi, length = LUNCH
    if len(meals) != 1:
        problems.append(f"{where}: {len(meals)} lunches")
    for meal in meals:
        start, end = _clock(meal["start"]), _clock(meal["depart"])
        if start < lo or end > hi or end - start < length:
            problems.append(f"{where}: lunch {meal['start']}-{meal['depart']} breaks the rule")
        for s in stops:
            if s["kind"] == "spot" and _clock(s["start"]) < end and start < _clock(s["depart"]):
                problems.append(f"{where}: lunch overlaps the visit to {s['place_id']}")
    crosses = any(s["kind"] == "transfer" for s in stops)
    driving = sum(s["travel_minutes"] for s in stops[1 : back + 1])
    if cap is not None and not crosses and driving > cap:
        problems.append(f"{where}: {driving} minutes on the road, over the {cap}-minute cap")
    return problems
