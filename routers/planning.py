"""What every planning endpoint does before and around a solve: the caller's ceilings,
the solver-seconds limit, and a solver slot of this process."""

import math
from collections.abc import Callable
from typing import TypeVar

import anyio
from fastapi import Request

from app.planning.request import PlanRequest, within_ceilings
from app.planning.slots import slots
from app.services.access import Principal
from app.settings import get_settings
from routers.ratelimit import spend

T = TypeVar("T")


def budgeted(req: PlanRequest, request: Request, principal: Principal | None) -> PlanRequest:
    """The request within the caller's ceilings, its seconds counted against the caller's
    solver-seconds limit (429 when spent)."""
    req = within_ceilings(req, keyed=principal is not None)
    cost = max(1, math.ceil(req.time_limit_s))
    spend("solver_seconds", request, request.headers.get("authorization"), cost)
    return req


async def solve_in_slot(req: PlanRequest, fn: Callable[..., T], *args: object) -> T:
    """Run a blocking solve in a worker thread once a slot is free (503 if none frees
    within the configured wait; retry after about one solve of this request)."""
    settings = get_settings()
    async with slots(settings.plan_concurrency).hold(settings.plan_queue_wait_s, req.time_limit_s):
        return await anyio.to_thread.run_sync(lambda: fn(*args))
