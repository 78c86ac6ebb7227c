"""Data-quality report of a city: what a bureau should fix first."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import or_, select
from sqlmodel import Session, col

from app.errors import NotFound
from app.models import Basis, City, Departure, District, Hub, HubKind, Mode, Spot, TransitLink
from app.travel import Point, travel_times

# A day trip leaves the central district and comes back within this, visit included.
DAY_TRIP_MINUTES = 12 * 60
# "The coming season": departures should exist within this window from today.
SEASON_DAYS = 120


@dataclass
class QualityReport:
    city_id: str
    spots_without_hours: list[str] = field(default_factory=list)
    spots_beyond_a_day_trip: list[dict] = field(default_factory=list)
    links_without_departures: list[str] = field(default_factory=list)


def city_quality(session: Session, city_id: str, today: date) -> QualityReport:
    if session.get(City, city_id) is None:
        raise NotFound(f"city {city_id!r} does not exist")
    report = QualityReport(city_id)
    spots = list(
        session.scalars(
            select(Spot)
            .where(col(Spot.city_id) == city_id, col(Spot.deleted_at).is_(None))
            .order_by(col(Spot.id))
        )
    )
    report.spots_without_hours = [s.id for s in spots if s.hours_basis == Basis.category_default]
    bases = list(
        session.scalars(
            select(Hub)
            .join(District, col(District.id) == Hub.district_id)
            .where(
                col(Hub.city_id) == city_id,
                col(Hub.kind) == HubKind.hotel_area,
                col(District.is_central),
                col(Hub.deleted_at).is_(None),
            )
        )
    )
    places: list[Hub | Spot] = [*bases, *spots]
    points = [Point(p.id, p.lat, p.lon) for p in places]
    minutes = travel_times(session).matrix(points)
    for k, spot in enumerate(spots, start=len(bases)):
        one_way = min((minutes[b][k] for b in range(len(bases))), default=None)
        if one_way is None or 2 * one_way + spot.visit_minutes > DAY_TRIP_MINUTES:
            report.spots_beyond_a_day_trip.append(
                {
                    "spot_id": spot.id,
                    "one_way_minutes": one_way,
                    "visit_minutes": spot.visit_minutes,
                }
            )
    place_ids = {s.id for s in spots} | set(
        session.scalars(select(col(Hub.id)).where(col(Hub.city_id) == city_id))
    )
    horizon = today + timedelta(days=SEASON_DAYS)
    for link in session.scalars(
        select(TransitLink)
        .where(
            col(TransitLink.mode) != Mode.road,
            col(TransitLink.deleted_at).is_(None),
            or_(col(TransitLink.from_id).in_(place_ids), col(TransitLink.to_id).in_(place_ids)),
        )
        .order_by(col(TransitLink.id))
    ):
        upcoming = session.scalar(
            select(col(Departure.id))
            .where(
                col(Departure.link_id) == link.id,
                or_(col(Departure.valid_to).is_(None), col(Departure.valid_to) >= today),
                or_(col(Departure.valid_from).is_(None), col(Departure.valid_from) <= horizon),
            )
            .limit(1)
        )
        if upcoming is None:
            report.links_without_departures.append(link.id)
    return report
