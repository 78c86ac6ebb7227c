"""The API docs load with no Internet: Swagger UI and ReDoc from our own assets, nothing
fetched from another host (a CDN, Google fonts, a favicon), under a CSP of 'self'."""

import re

import httpx
import pytest


@pytest.mark.parametrize("path", ["/docs", "/redoc"])
async def test_pages_name_only_local_assets(client: httpx.AsyncClient, path: str) -> None:
    """Every script, style sheet and icon of a docs page is ours, and each is served."""
    r = await client.get(path)
    assert r.status_code == 200
    assert "'self'" in r.headers["content-security-policy"]
    assert "http" not in r.headers["content-security-policy"]
    urls = re.findall(r'(?:src|href)="([^"]+)"', r.text)
    assert urls
    for url in urls:
        assert url.startswith("/docs/static/"), url
        asset = await client.get(url)
        assert asset.status_code == 200, url
        assert asset.content


async def test_openapi_json_is_unchanged_by_the_docs(client: httpx.AsyncClient) -> None:
    """The docs routes stay out of the schema; /openapi.json is the API only."""
    paths = (await client.get("/openapi.json")).json()["paths"]
    assert not {"/docs", "/redoc"} & set(paths)
    assert not any(p.startswith("/docs/") for p in paths)
