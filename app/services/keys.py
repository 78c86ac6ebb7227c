"""API keys: random secrets shown once, stored as HMAC-SHA256 with the server's pepper.
Creating and revoking one is an admin's write, audited here, so the API and the command
line (as "cli") leave the same trail."""

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from app.errors import InvalidInput, NotFound
from app.models import ApiKey, City, Role
from app.services.access import Principal, require
from app.services.audit import record
from app.settings import get_settings

PREFIX = "tsk"
# last_used_at is written at most this often, so reads do not become writes.
TOUCH_EVERY = timedelta(minutes=1)


@dataclass(frozen=True)
class IssuedKey:
    key: ApiKey
    token: str  # shown once


def _hash(secret: str) -> str:
    pepper = get_settings().secret_key.encode()
    return hmac.new(pepper, secret.encode(), hashlib.sha256).hexdigest()


def _audited(key: ApiKey) -> dict[str, Any]:
    """What the audit keeps of a key: never its secret or hash."""
    return {"id": key.id, "name": key.name, "role": key.role, "city_id": key.city_id,
            "expires_at": key.expires_at.isoformat() if key.expires_at else None}  # fmt: skip


def create_key(
    session: Session,
    who: Principal | None,
    name: str,
    role: Role,
    city_id: str | None,
    expires_days: int | None,
) -> IssuedKey:
    """A new key (admins), audited; its token is in the result only."""
    p = require(who, Role.admin)
    if role is Role.bureau and not city_id:
        raise InvalidInput(["body", "city_id"], "a bureau key needs its city")
    if role is Role.admin and city_id:
        raise InvalidInput(["body", "city_id"], "an admin key is not bound to a city")
    # A marketer's key is bound to one city (its packages) or to none: the region's.
    if city_id and session.get(City, city_id) is None:
        raise InvalidInput(["body", "city_id"], f"unknown city {city_id!r}")
    prefix, secret = secrets.token_hex(4), secrets.token_urlsafe(24)
    now = datetime.now(UTC)
    key = ApiKey(
        prefix=prefix,
        secret_hash=_hash(secret),
        name=name,
        role=role,
        city_id=city_id,
        created_at=now,
        expires_at=now + timedelta(days=expires_days) if expires_days else None,
    )
    session.add(key)
    session.flush()
    record(
        session, p, "create", "key", str(key.id), [city_id] if city_id else (), None, _audited(key)
    )
    return IssuedKey(key, f"{PREFIX}_{prefix}_{secret}")


def authenticate(session: Session, token: str) -> Principal | None:
    """The principal for a bearer token, or None if it is unknown, revoked or expired."""
    parts = token.split("_", 2)
    if len(parts) != 3 or parts[0] != PREFIX:
        return None
    key = session.scalar(select(ApiKey).where(col(ApiKey.prefix) == parts[1]))
    if key is None or not hmac.compare_digest(key.secret_hash, _hash(parts[2])):
        return None
    now = datetime.now(UTC)
    expires = key.expires_at
    if key.revoked_at is not None or (expires is not None and expires <= now):
        return None
    last = key.last_used_at
    if last is None or now - last > TOUCH_EVERY:
        key.last_used_at = now
        session.flush()
    return Principal(key_id=key.id, name=key.name, role=Role(key.role), city_id=key.city_id)


def list_keys(session: Session) -> list[ApiKey]:
    return list(session.scalars(select(ApiKey).order_by(col(ApiKey.id))))


def revoke_key(session: Session, who: Principal | None, key_id: int) -> ApiKey:
    """Revoke a key at once (admins), audited; revoking it again changes nothing."""
    p = require(who, Role.admin)
    key = session.get(ApiKey, key_id)
    if key is None:
        raise NotFound(f"API key {key_id} does not exist")
    if key.revoked_at is None:
        key.revoked_at = datetime.now(UTC)
        session.flush()
        after = {"revoked_at": key.revoked_at.isoformat()}
        record(
            session,
            p,
            "revoke",
            "key",
            str(key_id),
            [key.city_id] if key.city_id else (),
            None,
            after,
        )
    return key
