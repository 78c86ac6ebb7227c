"""The beam-searched chains of ``solver.chain``: a hand-checked swap of one visit for two,
and on random problems a plan that stays valid and consistent."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings

from solver import Problem, Tour, Visit, check
from solver.chain import latest_arrivals, rechain_changes, refill_gap
from solver.engine import Compiled, Plan
from solver.explain import to_solution
from solver.search import construct
from tests.solver.helpers import line_matrix
from tests.solver.test_properties import problems


def test_two_visits_replace_one() -> None:
    """On a line, X (5 points) 10 out fills the 20-minute day alone; Y and Z (4 each) 3 and
    4 out the other way fit together but not beside X. Re-chaining X's slot takes both."""
    window = ((0, 20),)
    visits = (Visit(1, 0, 5, window), Visit(2, 0, 4, window), Visit(3, 0, 4, window))
    problem = Problem(line_matrix([0, 10, -3, -4]), visits, (Tour(0, 0, 0, 20),))
    plan = Plan.from_routes(Compiled(problem), [[0]])
    assert refill_gap(plan, 0, 0, 1, latest_arrivals(plan, 0))
    assert sorted(plan.routes[0]) == [1, 2]
    assert plan.score == 8
    assert plan.timings[0].end_arrival == 8
    assert not refill_gap(plan, 0, 0, 2, latest_arrivals(plan, 0))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems())
def test_rechaining_keeps_plans_valid(problem: Problem) -> None:
    """Re-chaining every route of a constructed plan (all of it differs from the empty
    plan) keeps windows, breaks, travel caps, the budget and required visits, and the plan's
    bookkeeping matches its routes."""
    comp = Compiled(problem)
    plan = construct(comp)
    before = plan.score
    rechain_changes(plan, Plan(comp).routes)
    plan.refresh_all()
    assert plan.score >= before
    planned = sorted(j for route in plan.routes for j in route if j >= 0)
    assert planned == np.flatnonzero(plan.planned).tolist()
    assert plan.score == sum(problem.visits[j].score for j in planned)
    assert plan.spent == sum(problem.visits[j].cost for j in planned)
    assert plan.spent <= comp.budget
    assert check(problem, to_solution(comp, plan, 0.0, 0, "ils"), reasons=False) == []
