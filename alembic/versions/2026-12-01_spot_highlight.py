"""spot highlight: travellers' guides naming it a must-see (existing spots start at 0)

Revision ID: d2b2f5eb0002
Revises: 3b1fad68c528
Create Date: 2026-12-01 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = 'd2b2f5eb0002'
down_revision: str | None = '3b1fad68c528'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('spot', schema=None) as batch_op:
        batch_op.add_column(sa.Column('highlight', sa.Integer(), nullable=False, server_default='0'))


def downgrade() -> None:
    with op.batch_alter_table('spot', schema=None) as batch_op:
        batch_op.drop_column('highlight')
