"""One error format for everything: RFC 9457 problem details (application/problem+json),
the documents of `app.errors` served as responses."""

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.dependencies.models import Dependant
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from limits.errors import StorageError
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from app.errors import (
    PROBLEM,
    AppError,
    FieldError,
    PayloadTooLarge,
    PreconditionRequired,
    Problem,
    Unauthorized,
    problem_document,
    render,
    validation_errors,
)
from app.services.access import NEEDS_KEY
from routers.deps import writer_dep

log = logging.getLogger("twinstars")


def problem(
    request: Request,
    status: int,
    title: str,
    detail: str,
    errors: list[dict[str, Any]] | None = None,
) -> JSONResponse:
    body = problem_document(status, title, detail, request.url.path, errors or [])
    return JSONResponse(body, status_code=status, media_type=PROBLEM)


def _needs_key(dependant: Dependant) -> bool:
    return any(d.call is writer_dep or _needs_key(d) for d in dependant.dependencies)


async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
    route = request.scope.get("route")
    if (
        isinstance(route, APIRoute)
        and "authorization" not in request.headers
        and _needs_key(route.dependant)
    ):
        # A body that is not even JSON fails before the key is asked for: an anonymous
        # caller learns that it needs a key, not what the body should be.
        return await _app_error(request, Unauthorized(NEEDS_KEY))
    if any(
        e["type"] == "missing" and tuple(e["loc"]) == ("header", "if-match") for e in exc.errors()
    ):
        return await _app_error(
            request, PreconditionRequired("If-Match is required: send the ETag you last read")
        )
    errors = validation_errors(exc.errors())
    first = errors[0] if errors else {"loc": [], "msg": "invalid request"}
    where = ".".join(str(p) for p in first["loc"])
    return problem(request, 422, "Invalid request", f"{where}: {first['msg']}", errors)


async def _app_error(request: Request, exc: AppError) -> JSONResponse:
    return JSONResponse(
        render(exc, request.url.path),
        status_code=exc.status,
        media_type=PROBLEM,
        headers=exc.headers,
    )


async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    titles = {404: "Not found", 405: "Method not allowed", 413: PayloadTooLarge.title}
    detail = exc.detail if isinstance(exc.detail, str) else "request failed"
    response = problem(request, exc.status_code, titles.get(exc.status_code, "Error"), detail)
    response.headers.update(exc.headers or {})
    if exc.status_code == 405:
        # Starlette names only the first route that matched the path; list them all.
        methods = {
            method
            for route in request.app.routes
            if route.matches(request.scope)[0] is not Match.NONE
            for method in getattr(route, "methods", None) or ()
        }
        response.headers["Allow"] = ", ".join(sorted(methods))
    return response


async def _integrity(request: Request, exc: IntegrityError) -> JSONResponse:
    """Two writers raced (e.g. the same new id): the loser is told to retry, not a 500."""
    return problem(request, 409, "Conflict", "a concurrent write changed this data; retry")


async def _unavailable(request: Request, exc: OperationalError) -> JSONResponse:
    log.warning("database unavailable on %s: %s", request.url.path, type(exc).__name__)
    response = problem(request, 503, "Service unavailable", "the database is unavailable; retry")
    response.headers["Retry-After"] = "5"
    return response


async def _infrastructure(request: Request, exc: Exception) -> JSONResponse:
    """A connection pool that stays exhausted, a rate-limit store that is down: the
    service cannot answer now, and says when to retry."""
    log.warning("infrastructure unavailable on %s: %s", request.url.path, type(exc).__name__)
    response = problem(request, 503, "Service unavailable", "the service is overloaded; retry")
    response.headers["Retry-After"] = "5"
    return response


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error on %s", request.url.path, exc_info=exc)
    return problem(request, 500, "Internal error", "the server failed; the error was logged")


def install(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _validation)  # type: ignore[arg-type]
    app.add_exception_handler(AppError, _app_error)  # type: ignore[arg-type]
    app.add_exception_handler(StarletteHTTPException, _http)  # type: ignore[arg-type]
    app.add_exception_handler(IntegrityError, _integrity)  # type: ignore[arg-type]
    app.add_exception_handler(OperationalError, _unavailable)  # type: ignore[arg-type]
    app.add_exception_handler(PoolTimeout, _infrastructure)
    app.add_exception_handler(StorageError, _infrastructure)
    app.add_exception_handler(Exception, _unexpected)
    document_problems(app)


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    404: {"model": Problem, "description": "Not found"},
    422: {"model": Problem, "description": "Invalid input"},
    503: {"model": Problem, "description": "The database or job queue is down; see Retry-After"},
}
WRITE_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"model": Problem, "description": "The body is not parseable"},
    413: {"model": Problem, "description": "The body is too large"},
    401: {"model": Problem, "description": "No valid API key"},
    403: {"model": Problem, "description": "The key's role or city may not do this"},
    409: {"model": Problem, "description": "Already exists"},
    412: {"model": Problem, "description": "If-Match does not match the current ETag"},
    428: {"model": Problem, "description": "If-Match is required"},
    429: {"model": Problem, "description": "Rate limit exceeded (see Retry-After)"},
}


def document_problems(app: FastAPI) -> None:
    """Make the OpenAPI schema say what the handlers send: every 4xx/5xx response is a
    `Problem` as application/problem+json (FastAPI documents its own 422 shape)."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = get_openapi(
            title=app.title, version=app.version, routes=app.routes, description=app.description
        )
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        for model in (Problem, FieldError):
            components[model.__name__] = model.model_json_schema(
                ref_template="#/components/schemas/{model}"
            )
        components.pop("HTTPValidationError", None)
        components.pop("ValidationError", None)
        ref = {"schema": {"$ref": "#/components/schemas/Problem"}}
        for path in schema.get("paths", {}).values():
            for operation in path.values():
                for status, response in operation.get("responses", {}).items():
                    if status[0] in "45":
                        response["content"] = {PROBLEM: ref}
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
