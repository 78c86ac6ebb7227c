"""The search's building blocks, each on a problem small enough to follow by hand."""

from __future__ import annotations

import numpy as np
import pytest

from solver import Problem, Tour, Visit
from solver.destroy import DESTROYS
from solver.engine import Compiled, Plan
from solver.improve import replace_once, shorten_route
from solver.search import construct
from tests.solver.helpers import day, line_matrix

ALL_DAY = ((day(0, 0), day(0, 24)),)


def test_replace_undoes_a_greedy_trap() -> None:
    """Greedy takes the free 5-point visit on the way; a swap gets the 6-point one instead.

    The tour goes from place 1 to place 0 (108 minutes). Visit A (5) at place 0 costs no
    extra time but closes at arrival; visit B (6) at place 1 must start at once and takes a
    minute, after which A's window has closed: one or the other.
    """
    travel = ((0, 1), (108, 0))
    a = Visit(0, 0, 5, ((0, 469),), name="A")
    b = Visit(1, 1, 6, ((0, 361),), name="B")
    comp = Compiled(Problem(travel, (a, b), (Tour(1, 0, 361, 481),)))
    plan = construct(comp)
    assert plan.routes == [[0]]
    assert replace_once(plan)
    assert plan.routes == [[1]]
    assert plan.score == 6
    assert not replace_once(plan)


def test_shorten_route_untangles_the_order() -> None:
    """From 0 to 40 on a line, visiting 10, 30, 20 becomes 10, 20, 30: 20 minutes less."""
    problem = Problem(
        line_matrix([0, 10, 30, 20, 40]),
        tuple(Visit(p, 5, 1, ALL_DAY) for p in (1, 2, 3)),
        (Tour(0, 4, day(0, 8), day(0, 18)),),
    )
    plan = Plan.from_routes(Compiled(problem), [[0, 1, 2]])
    before = plan.timings[0].end_arrival
    assert shorten_route(plan, 0)
    assert plan.routes[0] == [0, 2, 1]
    assert plan.timings[0].end_arrival == before - 20


@pytest.mark.parametrize("name", sorted(DESTROYS))
def test_destroys_keep_required_visits(name: str) -> None:
    """No perturbation takes out a required visit, and the plan stays consistent."""
    visits = tuple(Visit(1 + j % 4, 20, 1 + j, ALL_DAY, required=j % 3 == 0) for j in range(9))
    problem = Problem(line_matrix([0, 5, 10, 15, 20]), visits, (Tour(0, 0, 480, 1080),) * 2)
    comp = Compiled(problem)
    plan = construct(comp)
    required = [j for j, v in enumerate(visits) if v.required]
    assert plan.planned[required].all()
    DESTROYS[name](plan, np.random.default_rng(0), 5, 1)
    plan.refresh_all()
    assert plan.planned[required].all()
    planned = sorted(j for route in plan.routes for j in route)
    assert planned == sorted(np.flatnonzero(plan.planned).tolist())
    assert plan.score == sum(visits[j].score for j in planned)
