"""Featured route packages: a marketer's curated itinerary, its season and its state."""

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, String
from sqlmodel import Field, SQLModel

from app.models.base import UTCDateTime


class PackageStatus(StrEnum):
    draft = "draft"
    published = "published"
    retired = "retired"


class Package(SQLModel, table=True):
    """One package: the stored itinerary it publishes (re-optimising points it at a new
    one), the season it is sold for and the last check of every date of it. `city_id` is
    the marketing city; null for a joint (region) package."""

    __tablename__ = "package"

    id: str = Field(primary_key=True, max_length=32)
    status: str = Field(sa_column=Column(String(16), nullable=False, index=True))
    city_id: str | None = Field(default=None, foreign_key="city.id", max_length=32, index=True)
    cities: list[str] = Field(sa_column=Column(JSON, nullable=False))
    theme: dict[str, float] = Field(sa_column=Column(JSON, nullable=False))
    days: int
    season_start: date
    season_end: date
    title_zh: str = Field(max_length=100)
    title_en: str = Field(max_length=100)
    description_zh: str = Field(default="", max_length=2000)
    description_en: str = Field(default="", max_length=2000)
    itinerary_id: str = Field(foreign_key="itinerary.id", max_length=32)
    spot_ids: list[str] = Field(sa_column=Column(JSON, nullable=False))  # for the re-check
    season_check: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    flags: list[dict[str, Any]] = Field(sa_column=Column(JSON, nullable=False))
    key_id: int | None = Field(default=None, foreign_key="api_key.id")  # who generated it
    version: int = 1
    created_at: datetime = Field(sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime)
