"""Composition root: the FastAPI app with its routers and error handlers."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

import app as package
from app.middleware import BodyLimit, SecurityHeaders
from app.settings import get_settings
from app.workers import LocalJobs
from routers import api_router, errors, meta


@asynccontextmanager
async def lifespan(api: FastAPI) -> AsyncIterator[None]:
    yield
    api.state.jobs.shutdown()


def create_app() -> FastAPI:
    settings = get_settings()  # fails fast on unsafe settings (default secret in production)
    api = FastAPI(
        lifespan=lifespan,
        title="Twin Stars (双子星) API",
        version=package.__version__,
        description=(
            "Joint tourism data and itinerary planning for Chifeng (赤峰) and Tongliao (通辽). "
            "Coordinates are WGS-84 unless `coords=gcj02`; errors are RFC 9457 problems."
        ),
    )
    api.state.jobs = LocalJobs(settings.job_workers)
    errors.install(api)
    api.include_router(meta.router)
    api.include_router(api_router)
    # Outermost last: security headers on everything, CORS on errors too.
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
