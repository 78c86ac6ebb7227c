"""Cities and districts."""

from sqlalchemy import select
from sqlmodel import Session

from app.models import City, District
from app.schemas import CityIn


def list_cities(session: Session) -> list[tuple[City, list[District]]]:
    cities = list(session.scalars(select(City).order_by(City.id)))
    districts = list(session.scalars(select(District).order_by(District.city_id, District.id)))
    return [(c, [d for d in districts if d.city_id == c.id]) for c in cities]


def upsert_city(session: Session, data: CityIn) -> bool:
    """Create or replace a city and its districts; True if anything changed."""
    changed = False
    fields = data.model_dump(exclude={"districts"})
    city = session.get(City, data.id)
    if city is None:
        session.add(City(**fields))
        changed = True
    elif any(getattr(city, k) != v for k, v in fields.items()):
        city.sqlmodel_update(fields)
        changed = True
    session.flush()
    for d in data.districts:
        d_fields = {**d.model_dump(), "city_id": data.id}
        district = session.get(District, d.id)
        if district is None:
            session.add(District(**d_fields))
            changed = True
        elif any(getattr(district, k) != v for k, v in d_fields.items()):
            district.sqlmodel_update(d_fields)
            changed = True
    session.flush()
    return changed
