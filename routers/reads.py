"""Cached reads: each page is built and serialised once per data version, sent with an
ETag, and answered 304 when the client already has it.

A read asks the database for its data version (`app.db.data_version`: one tiny query on a
counter that triggers move on every committed change to the read tables, whoever writes).
The page cached under the request's key is served while it was built at that version;
otherwise it is built again. So a committed write is never hidden, whichever process made
it, and nothing is kept on a timer. Each engine (database) has a cache of its own.

Two keys lead to a page:
- in the handler, the parsed parameters that change it (filters, paging, language,
  datum): `Reads.respond`;
- before routing, the request as sent (path, query string, Accept-Language): `ReadCache`,
  a middleware that answers a request seen before from the page it led to, without
  FastAPI's parameter parsing and dependency solving (most of a cached read's cost). Only
  requests a handler validated and answered are in that index, and a cached route reads
  no other header (`tests/routers/test_reads.py` checks), so the answer is the handler's.

The ETag is a digest of the bytes sent: the same page has the same ETag in every process
and after an unrelated write. A single spot, hub or link also carries its row version in
front (`"3-9f2c..."`), which is what `If-Match` on a PATCH is checked against.
"""

import hashlib
import threading
import weakref
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable, MutableMapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Annotated, Any

from anyio import to_thread
from fastapi import Depends, Header, Request, Response
from pydantic import BaseModel, TypeAdapter
from sqlalchemy import Engine
from sqlmodel import Session

from app.db import data_version
from routers.deps import EngineDep

# Pages kept per database, least recently used out first; the seed's pages are 1-60 kB.
MAX_PAGES = 1024
# The request headers a cached read may depend on (If-None-Match only picks 200 or 304).
KEY_HEADERS = (b"accept-language",)
NOT_MODIFIED: dict[int | str, dict[str, Any]] = {
    304: {"description": "Not modified: the ETag sent in If-None-Match is still current"}
}
_SCOPE_KEY = "twinstars.read"

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
ASGIApp = Callable[[Scope, Any, Any], Awaitable[None]]


@dataclass(frozen=True)
class Built:
    """What a read builds: the response document and, for one row, the row's version."""

    doc: BaseModel | list[Any]
    row_version: int | None = None


@dataclass(frozen=True)
class Page:
    version: int | None  # the data version it was built at
    etag: str
    body: bytes
    vary_language: bool = True


class LRU:
    """A bounded, thread-safe mapping; the least recently used entry goes first."""

    def __init__(self, size: int = MAX_PAGES) -> None:
        self.size = size
        self._items: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> Any:
        with self._lock:
            item = self._items.get(key)
            if item is not None:
                self._items.move_to_end(key)
            return item

    def put(self, key: Hashable, item: Any) -> None:
        with self._lock:
            self._items[key] = item
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)


_caches: "weakref.WeakKeyDictionary[Engine, LRU]" = weakref.WeakKeyDictionary()
_caches_lock = threading.Lock()


def cache_of(engine: Engine) -> LRU:
    """The engine's pages by parsed key."""
    cache = _caches.get(engine)
    if cache is None:
        with _caches_lock:
            cache = _caches.setdefault(engine, LRU())
    return cache


@lru_cache
def _adapter(shape: Any) -> TypeAdapter[Any]:
    return TypeAdapter(shape)


def serialise(shape: Any, doc: Any) -> bytes:
    """The bytes FastAPI would send for `doc` under `response_model=shape`."""
    return _adapter(shape).dump_json(doc, by_alias=True)


def etag_of(body: bytes, row_version: int | None = None) -> str:
    digest = hashlib.blake2b(body, digest_size=8).hexdigest()
    return f'"{digest}"' if row_version is None else f'"{row_version}-{digest}"'


def matches(if_none_match: str | None, etag: str) -> bool:
    """RFC 9110 If-None-Match: weak comparison, a list of tags, or `*`."""
    if not if_none_match:
        return False
    tags = {t.strip().removeprefix("W/") for t in if_none_match.split(",")}
    return etag in tags or "*" in tags


def page_response(page: Page, if_none_match: str | None, status_code: int = 200) -> Response:
    # no-cache: a client or proxy may keep the page, but must ask (If-None-Match) each time.
    headers = {"ETag": page.etag, "Cache-Control": "no-cache"}
    if page.vary_language:
        headers["Vary"] = "Accept-Language"  # without `lang`, it picks the text
    if matches(if_none_match, page.etag):
        return Response(status_code=304, headers=headers)
    return Response(page.body, status_code, headers, media_type="application/json")


_BUILDING = [threading.Lock() for _ in range(64)]


def _build(
    engine: Engine,
    shape: Any,
    build: Callable[[Session], Built],
    version: int | None,
    vary_language: bool,
) -> Page:
    with Session(engine) as session:
        built = build(session)
    body = serialise(shape, built.doc)
    return Page(version, etag_of(body, built.row_version), body, vary_language)


def _current(cache: LRU, key: Hashable, version: int | None) -> Page | None:
    page = None if version is None else cache.get(key)
    return page if page is not None and page.version == version else None


@dataclass(frozen=True)
class Reads:
    """A read handler's access to the database through the page cache."""

    engine: Engine
    if_none_match: str | None
    # Where ReadCache files the request as sent, when it is installed.
    sent: tuple[LRU, Hashable] | None = None

    def respond(
        self,
        key: Hashable,
        shape: Any,
        build: Callable[[Session], Built],
        *,
        vary_language: bool = True,
    ) -> Response:
        """The page under `key` (`shape` is the route's response model): from the cache
        while the data version stands, else built in a read-only session and cached."""
        # The version is read before the data: a page never holds older data than its
        # version says (at worst newer, and the next version rebuilds it).
        version = data_version(self.engine)
        cache = cache_of(self.engine)
        page = _current(cache, key, version)
        if page is None and version is None:
            page = _build(self.engine, shape, build, version, vary_language)
        elif page is None:
            # One build per page after a write, not one per waiting client.
            with _BUILDING[hash(key) % len(_BUILDING)]:
                page = cache.get(key)
                if page is None or page.version is None or page.version < version:
                    page = _build(self.engine, shape, build, version, vary_language)
                    cache.put(key, page)
        if self.sent is not None and version is not None:
            index, sent_key = self.sent
            index.put(sent_key, (self.engine, key))
        return page_response(page, self.if_none_match)


async def reads_dep(
    request: Request,
    engine: EngineDep,
    if_none_match: Annotated[
        str | None, Header(description="ETag of a copy you hold: 304 if still current")
    ] = None,
) -> Reads:
    # Declared for the schema; read whole, as ReadCache does (a repeated header is a list).
    tags = ", ".join(request.headers.getlist("if-none-match")) or None
    return Reads(engine, tags, request.scope.get(_SCOPE_KEY))


# Read handlers take this instead of a session: the cache opens one only to build a page.
ReadsDep = Annotated[Reads, Depends(reads_dep)]


class ReadCache:
    """Answers a GET seen before from its cached page, checked against the data version,
    before routing; anything else (or any failure here) goes on to the app unchanged."""

    def __init__(self, app: ASGIApp, size: int = MAX_PAGES) -> None:
        self.app = app
        self.index = LRU(size)  # request as sent -> (engine, parsed key)

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        seen: dict[bytes, list[bytes]] = {h: [] for h in (*KEY_HEADERS, b"if-none-match")}
        for name, value in scope["headers"]:  # names are lower case; a header may repeat
            if name in seen:
                seen[name].append(value)
        key = (scope["path"], scope["query_string"], *(tuple(seen[h]) for h in KEY_HEADERS))
        if_none_match = b", ".join(seen[b"if-none-match"]).decode("latin-1") or None
        filed = self.index.get(key)
        if filed is not None:
            engine, parsed = filed
            try:
                version = await to_thread.run_sync(data_version, engine)
            except Exception:  # the handler's own read reports it (a 503 problem)
                version = None
            page = _current(cache_of(engine), parsed, version)
            if page is not None:
                await page_response(page, if_none_match)(scope, receive, send)
                return
        scope[_SCOPE_KEY] = (self.index, key)
        await self.app(scope, receive, send)
