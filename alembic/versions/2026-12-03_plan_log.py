"""plan log: one line per plan answered, for the bureaus' reports (no personal data)

Revision ID: c7e9f0a10007
Revises: b6d8e9f00006
Create Date: 2026-12-03 10:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "c7e9f0a10007"
down_revision: str | None = "b6d8e9f00006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "plan_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("fingerprint", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("days", sa.Integer(), nullable=False),
        sa.Column("two_cities", sa.Boolean(), nullable=False),
        sa.Column("nights", sa.JSON(), nullable=False),
        sa.Column("central_nights", sa.JSON(), nullable=False),
        sa.Column("visits", sa.JSON(), nullable=False),
        sa.Column("must_visit", sa.JSON(), nullable=False),
        sa.Column("unmet", sa.JSON(), nullable=False),
        sa.Column("transfers", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_log")),
    )
    with op.batch_alter_table("plan_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plan_log_at"), ["at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("plan_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_log_at"))
    op.drop_table("plan_log")
