"""Property tests: on random small problems every plan passes the checker (reasons
included), and on tiny ones the plan is optimal."""

from __future__ import annotations

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from solver import Break, Problem, SolveParams, Strategy, Tour, Visit, check, solve
from tests.solver.helpers import DAY, brute_force_score


@st.composite
def windows(draw: st.DrawFn, days: int) -> tuple[tuple[int, int], ...]:
    """0-3 sorted disjoint windows over the trip, some as short as a show time."""
    cuts = sorted(draw(st.sets(st.integers(0, days * DAY), max_size=6)))
    pairs = list(zip(cuts[::2], cuts[1::2], strict=False))
    return tuple(pairs[: draw(st.integers(0, 3))])


@st.composite
def problems(
    draw: st.DrawFn, max_visits: int = 7, max_tours: int = 3, breaks: bool = True
) -> Problem:
    """Random problems: asymmetric travel (triangle inequality not guaranteed), windows,
    breaks, travel caps, costs, a budget and required visits."""
    places = draw(st.integers(2, 6))
    travel = tuple(
        tuple(0 if a == b else draw(st.integers(1, 240)) for b in range(places))
        for a in range(places)
    )
    tours_count = draw(st.integers(1, max_tours))
    visits = tuple(
        Visit(
            place=draw(st.integers(0, places - 1)),
            service=draw(st.integers(0, 300)),
            score=draw(st.integers(0, 50)),
            windows=draw(windows(tours_count)),
            cost=draw(st.integers(0, 100)),
            required=draw(st.booleans()) and draw(st.booleans()),
            finish_by_close=draw(st.booleans()),
            meal=draw(st.booleans()),
        )
        for _ in range(draw(st.integers(0, max_visits)))
    )
    tours = []
    for d in range(tours_count):
        begin = d * DAY + draw(st.integers(360, 600))
        end = begin + draw(st.integers(120, 780))
        lunch = None
        if breaks and draw(st.booleans()):
            earliest = draw(st.integers(begin, end - 60))
            lunch = Break(draw(st.integers(0, 60)), earliest, min(end, earliest + 150))
        cap = draw(st.none() | st.integers(0, 600))
        start, finish = draw(st.integers(0, places - 1)), draw(st.integers(0, places - 1))
        tours.append(Tour(start, finish, begin, end, lunch, cap))
    budget = draw(st.none() | st.integers(0, 300))
    try:
        return Problem(travel, visits, tuple(tours), budget)
    except ValueError:
        assume(False)
        raise


FAST = SolveParams(time_limit=1.0, max_iterations=15)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems())
def test_every_ils_plan_passes_the_checker(problem: Problem) -> None:
    """Times, totals, status and every unvisited reason recompute exactly."""
    assert check(problem, solve(problem, FAST)) == []


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems(max_visits=5, max_tours=2))
def test_every_ortools_plan_passes_the_checker(problem: Problem) -> None:
    """The OR-Tools route, re-timed under our rules, is valid with true reasons."""
    params = SolveParams(time_limit=0.1, strategy=Strategy.ORTOOLS)
    assert check(problem, solve(problem, params)) == []


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems(max_visits=4, max_tours=2, breaks=False))
def test_tiny_problems_are_solved_to_optimality(problem: Problem) -> None:
    """With at most four visits, two tours and no break the search finds the brute-force
    optimum (when every required visit can be placed). With breaks it may not: insertion
    keeps the break where it is, and moving it is only tried after removals."""
    best = brute_force_score(problem)
    assume(best >= 0)
    assert solve(problem, SolveParams(time_limit=1.0, max_iterations=30)).score == best
