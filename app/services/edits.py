"""Bureau writes to spots, hubs and links: one path for create, update, delete, restore.

Every write checks the principal's city, keeps optimistic concurrency through the row's
version (ETag / If-Match), and lands in the audit log with the state before and after.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, ValidationError
from sqlalchemy import CursorResult
from sqlalchemy import update as sa_update
from sqlmodel import Session, col

from app.errors import Conflict, InvalidInput, PreconditionFailed
from app.models import Hub, Spot, TransitLink
from app.packages.service import spots_changed
from app.schemas import HubIn, LinkIn, SpotIn
from app.services import hubs, links, spots
from app.services.access import Principal, check_city_write
from app.services.audit import record
from app.services.etags import check_if_match


@dataclass(frozen=True)
class Kind:
    """How to read, check and write one kind of editable row."""

    name: str
    model: type[Spot] | type[Hub] | type[TransitLink]
    schema: type[SpotIn] | type[HubIn] | type[LinkIn]
    view: Callable[..., Any]  # (session, id, deleted=) -> view
    state: Callable[[Any], BaseModel]  # view -> input document
    upsert: Callable[[Session, Any, tuple[str | int, ...]], bool]
    cities: Callable[[Session, Any], set[str]]


@dataclass(frozen=True)
class PlaceKind(Kind):
    """Spots and hubs, which files import in bulk: their rows' views and columns."""

    views: Callable[[Session, list[Any]], list[Any]]  # (session, rows) -> views
    columns: Callable[[Any], dict[str, Any]]  # document -> the row's columns
    children: Callable[[Any], list[tuple[Any, list[dict[str, Any]]]]]  # (table, rows)
    parent: str  # the children's column naming the row


SPOT = PlaceKind(
    "spot", Spot, SpotIn, spots.get_spot, spots.spot_state, spots.upsert_spot,
    lambda _s, d: {d.city_id},
    spots.views, spots.spot_columns, spots.spot_children, "spot_id",
)  # fmt: skip
HUB = PlaceKind(
    "hub", Hub, HubIn, hubs.get_hub, hubs.hub_state, hubs.upsert_hub,
    lambda _s, d: {d.city_id},
    hubs.views, hubs.hub_columns, hubs.hub_children, "hub_id",
)  # fmt: skip
LINK = Kind(
    "link", TransitLink, LinkIn, links.get_link, links.link_state, links.upsert_link,
    links.link_cities,
)  # fmt: skip


def _dump(doc: BaseModel) -> dict[str, Any]:
    return doc.model_dump(mode="json")


def create(session: Session, who: Principal | None, kind: Kind, doc: BaseModel) -> Any:
    """Insert a new row; 409 if the id exists (even in the bin)."""
    p = check_city_write(who, kind.cities(session, doc))
    if session.get(kind.model, doc.id) is not None:  # type: ignore[attr-defined]
        raise Conflict(f"{kind.name} {doc.id!r} already exists")  # type: ignore[attr-defined]
    kind.upsert(session, doc, ("body",))
    cities = kind.cities(session, doc)
    record(session, p, "create", kind.name, doc.id, cities, None, _dump(doc))  # type: ignore[attr-defined]
    _recheck(session, kind, doc.id)  # type: ignore[attr-defined]
    return kind.view(session, doc.id)  # type: ignore[attr-defined]


def update(
    session: Session,
    who: Principal | None,
    kind: Kind,
    row_id: str,
    patch: dict[str, Any],
    if_match: str | None,
) -> Any:
    """Merge a partial document into the current state, validated as a whole."""
    view = kind.view(session, row_id)
    row = getattr(view, kind.name)
    before = kind.state(view)
    check_city_write(who, kind.cities(session, before))
    check_if_match(if_match, row.version, required=True)
    if not patch:  # nothing to change: no new version, no audit entry
        return view
    if "id" in patch and patch["id"] != row_id:
        raise InvalidInput(["body", "id"], "the id cannot change")
    try:
        after = kind.schema.model_validate({**_dump(before), **patch})
    except ValidationError as exc:
        raise InvalidInput.of(exc) from None
    cities = kind.cities(session, before) | kind.cities(session, after)
    p = check_city_write(who, cities)
    _claim(session, kind, row_id, row.version)
    if kind.upsert(session, after, ("body",)):
        record(
            session,
            p,
            "update",
            kind.name,
            row_id,
            cities,
            _dump(before),
            _dump(after),
        )
        _recheck(session, kind, row_id)
    return kind.view(session, row_id)


def _claim(session: Session, kind: Kind, row_id: str, version: int) -> None:
    """Move the version on only if nobody else did since we read it: of two writers that
    sent the same ETag, exactly one gets through (the row is locked until commit)."""
    model = kind.model
    claimed = session.execute(
        sa_update(model)
        .where(col(model.id) == row_id, col(model.version) == version)
        .values(version=version + 1)
        .execution_options(synchronize_session=False)
    )
    if not isinstance(claimed, CursorResult) or claimed.rowcount != 1:
        raise PreconditionFailed("the resource changed meanwhile; read it again and retry")
    session.expire_all()


def _set_deleted(
    session: Session,
    who: Principal | None,
    kind: Kind,
    row_id: str,
    if_match: str | None,
    delete: bool,
) -> Any:
    view = kind.view(session, row_id, deleted=not delete)
    row = getattr(view, kind.name)
    state = kind.state(view)
    cities = kind.cities(session, state)
    p = check_city_write(who, cities)
    check_if_match(if_match, row.version, required=False)
    row.deleted_at = datetime.now(UTC) if delete else None
    row.version += 1
    session.flush()
    action = "delete" if delete else "restore"
    before, after = (_dump(state), None) if delete else (None, _dump(state))
    record(session, p, action, kind.name, row_id, cities, before, after)
    _recheck(session, kind, row_id)
    return view


def _recheck(session: Session, kind: Kind, row_id: str) -> None:
    """A spot's change may break packages that visit it: they are re-checked and flagged."""
    if kind is SPOT:
        spots_changed(session, [row_id])


def delete(
    session: Session, who: Principal | None, kind: Kind, row_id: str, if_match: str | None
) -> None:
    """Soft delete: hidden from reads and planning, restorable."""
    _set_deleted(session, who, kind, row_id, if_match, delete=True)


def restore(session: Session, who: Principal | None, kind: Kind, row_id: str) -> Any:
    _set_deleted(session, who, kind, row_id, None, delete=False)
    return kind.view(session, row_id)
