"""What the plans do for each city: a log line per plan answered, and the bureaus' report
over a period (nights and how many in the central district, spot exposure, transfers
between the cities, unmet must-visits with their reasons, the twin-city balance)."""

import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select
from sqlmodel import Session, col

from app.errors import Forbidden, InvalidInput
from app.models import District, Hub, PlanLog, Role, Spot
from app.opening import TZ
from app.planning.document import Plan, StopKind
from app.planning.request import PlanRequest
from app.services.access import Principal, require

MAX_PERIOD_DAYS = 366


def fingerprint(req: PlanRequest) -> str:
    """The request's shape only (no dates, places or caller): how alike requests are."""
    shape = {
        "days": req.days,
        "cities": sorted(req.city_ids),
        "party": req.party.value,
        "mode": req.mode.value,
        "pace": req.pace.value,
        "interests": sorted(k.value for k in req.interests),
    }
    return hashlib.sha256(json.dumps(shape, sort_keys=True).encode()).hexdigest()[:16]


def log_plan(session: Session, req: PlanRequest, plan: Plan) -> None:
    """File the plan's line (in the transaction that stores it); flushes only."""
    hotels = {d.night_place_id for d in plan.days if d.night_place_id}
    central = set(
        session.scalars(
            select(col(Hub.id))
            .join(District, col(District.id) == col(Hub.district_id))
            .where(col(Hub.id).in_(hotels), col(District.is_central))
        )
    )
    nights: Counter[str] = Counter()
    central_nights: Counter[str] = Counter()
    for day in plan.days:
        if day.night_city:
            nights[day.night_city] += 1
            central_nights[day.night_city] += day.night_place_id in central
    stops = [s for day in plan.days for s in day.stops]
    seen = {s.place_id for s in stops if s.kind is StopKind.spot}
    cities: dict[str, str] = {
        sid: city
        for sid, city in session.execute(
            select(col(Spot.id), col(Spot.city_id)).where(col(Spot.id).in_(seen))
        )
    }
    visits = {sid: cities[sid] for sid in sorted(seen) if sid in cities}
    session.add(
        PlanLog(
            at=datetime.now(UTC),
            fingerprint=fingerprint(req),
            days=req.days,
            two_cities=len(set(nights) | set(visits.values())) > 1,
            nights=dict(nights),
            central_nights=dict(central_nights),
            visits=visits,
            must_visit=list(req.must_visit),
            unmet=[[u.spot_id, u.reason.value] for u in plan.unvisited if u.must_visit],
            transfers=[s.mode.value for s in stops if s.kind is StopKind.transfer and s.mode],
        )
    )
    session.flush()


@dataclass
class Exposure:
    spot_id: str
    planned: int = 0
    requested: int = 0


@dataclass
class CityReport:
    city_id: str
    start: date
    end: date
    plans: int = 0  # plans that sleep or visit in the city
    nights: int = 0
    central_nights: int = 0
    exposure: list[Exposure] = field(default_factory=list)
    transfers: dict[str, int] = field(default_factory=dict)
    unmet: list[tuple[str, str, int]] = field(default_factory=list)  # spot, reason, times
    two_city_plans: int = 0
    balance_nights: dict[str, int] = field(default_factory=dict)
    balance_visits: dict[str, int] = field(default_factory=dict)


def city_report(
    session: Session, who: Principal | None, city_id: str, start: date, end: date
) -> CityReport:
    """The period's report for a city (its bureau or an admin); dates are China's days."""
    p = require(who, Role.admin, Role.bureau)
    if p.role is Role.bureau and p.city_id != city_id:
        raise Forbidden(f"a {p.city_id} bureau key may not read the report of {city_id}")
    if end < start or (end - start).days >= MAX_PERIOD_DAYS:
        raise InvalidInput(["query", "to"], f"need from <= to, at most {MAX_PERIOD_DAYS} days")
    lo = datetime.combine(start, time(), TZ)
    hi = datetime.combine(end + timedelta(days=1), time(), TZ)
    rows = session.execute(
        select(
            col(PlanLog.two_cities),
            col(PlanLog.nights),
            col(PlanLog.central_nights),
            col(PlanLog.visits),
            col(PlanLog.must_visit),
            col(PlanLog.unmet),
            col(PlanLog.transfers),
        ).where(col(PlanLog.at) >= lo, col(PlanLog.at) < hi)
    )
    own = set(session.scalars(select(col(Spot.id)).where(col(Spot.city_id) == city_id)))
    report = CityReport(city_id, start, end)
    planned: Counter[str] = Counter()
    requested: Counter[str] = Counter()
    unmet: Counter[tuple[str, str]] = Counter()
    transfers: Counter[str] = Counter()
    nights_both: Counter[str] = Counter()
    visits_both: Counter[str] = Counter()
    for two, nights, central, visits, must, missed, modes in rows:
        in_city = [sid for sid, c in visits.items() if c == city_id]
        if city_id not in nights and not in_city:
            continue
        report.plans += 1
        report.nights += nights.get(city_id, 0)
        report.central_nights += central.get(city_id, 0)
        planned.update(in_city)
        requested.update(s for s in must if s in own)
        unmet.update((s, reason) for s, reason in missed if s in own)
        if two:
            report.two_city_plans += 1
            transfers.update(modes)
            nights_both.update(nights)
            visits_both.update(visits.values())
    report.exposure = [
        Exposure(sid, planned[sid], requested[sid])
        for sid in sorted(planned.keys() | requested.keys(), key=lambda s: (-planned[s], s))
    ]
    report.transfers = dict(transfers.most_common())
    report.unmet = [(s, r, n) for (s, r), n in unmet.most_common()]
    report.balance_nights = dict(sorted(nights_both.items()))
    report.balance_visits = dict(sorted(visits_both.items()))
    return report


def spot_names(session: Session, ids: list[str]) -> dict[str, str]:
    """Chinese names of the spots (a chart's labels), falling back to the English one."""
    rows = session.execute(
        select(col(Spot.id), col(Spot.name_zh), col(Spot.name_en)).where(col(Spot.id).in_(ids))
    )
    return {sid: zh or en for sid, zh, en in rows}
