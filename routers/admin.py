"""API keys (admins) and the audit log (admins; a bureau for its own city)."""

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Path, Query, status
from pydantic import BaseModel, ConfigDict, Field

from app.models import ApiKey, Role
from app.schemas import CITY_SLUG, Int
from app.services import audit, keys
from app.services.access import require
from routers.deps import PageDep, SessionDep, WriterDep
from routers.errors import ERROR_RESPONSES, WRITE_RESPONSES
from routers.ratelimit import limited
from routers.views import Paged

router = APIRouter(
    tags=["access"],
    responses={**ERROR_RESPONSES, **WRITE_RESPONSES},
    dependencies=[limited("keyed")],
)


class KeyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=100, pattern=r"^[^\x00]+$")
    role: Role
    city_id: str | None = Field(
        default=None,
        pattern=CITY_SLUG,
        description="A bureau's city; a marketer's city, or none for joint (region) packages",
    )
    expires_days: Int | None = Field(default=None, ge=1, le=3650)


class KeyOut(BaseModel):
    id: int
    name: str
    role: str
    city_id: str | None
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None
    revoked_at: datetime | None


class IssuedKeyOut(KeyOut):
    token: str = Field(description="The key itself; shown only in this response")


class AuditOut(BaseModel):
    id: int
    at: datetime
    actor: str
    role: str
    city_id: str | None
    action: str
    entity: str
    entity_id: str
    before: dict | None
    after: dict | None


def _key_out(key: ApiKey) -> dict:
    return key.model_dump(exclude={"prefix", "secret_hash"})


@router.post("/keys", status_code=status.HTTP_201_CREATED, response_model=IssuedKeyOut)
def create_key(body: KeyIn, session: SessionDep, principal: WriterDep) -> IssuedKeyOut:
    """Create an API key (admins). The token is in this response only."""
    issued = keys.create_key(
        session, principal, body.name, body.role, body.city_id, body.expires_days
    )
    return IssuedKeyOut(**_key_out(issued.key), token=issued.token)


@router.get("/keys", response_model=list[KeyOut])
def list_keys(session: SessionDep, principal: WriterDep) -> list[KeyOut]:
    """All API keys, without their secrets (admins)."""
    require(principal, Role.admin)
    return [KeyOut(**_key_out(k)) for k in keys.list_keys(session)]


@router.delete("/keys/{key_id}", response_model=KeyOut)
def revoke_key(
    key_id: Annotated[int, Path(ge=1, le=2**31 - 1)], session: SessionDep, principal: WriterDep
) -> KeyOut:
    """Revoke an API key (admins); it stops working at once."""
    return KeyOut(**_key_out(keys.revoke_key(session, principal, key_id)))


@router.get("/audit", response_model=Paged[AuditOut])
def read_audit(
    session: SessionDep,
    principal: WriterDep,
    page: PageDep,
    entity: Annotated[str | None, Query(pattern=r"^(city|spot|hub|link|key|holidays)$")] = None,
    entity_id: Annotated[str | None, Query(pattern=r"^[a-z0-9][a-z0-9_]{0,63}$")] = None,
    city: Annotated[str | None, Query(pattern=CITY_SLUG)] = None,
) -> Paged[AuditOut]:
    """Every write, newest first: who, when, what, before and after."""
    who = require(principal, Role.admin, Role.bureau)
    rows, total = audit.list_entries(session, who, page, entity, entity_id, city)
    return Paged[AuditOut](data=[AuditOut(**r.model_dump()) for r in rows], count=total)
