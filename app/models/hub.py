"""Hubs: where travellers arrive, sleep, get information and spend evenings."""

from enum import StrEnum

from sqlalchemy import Column, String, Text
from sqlmodel import Field

from app.models.base import Tracked


class HubKind(StrEnum):
    rail_station = "rail_station"
    airport = "airport"
    bus_station = "bus_station"
    hotel_area = "hotel_area"
    visitor_centre = "visitor_centre"
    evening_leisure = "evening_leisure"
    county_gateway = "county_gateway"


class Hub(Tracked, table=True):
    __tablename__ = "hub"

    id: str = Field(sa_column=Column(String(64), primary_key=True))
    kind: str = Field(sa_column=Column(String(24), nullable=False, index=True))
    city_id: str = Field(foreign_key="city.id", index=True, max_length=32)
    district_id: str = Field(foreign_key="district.id", index=True, max_length=48)
    name_zh: str = Field(max_length=128)
    name_en: str = Field(max_length=200)
    lat: float  # WGS-84
    lon: float  # WGS-84
    high_speed_rail: bool = False
    opening_hours: str | None = Field(default=None, sa_column=Column(String(500)))
    # Open on the work calendar (an office): a 调休 working weekend day opens as a weekday.
    follows_workweek: bool = False
    description_zh: str = Field(default="", sa_column=Column(Text, nullable=False))
    description_en: str = Field(default="", sa_column=Column(Text, nullable=False))
    source: str = Field(default="", sa_column=Column(Text, nullable=False))
    confidence: str = Field(default="", sa_column=Column(Text, nullable=False))
