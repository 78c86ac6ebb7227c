"""The API docs load with no Internet: Swagger UI and ReDoc from our own assets, nothing
fetched from another host (a CDN, Google fonts, a favicon), under a CSP of 'self'."""

import re
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.browser import PATIENCE_MS, LiveServer, Offline, assert_not_blank

# ReDoc's sidebar footer always asks for a Redocly logo from cdn.redoc.ly; the docs CSP
# (img-src 'self' data:) stops it in the browser, so it never reaches the network.
REDOC_LOGO = "img-src https://cdn.redoc.ly/redoc/logo-mini.svg"


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


def test_swagger_ui_renders_offline(
    page: Page, offline: Offline, live_server: LiveServer, output_path: str
) -> None:
    """/docs lists the operations with no request for another host."""
    page.goto(f"{live_server.url}/docs")
    operation = page.locator(".opblock-post .opblock-summary-path[data-path='/v1/itineraries']")
    expect(operation).to_be_visible(timeout=PATIENCE_MS)
    expect(page.locator(".info .title")).to_contain_text("Twin Stars (双子星) API")
    page.wait_for_load_state("networkidle")
    assert_not_blank(page, Path(output_path) / "swagger-ui.png")
    assert offline.attempted == []
    assert offline.blocked_by_csp(page) == []
    assert offline.errors == []


def test_redoc_renders_offline(
    page: Page, offline: Offline, live_server: LiveServer, output_path: str
) -> None:
    """/redoc shows the API's title and operations with no request for another host."""
    page.goto(f"{live_server.url}/redoc")
    title = page.locator("h1").first
    expect(title).to_contain_text("Twin Stars (双子星) API", timeout=PATIENCE_MS)
    expect(page.get_by_text("/v1/itineraries", exact=True).first).to_be_attached()
    page.wait_for_load_state("networkidle")
    assert_not_blank(page, Path(output_path) / "redoc.png")
    assert offline.attempted == []
    assert set(offline.blocked_by_csp(page)) <= {REDOC_LOGO}
    assert offline.errors == []
