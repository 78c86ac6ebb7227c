"""HTTP layer: parse, call one service, shape the response."""

from fastapi import APIRouter

from routers import (
    admin,
    boundaries,
    holidays,
    hubs,
    imports,
    itineraries,
    jobs,
    links,
    meta,
    packages,
    spots,
    stats,
)

api_router = APIRouter(prefix="/v1")
for module in (
    spots,
    hubs,
    boundaries,
    links,
    itineraries,
    jobs,
    imports,
    holidays,
    admin,
    stats,
    packages,
):
    api_router.include_router(module.router)

__all__ = ["api_router", "meta"]
