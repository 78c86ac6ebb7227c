"""data version: a counter that triggers move on every change to the read tables

Reads cache their serialised pages per process and check this one row per request, so a
write committed by any process (another API worker, the CLI, a console) is seen at once.
No existing column can serve: audit ids come from a sequence and may commit out of order,
and cities and districts carry no version.

Revision ID: a5c7d8e90005
Revises: f4d6e7a80004
Create Date: 2026-12-02 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = 'a5c7d8e90005'
down_revision: str | None = 'f4d6e7a80004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Spelled out (not imported from app.models) so that this revision stays what it was.
TABLES = (
    "city", "district", "spot", "spot_category", "spot_closure", "hub", "transit_link", "departure",
    "holiday_notice", "holiday_notice_day",
)
SQLITE_EVENTS = ("insert", "update", "delete")

# PostgreSQL: a deferred constraint trigger bumps the row at commit, once per transaction.
# Taking the row's lock last means two writers never deadlock over it, and it is held for
# the commit only, not for a whole import.
PG_FUNCTION = """
CREATE FUNCTION bump_data_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('twinstars.data_version_bumped', true) IS DISTINCT FROM 'on' THEN
        UPDATE data_version SET version = version + 1;
        PERFORM set_config('twinstars.data_version_bumped', 'on', true);
    END IF;
    RETURN NULL;
END
$$
"""


def upgrade() -> None:
    op.create_table('data_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_data_version'))
    )
    op.execute("INSERT INTO data_version (id, version) VALUES (1, 1)")
    if op.get_bind().dialect.name == "postgresql":
        op.execute(PG_FUNCTION)
        for table in TABLES:
            op.execute(
                f"CREATE CONSTRAINT TRIGGER {table}_data_version "
                f"AFTER INSERT OR UPDATE OR DELETE ON {table} DEFERRABLE INITIALLY DEFERRED "
                "FOR EACH ROW EXECUTE FUNCTION bump_data_version()"
            )
            op.execute(
                f"CREATE TRIGGER {table}_data_version_truncate AFTER TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version()"
            )
        return
    # SQLite has one writer at a time, so a plain row trigger is enough.
    for table in TABLES:
        for event in SQLITE_EVENTS:
            op.execute(
                f"CREATE TRIGGER {table}_data_version_{event} AFTER {event.upper()} ON {table} "
                "BEGIN UPDATE data_version SET version = version + 1; END"
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in TABLES:
            op.execute(f"DROP TRIGGER {table}_data_version_truncate ON {table}")
            op.execute(f"DROP TRIGGER {table}_data_version ON {table}")
        op.execute("DROP FUNCTION bump_data_version()")
    else:
        for table in TABLES:
            for event in SQLITE_EVENTS:
                op.execute(f"DROP TRIGGER {table}_data_version_{event}")
    op.drop_table('data_version')
