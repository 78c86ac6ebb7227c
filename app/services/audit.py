"""The audit log: who changed what, when, with the state before and after."""

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from app.models import AuditEntry, Role
from app.services.access import Principal
from app.services.common import Page, count


def record(
    session: Session,
    who: Principal,
    action: str,
    entity: str,
    entity_id: str,
    cities: Iterable[str],
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
) -> None:
    session.add_all(
        AuditEntry(**e) for e in entries(who, action, entity, entity_id, cities, before, after)
    )


def entries(
    who: Principal,
    action: str,
    entity: str,
    entity_id: str,
    cities: Iterable[str],
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    at: datetime | None = None,
) -> list[dict[str, Any]]:
    """The rows of one change: one per city it touches (a link joining the cities shows
    in both bureaus' logs), or one regional row when it touches none. Bulk imports insert
    these as they are."""
    named: list[str | None] = [*sorted(set(cities))]
    return [
        {
            "at": at or datetime.now(UTC),
            "key_id": who.key_id,
            "actor": who.name,
            "role": who.role,
            "city_id": city_id,
            "action": action,
            "entity": entity,
            "entity_id": entity_id,
            "before": before,
            "after": after,
        }
        for city_id in named or [None]
    ]


def list_entries(
    session: Session,
    who: Principal,
    page: Page,
    entity: str | None = None,
    entity_id: str | None = None,
    city: str | None = None,
) -> tuple[list[AuditEntry], int]:
    """Newest first; a bureau sees its own city only."""
    stmt = select(AuditEntry)
    if who.role is Role.bureau:
        stmt = stmt.where(col(AuditEntry.city_id) == who.city_id)
    elif city:
        stmt = stmt.where(col(AuditEntry.city_id) == city)
    if entity:
        stmt = stmt.where(col(AuditEntry.entity) == entity)
    if entity_id:
        stmt = stmt.where(col(AuditEntry.entity_id) == entity_id)
    stmt = stmt.order_by(col(AuditEntry.id).desc())
    rows = list(session.scalars(stmt.limit(page.limit).offset(page.offset)))
    return rows, count(session, stmt)
