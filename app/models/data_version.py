"""The data version: one counter the database itself moves on every committed change to
the tables behind the public reads (places, spots, hubs, links, their child rows, and the
holiday notices that `open_on` evaluates).

Triggers (migration `a5c7d8e90005`) bump it, so a write from any process or tool counts:
the API, `twinstars seed`/`import`, a second API worker, or SQL typed into a console.
Reads compare it with the version their cached page was built at (one tiny query).
"""

from sqlalchemy import BigInteger, Column
from sqlmodel import Field, SQLModel

# The tables whose rows a cached read may show; each has the trigger. A later migration
# that rebuilds one of them (SQLite batch mode copies a table and drops the old one, and
# its triggers with it) must create the trigger again: `tests/test_migrations.py` checks.
TRACKED_TABLES = (
    "city",
    "district",
    "spot",
    "spot_category",
    "spot_closure",
    "hub",
    "transit_link",
    "departure",
    "holiday_notice",
    "holiday_notice_day",
)


class DataVersion(SQLModel, table=True):
    __tablename__ = "data_version"

    id: int = Field(primary_key=True)
    version: int = Field(default=1, sa_column=Column(BigInteger, nullable=False))
