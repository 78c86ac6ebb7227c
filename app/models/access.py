"""API keys and the audit log of every write."""

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, String
from sqlmodel import Field, SQLModel

from app.models.base import UTCDateTime


class Role(StrEnum):
    admin = "admin"
    bureau = "bureau"  # bound to one city
    marketer = "marketer"


class ApiKey(SQLModel, table=True):
    """A bearer key; only a hash of its secret is stored (the key is shown once)."""

    __tablename__ = "api_key"

    id: int | None = Field(default=None, primary_key=True)
    prefix: str = Field(sa_column=Column(String(16), nullable=False, unique=True))
    secret_hash: str = Field(max_length=64)
    name: str = Field(max_length=100)
    role: str = Field(sa_column=Column(String(16), nullable=False))
    city_id: str | None = Field(default=None, foreign_key="city.id", max_length=32)
    created_at: datetime = Field(sa_type=UTCDateTime)
    expires_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class AuditEntry(SQLModel, table=True):
    __tablename__ = "audit_entry"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(sa_type=UTCDateTime, index=True)
    key_id: int | None = Field(default=None, foreign_key="api_key.id")
    actor: str = Field(max_length=100)  # key name, or "cli"
    role: str = Field(sa_column=Column(String(16), nullable=False))
    city_id: str | None = Field(default=None, index=True, max_length=32)
    action: str = Field(sa_column=Column(String(16), nullable=False))
    entity: str = Field(sa_column=Column(String(16), nullable=False))
    entity_id: str = Field(index=True, max_length=64)
    before: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    after: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
