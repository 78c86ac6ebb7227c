"""Shared metadata with a naming convention, set before any table is declared.

Named constraints keep Alembic migrations portable and diffable (SQLite batch mode needs
names to drop or alter a constraint).
"""

from datetime import datetime

from sqlalchemy import DateTime, MetaData
from sqlmodel import Field, SQLModel

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
SQLModel.metadata = MetaData(naming_convention=NAMING_CONVENTION)
metadata = SQLModel.metadata


class Tracked(SQLModel):
    """Bureau-editable rows: a version for ETag/If-Match and a soft-delete mark."""

    version: int = 1
    deleted_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
