"""Page tests in headless Chromium: Debian's /usr/bin/chromium driven by Playwright (never
`playwright install`), the real service under uvicorn on a seeded database, and a guard
that aborts and records every request for any other origin. The fixtures that wire these
up live in tests/conftest.py (`browser_type_launch_args`, `live_server`, `offline`)."""

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from PIL import Image
from playwright.sync_api import BrowserContext, Page, Request, Route

from tests.services import ROOT, free_port, wait_until

CHROMIUM = "/usr/bin/chromium"
# The live server is reached by a name, as in production, not as 127.0.0.1: vendor UIs may
# skip remote calls on localhost and 127.0.0.1 (Swagger UI's validator does), which would
# hide them from the tests. Chromium maps the name to 127.0.0.1 and resolves no other.
HOST = "twinstars.test"
LAUNCH_ARGS = [
    f"--host-resolver-rules=MAP {HOST} 127.0.0.1, MAP * ~NOTFOUND",
    "--no-sandbox",  # root on CI
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
# For `expect(...)`: ReDoc takes about 6 s to lay out our schema on a busy 2-core machine.
PATIENCE_MS = 30_000
# Records what the page's content security policy blocked; such requests never reach the
# network, so the route guard does not see them.
_RECORD_CSP = """
document.addEventListener("securitypolicyviolation", (e) => {
  (window.__csp = window.__csp || []).push(e.violatedDirective + " " + e.blockedURI);
});
"""


def chromium() -> str:
    """Debian's Chromium; skip the test when it is missing, fail under CI."""
    if not os.access(CHROMIUM, os.X_OK):
        message = f"{CHROMIUM} is not installed (apt-get install chromium fonts-noto-cjk)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return CHROMIUM


class LiveServer:
    """`twinstars serve` on a free 127.0.0.1 port with `database_url`, embedded job
    queue, further `settings` (environment variables), output in `log`."""

    def __init__(self, database_url: str, log: Path, **settings: str) -> None:
        self.port, self.log = free_port(), log
        self.url = f"http://{HOST}:{self.port}"
        self._local = f"http://127.0.0.1:{self.port}"
        env = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
        env.update(DATABASE_URL=database_url, ENVIRONMENT="test", **settings)
        self.env = env  # a CLI command on the server's database runs in it (keys create)
        self._out = log.open("ab")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "app.cli", "serve", "--host", "127.0.0.1",
             "--port", str(self.port), "--no-access-log"],
            cwd=ROOT, env=env, stdout=self._out, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            wait_until(self._up, 60, "the live server to answer /healthz")
        except AssertionError:
            self.stop()
            raise AssertionError(f"the live server did not start:\n{log.read_text()}") from None

    def _up(self) -> bool:
        if self.proc.poll() is not None:
            raise AssertionError(f"the live server exited:\n{self.log.read_text()}")
        try:
            return httpx.get(f"{self._local}/healthz", timeout=1).status_code == 200
        except httpx.HTTPError:
            return False

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        self._out.close()


class Offline:
    """Lets a browser context reach `origin` only: every other request is aborted and
    kept in `attempted`. `blocked_by_csp(page)` lists what the page's CSP refused."""

    def __init__(self, context: BrowserContext, origin: str) -> None:
        self.origin = origin
        self.attempted: list[str] = []
        self.errors: list[str] = []
        context.route("**/*", self._route)
        context.add_init_script(_RECORD_CSP)
        context.on("weberror", lambda e: self.errors.append(str(e.error)))

    def _route(self, route: Route, request: Request) -> None:
        parts = urlsplit(request.url)
        if f"{parts.scheme}://{parts.netloc}" == self.origin:
            route.continue_()
        else:
            self.attempted.append(request.url)
            route.abort("blockedbyclient")

    @staticmethod
    def blocked_by_csp(page: Page) -> list[str]:
        return page.evaluate("window.__csp || []")


def assert_not_blank(page: Page, path: Path, *, full_page: bool = False) -> None:
    """Saves a screenshot of the page at `path` and checks it is not of one colour."""
    page.screenshot(path=path, full_page=full_page)
    bands = Image.open(path).convert("RGB").getextrema()
    assert any(low != high for low, high in bands), f"{path} is one colour"
