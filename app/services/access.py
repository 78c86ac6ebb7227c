"""Who is writing, and what they may change: admins anything, a bureau its own city."""

from dataclasses import dataclass

from app.errors import Forbidden, Unauthorized
from app.models import Role


@dataclass(frozen=True)
class Principal:
    key_id: int | None
    name: str
    role: Role
    city_id: str | None = None


# Writes from the command line: an admin (the shell has the database), audited as "cli".
CLI = Principal(key_id=None, name="cli", role=Role.admin)


NEEDS_KEY = "this endpoint needs an API key (Authorization: Bearer ...)"


def require(principal: Principal | None, *roles: Role) -> Principal:
    if principal is None:
        raise Unauthorized(NEEDS_KEY)
    if principal.role not in roles:
        raise Forbidden(f"role {principal.role} may not do this")
    return principal


def check_city_write(principal: Principal | None, cities: set[str]) -> Principal:
    """Admins write anywhere; a bureau only where every city involved is its own."""
    p = require(principal, Role.admin, Role.bureau)
    if p.role is Role.bureau and cities - {p.city_id}:
        other = ", ".join(sorted(cities - {p.city_id}))
        raise Forbidden(f"a {p.city_id} bureau key may not change data of {other}")
    return p
