"""Fixtures of the HTTP tests."""

import pytest
from sqlalchemy import Engine

from app.settings import get_settings
from routers import ratelimit
from tests.conftest import api_client


@pytest.fixture
def app_with(engine: Engine, monkeypatch: pytest.MonkeyPatch):
    """Build the app under changed settings (and a fresh rate-limit memory)."""

    def build(**env: str):
        for key, value in env.items():
            monkeypatch.setenv(key, value)
        get_settings.cache_clear()
        ratelimit._limiter.cache_clear()
        return api_client(engine)

    yield build
    monkeypatch.undo()
    get_settings.cache_clear()
    ratelimit._limiter.cache_clear()
