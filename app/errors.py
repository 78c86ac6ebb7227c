"""Domain errors: each carries its HTTP status; routers render them as RFC 9457 problems."""

from collections.abc import Sequence


class AppError(Exception):
    status: int = 400
    title: str = "Bad request"

    def __init__(self, detail: str, *, errors: Sequence[dict] | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = list(errors or [])


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

    def __init__(self, loc: Sequence[str | int], msg: str) -> None:
        super().__init__(f"{'.'.join(str(p) for p in loc)}: {msg}")
        self.errors = [{"loc": list(loc), "msg": msg, "type": "value_error"}]


class Unavailable(AppError):
    """A service the request needs (the job queue) is down; the client should retry."""

    status = 503
    title = "Service unavailable"

    def __init__(self, detail: str, retry_after_s: int = 5) -> None:
        super().__init__(detail)
        self.headers = {"Retry-After": str(retry_after_s)}
