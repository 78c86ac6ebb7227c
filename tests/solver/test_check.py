"""The checker accepts a hand-timed plan and catches each kind of error."""

from __future__ import annotations

from dataclasses import replace

from solver import Problem, Reason, Solution, Status, Stop, Tour, TourPlan, Unvisited, Visit, check
from tests.solver.helpers import day, line_matrix

PROBLEM = Problem(
    line_matrix([0, 10, 30]),
    (
        Visit(1, 60, 4, ((day(0, 9), day(0, 10)),), cost=20),
        Visit(2, 30, 6, ((day(0, 8), day(0, 17)),), cost=30),
        Visit(2, 30, 1, ((day(3, 8), day(3, 17)),)),
    ),
    (Tour(0, 0, day(0, 8), day(0, 18)),),
    budget=50,
)
# By hand: leave 08:00, at visit 0 (10 min away) 08:10, wait until 09:00, leave 10:00,
# visit 1 (20 min on) 10:20-10:50, home (30 min) 11:20; travel 10 + 20 + 30 = 60.
GOOD = Solution(
    tours=(
        TourPlan(
            0,
            (Stop(0, day(0, 8) + 10, day(0, 9), day(0, 10), 50), Stop(1, 620, 620, 650, 0)),
            departure=day(0, 8),
            arrival=680,
            travel=60,
        ),
    ),
    unvisited=(Unvisited(2, Reason.CLOSED_DURING_TRIP),),
    score=10,
    cost=50,
    travel=60,
    status=Status.FEASIBLE,
    seconds=0.0,
    iterations=0,
    strategy="hand",
)


def test_hand_timed_plan_passes() -> None:
    """The plan timed by hand above is valid, its reason included."""
    assert check(PROBLEM, GOOD) == []


def test_wrong_time_is_caught() -> None:
    """A stop reported a minute late does not match the recomputed schedule."""
    stops = GOOD.tours[0].stops
    late = replace(GOOD.tours[0], stops=(stops[0], replace(stops[1], start=621, wait=1)))
    assert check(PROBLEM, replace(GOOD, tours=(late,))) != []


def test_double_visit_and_totals_are_caught() -> None:
    """The same visit twice is an error (and the totals then differ too)."""
    stops = GOOD.tours[0].stops
    twice = replace(GOOD.tours[0], stops=(stops[0], stops[0]))
    assert check(PROBLEM, replace(GOOD, tours=(twice,))) != []


def test_over_budget_plan_is_caught() -> None:
    """A plan spending more than the budget is rejected."""
    poorer = replace(PROBLEM, budget=40)
    assert any("budget" in error for error in check(poorer, GOOD))


def test_false_reason_is_caught() -> None:
    """Saying a visit is over budget when the budget has room is false."""
    problem = replace(PROBLEM, budget=100)
    wrong = replace(GOOD, unvisited=(Unvisited(2, Reason.OVER_BUDGET),))
    assert check(problem, wrong) == ["visit 2: reason over_budget is not true"]


def test_no_time_left_is_false_when_it_fits() -> None:
    """A visit that could still be inserted cannot be reported as out of time."""
    open_all_trip = replace(PROBLEM.visits[2], windows=((day(0, 8), day(3, 17)),))
    problem = replace(PROBLEM, visits=(*PROBLEM.visits[:2], open_all_trip))
    wrong = replace(GOOD, unvisited=(Unvisited(2, Reason.NO_TIME_LEFT),))
    assert check(problem, wrong) == ["visit 2: reason no_time_left is not true"]


def test_wrong_status_is_caught() -> None:
    """A required visit left out makes status feasible a lie."""
    must = replace(PROBLEM.visits[2], required=True)
    problem = replace(PROBLEM, visits=(*PROBLEM.visits[:2], must))
    assert any("status" in error for error in check(problem, GOOD))
