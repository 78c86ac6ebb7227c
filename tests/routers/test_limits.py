"""Abuse limits: rate limits with Retry-After, body size, security headers, CORS, secrets."""

import pytest

from app.main import create_app
from app.settings import get_settings
from tests.conftest import auth


async def test_a_burst_of_writes_gets_429_with_retry_after(
    app_with, tokens: dict[str, str]
) -> None:
    async with app_with(RATE_LIMIT_WRITES="3/minute") as client:
        codes = []
        for _ in range(5):
            r = await client.delete("/v1/spots/cf_nothing", headers=auth(tokens["admin"]))
            codes.append(r.status_code)
        assert codes == [404, 404, 404, 429, 429]
        assert int(r.headers["retry-after"]) >= 1
        assert r.headers["content-type"] == "application/problem+json"
        # Reads are not limited.
        assert (await client.get("/v1/spots/cf_museum")).status_code == 200


TOO_LARGE = {
    "type": "about:blank",
    "title": "Payload too large",
    "status": 413,
    "detail": "the request body is larger than 1000 bytes",
    "instance": "/v1/spots",
    "errors": [],
}


async def test_oversized_body_is_413(app_with, tokens: dict[str, str]) -> None:
    """A declared Content-Length over the limit is refused before the app, as a problem."""
    async with app_with(MAX_BODY_BYTES="1000") as client:
        r = await client.post(
            "/v1/spots",
            content=b"{" + b" " * 2000 + b"}",
            headers={**auth(tokens["admin"]), "Content-Type": "application/json"},
        )
        assert r.status_code == 413
        assert r.headers["content-type"] == "application/problem+json"
        assert r.json() == TOO_LARGE


async def test_security_headers_and_cors(app_with) -> None:
    async with app_with(CORS_ORIGINS='["https://web.example"]') as client:
        r = await client.get("/v1/spots/cf_museum", headers={"Origin": "https://web.example"})
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["x-frame-options"] == "DENY"
        assert "default-src 'none'" in r.headers["content-security-policy"]
        assert r.headers["access-control-allow-origin"] == "https://web.example"
        assert "ETag" in r.headers["access-control-expose-headers"]
        other = await client.get("/v1/spots/cf_museum", headers={"Origin": "https://evil.example"})
        assert "access-control-allow-origin" not in other.headers


def test_production_refuses_the_default_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ENVIRONMENT", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    get_settings.cache_clear()
    with pytest.raises(ValueError, match="SECRET_KEY"):
        create_app()
    monkeypatch.setenv("SECRET_KEY", "a-real-secret-from-the-environment")
    get_settings.cache_clear()
    assert create_app() is not None
    get_settings.cache_clear()


async def test_a_chunked_oversized_body_is_413_with_headers(
    app_with, tokens: dict[str, str]
) -> None:
    async def chunks():
        yield b'{"id": "'
        yield b"x" * 3000
        yield b'"}'

    async with app_with(MAX_BODY_BYTES="1000") as client:
        for url in ("/v1/spots", "/v1/imports/spots"):
            r = await client.post(
                url, content=chunks(),
                headers={**auth(tokens["admin"]), "Content-Type": "application/json"},
            )  # fmt: skip
            assert r.status_code == 413, (url, r.text)
            assert r.headers["x-content-type-options"] == "nosniff"
            # The same document as a declared oversized body (rendered by the middleware).
            assert r.json() == {**TOO_LARGE, "instance": url}


async def test_guessing_keys_is_rate_limited(app_with) -> None:
    async with app_with(RATE_LIMIT_WRITES="3/minute") as client:
        codes = [
            (
                await client.delete(
                    "/v1/spots/cf_museum", headers={"Authorization": f"Bearer tsk_{i:08x}_guess"}
                )
            ).status_code
            for i in range(5)
        ]
    assert codes == [401, 401, 401, 429, 429]


@pytest.mark.parametrize(
    "path", ["/v1/audit", "/v1/keys", "/v1/cities/chifeng/quality"], ids=lambda p: p
)
async def test_every_endpoint_that_checks_a_key_is_rate_limited(
    app_with, tokens: dict[str, str], path: str
) -> None:
    async with app_with(RATE_LIMIT_KEYED="2/minute") as client:
        codes = [
            (await client.get(path, headers=auth("tsk_guess_x"))).status_code for _ in range(3)
        ]
        assert codes == [401, 401, 429]
        assert (await client.get(path, headers=auth(tokens["admin"]))).status_code == 429


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", "/v1/spots", b"{not json"),
        ("PATCH", "/v1/spots/cf_museum", b"[]"),
        ("PATCH", "/v1/cities/chifeng", b'{"gateway_night_penalty": false}'),
        ("PUT", "/v1/holiday-calendars/2027", b"{}"),
        ("POST", "/v1/imports/gtfs?dry_run=false", b""),
        ("POST", "/v1/keys", b'{"role": 3}'),
    ],
)
async def test_an_anonymous_write_is_401_whatever_its_body(
    client, method: str, path: str, body: bytes
) -> None:
    r = await client.request(
        method, path, content=body, headers={"Content-Type": "application/json"}
    )
    assert r.status_code == 401, r.text
    assert r.headers["content-type"] == "application/problem+json"


async def test_a_keyed_write_with_a_bad_body_is_422(client, tokens: dict[str, str]) -> None:
    admin = auth(tokens["admin"])
    r = await client.patch(
        "/v1/cities/chifeng", json={"gateway_night_penalty": False}, headers=admin
    )
    assert r.status_code == 422 and r.json()["errors"][0]["loc"][-1] == "gateway_night_penalty"
    r = await client.post(
        "/v1/imports/gtfs",
        content=b"",
        params={"dry_run": "false"},
        headers={**admin, "Content-Type": "application/zip"},
    )
    assert r.status_code == 422
