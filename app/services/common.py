"""Query helpers shared by the place services."""

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, func, or_, select
from sqlmodel import Session

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


def text_match(term: str, *columns: ColumnElement) -> ColumnElement[bool]:
    """Case-insensitive substring match on any column, with LIKE wildcards escaped."""
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return or_(*(col.ilike(f"%{escaped}%", escape="\\") for col in columns))


def count(session: Session, stmt: Select) -> int:
    return session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0


def check_district(session: Session, city_id: str, district_id: str, loc: Sequence[str]) -> None:
    district = session.get(District, district_id)
    if district is None:
        raise InvalidInput([*loc, "district_id"], f"unknown district {district_id!r}")
    if district.city_id != city_id:
        raise InvalidInput(
            [*loc, "district_id"], f"district {district_id!r} is not in city {city_id!r}"
        )


def place_exists(session: Session, place_id: str) -> bool:
    return session.get(Spot, place_id) is not None or session.get(Hub, place_id) is not None


def central_district_ids(session: Session) -> set[str]:
    return set(session.scalars(select(District.id).where(District.is_central)))
