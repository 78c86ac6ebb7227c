"""Transit links between places, with the departures of scheduled modes."""

from dataclasses import dataclass, field

from sqlalchemy import Select, or_, select
from sqlmodel import Session, col

from app.errors import InvalidInput, NotFound
from app.models import Departure, Hub, Mode, Spot, TransitLink
from app.schemas import LinkIn
from app.services.common import Page, count, place_exists, replace_children, upsert_row


@dataclass(frozen=True)
class LinkFilter:
    modes: tuple[Mode, ...] = ()
    place: str | None = None  # either end


@dataclass(frozen=True)
class LinkView:
    link: TransitLink
    departures: list[Departure] = field(default_factory=list)


def _filtered(f: LinkFilter) -> Select[TransitLink]:
    stmt = select(TransitLink).where(col(TransitLink.deleted_at).is_(None))
    if f.modes:
        stmt = stmt.where(col(TransitLink.mode).in_([m.value for m in f.modes]))
    if f.place:
        stmt = stmt.where(
            or_(col(TransitLink.from_id) == f.place, col(TransitLink.to_id) == f.place)
        )
    return stmt.order_by(col(TransitLink.id))


def _views(session: Session, links: list[TransitLink]) -> list[LinkView]:
    by_link: dict[str, list[Departure]] = {link.id: [] for link in links}
    if links:
        for dep in session.scalars(
            select(Departure)
            .where(col(Departure.link_id).in_(list(by_link)))
            .order_by(col(Departure.departs), col(Departure.id))
        ):
            by_link[dep.link_id].append(dep)
    return [LinkView(link, by_link[link.id]) for link in links]


def list_links(session: Session, f: LinkFilter, page: Page) -> tuple[list[LinkView], int]:
    stmt = _filtered(f)
    links = list(session.scalars(stmt.limit(page.limit).offset(page.offset)))
    return _views(session, links), count(session, stmt)


def get_link(session: Session, link_id: str, *, deleted: bool = False) -> LinkView:
    """A live link (or, with `deleted=True`, a soft-deleted one)."""
    link = session.get(TransitLink, link_id)
    if link is None or (link.deleted_at is not None) != deleted:
        where = " in the bin" if deleted else ""
        raise NotFound(f"transit link {link_id!r} does not exist{where}")
    return _views(session, [link])[0]


def link_state(view: LinkView) -> LinkIn:
    fields = view.link.model_dump(exclude={"version", "deleted_at"})
    departures = [d.model_dump(exclude={"id", "link_id"}) for d in view.departures]
    return LinkIn.model_validate({**fields, "departures": departures})


def link_cities(session: Session, data: LinkIn | TransitLink) -> set[str]:
    """Cities of both ends: a link belongs to a bureau only if both ends are in its city."""
    cities = set()
    for end in (data.from_id, data.to_id):
        place = session.get(Spot, end) or session.get(Hub, end)
        if place is not None:
            cities.add(place.city_id)
    return cities


def upsert_link(session: Session, data: LinkIn, loc: tuple[str | int, ...] = ("body",)) -> bool:
    """Create or replace a link and its departures; True if anything changed."""
    for end in ("from_id", "to_id"):
        if not place_exists(session, getattr(data, end)):
            raise InvalidInput([*loc, end], f"no spot or hub {getattr(data, end)!r}")
    fields = data.model_dump(mode="json", exclude={"departures"})
    link, is_new, changed = upsert_row(session, TransitLink, data.id, fields)
    departures = [d.model_dump() for d in data.departures]
    changed |= replace_children(session, Departure, "link_id", data.id, departures)
    if changed and not is_new:
        link.version += 1
    session.flush()
    return changed
