"""Query helpers shared by the place services."""

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, SQLColumnExpression, func, or_, select
from sqlmodel import Session, col

from app.errors import InvalidInput
from app.models import District, Hub, Spot


@dataclass(frozen=True)
class Page:
    limit: int
    offset: int


@dataclass(frozen=True)
class BBox:
    """WGS-84 bounding box."""

    min_lat: float
    min_lon: float
    max_lat: float
    max_lon: float


def text_match(term: str, *columns: SQLColumnExpression[str | None]) -> ColumnElement[bool]:
    """Case-insensitive substring match on any column, with LIKE wildcards escaped."""
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return or_(*(column.ilike(f"%{escaped}%", escape="\\") for column in columns))


def count(session: Session, stmt: Select) -> int:
    return session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0


def check_district(
    session: Session, city_id: str, district_id: str, loc: Sequence[str | int]
) -> None:
    district = session.get(District, district_id)
    if district is None:
        raise InvalidInput([*loc, "district_id"], f"unknown district {district_id!r}")
    if district.city_id != city_id:
        raise InvalidInput(
            [*loc, "district_id"], f"district {district_id!r} is not in city {city_id!r}"
        )


def place_exists(session: Session, place_id: str) -> bool:
    place = session.get(Spot, place_id) or session.get(Hub, place_id)
    return place is not None and place.deleted_at is None


@dataclass(frozen=True)
class PlaceFilter:
    """Filters that spots and hubs share."""

    city: str | None = None
    district: str | None = None
    central: bool | None = None
    bbox: BBox | None = None
    q: str | None = None


def place_conditions(model: type[Spot] | type[Hub], f: PlaceFilter) -> list[ColumnElement[bool]]:
    """WHERE clauses for a place table joined to `district`."""
    conds: list[ColumnElement[bool]] = [col(model.deleted_at).is_(None)]
    if f.city:
        conds.append(col(model.city_id) == f.city)
    if f.district:
        conds.append(col(model.district_id) == f.district)
    if f.central is not None:
        conds.append(col(District.is_central) == f.central)
    if f.bbox:
        b = f.bbox
        conds.append(col(model.lat).between(b.min_lat, b.max_lat))
        conds.append(col(model.lon).between(b.min_lon, b.max_lon))
    if f.q:
        columns = (
            col(model.name_zh),
            col(model.name_en),
            col(model.description_zh),
            col(model.description_en),
        )
        conds.append(text_match(f.q, *columns))
    return conds


def replace_children(
    session: Session, model: Any, parent: str, parent_id: str, wanted: list[dict[str, Any]]
) -> bool:
    """Make a parent's child rows exactly `wanted` (compared as a multiset of their fields,
    order ignored); True if anything changed."""
    rows = session.scalars(select(model).where(getattr(model, parent) == parent_id)).all()
    keys = tuple(wanted[0]) if wanted else ()

    def as_key(row: Any) -> tuple:
        return tuple(getattr(row, k) for k in keys)

    if Counter(map(as_key, rows)) == Counter(tuple(w[k] for k in keys) for w in wanted):
        return False
    for row in rows:
        session.delete(row)
    session.flush()
    session.add_all(model(**{parent: parent_id, **w}) for w in wanted)
    return True


def upsert_row(
    session: Session, model: Any, row_id: str, fields: dict[str, Any]
) -> tuple[Any, bool, bool]:
    """Insert the row, or update the fields that differ; returns (row, is_new, changed)."""
    row = session.get(model, row_id)
    if row is None:
        row = model(**fields)
        session.add(row)
        session.flush()
        return row, True, True
    changed = any(getattr(row, k) != v for k, v in fields.items())
    if changed:
        row.sqlmodel_update(fields)
        session.flush()
    return row, False, changed
