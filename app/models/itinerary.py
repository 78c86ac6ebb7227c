"""Stored itineraries: the normalised request and the plan exactly as it was answered."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from app.models.base import UTCDateTime


class Itinerary(SQLModel, table=True):
    __tablename__ = "itinerary"

    id: str = Field(primary_key=True, max_length=32)
    created_at: datetime = Field(sa_type=UTCDateTime)
    request: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    plan: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    # A traveller's fresh plan: its request and the data version it was planned on, hashed,
    # so that the same request on the same data gets the same plan (`planning.service`).
    request_key: str | None = Field(default=None, max_length=64, index=True)


class PlanLog(SQLModel, table=True):
    """One line per plan answered, for the bureaus' reports: what was asked and what the
    plan does for each city. No personal data: no client address, no key, no dates of
    birth or names; the request only as a coarse fingerprint and its shape."""

    __tablename__ = "plan_log"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(sa_type=UTCDateTime, index=True)
    fingerprint: str = Field(max_length=16)  # days, cities, party, mode, pace, interests
    days: int
    two_cities: bool
    nights: dict[str, int] = Field(sa_column=Column(JSON, nullable=False))  # per city
    central_nights: dict[str, int] = Field(sa_column=Column(JSON, nullable=False))
    visits: dict[str, str] = Field(sa_column=Column(JSON, nullable=False))  # spot -> city
    must_visit: list[str] = Field(sa_column=Column(JSON, nullable=False))
    unmet: list[list[str]] = Field(sa_column=Column(JSON, nullable=False))  # [spot, reason]
    transfers: list[str] = Field(sa_column=Column(JSON, nullable=False))  # modes between cities
