"""packages: marketers' featured routes, their season check and flags

Revision ID: d8f0a1b20008
Revises: c7e9f0a10007
Create Date: 2026-12-03 14:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "d8f0a1b20008"
down_revision: str | None = "c7e9f0a10007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    text = sqlmodel.sql.sqltypes.AutoString
    op.create_table(
        "package",
        sa.Column("id", text(length=32), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("city_id", text(length=32), nullable=True),
        sa.Column("cities", sa.JSON(), nullable=False),
        sa.Column("theme", sa.JSON(), nullable=False),
        sa.Column("days", sa.Integer(), nullable=False),
        sa.Column("season_start", sa.Date(), nullable=False),
        sa.Column("season_end", sa.Date(), nullable=False),
        sa.Column("title_zh", text(length=100), nullable=False),
        sa.Column("title_en", text(length=100), nullable=False),
        sa.Column("description_zh", text(length=2000), nullable=False),
        sa.Column("description_en", text(length=2000), nullable=False),
        sa.Column("itinerary_id", text(length=32), nullable=False),
        sa.Column("spot_ids", sa.JSON(), nullable=False),
        sa.Column("season_check", sa.JSON(), nullable=False),
        sa.Column("flags", sa.JSON(), nullable=False),
        sa.Column("key_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["city_id"], ["city.id"], name=op.f("fk_package_city_id_city")),
        sa.ForeignKeyConstraint(
            ["itinerary_id"], ["itinerary.id"], name=op.f("fk_package_itinerary_id_itinerary")
        ),
        sa.ForeignKeyConstraint(["key_id"], ["api_key.id"], name=op.f("fk_package_key_id_api_key")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_package")),
    )
    with op.batch_alter_table("package", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_package_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_package_city_id"), ["city_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("package", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_package_city_id"))
        batch_op.drop_index(batch_op.f("ix_package_status"))
    op.drop_table("package")
