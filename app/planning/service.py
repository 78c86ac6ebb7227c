"""Plan, store and fetch itineraries."""

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlmodel import Session

from app.errors import NotFound
from app.models import Hub, Itinerary, Spot
from app.planning import build
from app.planning.itinerary import Assembler
from app.planning.request import Lang, PlanRequest
from solver import SolveParams, solve

MIN_SLICE = 0.2  # seconds of search for each candidate split of the nights


def _names(session: Session, data: build.PlanData) -> dict[str, str]:
    zh = data.request.lang is Lang.zh
    names = {}
    for pid in data.index:
        row = session.get(Spot, pid) or session.get(Hub, pid)
        names[pid] = (row.name_zh or row.name_en) if zh else (row.name_en or row.name_zh)  # type: ignore[union-attr]
    return names


def plan(session: Session, req: PlanRequest) -> dict[str, Any]:
    """Solve every candidate split of the nights, keep the best, store it, return it."""
    data = build.load(session, req)
    candidates = build.night_plans(data)
    slice_s = max(MIN_SLICE, req.time_limit_s / len(candidates))
    best = None
    for nights in candidates:
        specs = build.day_specs(data, nights)
        solution = solve(build.problem(data, specs), SolveParams(time_limit=slice_s, seed=0))
        key = (solution.status == "feasible", solution.score, -solution.travel)
        if best is None or key > best[0]:
            best = (key, specs, solution)
    assert best is not None
    _, specs, solution = best
    body = Assembler(data, specs, solution).build(_names(session, data))
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
