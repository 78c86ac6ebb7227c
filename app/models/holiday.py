"""State Council holiday notices loaded by admins: a year's days off and working weekends."""

import datetime as dt

from sqlalchemy import Column, String, Text
from sqlmodel import Field, SQLModel

from app.models.base import UTCDateTime


class HolidayNotice(SQLModel, table=True):
    """A loaded notice: while it exists, its year's calendar comes from it alone."""

    __tablename__ = "holiday_notice"

    year: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    source: str = Field(sa_column=Column(Text, nullable=False))  # the notice's URL
    published: dt.date
    # Strictly increases on each replacement: with the year it versions the cached calendar.
    loaded_at: dt.datetime = Field(sa_type=UTCDateTime)
    loaded_by: int | None = Field(default=None, foreign_key="api_key.id")  # None: the CLI


class HolidayNoticeDay(SQLModel, table=True):
    __tablename__ = "holiday_notice_day"

    date: dt.date = Field(primary_key=True)  # a date is in one notice at most
    year: int = Field(foreign_key="holiday_notice.year", index=True, ondelete="CASCADE")
    kind: str = Field(sa_column=Column(String(16), nullable=False))  # holiday | workday
    name: str = Field(default="", max_length=100)
