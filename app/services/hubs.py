"""Hubs: stations, airports, hotel areas, visitor centres, evening-leisure areas, gateways."""

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, select
from sqlmodel import Session, col

from app.boundaries import check_in_city
from app.errors import InvalidInput, NotFound
from app.models import District, Hub, HubKind, Spot
from app.schemas import HubIn
from app.services.common import (
    Page,
    PlaceFilter,
    check_district,
    count,
    place_conditions,
    upsert_row,
)


@dataclass(frozen=True)
class HubFilter(PlaceFilter):
    kinds: tuple[HubKind, ...] = ()


@dataclass(frozen=True)
class HubView:
    hub: Hub
    central: bool


def _filtered(f: HubFilter) -> Select[Hub, bool]:
    stmt = select(Hub, col(District.is_central)).join(
        District, col(District.id) == Hub.district_id
    )
    conds = place_conditions(Hub, f)
    if f.kinds:
        conds.append(col(Hub.kind).in_([k.value for k in f.kinds]))
    return stmt.where(*conds).order_by(col(Hub.city_id), col(Hub.id))


def list_hubs(session: Session, f: HubFilter, page: Page) -> tuple[list[HubView], int]:
    stmt = _filtered(f)
    rows = session.execute(stmt.limit(page.limit).offset(page.offset)).all()
    return [HubView(hub, central) for hub, central in rows], count(session, stmt)


def get_hub(session: Session, hub_id: str, *, deleted: bool = False) -> HubView:
    """A live hub (or, with `deleted=True`, a soft-deleted one)."""
    hub = session.get(Hub, hub_id)
    if hub is None or (hub.deleted_at is not None) != deleted:
        raise NotFound(f"hub {hub_id!r} does not exist" + (" in the bin" if deleted else ""))
    return views(session, [hub])[0]


def views(session: Session, hubs: list[Hub]) -> list[HubView]:
    central = set(
        session.scalars(
            select(col(District.id)).where(
                col(District.id).in_({h.district_id for h in hubs}), col(District.is_central)
            )
        )
    )
    return [HubView(h, h.district_id in central) for h in hubs]


def hub_state(view: HubView) -> HubIn:
    return HubIn.model_validate(view.hub.model_dump(exclude={"version", "deleted_at"}))


def hub_columns(data: HubIn) -> dict[str, Any]:
    """The hub row's columns (single writes and bulk imports write the same)."""
    return data.model_dump(mode="json")


def hub_children(data: HubIn) -> list[tuple[Any, list[dict[str, Any]]]]:
    return []  # a hub has no child rows


def upsert_hub(session: Session, data: HubIn, loc: tuple[str | int, ...] = ("body",)) -> bool:
    """Create or replace a hub; True if anything changed."""
    check_district(session, data.city_id, data.district_id, loc)
    if (outside := check_in_city(data.city_id, data.lat, data.lon, data.confidence)) is not None:
        raise InvalidInput([*loc, "lat"], outside)
    if session.get(Spot, data.id) is not None:
        raise InvalidInput([*loc, "id"], f"{data.id!r} is already a spot id")
    hub, is_new, changed = upsert_row(session, Hub, data.id, hub_columns(data))
    if changed and not is_new:
        hub.version += 1
        session.flush()
    return changed
