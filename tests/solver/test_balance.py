"""Evening out the days: the same visits, moved to the day that wants more visiting."""

from __future__ import annotations

from solver import DayOption, Problem, Tour, Trip, TripParams, Visit, check, plan_trip
from solver.balance import balance
from solver.engine import Compiled, Plan, visits_of
from tests.solver.helpers import DAY, day, line_matrix

# The hotel (0) and three sights near it, each open all day on both days.
POSITIONS = [0, 5, 10, 15]


def sights(days: int) -> tuple[Visit, ...]:
    windows = tuple((day(d, 8), day(d, 18)) for d in range(days))
    return tuple(Visit(place=p, service=60, score=10, windows=windows) for p in (1, 2, 3))


def two_days() -> Problem:
    tours = (Tour(0, 0, day(0, 8), day(0, 20)), Tour(0, 0, day(1, 8), day(1, 20)))
    return Problem(line_matrix(POSITIONS), sights(2), tours)


def test_visits_move_to_the_day_short_of_its_minutes_and_no_further() -> None:
    """All three sights on day 1, day 2 wanting two hours: two of them move; day 1, which
    wants nothing, keeps the third; the score and the plan's validity stay."""
    problem = two_days()
    comp = Compiled(problem)
    plan = Plan.from_routes(comp, [[0, 1, 2], []])
    assert balance(plan, [0, 120])
    assert len(visits_of(plan.routes[0])) == 1 and len(visits_of(plan.routes[1])) == 2
    assert plan.score == 30
    assert balance(plan, [0, 120]) is False  # nothing more to do


def test_the_work_bound_counts_routes_timed_not_seconds() -> None:
    """With no work allowed nothing moves; the bound counts, so it is deterministic."""
    plan = Plan.from_routes(Compiled(two_days()), [[0, 1, 2], []])
    assert balance(plan, [0, 120], work=0) is False
    assert len(visits_of(plan.routes[1])) == 0


def test_a_day_that_wants_its_minutes_gives_none_below_them() -> None:
    """Both days want two hours and one has three sights: one moves, not two."""
    comp = Compiled(two_days())
    plan = Plan.from_routes(comp, [[0, 1, 2], []])
    balance(plan, [120, 120])
    assert sorted(len(visits_of(r)) for r in plan.routes) == [1, 2]
    assert len(visits_of(plan.routes[0])) == 2


def test_a_sight_closed_on_the_short_day_stays() -> None:
    """A sight open only on day 1 cannot move to day 2."""
    problem = two_days()
    only_first = (Visit(place=1, service=60, score=10, windows=((day(0, 8), day(0, 18)),)),)
    problem = Problem(problem.travel, only_first, problem.tours)
    plan = Plan.from_routes(Compiled(problem), [[0], []])
    assert balance(plan, [0, 120]) is False


def test_the_trip_model_spreads_the_sights_over_the_days_that_want_them() -> None:
    """Three days at the hotel; only the middle one wants visiting (the first and last are
    travel days): the plan has its two hours there, with the same score as without."""
    options = tuple(
        DayOption(d, 0, 0, (Tour(0, 0, day(d, 8), day(d, 20)),), (d * DAY, (d + 1) * DAY),
                  want=120 if d == 1 else 0)
        for d in range(3)
    )  # fmt: skip
    trip = Trip(line_matrix(POSITIONS), sights(3), options)
    found = plan_trip(trip, TripParams(time_limit=5))
    assert found is not None
    assert check(found.problem, found.solution) == []
    assert found.solution.score == 30
    middle = found.solution.tours[1]
    assert sum(s.departure - s.start for s in middle.stops) >= 120
