"""API keys: hashed, expiring, revocable, touched on use."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine

from app.db import session_scope
from app.models import ApiKey, Role
from app.services.access import CLI
from app.services.keys import authenticate, create_key, revoke_key


def test_only_a_hash_is_stored_and_the_token_authenticates(engine: Engine) -> None:
    with session_scope(engine) as session:
        issued = create_key(session, CLI, "cf", Role.bureau, "chifeng", None)
        stored = session.get(ApiKey, issued.key.id)
        assert issued.token.split("_", 2)[2] not in stored.secret_hash
        who = authenticate(session, issued.token)
        assert (who.role, who.city_id) == (Role.bureau, "chifeng")
        assert session.get(ApiKey, issued.key.id).last_used_at is not None


def test_expired_and_revoked_keys_fail(engine: Engine) -> None:
    with session_scope(engine) as session:
        old = create_key(session, CLI, "old", Role.marketer, None, 1)
        old.key.expires_at = datetime.now(UTC) - timedelta(minutes=1)
        gone = create_key(session, CLI, "gone", Role.admin, None, None)
        revoke_key(session, CLI, gone.key.id)
        assert authenticate(session, old.token) is None
        assert authenticate(session, gone.token) is None
        assert authenticate(session, "tsk_zz_zz") is None
