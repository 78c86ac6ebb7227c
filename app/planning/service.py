"""Plan, store and fetch itineraries."""

import hashlib
import json
import time as clock
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, time, timedelta
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Engine, select
from sqlmodel import Session, col

from app.db import data_version, session_scope
from app.errors import InvalidInput, NotFound
from app.models import Hub, Spot
from app.models import Itinerary as ItineraryRow
from app.opening import TZ
from app.planning import build
from app.planning.document import (
    Alternative,
    Change,
    Itinerary,
    Plan,
    StopKind,
    Suggestion,
    Summary,
    Variant,
)
from app.planning.itinerary import Assembler
from app.planning.request import PlanRequest
from app.schemas import STORED, Lang
from app.services import stats
from app.services.spots import opening_on
from app.settings import today
from solver import Progress, Reason, Solution, TripParams, plan_trip

NEXT_OPEN_SEARCH_DAYS = 366
# How hard the trip optimiser looks; every stop rule counts iterations, so the same request
# on the same data gives the same plan (the time limit only bounds it). Calibrated in
# `tests/benchmarks/plan_latency.py`: a 4-day plan within 0.5 % of a 30 s search.
SEARCH = TripParams(seed=0)
MIN_SLICE = 0.1  # seconds at least for each solve (the bound, rarely reached: solves converge)
ALTERNATIVES_SHARE_MAIN = 0.5  # of the time left, when alternatives are asked for
SUGGESTION_RESERVE = 0.25  # of the time left, kept for re-planning with suggested changes
SUGGESTION_TRIALS = 4  # changes tried per must-visit left out


class Deadline:
    """When one request's planning must end: `time_limit_s` bounds all of it (loading,
    model building, the main plan, alternatives, suggestions), each taking its share of
    the time left."""

    def __init__(self, seconds: float) -> None:
        self.end = clock.monotonic() + seconds

    def left(self, share: float = 1.0) -> float:
        return max(MIN_SLICE, (self.end - clock.monotonic()) * share)

    def passed(self) -> bool:
        return clock.monotonic() >= self.end


def _names(session: Session, data: build.PlanData) -> dict[str, str]:
    zh = data.request.lang is Lang.zh
    names = {}
    for pid in data.index:
        row = session.get(Spot, pid) or session.get(Hub, pid)
        names[pid] = (row.name_zh or row.name_en) if zh else (row.name_en or row.name_zh)  # type: ignore[union-attr]
    return names


Best = tuple[list[build.DaySpec], Solution]


def _skeletons(
    data: build.PlanData, nights: tuple[str, ...] | None = None
) -> list[list[build.DaySpec]]:
    """Every workable skeleton over the candidate splits of the nights (and gateway
    nights); the refusal of a split when none works."""
    req = data.request
    candidates = [nights] if nights is not None else build.night_plans(data)
    if req.gateway_nights and nights is None:
        candidates += [g for base in candidates for g in build.gateway_plans(data, base)]
    skeletons, refusal = [], None
    for option in candidates:
        try:
            skeletons += build.day_specs(data, option)
        except InvalidInput as exc:  # this split does not work; another may
            refusal = exc
    if not skeletons:
        assert refusal is not None
        raise refusal
    return skeletons


def check(session: Session, req: PlanRequest) -> None:
    """Refuse the request (`InvalidInput`) for whatever `plan` would, without solving:
    its ids (`build.validate`) and days that cannot fit. A plan job is accepted only
    after this, so it fails later only if the data changed meanwhile."""
    _skeletons(build.load(session, req))


def _search(
    data: build.PlanData,
    deadline: Deadline,
    share: float = 1.0,
    on_progress: Callable[[Progress], None] | None = None,
    nights: tuple[str, ...] | None = None,
) -> Best:
    """The best plan over every candidate split of the nights (and gateway nights): one
    trip model in which the split is the optimiser's choice. It solves for `share` of
    the time left once the model is built."""
    model, specs = build.trip(data, _skeletons(data, nights))
    found = plan_trip(model, replace(SEARCH, time_limit=deadline.left(share)), on_progress)
    assert found is not None  # every option comes from a workable skeleton: one chains
    return [specs[o] for o in found.path], found.solution


@dataclass(frozen=True)
class Prepared:
    """What a solve needs from the database, read in one short transaction: solves never
    hold a connection."""

    data: build.PlanData
    names: dict[str, str]


def prepare(session: Session, req: PlanRequest, prefer: frozenset[str] = frozenset()) -> Prepared:
    data = build.load(session, req, prefer)
    return Prepared(data, _names(session, data))


@dataclass
class Planned:
    """A solved request, not yet stored: the main plan and its distinct alternatives."""

    request: PlanRequest
    main: Plan
    others: list[Plan] = field(default_factory=list)


def plan(
    engine: Engine,
    req: PlanRequest,
    prefer: frozenset[str] = frozenset(),
    replanned_from: tuple[str, int] | None = None,
    on_progress: Callable[[Progress], None] | None = None,
    nights: tuple[str, ...] | None = None,
    finish: Callable[[Session, Itinerary], None] | None = None,
    log: bool = True,
) -> Itinerary:
    """Load, solve with no connection held, then store in a short transaction.
    `prefer` favours spots (a replan keeps the old plan where it can); `replanned_from`
    is the itinerary replanned and the day of it this plan starts on; `finish` runs in
    the storing transaction (a job marks itself done there; raising rolls both back);
    `log`: count it in the bureaus' reports (a traveller's plan, not a package's)."""
    deadline = Deadline(req.time_limit_s)
    # A traveller's fresh request asked before on the same data gets the plan made then:
    # the same plan for the same request, even when the time limit cut a search short.
    fresh = not prefer and replanned_from is None and nights is None and log
    key = request_key(req, data_version(engine)) if fresh else None
    with session_scope(engine) as session:
        planned = None if key is None else _planned_before(session, req, key)
        if planned is None:
            prepared = prepare(session, req, prefer)
    if planned is None:
        planned = solve(prepared, deadline, replanned_from, on_progress, nights)
    with session_scope(engine) as session:
        doc = store(session, planned, log, key)
        if finish is not None:
            finish(session, doc)
        return doc


def solve(
    prepared: Prepared,
    deadline: Deadline,
    replanned_from: tuple[str, int] | None = None,
    on_progress: Callable[[Progress], None] | None = None,
    nights: tuple[str, ...] | None = None,
) -> Planned:
    """Solve every candidate split of the nights, keep the best, add the alternatives
    and the suggestions for must-visits left out, all before the deadline."""
    data, names = prepared.data, prepared.names
    req = data.request
    # Of the time left: some kept for suggestions when a must-visit may be left out, and
    # half of the rest for the main plan when alternatives are asked for.
    keep = 1 - SUGGESTION_RESERVE if req.must_visit else 1.0
    share = 1 if req.alternatives == 1 else ALTERNATIVES_SHARE_MAIN
    specs, solution = _search(data, deadline, keep * share, on_progress, nights)
    takes = [(Variant.more_sights, specs, solution)]
    labels = VARIANTS[: req.alternatives - 1]
    for k, label in enumerate(labels):
        alternative = _variant(label, data, specs, solution, deadline, keep / (len(labels) - k))
        if alternative is not None:
            takes.append((label, *alternative))
    # An alternative obeys every limit of the main plan, so one that keeps as many
    # must-visits and scores more is the better main plan; the others must keep their
    # promise against it, and leave out no must-visit it has.
    must = [_musts(data, take[2]) for take in takes]
    top = max(range(len(takes)), key=lambda i: (must[i], takes[i][2].score, -i))
    main_specs, main = takes[top][1], takes[top][2]
    body = Assembler(data, main_specs, main).build(names, Variant.more_sights)
    if replanned_from is not None:
        body.replanned_from, body.first_day = replanned_from
    _suggest(data, body, deadline)
    others = []
    seen = {_visits(main)}
    for i, (label, alt_specs, alt) in enumerate(takes[1:], start=1):
        if i == top or _visits(alt) in seen or must[i] < must[top]:
            continue  # not distinct, or a must-visit lost: leave it out
        alt_body = Assembler(data, alt_specs, alt, main=False).build(names, label)
        if not _keeps_promise(label, alt_body.summary, body.summary):
            continue
        seen.add(_visits(alt))
        others.append(alt_body)
    return Planned(req, body, others)


PACKAGE_OVERLAP = 0.5  # of any earlier package's spots, at most this share may be kept


def distinct(
    prepared: Prepared, deadline: Deadline, count: int, on_plan: Callable[[int], None]
) -> list[Plan]:
    """Up to `count` plans of one request (the packages of a theme), each the trip
    optimiser's best among trips keeping at most half of any earlier one's spots: with
    |A & B| <= |A| / 2, the Jaccard overlap of any two is at most 0.5. Fewer when no more
    such trips exist; `on_plan` hears how many are planned."""
    data, names = prepared.data, prepared.names
    model, specs = build.trip(data, _skeletons(data))
    earlier: list[frozenset[int]] = []
    plans: list[Plan] = []
    for k in range(count):
        params = replace(SEARCH, time_limit=deadline.left(1 / (count - k)))
        found = plan_trip(model, params, distinct_from=earlier, share=PACKAGE_OVERLAP)
        if found is None or not (visits := _visits(found.solution)):
            break
        earlier.append(visits)
        chosen = [specs[o] for o in found.path]
        plans.append(Assembler(data, chosen, found.solution).build(names, Variant.more_sights))
        on_plan(len(plans))
    return plans


def store_plan(session: Session, req: PlanRequest, body: Plan) -> Itinerary:
    """A plan that is not a traveller's (a package's): stored, not logged for the reports."""
    return _store(session, req, body)


def store(
    session: Session, planned: Planned, log: bool = True, key: str | None = None
) -> Itinerary:
    """The alternatives, then the main plan that names them (under its request's `key`,
    if any); flushes only."""
    others = [_store(session, planned.request, body) for body in planned.others]
    planned.main.alternatives = [
        Alternative(variant=o.variant, id=o.id, summary=o.summary) for o in others
    ]
    if log:
        stats.log_plan(session, planned.request, planned.main)  # for the bureaus' reports
    return _store(session, planned.request, planned.main, key)


def request_key(req: PlanRequest, version: int | None) -> str:
    """The request, canonically, and the data version it is planned on, hashed."""
    text = json.dumps(req.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(f"{text}@{version}".encode()).hexdigest()


def _planned_before(session: Session, req: PlanRequest, key: str) -> Planned | None:
    """The plan and alternatives first made for this key, to be stored again as new."""
    row = session.scalars(
        select(ItineraryRow)
        .where(col(ItineraryRow.request_key) == key)
        .order_by(col(ItineraryRow.created_at))
        .limit(1)
    ).first()
    if row is None:
        return None
    main = Plan.model_validate(row.plan, context=STORED)
    others = []
    for alternative in main.alternatives:
        other = session.get(ItineraryRow, alternative.id)
        if other is None:
            return None  # (a part is gone: plan afresh)
        others.append(Plan.model_validate(other.plan, context=STORED))
    return Planned(req, main, others)


def _keeps_promise(label: Variant, alt: Summary, main: Summary) -> bool:
    """Never more sights than the main plan; cheaper costs no more, less driving drives
    no more."""
    if alt.score > main.score:
        return False
    if label is Variant.cheaper:
        return alt.ticket_total_cny <= main.ticket_total_cny
    return alt.travel_minutes <= main.travel_minutes


def _trials(data: build.PlanData, spot_id: str, reason: Reason) -> list[dict[str, Any]]:
    """Changes that may let a left-out must-visit fit, smallest first, for its reason."""
    req = data.request
    view = next(v for v in data.spots if v.spot.id == spot_id)
    more_days = [{"days": req.days + 1}] if req.days < 10 else []
    gateway = [] if req.gateway_nights else [{"gateway_nights": True}]
    if reason is Reason.OVER_BUDGET:
        need = (req.budget_cny or 0) + view.spot.ticket_cny
        return [{"budget_cny": need}, {"budget_cny": need + view.spot.ticket_cny}]
    if reason is Reason.CLOSED_DURING_TRIP:
        opened = next(
            (
                req.start_date + timedelta(days=k)
                for k in range(1, NEXT_OPEN_SEARCH_DAYS)
                if opening_on(view, req.start_date + timedelta(days=k)).windows
            ),
            None,
        )
        if opened is None:
            return []
        # The first open date on the trip's second day, where a whole day is free for it.
        first = opened - timedelta(days=1 if req.days > 2 else 0)
        dates = [{"start_date": d.isoformat()} for d in (first, first + timedelta(days=7))]
        return [*dates, *({**dates[0], **g} for g in gateway)]
    return [*gateway, *more_days, *({**g, **m} for g in gateway for m in more_days)]


def _changed(req: PlanRequest, change: dict[str, Any]) -> dict[str, Any]:
    """The request fields a client sets to follow a change: one more day goes to the first
    city when the request fixes the nights per city."""
    fields = dict(change)
    if "days" in change and req.fixed_nights is not None:
        cities = dict(req.fixed_nights)
        first = next(iter(cities))
        cities[first] += change["days"] - req.days
        fields["cities"] = cities
    return fields


def _suggest(data: build.PlanData, body: Plan, deadline: Deadline) -> None:
    """A suggestion for each must-visit left out, offered only once the service has
    planned with it and seen the spot fit (combining changes when one is not enough).
    Trials share the time left; none starts after the deadline."""
    req = data.request
    missing = [u for u in body.unvisited if u.must_visit]
    zh = req.lang is Lang.zh
    trials = [
        (entry, change)
        for entry in missing
        for change in _trials(data, entry.spot_id, entry.reason)[:SUGGESTION_TRIALS]
    ]
    for n, (entry, change) in enumerate(trials):
        if entry.suggestion is not None:
            continue
        if deadline.passed():
            return
        fields = _changed(req, change)
        try:
            trial = PlanRequest.model_validate(
                {**req.model_dump(mode="json"), **fields, "alternatives": 1}
            )
            # The places, values and travel times stay: only dates and limits change.
            left = sum(1 for e, _c in trials[n:] if e.suggestion is None)
            _, solution = _search(replace(data, request=trial), deadline, 1 / left)
        except (InvalidInput, ValidationError):
            continue
        visited = {data.spots[v].spot.id for t in solution.tours for v in t.visits}
        if entry.spot_id in visited:
            entry.suggestion = Suggestion(
                change=[CHANGE_NAMES[k] for k in change],
                **fields,
                text=suggestion_text(fields, zh),
            )


CHANGE_NAMES = {
    "start_date": Change.another_date,
    "days": Change.one_more_day,
    "budget_cny": Change.higher_budget,
    "gateway_nights": Change.gateway_nights,
}


SUGGESTION_TEXT = {  # (zh, en), with the field's value
    "start_date": ("改为 {} 出发", "start on {}"),
    "days": ("行程延长到 {} 天", "make the trip {} days"),
    "budget_cny": ("门票预算提高到 {} 元", "raise the ticket budget to {} CNY"),
    "gateway_nights": ("允许在旗县驻地住一晚", "allow a night at a county gateway town"),
}


def suggestion_text(fields: dict[str, Any], zh: bool) -> str:
    """What the traveller would change, in the request's language."""
    parts = [
        SUGGESTION_TEXT[k][0 if zh else 1].format(v)
        for k, v in fields.items()
        if k in SUGGESTION_TEXT
    ]
    return "，并".join(parts) + "。" if zh else " and ".join(parts)


VARIANTS = (Variant.less_driving, Variant.cheaper)
LESS_DRIVING_SHARE = 0.6  # of the main plan's driving on days that do not change city
CHEAPER_SHARE = 0.5  # of the main plan's tickets


def _visits(solution: Solution) -> frozenset[int]:
    return frozenset(v for t in solution.tours for v in t.visits)


def _musts(data: build.PlanData, solution: Solution) -> int:
    """How many of the request's must-visits the solution places."""
    placed = {data.spots[v].spot.id for v in _visits(solution)}
    return len(placed.intersection(data.request.must_visit))


def _variant(
    label: Variant,
    data: build.PlanData,
    specs: list[build.DaySpec],
    main: Solution,
    deadline: Deadline,
    share: float,
) -> tuple[list[build.DaySpec], Solution] | None:
    """A distinct take (at least one spot differs): the trip re-solved with half the
    tickets, or on the same nights with each day's driving capped (days that change city
    keep theirs); None when no such plan exists."""
    params = replace(SEARCH, seed=1)
    distinct = [_visits(main)]
    if label is Variant.cheaper:
        model, options = build.trip(data, _skeletons(data, tuple(s.end for s in specs[:-1])))
        params = replace(params, time_limit=deadline.left(share))
        found = plan_trip(
            model, params, distinct_from=distinct, budget=int(main.cost * CHEAPER_SHARE)
        )
        return None if found is None else ([options[o] for o in found.path], found.solution)
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
    model, options = build.trip(data, [capped])
    params = replace(params, time_limit=deadline.left(share))
    found = plan_trip(model, params, distinct_from=distinct)
    return None if found is None else ([options[o] for o in found.path], found.solution)


def _store(session: Session, req: PlanRequest, body: Plan, key: str | None = None) -> Itinerary:
    row = ItineraryRow(
        id=uuid.uuid4().hex,
        created_at=datetime.now(UTC),
        request=req.model_dump(mode="json"),
        plan=body.model_dump(mode="json"),
        request_key=key,
    )
    session.add(row)
    session.flush()
    return Itinerary(id=row.id, created_at=row.created_at, request=req, **dict(body))


def document(row: ItineraryRow) -> Itinerary:
    """A stored itinerary, validated against the document's schema (its request as it was
    accepted: the date may have passed since)."""
    return Itinerary.model_validate(
        {"id": row.id, "created_at": row.created_at, "request": row.request, **row.plan},
        context=STORED,
    )


def get(session: Session, itinerary_id: str) -> Itinerary:
    row = session.get(ItineraryRow, itinerary_id)
    if row is None:
        raise NotFound(f"itinerary {itinerary_id!r} does not exist")
    return document(row)


def stored_positions(session: Session, doc: Itinerary) -> dict[str, tuple[float, float]]:
    """The stored WGS-84 position of each place the plan stops at (soft-deleted ones too):
    exports take these rather than inverting a GCJ-02 stop numerically."""
    ids = {s.place_id for day in doc.days for s in day.stops}
    positions: dict[str, tuple[float, float]] = {}
    for model in (Hub, Spot):  # a spot wins an id both use, as in `_names`
        rows = session.execute(
            select(col(model.id), col(model.lat), col(model.lon)).where(col(model.id).in_(ids))
        )
        positions.update({pid: (lat, lon) for pid, lat, lon in rows})
    return positions


def replan(
    engine: Engine,
    itinerary_id: str,
    pinned: list[str],
    from_day: int | None,
    from_place: str | None,
    from_time: time | None,
    avoid: list[str],
    time_limit_s: float | None = None,
) -> Itinerary:
    """Plan again, changing as little as possible: pinned spots become must-visits, the
    old plan's spots are favoured, and from a given day on only the rest of the trip is
    planned, from where the traveller is, keeping the hotels. `time_limit_s` replaces
    the old request's (a caller's ceiling)."""
    with session_scope(engine) as session:
        old = get(session, itinerary_id)
        spots = build.spot_cities(session)
    req = old.request
    if from_day is None and req.start_date < (now := today()):
        raise InvalidInput(
            ["body", "from"],
            f"the trip began on {req.start_date}, before today ({now}): send `from` to plan "
            "the rest of it",
        )
    planned = [[s.place_id for s in day.stops if s.kind is StopKind.spot] for day in old.days]
    # The old request's must-visits and spots to avoid carry over, less the spots deleted
    # since and what the body now avoids or pins; the body's own ids are checked as sent.
    changes: dict[str, Any] = {
        "must_visit": list(
            dict.fromkeys([*(m for m in req.must_visit if m in spots and m not in avoid), *pinned])
        ),
        "avoid": list(
            dict.fromkeys([*(a for a in req.avoid if a in spots and a not in pinned), *avoid])
        ),
    }
    first, hotels = 1, None
    if from_day is not None:
        if not 1 <= from_day <= req.days:
            raise InvalidInput(["body", "from", "day"], f"the trip has days 1 to {req.days}")
        assert from_time is not None
        first = from_day
        # Seen already: the earlier days, the day's visits begun before that time, and the
        # place the traveller stands at.
        cut = datetime.combine(req.start_date + timedelta(days=from_day - 1), from_time, TZ)
        done = {sid for day in planned[: from_day - 1] for sid in day}
        done |= {
            s.place_id
            for s in old.days[from_day - 1].stops
            if s.kind is StopKind.spot and _began(s.start or s.arrive or s.depart, cut)
        }
        done = {sid for sid in done if sid in spots}  # (not those deleted since)
        if from_place is not None and from_place in {s for day in planned for s in day}:
            done.add(from_place)
        nights = [d.night_city for d in old.days[from_day - 1 : -1] if d.night_city]
        hotels = tuple(d.night_place_id for d in old.days[from_day - 1 : -1] if d.night_place_id)
        cities = {c: nights.count(c) for c in dict.fromkeys(nights)} if nights else req.city_ids
        changes.update(
            start_date=req.start_date + timedelta(days=from_day - 1),
            days=req.days - from_day + 1,
            arrive={"place_id": from_place, "time": from_time},
            cities=cities,
            # An old must-visit in a city the rest of the trip no longer sleeps in is out.
            must_visit=[
                m
                for m in changes["must_visit"]
                if m not in done and (m in pinned or spots[m] in cities)
            ],
            avoid=list(dict.fromkeys([*changes["avoid"], *done])),
        )
    if time_limit_s is not None:
        changes["time_limit_s"] = time_limit_s
    body = (changes, pinned, avoid, from_day is not None)
    try:
        new_req = PlanRequest.model_validate({**req.model_dump(mode="json"), **changes})
    except ValidationError as exc:
        raise _as_replan_error(InvalidInput.of(exc), *body) from None
    prefer = frozenset(sid for day in planned[first - 1 :] for sid in day)
    try:
        return plan(engine, new_req, prefer, replanned_from=(itinerary_id, first), nights=hotels)
    except InvalidInput as exc:
        raise _as_replan_error(exc, *body) from None


def _began(moment: datetime | None, cut: datetime) -> bool:
    return moment is not None and moment < cut


def _as_replan_error(
    exc: InvalidInput,
    derived: dict[str, Any],
    pinned: list[str],
    avoid: list[str],
    from_here: bool,
) -> InvalidInput:
    """An error of the derived request, pointed at the replan body's own field: a pin or a
    spot to avoid at its index in the body, the start and arrival at `from`."""
    loc = exc.loc
    if len(loc) < 2 or loc[0] != "body":
        return exc
    if loc[1] in ("must_visit", "avoid"):
        name, own = ("pinned", pinned) if loc[1] == "must_visit" else ("avoid", avoid)
        index = loc[2] if len(loc) > 2 and isinstance(loc[2], int) else None
        spot_id = derived[loc[1]][index] if index is not None else None
        loc = ["body", name, *([own.index(spot_id)] if spot_id in own else [])]
    elif from_here and loc[1] in ("arrive", "start_date"):
        loc = ["body", "from", *(loc[2:] or ["day"])]
    return InvalidInput(loc, exc.msg)
