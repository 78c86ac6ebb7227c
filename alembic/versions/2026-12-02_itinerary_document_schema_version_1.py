"""itinerary document schema version 1: stored plans upgraded to the typed document

Plans stored before the document was typed may lack fields added since (a stop's datum
and fare, the summary's transport cost and calendar status) and carry a suggestion's
change as one "+"-joined string. Each stored plan gets what the version-1 document
declares, computed from the plan itself where it can be, and keys version 1 does not
know are dropped. The version-1 shape is written out here on purpose: the application's
models will change, this migration must not.

Revision ID: f4d6e7a80004
Revises: e3c3a6fc0003
Create Date: 2026-12-02 03:30:00
"""

import json
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "f4d6e7a80004"
down_revision: str | None = "e3c3a6fc0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STOP_KEYS = {
    "kind", "place_id", "name", "lat", "lon", "datum", "arrive", "start", "depart",
    "travel_minutes", "mode", "fare_cny", "cost_cny", "link_id", "service_code",
}  # fmt: skip
DAY_KEYS = {"date", "night_place_id", "night_city", "stops"}
UNVISITED_KEYS = {"spot_id", "name", "must_visit", "reason", "text", "suggestion"}
SUGGESTION_KEYS = {"change", "start_date", "days", "cities", "budget_cny", "gateway_nights", "text"}
PLAN_KEYS = {
    "schema_version", "days", "summary", "unvisited", "variant", "alternatives",
    "replanned_from", "first_day",
}  # fmt: skip
# The `holidays` package's State Council schedules reach this year (app.holiday_calendar
# when this migration was written); later years are official only with a loaded notice.
PACKAGE_OFFICIAL_THROUGH = 2026


def _summary(summary: dict[str, Any], stops: list[dict[str, Any]], dates: list[date],
             official: set[int]) -> dict[str, Any]:  # fmt: skip
    out = dict(summary)
    if "total_nights" in out and "central_nights" in out:
        out.setdefault("nights_outside_central", out["total_nights"] - out["central_nights"])
    out.setdefault("transport_cost_cny", sum(s["fare_cny"] for s in stops))
    provisional = sorted(
        {d for d in dates if d.year > PACKAGE_OFFICIAL_THROUGH and d.year not in official}
    )
    out.setdefault("calendar", "provisional" if provisional else "official")
    out.setdefault("provisional_dates", [d.isoformat() for d in provisional])
    out.setdefault("solver", {"strategy": "unknown", "seconds": 0.0})
    return out


def upgrade_plan(plan: dict[str, Any], request: dict[str, Any], official: set[int]) -> dict[str, Any]:
    """The version-1 document of a stored plan of any earlier shape."""
    datum = request.get("coords", "wgs84")
    start = date.fromisoformat(request["start_date"])
    dates = [start + timedelta(days=k) for k in range(int(request["days"]))]
    days, stops = [], []
    for day in plan.get("days", []):
        day_stops = []
        for stop in day["stops"]:
            s = {k: v for k, v in stop.items() if k in STOP_KEYS}
            s.setdefault("datum", datum)
            s.setdefault("fare_cny", 0)
            s.setdefault("cost_cny", 0)
            s.setdefault("mode", ("drive" if request.get("mode") != "transit" else "taxi")
                         if s.get("travel_minutes") else None)  # fmt: skip
            for key in ("arrive", "start", "depart"):
                s.setdefault(key, None)
            day_stops.append(s)
        stops += day_stops
        d = {k: v for k, v in day.items() if k in DAY_KEYS}
        d["stops"] = day_stops
        d.setdefault("night_city", None)
        days.append(d)
    unvisited = []
    for entry in plan.get("unvisited", []):
        u = {k: v for k, v in entry.items() if k in UNVISITED_KEYS}
        suggestion = u.get("suggestion")
        if isinstance(suggestion, dict):
            s = {k: v for k, v in suggestion.items() if k in SUGGESTION_KEYS}
            if isinstance(s.get("change"), str):
                s["change"] = s["change"].split("+")
            u["suggestion"] = s
        unvisited.append(u)
    out = {k: v for k, v in plan.items() if k in PLAN_KEYS}
    out.update(schema_version=1, days=days, unvisited=unvisited)
    out["summary"] = _summary(plan["summary"], stops, dates, official)
    out.setdefault("variant", "more_sights")
    out["alternatives"] = [
        {**alt, "summary": _summary(alt["summary"], [], dates, official)}
        for alt in plan.get("alternatives", [])
    ]
    return out


def _rows(conn: sa.Connection) -> list[tuple[str, Any, Any]]:
    rows = conn.execute(sa.text("SELECT id, request, plan FROM itinerary")).all()
    return [
        (id_, json.loads(r) if isinstance(r, str) else r, json.loads(p) if isinstance(p, str) else p)
        for id_, r, p in rows
    ]


def upgrade() -> None:
    conn = op.get_bind()
    official = {y for (y,) in conn.execute(sa.text("SELECT year FROM holiday_notice"))}
    for id_, request, plan in _rows(conn):
        if plan.get("schema_version") == 1:
            continue
        conn.execute(
            sa.text("UPDATE itinerary SET plan = :plan WHERE id = :id").bindparams(
                sa.bindparam("plan", type_=sa.JSON)
            ),
            {"plan": upgrade_plan(plan, request, official), "id": id_},
        )


def downgrade() -> None:
    """Back to the untyped shape: no version, a suggestion's change as one string (the
    fields version 1 filled in stay; earlier code read them or ignored them)."""
    conn = op.get_bind()
    for id_, _request, plan in _rows(conn):
        plan.pop("schema_version", None)
        for entry in plan.get("unvisited", []):
            suggestion = entry.get("suggestion")
            if isinstance(suggestion, dict) and isinstance(suggestion.get("change"), list):
                suggestion["change"] = "+".join(suggestion["change"])
        conn.execute(
            sa.text("UPDATE itinerary SET plan = :plan WHERE id = :id").bindparams(
                sa.bindparam("plan", type_=sa.JSON)
            ),
            {"plan": plan, "id": id_},
        )
