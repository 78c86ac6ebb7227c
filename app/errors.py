"""Every domain error, each with its HTTP status, and their one rendering as an RFC 9457
problem document (application/problem+json).

Services raise these; `routers/errors.py` (exception handlers) and the body-limit
middleware (which answers before the app) both render through `problem_document`.
"""

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ValidationError
from pydantic_core import PydanticCustomError

if TYPE_CHECKING:
    from app.services.imports import ImportReport

PROBLEM = "application/problem+json"
Loc = Sequence[str | int]


class AppError(Exception):
    status: int = 400
    title: str = "Bad request"
    # The problem type (RFC 9457): a URI documenting this kind of error, or none.
    type_uri: str = "about:blank"

    def __init__(
        self,
        detail: str,
        *,
        errors: Sequence[dict] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = list(errors or [])
        self.headers = dict(headers or {})

    def members(self) -> dict[str, Any]:
        """Extension members of the problem document (RFC 9457, section 3.2)."""
        return {}


class NotFound(AppError):
    status = 404
    title = "Not found"


class Conflict(AppError):
    status = 409
    title = "Conflict"


class InvalidInput(AppError):
    """A value that passed the schema but breaks a domain rule; `loc` names the field."""

    status = 422
    title = "Invalid input"

    def __init__(self, loc: Loc, msg: str, type: str = "value_error") -> None:
        super().__init__(f"{'.'.join(str(p) for p in loc)}: {msg}")
        self.errors = [{"loc": list(loc), "msg": msg, "type": type}]

    @classmethod
    def of(cls, exc: ValidationError, prefix: Loc = ("body",)) -> "InvalidInput":
        """The first error of a schema validation run inside a service, under `prefix`."""
        first = validation_errors(exc.errors(), prefix)[0]
        return cls(first["loc"], first["msg"], first["type"])

    @property
    def loc(self) -> list[str | int]:
        return list(self.errors[0]["loc"])

    @property
    def msg(self) -> str:
        return str(self.errors[0]["msg"])


class IdempotencyKeyReused(AppError):
    """An Idempotency-Key sent again with another request (IETF draft "The Idempotency-Key
    HTTP Header Field", section 2.7: 422, the problem type pointing at the explanation)."""

    status = 422
    title = "Idempotency-Key is already used"
    type_uri = "https://datatracker.ietf.org/doc/draft-ietf-httpapi-idempotency-key-header/"

    def __init__(self) -> None:
        msg = "this key was sent with another request; use a new key for a new request"
        super().__init__(f"header.idempotency-key: {msg}")
        self.errors = [
            {"loc": ["header", "idempotency-key"], "msg": msg, "type": "idempotency_key_reused"}
        ]


class Unauthorized(AppError):
    status = 401
    title = "Unauthorized"


class Forbidden(AppError):
    status = 403
    title = "Forbidden"


class PreconditionFailed(AppError):
    status = 412
    title = "Precondition failed"


class PayloadTooLarge(AppError):
    status = 413
    title = "Payload too large"

    def __init__(self, max_bytes: int) -> None:
        super().__init__(f"the request body is larger than {max_bytes} bytes")


class PreconditionRequired(AppError):
    status = 428
    title = "Precondition required"


class TooManyRequests(AppError):
    status = 429
    title = "Too many requests"

    def __init__(self, detail: str, retry_after_s: int) -> None:
        super().__init__(detail, headers={"Retry-After": str(retry_after_s)})


class Unavailable(AppError):
    """A service the request needs (the job queue) is down; the client should retry."""

    status = 503
    title = "Service unavailable"

    def __init__(self, detail: str, retry_after_s: int = 5) -> None:
        super().__init__(detail, headers={"Retry-After": str(retry_after_s)})


class ImportRejected(AppError):
    """An applied import with bad rows: nothing was written; the problem carries the whole
    report (`report`, with `written: false`)."""

    status = 422
    title = "Import rejected"

    def __init__(self, report: "ImportReport") -> None:
        super().__init__(f"{len(report.errors)} bad rows; nothing was written")
        self.report = report
        self.errors = [
            {"loc": ["body", e.row, e.field], "msg": e.reason, "type": "import_error"}
            for e in report.errors
        ]

    def members(self) -> dict[str, Any]:
        return {"report": self.report.as_dict()}


def field_error(loc: Loc, msg: str) -> PydanticCustomError:
    """What a validator raises for a rule it checks: `msg` at `loc` below the value it
    validates (a model validator names the field, a list validator the index).

    Pydantic puts any error a validator raises at the validated value itself and prefixes a
    ValueError's message with "Value error, "; this one keeps the message as written and
    carries its own place, which `validation_errors` appends to the error's `loc`."""
    return PydanticCustomError("value_error", "{msg}", {"msg": msg, "loc": tuple(loc)})


def validation_errors(errors: Iterable[Any], prefix: Loc = ()) -> list[dict[str, Any]]:
    """Pydantic's errors with each `field_error` moved to its field, under `prefix`."""
    out = []
    for e in errors:
        below = (e.get("ctx") or {}).get("loc", ()) if e.get("type") == "value_error" else ()
        out.append({**e, "loc": [*prefix, *e["loc"], *below]})
    return out


class FieldError(BaseModel):
    loc: list[str | int]
    msg: str
    type: str


class Problem(BaseModel):
    """RFC 9457 problem details; `errors` lists each bad field for validation errors."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    instance: str
    errors: list[FieldError] = []


def _clean(errors: Iterable[dict[str, Any]]) -> list[FieldError]:
    """Keep loc/msg/type only: never echo input values or internals back."""
    return [
        FieldError(
            loc=[p for p in e.get("loc", ()) if isinstance(p, str | int)],
            msg=e["msg"],
            type=e["type"],
        )
        for e in errors
    ]


def problem_document(
    status: int,
    title: str,
    detail: str,
    instance: str,
    errors: Iterable[dict[str, Any]] = (),
    members: dict[str, Any] | None = None,
    type_uri: str = "about:blank",
) -> dict[str, Any]:
    """The one shape of every error response."""
    body = Problem(
        type=type_uri,
        title=title,
        status=status,
        detail=detail,
        instance=instance,
        errors=_clean(errors),
    ).model_dump()
    return {**body, **(members or {})}


def render(exc: AppError, instance: str) -> dict[str, Any]:
    """An `AppError` as its problem document (its `headers` go on the response)."""
    return problem_document(
        exc.status, exc.title, exc.detail, instance, exc.errors, exc.members(), exc.type_uri
    )
