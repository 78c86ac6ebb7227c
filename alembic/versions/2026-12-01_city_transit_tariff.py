"""city transit tariff (taxi and chartered car prices the bureau sets)

Revision ID: e3c3a6fc0003
Revises: d2b2f5eb0002
Create Date: 2026-12-01 22:15:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "e3c3a6fc0003"
down_revision: str | None = "d2b2f5eb0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("city", schema=None) as batch_op:
        batch_op.add_column(sa.Column("taxi_flag_cny", sa.Integer(), nullable=False, server_default="8"))
        batch_op.add_column(sa.Column("taxi_cny_per_km", sa.Float(), nullable=False, server_default="2.0"))
        batch_op.add_column(sa.Column("charter_cny_per_day", sa.Integer(), nullable=False, server_default="400"))
        batch_op.add_column(sa.Column("charter_cny_per_km", sa.Float(), nullable=False, server_default="1.5"))
        batch_op.add_column(sa.Column("tariff_source", sa.Text(), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("city", schema=None) as batch_op:
        for name in ("tariff_source", "charter_cny_per_km", "charter_cny_per_day", "taxi_cny_per_km", "taxi_flag_cny"):
            batch_op.drop_column(name)
