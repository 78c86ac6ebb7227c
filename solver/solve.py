"""The entry point: ``solve(problem, params, on_progress)``."""

from __future__ import annotations

from collections.abc import Callable
from time import perf_counter

from solver.construct import fill, fill_exact, insert_required
from solver.engine import Compiled, Plan, visits_of
from solver.explain import to_solution
from solver.params import SolveParams, Strategy
from solver.problem import Problem
from solver.search import iterated_local_search
from solver.solution import Progress, Solution


def solve(
    problem: Problem,
    params: SolveParams = SolveParams(),
    on_progress: Callable[[Progress], None] | None = None,
) -> Solution:
    """Plan the trip: choose, order and time the visits of every tour to maximise the total
    score. ``on_progress`` receives a ``Progress`` on every improvement, at least every
    ``params.progress_every`` seconds while the search runs, and at the end; an exception
    it raises stops the solve and propagates (how a cancelled job ends its search)."""
    started = perf_counter()
    deadline = started + params.time_limit
    comp = Compiled(problem)

    def report(iteration: int, score: int) -> None:
        if on_progress is not None:
            on_progress(Progress(iteration, score, perf_counter() - started))

    iterations, converged = 0, False
    if params.strategy is not Strategy.ILS:  # (OR-Tools routing loads in 0.5 s: only if asked)
        from solver.routing import solve_routes
    if params.strategy is Strategy.ORTOOLS:
        routes = solve_routes(problem, deadline)
        plan = Plan.from_routes(comp, routes) if routes is not None else Plan(comp)
    else:
        share = params.ortools_share if params.strategy is Strategy.ILS_ORTOOLS else 0.0
        ils_deadline = deadline - share * params.time_limit
        plan, iterations, converged = iterated_local_search(comp, params, ils_deadline, report)
        if share:
            initial = [visits_of(route) for route in plan.routes]
            routes = solve_routes(problem, deadline, initial)
            if routes is not None:
                other = Plan.from_routes(comp, routes)
                if _rank(other) > _rank(plan):
                    plan = other
    # Whatever engine produced the plan, top it up so that "no_time_left" is true.
    plan.refresh_all()
    insert_required(plan)
    fill(plan)
    fill_exact(plan)
    report(iterations, int(plan.score))
    seconds = perf_counter() - started
    return to_solution(comp, plan, seconds, iterations, str(params.strategy), converged)


def _rank(plan: Plan) -> tuple[int, float]:
    """Plans compare by required visits placed, then score."""
    required = plan.comp.required
    return sum(1 for j in range(plan.comp.n) if required[j] and plan.planned[j]), plan.score
