"""Cities and their county-level districts (区/旗/县/市); central districts are the hubs."""

from sqlalchemy import Column, String, Text
from sqlmodel import Field, SQLModel


class City(SQLModel, table=True):
    __tablename__ = "city"

    id: str = Field(sa_column=Column(String(32), primary_key=True))
    name_zh: str = Field(max_length=64)
    name_en: str = Field(max_length=128)
    lat: float
    lon: float
    # Rough WGS-84 bounding box of the prefecture, to catch misplaced coordinates.
    min_lat: float
    max_lat: float
    min_lon: float
    max_lon: float
    # Score a plan loses for each night at one of this city's county gateways (set by the
    # bureau): how strongly the city wants visitors to sleep in its central district.
    gateway_night_penalty: int = 40
    # Transit prices the bureau sets (yuan): a taxi's flag fall and per km for hops in town,
    # and a chartered car with driver (包车) per day and per km for county sights and the
    # crossing. The seed's values are estimates; `tariff_source` says where they come from.
    taxi_flag_cny: int = 8
    taxi_cny_per_km: float = 2.0
    charter_cny_per_day: int = 400
    charter_cny_per_km: float = 1.5
    tariff_source: str = Field(default="", sa_column=Column(Text, nullable=False))


class District(SQLModel, table=True):
    __tablename__ = "district"

    id: str = Field(sa_column=Column(String(48), primary_key=True))
    city_id: str = Field(foreign_key="city.id", index=True, max_length=32)
    name_zh: str = Field(max_length=64)
    name_en: str = Field(max_length=128)
    # The forum's policy: visitors sleep and spend evenings in the central districts.
    is_central: bool = False
