"""Health, version and the city/district directory."""

from typing import Annotated, Any

from annotated_types import Ge, Le, MaxLen
from fastapi import APIRouter, Depends, Path, Response
from pydantic import BaseModel, ConfigDict, Field, model_validator
from sqlalchemy import Engine, text
from sqlmodel import Session

import app
from app.errors import Unavailable, field_error
from app.schemas import CITY_SLUG, Float, Int
from app.services.places import list_cities, update_city_settings
from routers.deps import DatumDep, LangDep, SessionDep, WriterDep, engine_dep
from routers.errors import ERROR_RESPONSES, WRITE_RESPONSES
from routers.ratelimit import limited
from routers.reads import NOT_MODIFIED, Built, ReadsDep
from routers.views import CityOut, city_out

router = APIRouter()
UNAVAILABLE: dict[int | str, dict[str, Any]] = {503: ERROR_RESPONSES[503]}  # no database


class Health(BaseModel):
    status: str
    database: str


class Version(BaseModel):
    name: str
    version: str
    api: str


@router.get("/healthz", response_model=Health, tags=["meta"], responses=UNAVAILABLE)
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


@router.get(
    "/v1/cities",
    response_model=list[CityOut],
    tags=["places"],
    responses={**NOT_MODIFIED, **UNAVAILABLE},
)
def cities(reads: ReadsDep, lang: LangDep, datum: DatumDep) -> Response:
    """Both cities with their county-level districts; central districts flagged."""

    def build(session: Session) -> Built:
        return Built([city_out(c, ds, lang, datum) for c, ds in list_cities(session)])

    return reads.respond(("cities", lang, datum), list[CityOut], build)


def _tidy(schema: dict[str, Any]) -> None:
    """A setting is absent rather than null: the schema shows neither a null nor a null
    default (a null sent is refused below), and its bounds under their JSON Schema names."""
    schema.pop("default", None)
    kinds = [k for k in schema.pop("anyOf", []) if k.get("type") != "null"]
    if kinds:
        schema.update(kinds[0])
    for ours, theirs in (("ge", "minimum"), ("le", "maximum")):
        if ours in schema:
            schema[theirs] = schema.pop(ours)


def _setting(description: str = "") -> Any:
    return Field(default=None, description=description, json_schema_extra=_tidy)


class CitySettings(BaseModel):
    """Only the fields sent change; at least one, none null."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"minProperties": 1})

    gateway_night_penalty: Annotated[Int, Ge(0), Le(10_000)] | None = _setting(
        "Score a plan loses per night at one of the city's gateways"
    )
    taxi_flag_cny: Annotated[Int, Ge(0), Le(1000)] | None = _setting("Taxi flag fall")
    taxi_cny_per_km: Annotated[Float, Ge(0), Le(100)] | None = _setting()
    charter_cny_per_day: Annotated[Int, Ge(0), Le(100_000)] | None = _setting(
        "A chartered car with driver (包车), per day"
    )
    charter_cny_per_km: Annotated[Float, Ge(0), Le(100)] | None = _setting()
    tariff_source: Annotated[str, MaxLen(4000)] | None = _setting()

    @model_validator(mode="after")
    def _something(self) -> "CitySettings":
        if not self.model_fields_set:
            raise field_error((), "send at least one setting")
        for name in self.model_fields_set:
            if getattr(self, name) is None:
                raise field_error([name], "may not be null")
        return self


@router.patch(
    "/v1/cities/{city_id}",
    response_model=CityOut,
    tags=["places"],
    responses={**ERROR_RESPONSES, **WRITE_RESPONSES},
    dependencies=[limited("writes")],
)
def update_city(
    city_id: Annotated[str, Path(pattern=CITY_SLUG)],
    body: CitySettings,
    session: SessionDep,
    principal: WriterDep,
    lang: LangDep,
    datum: DatumDep,
) -> CityOut:
    """A city's planning settings, set by its bureau (or an admin)."""
    city, districts = update_city_settings(
        session, principal, city_id, body.model_dump(exclude_unset=True)
    )
    return city_out(city, districts, lang, datum)
