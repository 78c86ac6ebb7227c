"""Hubs: stations, airports, hotel areas, visitor centres, evening-leisure areas, gateways."""

from dataclasses import dataclass

from sqlalchemy import and_, select
from sqlmodel import Session

from app.errors import InvalidInput, NotFound
from app.models import District, Hub, HubKind, Spot
from app.schemas import HubIn
from app.services.common import BBox, Page, check_district, count, text_match


@dataclass(frozen=True)
class HubFilter:
    city: str | None = None
    district: str | None = None
    kinds: tuple[HubKind, ...] = ()
    central: bool | None = None
    bbox: BBox | None = None
    q: str | None = None


@dataclass(frozen=True)
class HubView:
    hub: Hub
    central: bool


def _filtered(f: HubFilter):  # type: ignore[no-untyped-def]
    stmt = select(Hub, District.is_central).join(District, District.id == Hub.district_id)
    conds = []
    if f.city:
        conds.append(Hub.city_id == f.city)
    if f.district:
        conds.append(Hub.district_id == f.district)
    if f.kinds:
        conds.append(Hub.kind.in_([k.value for k in f.kinds]))
    if f.central is not None:
        conds.append(District.is_central == f.central)
    if f.bbox:
        b = f.bbox
        conds.append(
            and_(Hub.lat.between(b.min_lat, b.max_lat), Hub.lon.between(b.min_lon, b.max_lon))
        )
    if f.q:
        conds.append(
            text_match(f.q, Hub.name_zh, Hub.name_en, Hub.description_zh, Hub.description_en)
        )
    return stmt.where(*conds).order_by(Hub.city_id, Hub.id)


def list_hubs(session: Session, f: HubFilter, page: Page) -> tuple[list[HubView], int]:
    stmt = _filtered(f)
    rows = session.execute(stmt.limit(page.limit).offset(page.offset)).all()
    return [HubView(hub, central) for hub, central in rows], count(session, stmt)


def get_hub(session: Session, hub_id: str) -> HubView:
    row = session.execute(_filtered(HubFilter()).where(Hub.id == hub_id)).first()
    if row is None:
        raise NotFound(f"hub {hub_id!r} does not exist")
    return HubView(row[0], row[1])


def upsert_hub(session: Session, data: HubIn, loc: tuple[str | int, ...] = ("body",)) -> bool:
    """Create or replace a hub; True if anything changed."""
    check_district(session, data.city_id, data.district_id, loc)
    if session.get(Spot, data.id) is not None:
        raise InvalidInput([*loc, "id"], f"{data.id!r} is already a spot id")
    fields = data.model_dump(mode="json")
    hub = session.get(Hub, data.id)
    if hub is None:
        session.add(Hub(**fields))
        session.flush()
        return True
    changed = any(getattr(hub, k) != v for k, v in fields.items())
    hub.sqlmodel_update(fields)
    session.flush()
    return changed
