"""Turn a final plan into a ``Solution``: timed stops and a reason for every left-out visit."""

from __future__ import annotations

from solver.engine import BREAK, Compiled, Plan
from solver.solution import Reason, Solution, Status, Stop, TourPlan, Unvisited


def closed_during_trip(comp: Compiled, j: int) -> bool:
    """No tour has a start time in one of the visit's windows that ends within the tour."""
    service = comp.service[j]
    for r in range(comp.tours):
        begin, finish = comp.t_begin[r], comp.t_finish[r]
        for open_, close in zip(comp.opens[j], comp.closes[j], strict=True):
            start = max(open_, begin)
            if start <= close and start + service <= finish:
                return False
    return True


def reason_for(comp: Compiled, plan: Plan, j: int) -> Reason:
    """The first true reason, from the most to the least fundamental. ``no_time_left`` is
    true because construction ends with nothing insertable (see ``fill_exact``)."""
    if closed_during_trip(comp, j):
        return Reason.CLOSED_DURING_TRIP
    if not comp.alone[:, j].any():
        return Reason.UNREACHABLE_IN_A_DAY
    if comp.cost[j] > comp.budget - plan.spent:
        return Reason.OVER_BUDGET
    return Reason.NO_TIME_LEFT


def tour_plan(comp: Compiled, r: int, route: list[int]) -> TourPlan:
    """The timed plan of route ``r``; its schedule must be feasible."""
    timing = comp.schedule(r, route)
    if timing is None:
        raise AssertionError(f"route {r} is infeasible: {route}")
    stops: list[Stop] = []
    break_after, break_start = None, None
    brk = comp.t_break[r]
    for i, node in enumerate(route):
        if node == BREAK:
            assert brk is not None  # only the routes of tours with a break have one
            break_after, break_start = len(stops), timing.start[i]
            if stops and comp.meal[stops[-1].visit]:  # taken inside the visit before
                break_start = max(stops[-1].start, brk[1])
            continue
        arrival, start = timing.arrival[i], timing.start[i]
        stops.append(Stop(node, arrival, start, timing.departure[i], start - arrival))
    return TourPlan(
        tour=r,
        stops=tuple(stops),
        departure=comp.t_begin[r],
        arrival=timing.end_arrival,
        travel=timing.travel,
        break_after=break_after,
        break_start=break_start,
    )


def to_solution(
    comp: Compiled,
    plan: Plan,
    seconds: float,
    iterations: int,
    strategy: str,
    converged: bool = False,
) -> Solution:
    """Assemble the public result from the plan."""
    tours = tuple(tour_plan(comp, r, route) for r, route in enumerate(plan.routes))
    unvisited = tuple(
        Unvisited(j, reason_for(comp, plan, j)) for j in range(comp.n) if not plan.planned[j]
    )
    missing = any(comp.required[u.visit] for u in unvisited)
    visited = [s.visit for t in tours for s in t.stops]
    return Solution(
        tours=tours,
        unvisited=unvisited,
        score=sum(comp.problem.visits[j].score for j in visited),
        cost=sum(comp.problem.visits[j].cost for j in visited),
        travel=sum(t.travel for t in tours),
        status=Status.REQUIRED_MISSING if missing else Status.FEASIBLE,
        seconds=seconds,
        iterations=iterations,
        strategy=strategy,
        converged=converged,
    )
