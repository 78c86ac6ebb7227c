"""Health, version and the city/district directory."""

from typing import Annotated

from fastapi import APIRouter, Depends
from pydantic import BaseModel
from sqlalchemy import Engine, text

import app
from app.errors import AppError
from app.services.places import list_cities
from routers.deps import DatumDep, LangDep, SessionDep, engine_dep
from routers.views import CityOut, city_out

router = APIRouter()


class Unavailable(AppError):
    status = 503
    title = "Service unavailable"


class Health(BaseModel):
    status: str
    database: str


class Version(BaseModel):
    name: str
    version: str
    api: str


@router.get("/healthz", response_model=Health, tags=["meta"])
def healthz(engine: Annotated[Engine, Depends(engine_dep)]) -> Health:
    """Liveness with a database round trip; 503 when the database does not answer."""
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:
        raise Unavailable("database unreachable") from exc
    return Health(status="ok", database=engine.dialect.name)


@router.get("/version", response_model=Version, tags=["meta"])
def version() -> Version:
    """Service and API version."""
    return Version(name="twinstars", version=app.__version__, api="v1")


@router.get("/v1/cities", response_model=list[CityOut], tags=["places"])
def cities(session: SessionDep, lang: LangDep, datum: DatumDep) -> list[CityOut]:
    """Both cities with their county-level districts; central districts flagged."""
    return [city_out(c, ds, lang, datum) for c, ds in list_cities(session)]
