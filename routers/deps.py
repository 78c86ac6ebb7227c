"""Dependencies declared once: session, paging, language and coordinate datum.

The cheap ones are `async def`: FastAPI runs a plain `def` dependency in the thread pool,
and a hand-off to a thread costs more than parsing a query parameter.
"""

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Header, Query
from sqlalchemy import Engine
from sqlmodel import Session

from app.db import get_engine, session_scope
from app.errors import Unauthorized
from app.geo import Datum
from app.schemas import Lang
from app.services.access import NEEDS_KEY, Principal
from app.services.common import Page
from app.services.keys import authenticate
from app.settings import get_settings


async def engine_dep() -> Engine:
    return get_engine()


def session_dep(engine: Annotated[Engine, Depends(engine_dep)]) -> Iterator[Session]:
    """One transaction per request: committed after the handler, rolled back on error."""
    with session_scope(engine) as session:
        yield session


async def page_dep(
    limit: Annotated[int | None, Query(ge=1, le=200, description="Page size (max 200)")] = None,
    offset: Annotated[int, Query(ge=0, le=2**31 - 1)] = 0,
) -> Page:
    settings = get_settings()
    return Page(
        limit=min(limit or settings.page_size_default, settings.page_size_max), offset=offset
    )


async def lang_dep(
    lang: Annotated[Lang | None, Query(description="Text language; else Accept-Language")] = None,
    accept_language: Annotated[str | None, Header(include_in_schema=False)] = None,
) -> Lang:
    if lang is not None:
        return lang
    for part in (accept_language or "").split(","):
        tag = part.split(";")[0].strip().lower()
        if tag.startswith("en"):
            return Lang.en
        if tag.startswith("zh"):
            return Lang.zh
    return Lang.zh


async def datum_dep(
    coords: Annotated[
        Datum,
        Query(description="Datum of returned (and bbox) coordinates; gcj02 for Chinese maps"),
    ] = Datum.wgs84,
) -> Datum:
    return coords


# Committed before the response is sent: a client that reads right after a write sees it,
# and a failed commit is the request's error, never a lost write behind a 2xx.
SessionDep = Annotated[Session, Depends(session_dep, scope="function")]
PageDep = Annotated[Page, Depends(page_dep)]
EngineDep = Annotated[Engine, Depends(engine_dep)]
LangDep = Annotated[Lang, Depends(lang_dep)]
DatumDep = Annotated[Datum, Depends(datum_dep)]


def principal_dep(
    engine: EngineDep,
    authorization: Annotated[str | None, Header(description="Bearer API key")] = None,
) -> Principal | None:
    """The caller's key, if any; a key that is malformed, unknown, expired or revoked is 401.
    Looked up in a transaction of its own, so that a request solving a plan after it holds
    no connection."""
    if authorization is None:
        return None
    scheme, _, token = authorization.partition(" ")
    principal = None
    if scheme.lower() == "bearer":
        with session_scope(engine) as session:
            principal = authenticate(session, token.strip())
    if principal is None:
        raise Unauthorized("invalid, expired or revoked API key")
    return principal


PrincipalDep = Annotated[Principal | None, Depends(principal_dep)]


def writer_dep(principal: PrincipalDep) -> Principal:
    """The caller of an endpoint that needs a key: without one it is 401, before the body
    is read (a malformed body from an anonymous caller is still 401, not 422)."""
    if principal is None:
        raise Unauthorized(NEEDS_KEY)
    return principal


WriterDep = Annotated[Principal, Depends(writer_dep)]
