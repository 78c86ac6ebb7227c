"""Scenic spots: filtered listing, opening evaluation and validated upserts."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Select, select
from sqlmodel import Session, col

from app.boundaries import check_in_city
from app.errors import InvalidInput, NotFound
from app.holiday_calendar import CalendarDay, HolidayCalendar
from app.models import Category, District, Hub, Spot, SpotCategory, SpotClosure
from app.opening import Window, windows_on
from app.schemas import SpotIn
from app.services.common import (
    Page,
    PlaceFilter,
    check_district,
    count,
    place_conditions,
    replace_children,
    upsert_row,
)
from app.services.holidays import current_calendar


@dataclass(frozen=True)
class SpotFilter(PlaceFilter):
    categories: tuple[Category, ...] = ()
    a_level_min: int | None = None
    open_on: date | None = None


@dataclass(frozen=True)
class SpotView:
    """A spot with what a response needs besides its own columns."""

    spot: Spot
    categories: list[str]
    central: bool
    # Read with the spot, so that `opening_on` needs no session (planning runs without one).
    calendar: HolidayCalendar
    closures: list[SpotClosure] = field(default_factory=list)


def _filtered(f: SpotFilter) -> Select[Spot]:
    stmt = select(Spot).join(District, col(District.id) == col(Spot.district_id))
    conds = place_conditions(Spot, f)
    if f.categories:
        conds.append(
            col(Spot.id).in_(
                select(col(SpotCategory.spot_id)).where(
                    col(SpotCategory.category).in_([c.value for c in f.categories])
                )
            )
        )
    if f.a_level_min is not None:
        conds.append(col(Spot.a_level) >= f.a_level_min)
    return stmt.where(*conds).order_by(col(Spot.city_id), col(Spot.id))


def views(session: Session, spots: list[Spot]) -> list[SpotView]:
    """The spots with their categories and closures, in a few queries for all of them."""
    ids = [s.id for s in spots]
    cats: dict[str, list[str]] = defaultdict(list)
    closures: dict[str, list[SpotClosure]] = defaultdict(list)
    if ids:
        # Plain columns, not ORM rows: building model instances was most of a list's time.
        for spot_id, category in session.execute(
            select(col(SpotCategory.spot_id), col(SpotCategory.category))
            .where(col(SpotCategory.spot_id).in_(ids))
            .order_by(col(SpotCategory.category))
        ):
            cats[spot_id].append(category)
        for row in session.scalars(
            select(SpotClosure)
            .where(col(SpotClosure.spot_id).in_(ids))
            .order_by(col(SpotClosure.start_date), col(SpotClosure.id))
        ):
            closures[row.spot_id].append(row)
    central = set(
        session.scalars(
            select(col(District.id)).where(
                col(District.id).in_({s.district_id for s in spots}), col(District.is_central)
            )
        )
    )
    calendar = current_calendar(session)
    return [
        SpotView(s, cats[s.id], s.district_id in central, calendar, closures[s.id]) for s in spots
    ]


@dataclass(frozen=True)
class OpeningDay:
    day: CalendarDay
    closure: SpotClosure | None
    windows: list[Window]


def opening_on(view: SpotView, day: date) -> OpeningDay:
    """The day's windows after season, weekday, holidays, 调休 and dated closures."""
    closure = next((c for c in view.closures if c.start_date <= day <= c.end_date), None)
    spot = view.spot
    info = view.calendar.day(day)
    windows = windows_on(
        spot.opening_hours,
        info,
        lat=spot.lat,
        lon=spot.lon,
        follows_workweek=spot.follows_workweek,
        closed=closure is not None,
    )
    return OpeningDay(info, closure, windows)


def list_spots(session: Session, f: SpotFilter, page: Page) -> tuple[list[SpotView], int]:
    stmt = _filtered(f)
    if f.open_on is None:
        total = count(session, stmt)
        spots = list(session.scalars(stmt.limit(page.limit).offset(page.offset)))
        return views(session, spots), total
    # Opening rules are evaluated in Python, so this filter pages after evaluation.
    day = f.open_on
    open_ = [v for v in views(session, list(session.scalars(stmt))) if opening_on(v, day).windows]
    return open_[page.offset : page.offset + page.limit], len(open_)


def get_spot(session: Session, spot_id: str, *, deleted: bool = False) -> SpotView:
    """A live spot (or, with `deleted=True`, a soft-deleted one)."""
    spot = session.get(Spot, spot_id)
    if spot is None or (spot.deleted_at is not None) != deleted:
        raise NotFound(f"spot {spot_id!r} does not exist" + (" in the bin" if deleted else ""))
    return views(session, [spot])[0]


def spot_state(view: SpotView) -> SpotIn:
    """The spot as an input document: what PATCH merges into and the audit log keeps."""
    fields = view.spot.model_dump(exclude={"version", "deleted_at"})
    closures = [
        {"start_date": c.start_date, "end_date": c.end_date, "reason": c.reason}
        for c in view.closures
    ]
    return SpotIn.model_validate({**fields, "categories": view.categories, "closures": closures})


def spot_columns(data: SpotIn) -> dict[str, Any]:
    """The spot row's columns (single writes and bulk imports write the same)."""
    return data.model_dump(mode="json", exclude={"categories", "closures"})


def spot_children(data: SpotIn) -> list[tuple[Any, list[dict[str, Any]]]]:
    """Child rows by table (each keyed by `spot_id`)."""
    return [
        (SpotCategory, [{"category": c.value} for c in data.categories]),
        (SpotClosure, [c.model_dump() for c in data.closures]),
    ]


def upsert_spot(session: Session, data: SpotIn, loc: tuple[str | int, ...] = ("body",)) -> bool:
    """Create or replace a spot with its categories and closures; True if anything changed."""
    check_district(session, data.city_id, data.district_id, loc)
    if (outside := check_in_city(data.city_id, data.lat, data.lon, data.confidence)) is not None:
        raise InvalidInput([*loc, "lat"], outside)
    if session.get(Hub, data.id) is not None:
        raise InvalidInput([*loc, "id"], f"{data.id!r} is already a hub id")
    spot, is_new, changed = upsert_row(session, Spot, data.id, spot_columns(data))
    for model, rows in spot_children(data):
        changed |= replace_children(session, model, "spot_id", data.id, rows)
    if changed and not is_new:
        spot.version += 1
    session.flush()
    return changed
