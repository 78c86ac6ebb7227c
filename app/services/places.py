"""Cities and districts."""

from sqlalchemy import select
from sqlmodel import Session, col

from app.errors import NotFound
from app.models import City, District
from app.schemas import CityIn
from app.services.access import Principal, check_city_write
from app.services.audit import record
from app.services.common import upsert_row


def list_cities(session: Session) -> list[tuple[City, list[District]]]:
    cities = list(session.scalars(select(City).order_by(City.id)))
    districts = list(session.scalars(select(District).order_by(District.city_id, District.id)))
    return [(c, [d for d in districts if d.city_id == c.id]) for c in cities]


def upsert_city(session: Session, data: CityIn) -> bool:
    """Create or replace a city and its districts; True if anything changed."""
    _, _, changed = upsert_row(session, City, data.id, data.model_dump(exclude={"districts"}))
    for d in data.districts:
        fields = {**d.model_dump(), "city_id": data.id}
        changed |= upsert_row(session, District, d.id, fields)[2]
    return changed


def update_city_settings(
    session: Session, who: Principal | None, city_id: str, changes: dict[str, object]
) -> tuple[City, list[District]]:
    """Change a city's planning settings (gateway-night penalty, transit tariff), audited."""
    city = session.get(City, city_id)
    if city is None:
        raise NotFound(f"city {city_id!r} does not exist")
    p = check_city_write(who, {city_id})
    before = {k: getattr(city, k) for k in changes}
    for k, v in changes.items():
        setattr(city, k, v)
    session.flush()
    after = {k: getattr(city, k) for k in changes}
    if before != after:
        record(session, p, "update", "city", city_id, {city_id}, before, after)
    districts = list(session.scalars(select(District).where(col(District.city_id) == city_id)))
    return city, sorted(districts, key=lambda d: d.id)
