"""Hand-checkable problems whose optimum is also found by brute force in the test."""

from __future__ import annotations

from dataclasses import replace

import pytest

from solver import (
    Break,
    Problem,
    Progress,
    Reason,
    SolveParams,
    Status,
    Strategy,
    Tour,
    Visit,
    solve,
)
from tests.solver.helpers import QUICK, brute_force_score, day, line_matrix, solve_checked

ALL_DAY = ((day(0, 0), day(0, 24)),)


def office_day(d: int = 0, start: int = 0, end: int = 0, **kwargs: object) -> Tour:
    """A tour from 08:00 to 18:00 on day ``d``."""
    return Tour(start, end, day(d, 8), day(d, 18), **kwargs)  # type: ignore[arg-type]


def reason_of(solution: object, visit: int) -> Reason:
    """The reason given for leaving ``visit`` out."""
    return {u.visit: u.reason for u in solution.unvisited}[visit]  # type: ignore[attr-defined]


def test_second_window_of_the_day_is_used() -> None:
    """A spot missed in its morning window is visited in its afternoon one."""
    problem = Problem(
        line_matrix([0, 30, 40]),
        (
            Visit(1, 120, 10, ((day(0, 8), day(0, 8.33)), (day(0, 15), day(0, 16))), name="A"),
            Visit(2, 240, 10, ((day(0, 9), day(0, 13)),), name="B"),
        ),
        (office_day(),),
    )
    solution = solve_checked(problem)
    assert solution.score == brute_force_score(problem) == 20
    assert solution.tours[0].visits == (1, 0)  # B in the morning, A after 15:00
    assert solution.tours[0].stops[1].start == day(0, 15)


def test_closed_days_put_each_spot_on_its_open_day() -> None:
    """Spots open on a single day land on that day; one open after the trip is closed."""
    long = 360
    problem = Problem(
        line_matrix([0, 10, 10, 10]),
        (
            Visit(1, long, 5, ((day(1, 9), day(1, 12)),), name="day 2 only"),
            Visit(2, long, 5, ((day(5, 9), day(5, 12)),), name="after the trip"),
            Visit(3, long, 5, ((day(0, 9), day(0, 12)),), name="day 1 only"),
        ),
        (office_day(0), office_day(1)),
    )
    solution = solve_checked(problem)
    assert solution.score == brute_force_score(problem) == 10
    assert solution.tours[0].visits == (2,)
    assert solution.tours[1].visits == (0,)
    assert reason_of(solution, 1) is Reason.CLOSED_DURING_TRIP


def test_required_visit_displaces_better_ones() -> None:
    """A low-score required visit is planned even though two better spots would fit."""
    visits = tuple(
        Visit(1, 280, score, ALL_DAY, required=required, name=name)
        for score, required, name in [(1, True, "R"), (50, False, "H1"), (50, False, "H2")]
    )
    problem = Problem(line_matrix([0, 10]), visits, (office_day(),))
    solution = solve_checked(problem)
    assert solution.score == brute_force_score(problem) == 51
    assert 0 in solution.tours[0].visits
    assert solution.status is Status.FEASIBLE
    assert reason_of(solution, 1 if 2 in solution.tours[0].visits else 2) is Reason.NO_TIME_LEFT


def test_required_visit_that_cannot_fit_is_reported() -> None:
    """A required visit closed during the trip gives status required_missing."""
    closed = Visit(1, 60, 5, ((day(3, 9), day(3, 10)),), required=True)
    problem = Problem(line_matrix([0, 10]), (closed,), (office_day(),))
    solution = solve_checked(problem)
    assert solution.status is Status.REQUIRED_MISSING
    assert reason_of(solution, 0) is Reason.CLOSED_DURING_TRIP


def test_lunch_break_shapes_the_day() -> None:
    """A spot that would swallow lunch is unreachable; the others fit around the break."""
    lunch = Break(60, day(0, 11.5), day(0, 13.5))
    problem = Problem(
        line_matrix([0, 10, 20, 30]),
        (
            Visit(1, 300, 100, ((day(0, 8), day(0, 9)),), name="L, 5 hours from 8-9"),
            Visit(2, 120, 10, ((day(0, 9), day(0, 10)),), name="M"),
            Visit(3, 180, 10, ((day(0, 13), day(0, 14)),), name="N"),
        ),
        (office_day(break_=lunch),),
    )
    solution = solve_checked(problem)
    assert solution.score == brute_force_score(problem) == 20
    plan = solution.tours[0]
    assert plan.visits == (1, 2)
    assert plan.break_after == 1
    assert plan.break_start is not None
    assert day(0, 11.5) <= plan.break_start <= day(0, 12.5)
    assert reason_of(solution, 0) is Reason.UNREACHABLE_IN_A_DAY


def test_lunch_inside_a_meal_visit() -> None:
    """The same 5-hour spot fits once it has its own restaurant: lunch is taken during the
    visit, and the day goes on after the visit and the meal's hour."""
    lunch = Break(60, day(0, 11), day(0, 14.5))
    long = Visit(1, 300, 100, ((day(0, 9), day(0, 10)),), meal=True, name="forest park")
    problem = Problem(line_matrix([0, 60]), (long,), (office_day(break_=lunch),))
    solution = solve_checked(problem)
    plan = solution.tours[0]
    assert plan.visits == (0,) and plan.break_after == 1
    stop = plan.stops[0]
    assert plan.break_start is not None
    assert stop.start <= plan.break_start < stop.departure
    assert plan.arrival == stop.departure + 60 + 60  # the meal's hour, then the drive back
    without = replace(problem, visits=(replace(long, meal=False),))
    assert reason_of(solve_checked(without), 0) is Reason.UNREACHABLE_IN_A_DAY


def test_tour_ending_elsewhere_counts_the_last_leg() -> None:
    """From the station (0) to the hotel (100) in five hours: a spot past the hotel is out."""
    problem = Problem(
        line_matrix([0, 100, -40, 60, 90, 200]),
        (
            Visit(2, 60, 3, ALL_DAY, name="behind the station"),
            Visit(3, 60, 3, ALL_DAY),
            Visit(4, 60, 3, ALL_DAY),
            Visit(5, 30, 9, ALL_DAY, name="past the hotel"),
        ),
        (Tour(0, 1, day(0, 8), day(0, 13)),),
    )
    solution = solve_checked(problem)
    assert solution.score == brute_force_score(problem)
    assert solution.tours[0].arrival <= day(0, 13)
    assert reason_of(solution, 3) is Reason.UNREACHABLE_IN_A_DAY


def test_budget_picks_the_best_affordable_pair() -> None:
    """With 120 to spend on tickets of 50, 60 and 70, the 50 + 70 pair wins."""
    visits = tuple(
        Visit(1, 30, score, ALL_DAY, cost=cost) for score, cost in [(5, 50), (6, 60), (8, 70)]
    )
    problem = Problem(line_matrix([0, 10]), visits, (office_day(),), budget=120)
    solution = solve_checked(problem)
    assert solution.score == brute_force_score(problem) == 13
    assert solution.cost == 120
    assert reason_of(solution, 1) is Reason.OVER_BUDGET


def test_spot_reachable_only_on_the_transfer_day() -> None:
    """A spot near the next hotel fits only the day that moves there."""
    problem = Problem(
        line_matrix([0, 400, 420, 20]),
        (Visit(2, 60, 10, ((0, day(1, 24)),)), Visit(3, 300, 4, ((0, day(1, 24)),))),
        (office_day(0, 0, 0), office_day(1, 0, 1)),
    )
    solution = solve_checked(problem)
    assert solution.score == brute_force_score(problem) == 14
    assert solution.tours[1].visits[-1] == 0


def test_max_travel_limits_the_day() -> None:
    """A cap on travel minutes leaves out the far spot the time window would allow."""
    problem = Problem(
        line_matrix([0, 30, 100]),
        (Visit(1, 30, 2, ALL_DAY), Visit(2, 30, 5, ALL_DAY)),
        (office_day(max_travel=100),),
    )
    solution = solve_checked(problem)
    assert solution.score == brute_force_score(problem) == 2
    assert reason_of(solution, 1) is Reason.UNREACHABLE_IN_A_DAY


def test_finish_by_close_shrinks_the_window() -> None:
    """A museum that must be left by closing cannot be started 90 minutes before it closes."""
    museum = Visit(1, 90, 7, ((day(0, 9), day(0, 17)),), finish_by_close=True)
    assert museum.start_windows() == ((day(0, 9), day(0, 15.5)),)
    late = Tour(0, 0, day(0, 15) + 25, day(0, 20))  # at the museum by 15:35
    problem = Problem(line_matrix([0, 10]), (museum,), (late,))
    solution = solve_checked(problem)
    assert solution.score == 0
    assert reason_of(solution, 0) is Reason.UNREACHABLE_IN_A_DAY
    relaxed = replace(problem, visits=(replace(museum, finish_by_close=False),))
    assert solve_checked(relaxed).score == 7


def test_same_seed_and_iterations_give_the_same_plan() -> None:
    """The run is deterministic for a fixed seed and iteration budget."""
    visits = tuple(
        Visit(1 + j % 5, 30 + 7 * j, 1 + (j * 7) % 11, ((day(0, 8 + j % 4), day(0, 15)),))
        for j in range(12)
    )
    problem = Problem(line_matrix([0, 15, 25, 40, 60, 80]), visits, (office_day(),) * 1)
    params = SolveParams(time_limit=5.0, seed=3, max_iterations=40)
    first, second = solve(problem, params), solve(problem, params)
    assert first.tours == second.tours
    assert first.score == second.score


def test_progress_is_reported() -> None:
    """on_progress sees the best score, never decreasing, ending with the final one."""
    visits = tuple(Visit(1, 60, j + 1, ALL_DAY) for j in range(6))
    problem = Problem(line_matrix([0, 20]), visits, (office_day(),))
    seen: list[Progress] = []
    solution = solve(problem, QUICK, on_progress=seen.append)
    assert seen
    assert [p.best_score for p in seen] == sorted(p.best_score for p in seen)
    assert seen[-1].best_score == solution.score


def test_progress_beats_without_improvement_and_a_raise_stops_the_solve() -> None:
    """A caller can stop a solve whose best no longer improves: the search still reports."""
    # Two long visits, one day: either fits, never both, so the first plan is final and
    # the search runs to its time limit without improving.
    visits = (Visit(1, 400, 5, ALL_DAY), Visit(1, 400, 4, ALL_DAY))
    problem = Problem(line_matrix([0, 20]), visits, (office_day(),))
    seen: list[Progress] = []

    def listen(progress: Progress) -> None:
        seen.append(progress)
        if len(seen) == 3:
            raise KeyboardInterrupt  # what a cancelled job raises, as far as solve knows

    with pytest.raises(KeyboardInterrupt):
        solve(problem, SolveParams(time_limit=5.0, progress_every=0.05), on_progress=listen)
    assert [p.best_score for p in seen] == [5, 5, 5]
    assert seen[1].iteration < seen[2].iteration


@pytest.mark.parametrize("strategy", [Strategy.ORTOOLS, Strategy.ILS_ORTOOLS])
def test_ortools_strategies_give_checked_plans(strategy: Strategy) -> None:
    """The OR-Tools paths return plans that pass the checker, break and budget included."""
    lunch = Break(60, day(0, 11.5), day(0, 13.5))
    visits = tuple(
        Visit(1 + j % 3, 45, 3 + j, ((day(0, 8 + j), day(0, 12 + j)),), cost=10 * j)
        for j in range(6)
    )
    problem = Problem(line_matrix([0, 20, 35, 50]), visits, (office_day(break_=lunch),), budget=60)
    solution = solve_checked(problem, SolveParams(time_limit=0.5, strategy=strategy))
    assert solution.strategy == strategy
    assert solution.score >= 1


def test_stops_early_when_everything_reachable_is_planned() -> None:
    """No time is burnt once every visit some day could do is in the plan."""
    visits = tuple(Visit(1, 30, 5, ALL_DAY) for _ in range(3))
    problem = Problem(line_matrix([0, 10]), visits, (office_day(),))
    solution = solve(problem, SolveParams(time_limit=5.0))
    assert solution.score == 15
    assert solution.seconds < 2.5
