"""Shared metadata with a naming convention, set before any table is declared.

Named constraints keep Alembic migrations portable and diffable (SQLite batch mode needs
names to drop or alter a constraint).
"""

from datetime import UTC, datetime

from sqlalchemy import DateTime, Dialect, MetaData, TypeDecorator
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


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware on every backend: SQLite hands back naive values, read them as UTC."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Stored and compared as UTC: SQLite keeps the wall time and drops the offset, so
        a +08:00 bound would be eight hours off."""
        return value.astimezone(UTC) if value is not None and value.tzinfo is not None else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value


class Tracked(SQLModel):
    """Bureau-editable rows: a version for ETag/If-Match and a soft-delete mark."""

    version: int = 1
    deleted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
