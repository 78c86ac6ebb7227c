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
# earlier by minutes and has a cap on the day's minutes on the road or rails (on the day
# that changes city: the direct crossing plus half the cap).
DAY_BY_PACE = {"relaxed": (540, 1050), "normal": (510, 1110), "packed": (450, 1200)}
PARTY_RULES = {"adults": (0, 0, None), "young_children": (0, 60, 240), "elderly": (30, 30, 180)}
LUNCH = (660, 810, 60)  # an hour, starting between 11:00 and 13:30
VENUES = {"food", "shopping", "nightlife"}  # a place mostly of these is not a daytime sight
SAME_PLACE_KM = 0.5
OPEN_SEASON = range(5, 11)  # May-October
FULL_DAY_SIGHTS = 240  # minutes of sightseeing on a full day in the open season
HIGHLIGHT = 4  # named a must-see by this many guides
HIGHLIGHT_GROUP_KM = 10  # must-sees this close together are one (红山: the park, the museum)
NEAR_HUB_KM = 30  # never "unreachable in a day" this close to a night's hub
TAXI_MAX = 90  # minutes: a longer leg in transit mode is no taxi
# Straight-line reach of an uncapped day trip from the hotel that still leaves four hours
# of sightseeing (a 10-hour day, lunch, 5 hours on the road at most).
DAY_TRIP_KM = 150
STRAIGHT_KM_PER_ROAD_MINUTE = 1.0  # 80 km/h on the road, 1.3 road km per straight km


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


def _clock(value: str) -> int:
    t = datetime.fromisoformat(value)
    return t.hour * 60 + t.minute


def lunch_inside(stops: list[dict], i: int) -> bool:
    """Stop `i` is lunch taken inside the visit listed just before it (same place, within
    its stay, no travel)."""
    meal, prev = stops[i], stops[i - 1] if i else None
    return (
        meal["kind"] == "meal"
        and prev is not None
        and prev["kind"] == "spot"
        and prev["place_id"] == meal["place_id"]
        and meal["travel_minutes"] == 0
        and prev["start"] is not None
        and prev["depart"] is not None
        and _t(prev["start"]) <= _t(meal["start"])
        and _t(meal["depart"]) <= _t(prev["depart"])
    )


def is_venue(spot: dict) -> bool:
    cats = set(spot["categories"])
    return 2 * len(cats & VENUES) > len(cats)


async def check_itinerary(client: httpx.AsyncClient, request: dict, doc: dict) -> list[str]:
    """Every problem found, as sentences; an empty list means the itinerary is feasible
    and keeps the plan-quality rules."""
    problems: list[str] = []
    cache: dict[str, Any] = {}

    async def get(url: str, **params: str) -> dict:
        key = url + repr(sorted(params.items()))
        if key not in cache:
            r = await client.get(url, params=params)
            assert r.status_code == 200, (url, r.text)
            cache[key] = r.json()
        return cache[key]

    async def place(pid: str) -> dict:
        try:
            return await get(f"/v1/spots/{pid}")
        except AssertionError:
            return await get(f"/v1/hubs/{pid}")

    days = doc["days"]
    start = date.fromisoformat(request["start_date"])
    if len(days) != request["days"]:
        problems.append(f"{len(days)} days for a {request['days']}-day request")
    visited: list[str] = []
    ticket_total = 0
    crossing = await _crossing(get, place)
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
        changes_city = (await place(first_place))["city_id"] != (await place(last_place))[
            "city_id"
        ]
        problems += _day_rules(where, request, day, d, len(days), changes_city, crossing)
        sightseeing = 0
        for i, (prev, stop) in enumerate(zip(stops, stops[1:], strict=False), start=1):
            at = f"{where} {stop['kind']} {stop['place_id']}"
            if lunch_inside(stops, i):
                continue  # at the spot's own restaurant during the visit: no leg
            arrive, begin, leave = _t(stop["arrive"]), _t(stop["start"]), _t(stop["depart"])
            prev_leave = _t(prev["depart"]) or _t(prev["arrive"])
            if prev["kind"] == "meal" and lunch_inside(stops, i - 1):
                prev_leave = _t(stops[i - 2]["depart"])
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
            if request.get("mode") == "transit" and stop["travel_minutes"]:
                problems += _transit_leg(at, stop)
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
            sightseeing += (leave - begin).total_seconds() // 60
            if spot["city_id"] not in request.get("cities", ["chifeng", "tongliao"]):
                problems.append(f"{at}: in {spot['city_id']}, a city not asked for")
            if stop["cost_cny"] != spot["ticket_cny"]:
                problems.append(
                    f"{at}: cost {stop['cost_cny']} but the ticket is {spot['ticket_cny']}"
                )
            meal_inside = i + 1 < len(stops) and lunch_inside(stops, i + 1)
            stay = spot["visit_minutes"] + (LUNCH[2] if meal_inside else 0)
            if (leave - begin) < timedelta(minutes=stay):
                problems.append(f"{at}: visit is shorter than {stay} minutes")
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
            if (
                is_venue(spot)
                and not _asks_for_venues(request)
                and spot["id"] not in set(request.get("must_visit", []))
            ):
                problems.append(f"{at}: a food, shopping or station area planned as a sight")
        full = 0 < d < len(days) - 1
        need = FULL_DAY_SIGHTS // (2 if changes_city else 1)
        in_season = date.fromisoformat(day["date"]).month in OPEN_SEASON
        # With a ticket budget the free sights near the hotel can run out, and the cheaper
        # and less-driving alternatives trade sights for their promise: not held to it.
        held = request.get("budget_cny") is None and not _alternative(doc)
        if full and in_season and held and sightseeing < need:
            problems.append(
                f"{where}: {sightseeing:.0f} min of sightseeing, a full day has {need}"
            )
        problems += _used_once(where, stops)
        charters = [s for s in stops if s["mode"] == "charter"]
        if charters and sum(s["fare_cny"] for s in charters) <= 0:
            problems.append(f"{where}: a chartered car that costs nothing")
    if len(visited) != len(set(visited)):
        problems.append("a spot is visited twice")
    if set(visited) & set(request.get("avoid", [])):
        problems.append("an avoided spot is visited")
    budget = request.get("budget_cny")
    if budget is not None and ticket_total > budget:
        problems.append(f"tickets {ticket_total} exceed the budget {budget}")
    if ticket_total != doc["summary"]["ticket_total_cny"]:
        problems.append("the summary's ticket total is wrong")
    transport = sum(s["fare_cny"] for day in days for s in day["stops"])
    if doc["summary"].get("transport_cost_cny") != transport:
        problems.append("the summary's transport_cost_cny is not the sum of the legs' costs")
    explained = {u["spot_id"] for u in doc["unvisited"] if u["must_visit"] and u["reason"]}
    for must in request.get("must_visit", []):
        if must not in visited and must not in explained:
            problems.append(f"must-visit {must} is neither visited nor explained")
    problems += await _reasons(request, doc, get, place)
    problems += await _highlights(request, doc, visited, get)
    return problems


def _alternative(doc: dict) -> bool:
    """A cheaper or less-driving take rather than the plan asked for."""
    return doc.get("variant", "more_sights") != "more_sights"


def _asks_for_venues(request: dict) -> bool:
    return any(request.get("interests", {}).get(c, 1) > 1 for c in VENUES)


def _transit_leg(at: str, stop: dict) -> list[str]:
    mode = stop["mode"] or ""
    if mode == "taxi" and stop["travel_minutes"] > TAXI_MAX:
        return [f"{at}: a {stop['travel_minutes']}-minute taxi"]
    if mode not in ("taxi", "charter", "rail", "bus", "air"):
        return [f"{at}: a leg by {mode!r} in transit mode"]
    if mode == "taxi" and stop["fare_cny"] <= 0:
        return [f"{at}: a taxi that costs nothing"]
    return []


async def _crossing(get: Any, place: Any) -> int:
    """The direct crossing: the shortest stored road link between the two cities."""
    links = (await get("/v1/links", mode="road", limit="200"))["data"]
    best = None
    for link in links:
        ends = [(await place(pid))["city_id"] for pid in (link["from_id"], link["to_id"])]
        if ends[0] != ends[1] and link["duration_min"] is not None:
            best = link["duration_min"] if best is None else min(best, link["duration_min"])
    return best or 0


def _used_once(where: str, stops: list[dict]) -> list[str]:
    """A place is a sight or the day's evening venue, never both."""
    sights = [s for s in stops if s["kind"] == "spot"]
    problems = []
    for e in (s for s in stops if s["kind"] == "evening"):
        for s in sights:
            if s["place_id"] == e["place_id"] or _km(s, e) < SAME_PLACE_KM:
                problems.append(f"{where}: {s['place_id']} is both a sight and the evening stop")
    return problems


async def _reasons(request: dict, doc: dict, get: Any, place: Any) -> list[str]:
    """Reasons that are true: closed on every date is `closed_during_trip` and only then;
    never "unreachable in a day" close to a night's hub; no budget reason without one."""
    problems = []
    start = date.fromisoformat(request["start_date"])
    dates = [(start + timedelta(days=k)).isoformat() for k in range(request["days"])]
    hubs = [request["arrive"]["place_id"], *(d["night_place_id"] for d in doc["days"][:-1])]
    for u in doc["unvisited"]:
        spot = await get(f"/v1/spots/{u['spot_id']}")
        openings = [await get(f"/v1/spots/{spot['id']}/opening", date=d) for d in dates]
        closed = not any(o["windows"] for o in openings)
        if closed != (u["reason"] == "closed_during_trip"):
            problems.append(f"{spot['id']}: reason {u['reason']}, closed on every date: {closed}")
        if u["reason"] == "unreachable_in_a_day":
            for h in hubs:
                if _km(await place(h), spot) < NEAR_HUB_KM:
                    problems.append(f"{spot['id']} is 'unreachable in a day' near {h}")
                    break
        if u["reason"] == "over_budget" and request.get("budget_cny") is None:
            problems.append(f"{spot['id']} is over a budget nobody set")
    return problems


async def _highlights(request: dict, doc: dict, visited: list[str], get: Any) -> list[str]:
    """In the open season a trip of 3 days or more fits `days - 1` of the region's
    must-sees (`days - 2` with interests given), counting days the journey leaves free;
    must-sees close together count once."""
    days = request["days"]
    start = date.fromisoformat(request["start_date"])
    season = all((start + timedelta(days=k)).month in OPEN_SEASON for k in range(days))
    if days < 3 or not season or _alternative(doc) or request.get("budget_cny") is not None:
        return []
    # An evening arrival or a morning departure leaves that day to the journey.
    short = (request["arrive"]["time"] > "14:00") + (request["depart"]["time"] < "12:00")
    need = days - short - (2 if request.get("interests") else 1)
    # ...but no more than there are within a day trip's reach of a central hotel for the
    # party (a capped party drives half its cap each way) and not avoided.
    cities = request.get("cities", ["chifeng", "tongliao"])
    cap = PARTY_RULES[request.get("party", "adults")][2]
    reach = DAY_TRIP_KM if cap is None else cap / 2 * STRAIGHT_KM_PER_ROAD_MINUTE
    hotels = [
        h
        for h in (await get("/v1/hubs", kind="hotel_area", limit="200"))["data"]
        if h["central"] and h["city_id"] in cities
    ]
    listed = (await get("/v1/spots", limit="200"))["data"]
    within = [
        s
        for s in listed
        if s["highlight"] >= HIGHLIGHT
        and s["city_id"] in cities
        and s["id"] not in request.get("avoid", [])
        and any(_km(h, s) <= reach for h in hotels if h["city_id"] == s["city_id"])
    ]
    need = min(need, len(_groups(within)))
    got = _groups([await get(f"/v1/spots/{sid}") for sid in visited])
    if len(got) < need:
        return [f"{len(got)} of the region's must-sees, a local expert fits {need}"]
    return []


def _groups(spots: list[dict]) -> list[dict]:
    """Must-sees counted once per group of neighbours."""
    groups: list[dict] = []
    for s in sorted((s for s in spots if s["highlight"] >= HIGHLIGHT), key=lambda s: s["id"]):
        if all(_km(g, s) >= HIGHLIGHT_GROUP_KM for g in groups):
            groups.append(s)
    return groups


def _day_rules(
    where: str, request: dict, day: dict, d: int, days: int, changes_city: bool, crossing: int
) -> list[str]:
    """Every day: lunch starts in its hour, and the party's cap on minutes on the road or
    rails (the day that changes city: the crossing plus half the cap). A full day (neither
    the arrival nor the departure day) also keeps the pace's bounds and has one lunch."""
    problems = []
    stops = day["stops"]
    full = 0 < d < days - 1
    leave_at, back_by = DAY_BY_PACE[request.get("pace", "normal")]
    later, earlier, cap = PARTY_RULES[request.get("party", "adults")]
    meals = [s for s in stops if s["kind"] == "meal"]
    lo, hi, length = LUNCH
    for i, meal in enumerate(stops):
        if meal["kind"] != "meal":
            continue
        start, end = _clock(meal["start"]), _clock(meal["depart"])
        if start < lo or start > hi or end - start < length:
            problems.append(f"{where}: lunch {meal['start']}-{meal['depart']} breaks the rule")
        if lunch_inside(stops, i):
            continue
        for s in stops:
            if s["kind"] == "spot" and _clock(s["start"]) < end and start < _clock(s["depart"]):
                problems.append(f"{where}: lunch overlaps the visit to {s['place_id']}")
    road = sum(s["travel_minutes"] for s in stops)
    if cap is not None:
        allowed = crossing + cap // 2 if changes_city else cap
        if road > allowed:
            problems.append(f"{where}: {road} minutes on the road, over the {allowed}-minute cap")
    if not full:
        return problems
    back = next(i for i, s in enumerate(stops) if i and s["place_id"] == day["night_place_id"])
    if _clock(stops[0]["depart"]) < leave_at + later:
        problems.append(f"{where}: leaves the hotel before the pace and party allow")
    if _clock(stops[back]["arrive"]) > back_by - earlier:
        problems.append(f"{where}: back at the hotel later than the pace and party allow")
    if len(meals) != 1:
        problems.append(f"{where}: {len(meals)} lunches")
    return problems
