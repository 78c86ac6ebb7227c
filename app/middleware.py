"""ASGI middleware: request body limit and security headers (pure ASGI, no buffering)."""

import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from starlette.exceptions import HTTPException

from app.errors import PROBLEM, PayloadTooLarge, render

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

_API_CSP = "default-src 'none'; frame-ancestors 'none'"
# Printable pages carry their own inline style and nothing else.
_PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"
# The service's own pages (app/web): every script, style and request is of this origin,
# nothing inline; images may be data: or blob: URLs (a map saved as a picture).
_APP_CSP = (
    "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)
_APP_PAGES = ("/packages", "/studio", "/stats")
# Swagger UI and ReDoc load their assets from /docs/static and nothing else: inline init
# script and styles, data: images, ReDoc's search worker from a blob. ReDoc's sidebar
# footer asks for a Redocly logo from its CDN; img-src stops that request.
_DOCS_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; worker-src blob:; object-src 'none'; base-uri 'self'; "
    "frame-ancestors 'none'"
)


class BodyLimit:
    """413 as a problem document when a body is larger than `max_bytes` (declared or sent)."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._reject(scope, send)
            return
        seen = 0

        async def limited_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    # FastAPI passes an HTTPException from body reading through to the
                    # problem handler (other exceptions become a 400).
                    raise HTTPException(413, PayloadTooLarge(self.max_bytes).detail)
            return message

        await self.app(scope, limited_receive, send)

    async def _reject(self, scope: Scope, send: Send) -> None:
        """Answered before the app sees the request, so rendered here, the same way."""
        body = json.dumps(render(PayloadTooLarge(self.max_bytes), scope.get("path", ""))).encode()
        headers = [
            (b"content-type", PROBLEM.encode()),
            (b"content-length", str(len(body)).encode()),
        ]
        await send({"type": "http.response.start", "status": 413, "headers": headers})
        await send({"type": "http.response.body", "body": body})


def _csp(path: str) -> str:
    """The policy for a path: docs, the app's pages and their assets, printable pages
    (an itinerary's `.html`, the share page `/p/{id}`, with inline styles), else the API's."""
    if path in ("/docs", "/redoc"):
        return _DOCS_CSP
    if path == "/" or path.startswith("/static/") or path.startswith(_APP_PAGES):
        return _APP_CSP
    if path.startswith("/p/") or path.endswith(".html"):
        return _PAGE_CSP
    return _API_CSP


class SecurityHeaders:
    def __init__(self, app: ASGIApp, hsts: bool) -> None:
        self.app, self.hsts = app, hsts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        csp = _csp(scope.get("path", ""))

        async def add_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                extra = [
                    (b"x-content-type-options", b"nosniff"),
                    (b"x-frame-options", b"DENY"),
                    (b"referrer-policy", b"no-referrer"),
                    (b"cross-origin-opener-policy", b"same-origin"),
                    (b"content-security-policy", csp.encode()),
                ]
                if self.hsts:
                    extra.append((b"strict-transport-security", b"max-age=31536000"))
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, add_headers)
