"""Optimistic concurrency: of two writers with the same ETag, only one gets through."""

import pytest
from sqlalchemy import Engine

from app.db import session_scope
from app.services import edits
from app.services.access import CLI


def test_a_writer_that_read_before_another_committed_gets_412(engine: Engine) -> None:
    with session_scope(engine) as first:
        version = edits.SPOT.view(first, "cf_museum").spot.version
        # Meanwhile another writer commits an update with the same ETag.
        with session_scope(engine) as second:
            edits.update(
                second, CLI, edits.SPOT, "cf_museum", {"visit_minutes": 100}, f'"{version}"'
            )
        with pytest.raises(edits.PreconditionFailed):
            edits._claim(first, edits.SPOT, "cf_museum", version)
    with session_scope(engine) as check:
        assert edits.SPOT.view(check, "cf_museum").spot.visit_minutes == 100
