"""Composition root: the FastAPI app with its routers and error handlers."""

from fastapi import FastAPI

import app as package
from routers import api_router, errors, meta


def create_app() -> FastAPI:
    api = FastAPI(
        title="Twin Stars (双子星) API",
        version=package.__version__,
        description=(
            "Joint tourism data and itinerary planning for Chifeng (赤峰) and Tongliao (通辽). "
            "Coordinates are WGS-84 unless `coords=gcj02`; errors are RFC 9457 problems."
        ),
    )
    errors.install(api)
    api.include_router(meta.router)
    api.include_router(api_router)
    return api


app = create_app()
