"""Scenic spots, their categories and dated closures."""

from datetime import date
from enum import StrEnum

from sqlalchemy import Column, String, Text
from sqlmodel import Field, SQLModel

from app.models.base import Tracked


class Category(StrEnum):
    grassland = "grassland"
    desert = "desert"
    forest = "forest"
    lake = "lake"
    geology = "geology"
    history = "history"
    archaeology = "archaeology"
    temple = "temple"
    museum = "museum"
    culture = "culture"
    folk = "folk"
    hot_spring = "hot_spring"
    wetland = "wetland"
    mountain = "mountain"
    park = "park"
    food = "food"
    shopping = "shopping"
    nightlife = "nightlife"


class Basis(StrEnum):
    """Where a value comes from, so a category default is never mistaken for a fact."""

    published = "published"  # a dated source gives it
    typical = "typical"  # a national pattern (e.g. free museums closed Mondays), unverified
    category_default = "category_default"  # the reference left it blank


class Spot(Tracked, table=True):
    __tablename__ = "spot"

    id: str = Field(sa_column=Column(String(64), primary_key=True))
    city_id: str = Field(foreign_key="city.id", index=True, max_length=32)
    district_id: str = Field(foreign_key="district.id", index=True, max_length=48)
    name_zh: str = Field(max_length=128)
    name_en: str = Field(max_length=200)
    lat: float  # WGS-84
    lon: float  # WGS-84
    a_level: int | None = None  # 1-5 for 1A-5A, 0 = not rated, None = unknown
    visit_minutes: int
    ticket_cny: int
    ticket_basis: str = Field(sa_column=Column(String(24), nullable=False))
    opening_hours: str = Field(sa_column=Column(String(500), nullable=False))
    hours_basis: str = Field(sa_column=Column(String(24), nullable=False))
    # The source's own words on season, hours and closing days, kept beside the rule.
    hours_note: str = Field(default="", sa_column=Column(Text, nullable=False))
    daily_capacity: int | None = None
    # Bureau's weight for planning, 1 (low) to 5 (flagship).
    priority: int = 3
    # How many independent reliable travellers' guides name it a must-see (0 = none).
    highlight: int = 0
    description_zh: str = Field(default="", sa_column=Column(Text, nullable=False))
    description_en: str = Field(default="", sa_column=Column(Text, nullable=False))
    source: str = Field(default="", sa_column=Column(Text, nullable=False))
    confidence: str = Field(default="", sa_column=Column(Text, nullable=False))


class SpotCategory(SQLModel, table=True):
    __tablename__ = "spot_category"

    spot_id: str = Field(foreign_key="spot.id", primary_key=True, ondelete="CASCADE")
    category: str = Field(sa_column=Column(String(24), primary_key=True))


class SpotClosure(SQLModel, table=True):
    """A dated closure (repairs, events, weather); the whole day is closed."""

    __tablename__ = "spot_closure"

    id: int | None = Field(default=None, primary_key=True)
    spot_id: str = Field(foreign_key="spot.id", index=True, ondelete="CASCADE")
    start_date: date
    end_date: date
    reason: str = Field(default="", max_length=500)
