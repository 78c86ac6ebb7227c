"""Plan, store and fetch itineraries."""

import uuid
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select
from sqlmodel import Session

from app.errors import InvalidInput, NotFound
from app.models import City, Hub, Itinerary, Spot
from app.planning import build
from app.planning.itinerary import Assembler
from app.planning.request import PlanRequest
from app.schemas import Lang
from solver import Progress, Solution, SolveParams, solve

MIN_SLICE = 0.2  # seconds of search at least, for each skeleton searched
SEARCHED_SKELETONS = 3  # more candidate skeletons are ranked by construction first
ALTERNATIVES_SHARE_MAIN = 0.5  # of the time limit, when alternatives are asked for


def _names(session: Session, data: build.PlanData) -> dict[str, str]:
    zh = data.request.lang is Lang.zh
    names = {}
    for pid in data.index:
        row = session.get(Spot, pid) or session.get(Hub, pid)
        names[pid] = (row.name_zh or row.name_en) if zh else (row.name_en or row.name_zh)  # type: ignore[union-attr]
    return names


def plan(
    session: Session,
    req: PlanRequest,
    prefer: frozenset[str] = frozenset(),
    extra: dict[str, Any] | None = None,
    on_progress: Callable[[Progress], None] | None = None,
    nights: tuple[str, ...] | None = None,
) -> dict[str, Any]:
    """Solve every candidate split of the nights, keep the best, store it, return it.
    `prefer` favours spots (a replan keeps the old plan where it can); `extra` is stored
    with the plan."""
    data = build.load(session, req, prefer)
    candidates = [nights] if nights is not None else build.night_plans(data)
    if req.gateway_nights and nights is None:
        candidates += [g for base in candidates for g in build.gateway_plans(data, base)]
    skeletons, refusal = [], None
    for nights in candidates:
        try:
            skeletons += build.day_specs(data, nights)
        except InvalidInput as exc:  # this split does not work; another may
            refusal = exc
    if not skeletons:
        assert refusal is not None
        raise refusal
    penalty = {c.id: c.gateway_night_penalty for c in session.scalars(select(City))}

    def key(specs: list[build.DaySpec], solution: Solution) -> tuple:
        outside = sum(
            penalty[data.places[s.end].city_id]
            for s in specs[:-1]
            if not data.places[s.end].central
        )
        return (solution.status == "feasible", solution.score - outside, -solution.travel)

    # The time limit is the budget of the whole request: many skeletons are first ranked
    # by the construction alone, and the search time goes to the most promising ones.
    budget = req.time_limit_s * (1 if req.alternatives == 1 else ALTERNATIVES_SHARE_MAIN)
    if len(skeletons) > SEARCHED_SKELETONS:
        probe = SolveParams(time_limit=budget, max_iterations=0, seed=0)
        ranked = sorted(
            skeletons, key=lambda sp: key(sp, solve(build.problem(data, sp), probe)), reverse=True
        )
        skeletons = ranked[:SEARCHED_SKELETONS]
    slice_s = max(MIN_SLICE, budget / len(skeletons))
    best = None
    for specs in skeletons:
        params = SolveParams(time_limit=slice_s, seed=0)
        solution = solve(build.problem(data, specs), params, on_progress)
        if best is None or key(specs, solution) > best[0]:
            best = (key(specs, solution), specs, solution)
    assert best is not None
    _, specs, solution = best
    names = _names(session, data)
    body = Assembler(data, specs, solution).build(names)
    body["variant"] = "more_sights"
    body.update(extra or {})
    seen = {_visits(solution)}
    others = []
    for label in VARIANTS[: req.alternatives - 1]:
        alt_specs, budget = _variant(label, data, specs, solution)
        share = (1 - ALTERNATIVES_SHARE_MAIN) / (req.alternatives - 1)
        params = SolveParams(time_limit=max(MIN_SLICE, req.time_limit_s * share), seed=1)
        alt = solve(build.problem(data, alt_specs, budget), params)
        if _visits(alt) in seen:
            continue  # not distinct: leave it out
        seen.add(_visits(alt))
        alt_body = {**Assembler(data, alt_specs, alt).build(names), "variant": label}
        others.append(_store(session, req, alt_body))
    body["alternatives"] = [
        {"variant": o["variant"], "id": o["id"], "summary": o["summary"]} for o in others
    ]
    return _store(session, req, body)


VARIANTS = ("less_driving", "cheaper")
LESS_DRIVING_SHARE = 0.6  # of the main plan's driving on days that do not change city
CHEAPER_SHARE = 0.5  # of the main plan's tickets


def _visits(solution: Solution) -> frozenset[int]:
    return frozenset(v for t in solution.tours for v in t.visits)


def _variant(
    label: str, data: build.PlanData, specs: list[build.DaySpec], main: Solution
) -> tuple[list[build.DaySpec], int | None]:
    """A distinct take on the same nights: halve the tickets, or cap each day's driving
    (days that change city keep theirs)."""
    if label == "cheaper":
        return specs, int(main.cost * CHEAPER_SHARE)
    capped = []
    driven = [0] * len(specs)
    for day, tour in zip(build.tour_days(specs), main.tours, strict=True):
        driven[day] += tour.travel
    for spec, travel in zip(specs, driven, strict=True):
        if data.places[spec.start].city_id != data.places[spec.end].city_id:
            capped.append(spec)
            continue
        cap = max(int(travel * LESS_DRIVING_SHARE), data.travel(spec.start, spec.end))
        limit = cap if spec.max_travel is None else min(spec.max_travel, cap)
        capped.append(replace(spec, max_travel=limit))
    return capped, None


def _store(session: Session, req: PlanRequest, body: dict[str, Any]) -> dict[str, Any]:
    row = Itinerary(
        id=uuid.uuid4().hex,
        created_at=datetime.now(UTC),
        request=req.model_dump(mode="json"),
        plan=body,
    )
    session.add(row)
    session.flush()
    return document(row)


def document(row: Itinerary) -> dict[str, Any]:
    return {
        "id": row.id,
        "created_at": row.created_at.isoformat(),
        "request": row.request,
        **row.plan,
    }


def get(session: Session, itinerary_id: str) -> dict[str, Any]:
    row = session.get(Itinerary, itinerary_id)
    if row is None:
        raise NotFound(f"itinerary {itinerary_id!r} does not exist")
    return document(row)


def stored_positions(session: Session, doc: dict[str, Any]) -> dict[str, tuple[float, float]]:
    """The stored WGS-84 position of each place the plan stops at (soft-deleted ones too):
    exports take these rather than inverting a GCJ-02 stop numerically."""
    ids = {s["place_id"] for day in doc["days"] for s in day["stops"]}
    positions: dict[str, tuple[float, float]] = {}
    for model in (Hub, Spot):  # a spot wins an id both use, as in `_names`
        rows = session.execute(select(model.id, model.lat, model.lon).where(model.id.in_(ids)))
        positions.update({pid: (lat, lon) for pid, lat, lon in rows})
    return positions


def replan(
    session: Session,
    itinerary_id: str,
    pinned: list[str],
    from_day: int | None,
    from_place: str | None,
    from_time: Any,
    avoid: list[str],
) -> dict[str, Any]:
    """Plan again, changing as little as possible: pinned spots become must-visits, the
    old plan's spots are favoured, and from a given day on only the rest of the trip is
    planned, from where the traveller is, keeping the hotels."""
    old = get(session, itinerary_id)
    req = PlanRequest.model_validate(old["request"])
    planned = [[s["place_id"] for s in day["stops"] if s["kind"] == "spot"] for day in old["days"]]
    changes: dict[str, Any] = {
        "must_visit": list(dict.fromkeys([*req.must_visit, *pinned])),
        "avoid": list(dict.fromkeys([*req.avoid, *avoid])),
    }
    first, hotels = 1, None
    if from_day is not None:
        if not 1 <= from_day <= req.days:
            raise InvalidInput(["body", "from", "day"], f"the trip has days 1 to {req.days}")
        first = from_day
        done = {sid for day in planned[: from_day - 1] for sid in day}
        nights = [d["night_city"] for d in old["days"][from_day - 1 : -1]]
        hotels = tuple(d["night_place_id"] for d in old["days"][from_day - 1 : -1])
        changes.update(
            start_date=req.start_date + timedelta(days=from_day - 1),
            days=req.days - from_day + 1,
            arrive={"place_id": from_place, "time": from_time},
            cities={c: nights.count(c) for c in dict.fromkeys(nights)} if nights else req.city_ids,
            must_visit=[m for m in changes["must_visit"] if m not in done],
            avoid=list(dict.fromkeys([*changes["avoid"], *done])),
        )
    try:
        new_req = PlanRequest.model_validate({**req.model_dump(mode="json"), **changes})
    except ValidationError as exc:
        first_error = exc.errors()[0]
        raise InvalidInput(["body", *first_error["loc"]], first_error["msg"]) from None
    prefer = frozenset(sid for day in planned[first - 1 :] for sid in day)
    extra = {"replanned_from": itinerary_id, "first_day": first}
    return plan(session, new_req, prefer, extra=extra, nights=hotels)
