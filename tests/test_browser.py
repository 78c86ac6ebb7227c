"""The page-test guard itself: a request for another host is aborted and recorded."""

from playwright.sync_api import Page

from tests.browser import Offline


def test_the_guard_aborts_and_records_other_hosts(page: Page, offline: Offline) -> None:
    """A page with no CSP asks for an image elsewhere: the guard sees it, nothing loads."""
    page.set_content('<img id="remote" src="https://cdn.example.com/logo.png">')
    page.wait_for_load_state("networkidle")
    assert offline.attempted == ["https://cdn.example.com/logo.png"]
    assert page.eval_on_selector("#remote", "img => img.naturalWidth") == 0
