"""The package document: what the API answers for a featured route, typed end to end."""

from datetime import date, datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from app.models import Category, PackageStatus
from app.planning.document import Itinerary
from app.planning.season import SeasonCheck


class _Doc(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Texts(_Doc):
    zh: str
    en: str


class Flag(_Doc):
    """A bureau's change that broke dates the package was sold for: its marketers re-check
    it (re-optimise, shorten the season or retire it), then clear the flag."""

    at: datetime
    spot_id: str
    lost: list[date] = Field(description="Start dates that worked before the change, and not now")
    text: str


class Platform(StrEnum):
    """Poster sizes of the platforms the forum names."""

    wechat = "wechat"  # share card, 5:4
    xiaohongshu = "xiaohongshu"  # note image, 3:4
    douyin = "douyin"  # story image, 9:16 (Weibo stories too)


POSTER_SIZES = {
    Platform.wechat: (1000, 800),
    Platform.xiaohongshu: (1080, 1440),
    Platform.douyin: (1080, 1920),
}


class Package(_Doc):
    id: str
    status: PackageStatus
    city_id: str | None = Field(description="The marketing city; null for a joint package")
    cities: list[str]
    city_names: dict[str, Texts] = Field(description="Each city's name, as the formats print it")
    theme: dict[Category, float]
    days: int
    season_start: date
    season_end: date
    title: Texts
    description: Texts
    itinerary: Itinerary = Field(description="The plan on its first working date")
    season: SeasonCheck
    flags: list[Flag]
    version: int
    created_at: datetime
    updated_at: datetime
