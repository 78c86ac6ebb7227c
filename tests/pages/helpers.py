"""Checks every page test makes: accessibility (axe-core, vendored), screenshots at phone
and desktop widths with no sideways scrolling on the phone, and no request elsewhere."""

from pathlib import Path

from playwright.sync_api import Page

from tests.browser import Offline, assert_not_blank

AXE = Path(__file__).resolve().parents[1] / "fixtures" / "axe-core" / "axe.min.js"
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}
SERIOUS = ("serious", "critical")


def axe(page: Page) -> list[dict]:
    """The page's axe-core violations of impact serious or critical (WCAG 2.x A/AA rules
    and axe's best practices), each with its rule id, help text and offending nodes.

    axe is evaluated through the DevTools protocol (`page.evaluate`), which the page's CSP
    does not govern: `add_script_tag` would insert an inline script that script-src 'self'
    refuses."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    results = page.evaluate(
        """async () => {
          const r = await axe.run(document, {resultTypes: ["violations"]});
          return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.map(n => n.target.join(" ") + ": " + n.failureSummary)}));
        }"""
    )
    return [v for v in results if v["impact"] in SERIOUS]


def screenshots(page: Page, name: str, output_path: str | Path) -> list[Path]:
    """Full-page screenshots at phone and desktop widths under pytest-playwright's
    `output_path` (kept as artifacts), each not blank; at 375 px nothing scrolls sideways.
    The viewport is left at the desktop size."""
    out = Path(output_path)
    out.mkdir(parents=True, exist_ok=True)
    saved = []
    for label, size in (("phone", PHONE), ("desktop", DESKTOP)):
        page.set_viewport_size(size)
        page.wait_for_timeout(100)  # one layout after the resize
        if label == "phone":
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= PHONE["width"], f"{name}: {width} px wide at 375 px, scrolls sideways"
        path = out / f"{name}-{label}.png"
        assert_not_blank(page, path, full_page=True)
        saved.append(path)
    return saved


def assert_offline(page: Page, offline: Offline) -> None:
    """Nothing left the service, the CSP refused nothing, no script error."""
    assert offline.attempted == []
    assert offline.blocked_by_csp(page) == []
    assert offline.errors == []
