"""Composition root: the FastAPI app with its routers and error handlers."""

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import OperationalError

import app as package
from app.db import get_engine
from app.middleware import BodyLimit, SecurityHeaders
from app.settings import Settings, get_settings
from app.workers import Reaper, make_queue, resubmit
from routers import api_router, docs, errors, meta, pages, share
from routers.reads import ReadCache

log = logging.getLogger("twinstars")


@asynccontextmanager
async def lifespan(api: FastAPI) -> AsyncIterator[None]:
    try:
        if count := resubmit(api.state.jobs, get_engine()):
            log.info("resubmitted %d unfinished plan jobs", count)
    except OperationalError:
        log.warning("unfinished plan jobs not resubmitted: the database is unavailable")
    except Exception:  # a broker that is down must not keep the API from serving reads
        log.exception("unfinished plan jobs not resubmitted")
    reaper = Reaper(api.state.jobs, get_engine(), get_settings().job_reap_every_s).start()
    yield
    reaper.stop()
    api.state.jobs.shutdown()


def operation_id(route: APIRoute) -> str:
    """`tag-handler` (e.g. `itineraries-create_itinerary`): readable names in generated
    clients, unique although write routes share handler names across tags."""
    return f"{str(route.tags[0]).replace(' ', '_')}-{route.name}" if route.tags else route.name


def create_app(settings: Settings | None = None) -> FastAPI:
    # Fails fast on unsafe settings (the default secret in production).
    settings = settings or get_settings()
    api = FastAPI(
        lifespan=lifespan,
        generate_unique_id_function=operation_id,
        docs_url=None,  # served by routers.docs from local assets
        redoc_url=None,
        title="Twin Stars (双子星) API",
        version=package.__version__,
        description=(
            "Joint tourism data and itinerary planning for Chifeng (赤峰) and Tongliao (通辽). "
            "Coordinates are WGS-84 unless `coords=gcj02`; errors are RFC 9457 problems."
        ),
    )
    api.state.jobs = make_queue(settings)
    errors.install(api)
    docs.install(api)
    api.include_router(meta.router)
    api.include_router(api_router)
    api.include_router(share.router)
    api.include_router(pages.router)
    api.mount("/static", StaticFiles(directory=pages.STATIC), name="static")
    # Outermost last: security headers on everything, CORS on errors too; cached reads
    # inside both, so that their answers carry the same headers.
    api.add_middleware(ReadCache)
    api.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    api.add_middleware(
        CORSMiddleware,
        allow_origins=settings.cors_origins,
        allow_methods=["GET", "POST", "PATCH", "DELETE"],
        allow_headers=["Authorization", "Content-Type", "If-Match", "Idempotency-Key"],
        expose_headers=["ETag", "Location", "Retry-After"],
        max_age=600,
    )
    api.add_middleware(SecurityHeaders, hsts=settings.environment == "production")
    return api


app = create_app()
