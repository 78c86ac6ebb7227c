"""Input schemas take each value only in the JSON type their schema declares."""

import types
import typing
from datetime import date, time
from typing import Annotated, Any, get_args, get_origin

import pytest
from fastapi.routing import APIRoute
from pydantic import BaseModel, BeforeValidator, ValidationError

from app import schemas
from app.errors import validation_errors
from app.main import create_app
from app.planning.request import PlanRequest
from app.schemas import TEXT_CELLS, DepartureIn, SpotIn

BASE = {
    "start_date": "2027-07-14",
    "days": 3,
    "arrive": {"place_id": "cf_rail_chifeng", "time": "09:00"},
    "depart": {"place_id": "tl_airport", "time": "18:00"},
}
SPOT = {
    "id": "cf_x", "city_id": "chifeng", "district_id": "cf_hongshan", "name_zh": "甲",
    "name_en": "X", "lat": 42.2, "lon": 118.9, "categories": ["park"], "visit_minutes": 60,
    "ticket_cny": 0, "ticket_basis": "published", "opening_hours": "24/7",
    "hours_basis": "published",
}  # fmt: skip


def _refused(model: type[BaseModel], doc: dict[str, Any]) -> list[Any]:
    with pytest.raises(ValidationError) as info:
        model.model_validate(doc)
    return [(tuple(e["loc"]), e["type"]) for e in validation_errors(info.value.errors())]


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("days", "3", "int_type"),
        ("days", True, "int_type"),
        ("days", 3.5, "int_from_float"),
        ("time_limit_s", "0.5", "float_type"),
        ("time_limit_s", False, "float_type"),
        ("evening", "true", "bool_type"),
        ("evening", 1, "bool_type"),
        ("start_date", 1815955200, "date_type"),
    ],
)
def test_a_value_outside_its_json_type_is_refused(field: str, value: Any, error: str) -> None:
    """No string or boolean for a number, no number or string for a boolean, no number
    for a date: pydantic's lax mode would take each of them."""
    assert _refused(PlanRequest, {**BASE, field: value}) == [((field,), error)]


def test_nested_and_keyed_values_are_typed_too() -> None:
    assert _refused(PlanRequest, {**BASE, "interests": {"desert": "2"}}) == [
        (("interests", "desert"), "float_type")
    ]
    nights = _refused(PlanRequest, {**BASE, "cities": {"chifeng": "2"}})
    assert [(loc[-1], error) for loc, error in nights if error == "int_type"] == [
        ("chifeng", "int_type")  # (pydantic names the union member tried in between)
    ]
    assert _refused(PlanRequest, {**BASE, "arrive": {"place_id": "cf_museum", "time": 3600}}) == [
        (("arrive", "time"), "time_type")
    ]


def test_an_integer_takes_a_whole_float_as_json_schema_does() -> None:
    req = PlanRequest.model_validate({**BASE, "days": 3.0, "time_limit_s": 1})
    assert (req.days, type(req.days), req.time_limit_s) == (3, int, 1.0)


def test_python_values_of_the_type_still_validate() -> None:
    """Services build inputs from stored rows: dates and times as objects or ISO text."""
    dep = DepartureIn(departs=time(8), arrives="09:30", valid_from=date(2027, 1, 1))
    assert (dep.arrives, dep.valid_from) == (time(9, 30), date(2027, 1, 1))


def test_csv_cells_are_read_as_text() -> None:
    """An import of CSV rows (the one context where every cell is text) reads numbers."""
    row = {**SPOT, "visit_minutes": "90", "lat": "42.25", "follows_workweek": "true"}
    assert _refused(SpotIn, row) == [
        (("lat",), "float_type"),
        (("follows_workweek",), "bool_type"),
        (("visit_minutes",), "int_type"),
    ]
    spot = SpotIn.model_validate(row, context=TEXT_CELLS)
    assert (spot.visit_minutes, spot.lat, spot.follows_workweek) == (90, 42.25, True)
    with pytest.raises(ValidationError):
        SpotIn.model_validate({**row, "visit_minutes": "ninety"}, context=TEXT_CELLS)


def _routes(routes: list[Any]) -> typing.Iterator[APIRoute]:
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        elif hasattr(route, "original_router"):  # an included router
            yield from _routes(route.original_router.routes)


def _scalars(annotation: Any, metadata: tuple[Any, ...], path: str) -> typing.Iterator[tuple]:
    """(path, type, metadata) of every int, float, bool, date and time inside a body."""
    origin = get_origin(annotation)
    if origin is Annotated:
        inner, *extra = get_args(annotation)
        yield from _scalars(inner, (*metadata, *extra), path)
    elif origin in (list, dict, typing.Union, types.UnionType):
        for arg in get_args(annotation):
            yield from _scalars(arg, (), f"{path}[]")
    elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
        for name, field in annotation.model_fields.items():
            yield from _scalars(field.annotation, tuple(field.metadata), f"{path}.{name}")
    elif annotation in (int, float, bool, date, time):
        yield path, annotation, metadata


def test_every_request_body_uses_the_json_typed_scalars() -> None:
    """The guard that keeps it so: every number, boolean, date and time of every request
    body of the API (PATCH bodies included) is one of `app.schemas`' JSON-typed aliases."""
    app = create_app()
    typed = {
        t: next(m for m in get_args(alias)[1:] if isinstance(m, BeforeValidator)).func
        for t, alias in [
            (int, schemas.Int), (float, schemas.Float), (bool, schemas.Bool),
            (date, schemas.Date), (time, schemas.Time),
        ]
    }  # fmt: skip
    seen, loose = 0, []
    for route in _routes(app.routes):
        for param in route.dependant.body_params:
            info = param.field_info
            for path, kind, metadata in _scalars(info.annotation, tuple(info.metadata), ""):
                seen += 1
                checks = [m.func for m in metadata if isinstance(m, BeforeValidator)]
                if typed[kind] not in checks:
                    loose.append(f"{route.path} {param.name}{path}: {kind.__name__}")
    app.state.jobs.shutdown()
    assert seen > 50  # the walk reaches into the bodies
    assert loose == []


def test_a_request_read_back_as_accepted_keeps_its_date_and_its_ids() -> None:
    """A job's stored request was valid when accepted: its date passing (or a repeated id
    from before repeats were refused) does not make it unreadable to the worker."""
    old = {**BASE, "start_date": "2026-01-05", "avoid": ["cf_museum", "cf_museum"]}
    assert sorted(_refused(PlanRequest, old)) == [(("avoid", 1), "value_error"),
                                                 (("start_date",), "value_error")]  # fmt: skip
    req = PlanRequest.stored(old)
    assert (req.start_date, req.avoid) == (date(2026, 1, 5), ["cf_museum", "cf_museum"])
