"""Page tests: sync Playwright in Debian's Chromium against the live server (see
tests/browser.py and the `live_server`, `offline` fixtures in tests/conftest.py)."""

import pytest


@pytest.fixture
def browser_context_args(browser_context_args: dict) -> dict:
    """Desktop-sized by default; `helpers.screenshots` also looks at a phone's width."""
    return {**browser_context_args, "viewport": {"width": 1280, "height": 900}}
