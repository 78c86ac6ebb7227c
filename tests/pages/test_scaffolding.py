"""The shared page machinery in Chromium: the modules load under the app CSP, the
language toggle, the boundaries map, axe-core injected from the vendored copy."""

from playwright.sync_api import Page, expect

from tests.browser import PATIENCE_MS, LiveServer, Offline
from tests.pages.helpers import assert_offline, axe


def test_the_map_module_draws_both_outlines(
    page: Page, offline: Offline, live_server: LiveServer
) -> None:
    page.goto(f"{live_server.url}/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN", timeout=PATIENCE_MS)
    count = page.evaluate(
        """async () => {
          const map = await import("/static/map.js");
          const svg = map.routeMap(await map.loadBoundaries(), [{label: "D1",
            stops: [{lon: 118.95, lat: 42.27, name: "A", number: 1},
                    {lon: 122.25, lat: 43.62, name: "B", number: 2}],
            night: {lon: 122.25, lat: 43.62, name: "N"}}], {label: "test"});
          document.querySelector("main").append(svg);
          return svg.querySelectorAll("path.outline").length;
        }"""
    )
    assert count == 2
    expect(page.locator("svg.route-map path.route")).to_have_count(1)
    assert axe(page) == []
    assert_offline(page, offline)


def test_the_language_toggle_is_remembered(
    page: Page, offline: Offline, live_server: LiveServer
) -> None:
    page.goto(f"{live_server.url}/")
    toggle = page.locator("#lang-toggle")
    expect(toggle).to_have_text("English", timeout=PATIENCE_MS)
    toggle.click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.reload()
    expect(page.locator("html")).to_have_attribute("lang", "en", timeout=PATIENCE_MS)
    expect(toggle).to_have_text("中文")
    assert_offline(page, offline)
