"""itinerary.request_key: the same request on the same data gets the same plan

Revision ID: e9a1b2c30009
Revises: d8f0a1b20008
Create Date: 2026-12-03 19:15:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "e9a1b2c30009"
down_revision: str | None = "d8f0a1b20008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("itinerary", sa.Column("request_key", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))
    op.create_index("ix_itinerary_request_key", "itinerary", ["request_key"])


def downgrade() -> None:
    op.drop_index("ix_itinerary_request_key", table_name="itinerary")
    with op.batch_alter_table("itinerary") as batch:
        batch.drop_column("request_key")
