"""Schemathesis against our OpenAPI schema, every check (`schemathesis.toml` beside this
file names the rules beyond JSON Schema, where data the schema allows may still be 422)."""

import json
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from sqlalchemy import Engine

from app.main import create_app
from routers.deps import engine_dep

app = create_app()


@schemathesis.serializer("application/zip", "text/csv", "application/geo+json")
def _raw_bytes(_ctx, value):
    """Files go as generated: bytes as they are, anything else as its JSON text."""
    return value if isinstance(value, bytes) else json.dumps(value).encode()


CONFIG = schemathesis.config.SchemathesisConfig.from_path(
    Path(__file__).with_name("schemathesis.toml")
)
schema = schemathesis.openapi.from_asgi("/openapi.json", app, config=CONFIG)


@pytest.fixture(autouse=True)
def _seeded_database(engine: Engine):
    app.dependency_overrides[engine_dep] = lambda: engine
    yield
    app.dependency_overrides.clear()
    app.state.jobs.shutdown()


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_api_conforms_to_its_schema(case: schemathesis.Case) -> None:
    case.call_and_validate()


@schema.parametrize()
@settings(
    max_examples=15,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_api_with_an_admin_key(case: schemathesis.Case, tokens: dict[str, str]) -> None:
    """The same with an admin key, so that writes and imports get past authentication."""
    case.call_and_validate(headers={"Authorization": f"Bearer {tokens['admin']}"})
