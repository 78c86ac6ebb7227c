"""Transit links between places (hubs or spots) and the departures of scheduled ones."""

from datetime import date, time
from enum import StrEnum

from sqlalchemy import Column, String, Text
from sqlmodel import Field, SQLModel

from app.models.base import Tracked


class Mode(StrEnum):
    road = "road"
    rail = "rail"
    bus = "bus"
    air = "air"


class TransitLink(Tracked, table=True):
    __tablename__ = "transit_link"

    id: str = Field(sa_column=Column(String(64), primary_key=True))
    mode: str = Field(sa_column=Column(String(8), nullable=False, index=True))
    # e.g. "hsr", "conventional", "hsr_with_transfer", "self_drive_or_taxi"
    service: str = Field(default="", max_length=32)
    from_id: str = Field(index=True, max_length=64)
    to_id: str = Field(index=True, max_length=64)
    bidirectional: bool = True
    distance_km: float | None = None
    duration_min: int | None = None
    price_cny: int | None = None
    frequency: str = Field(default="", max_length=200)
    straight_line_km: float | None = None
    estimated: bool = True  # distance/duration are estimates, not from a source
    notes: str = Field(default="", sa_column=Column(Text, nullable=False))
    source: str = Field(default="", sa_column=Column(Text, nullable=False))
    confidence: str = Field(default="", sa_column=Column(Text, nullable=False))


class Departure(SQLModel, table=True):
    """One scheduled departure of a rail, bus or air link (in the link's direction)."""

    __tablename__ = "departure"

    id: int | None = Field(default=None, primary_key=True)
    link_id: str = Field(foreign_key="transit_link.id", index=True, ondelete="CASCADE")
    service_code: str = Field(default="", max_length=32)  # train or coach number
    departs: time
    arrives: time
    arrives_day_offset: int = 0  # 1 when it arrives after midnight
    # OSM weekday selector, e.g. "Mo-Su" or "Fr,Su"; the holiday calendar is not applied.
    days: str = Field(default="Mo-Su", max_length=64)
    valid_from: date | None = None
    valid_to: date | None = None
