"""An independent feasibility checker: recomputes every time, total and reason of a
``Solution`` from the ``Problem`` alone. It shares no code with the search (and never
imports OR-Tools), so a bug in the engine cannot hide itself."""

from __future__ import annotations

from dataclasses import dataclass

from solver.problem import Problem
from solver.solution import Reason, Solution, Status


@dataclass(frozen=True)
class Timed:
    """A recomputed tour: per visit (arrival, start, departure); the break start if any."""

    stops: list[tuple[int, int, int]]
    break_start: int | None
    arrival: int
    travel: int


def time_tour(
    problem: Problem, tour_index: int, visits: list[int], break_after: int | None
) -> Timed | str:
    """The earliest schedule of ``visits`` in the tour with the break after ``break_after``
    visits, or a message saying why it is infeasible."""
    tour = problem.tours[tour_index]
    if (tour.break_ is None) != (break_after is None):
        return "break present/absent does not match the tour"
    if break_after is not None and not 0 <= break_after <= len(visits):
        return f"break position {break_after} out of range"
    here, now, travel = tour.start_place, tour.earliest_start, 0
    stops: list[tuple[int, int, int]] = []
    break_start = None
    for k in range(len(visits) + 1):
        if k == break_after and tour.break_ is not None:
            brk = tour.break_
            # Inside a meal visit the break may begin once that visit has begun; either way
            # the day goes on a break's duration after the visit's end (or the break's start).
            inside = k > 0 and problem.visits[visits[k - 1]].meal
            break_start = max(stops[-1][1] if inside else now, brk.earliest_start)
            if break_start + brk.duration > brk.latest_end:
                return f"break ends at {break_start + brk.duration}, after {brk.latest_end}"
            now = max(now, brk.earliest_start) + brk.duration
        if k == len(visits):
            break
        visit = problem.visits[visits[k]]
        arrival = now + problem.travel[here][visit.place]
        travel += problem.travel[here][visit.place]
        starts = [max(arrival, o) for o, c in visit.start_windows() if max(arrival, o) <= c]
        if not starts:
            return f"visit {visits[k]} reached at {arrival}: no window left"
        start = min(starts)
        now, here = start + visit.service, visit.place
        stops.append((arrival, start, now))
    arrival = now + problem.travel[here][tour.end_place]
    travel += problem.travel[here][tour.end_place]
    if arrival > tour.latest_end:
        return f"back at {arrival}, after {tour.latest_end}"
    if tour.max_travel is not None and travel > tour.max_travel:
        return f"travels {travel} min, more than {tour.max_travel}"
    return Timed(stops, break_start, arrival, travel)


def check(problem: Problem, solution: Solution, reasons: bool = True) -> list[str]:
    """Every way in which ``solution`` is wrong for ``problem`` (empty: it is valid).
    ``reasons=False`` skips the (slower) verification of the unvisited reasons."""
    errors: list[str] = []
    if [plan.tour for plan in solution.tours] != list(range(len(problem.tours))):
        return ["tours must be listed once each, in order"]
    seen: list[int] = []
    for plan in solution.tours:
        visits = [stop.visit for stop in plan.stops]
        if any(not 0 <= j < len(problem.visits) for j in visits):
            errors.append(f"tour {plan.tour}: unknown visit")
            continue
        seen += visits
        timed = time_tour(problem, plan.tour, visits, plan.break_after)
        if isinstance(timed, str):
            errors.append(f"tour {plan.tour}: {timed}")
            continue
        reported = [(s.arrival, s.start, s.departure) for s in plan.stops]
        if reported != timed.stops or any(s.wait != s.start - s.arrival for s in plan.stops):
            errors.append(f"tour {plan.tour}: stop times differ from the recomputed ones")
        expected = (problem.tours[plan.tour].earliest_start, timed.arrival, timed.travel)
        if (plan.departure, plan.arrival, plan.travel) != expected:
            errors.append(f"tour {plan.tour}: departure/arrival/travel differ")
        if plan.break_start != timed.break_start:
            errors.append(f"tour {plan.tour}: break start differs")
    if len(seen) != len(set(seen)):
        errors.append("a visit is planned twice")
    cost = sum(problem.visits[j].cost for j in seen)
    if problem.budget is not None and cost > problem.budget:
        errors.append(f"cost {cost} exceeds the budget {problem.budget}")
    totals = (
        sum(problem.visits[j].score for j in seen),
        cost,
        sum(plan.travel for plan in solution.tours),
    )
    if (solution.score, solution.cost, solution.travel) != totals:
        errors.append("score/cost/travel totals differ from the recomputed ones")
    left = sorted(u.visit for u in solution.unvisited)
    if left != sorted(set(range(len(problem.visits))) - set(seen)):
        errors.append("unvisited list is not exactly the visits left out")
    missing = any(problem.visits[j].required for j in left)
    if solution.status != (Status.REQUIRED_MISSING if missing else Status.FEASIBLE):
        errors.append(f"status {solution.status} is wrong")
    if reasons and not errors:
        errors += [
            f"visit {u.visit}: reason {u.reason} is not true"
            for u in solution.unvisited
            if not reason_holds(problem, solution, u.visit, u.reason)
        ]
    return errors


def reason_holds(problem: Problem, solution: Solution, j: int, reason: Reason) -> bool:
    """Whether the stated reason for leaving visit ``j`` out is true."""
    visit = problem.visits[j]
    if reason is Reason.CLOSED_DURING_TRIP:
        return not any(
            max(o, t.earliest_start) <= c
            and max(o, t.earliest_start) + visit.service <= t.latest_end
            for t in problem.tours
            for o, c in visit.start_windows()
        )
    if reason is Reason.UNREACHABLE_IN_A_DAY:
        return not any(
            isinstance(time_tour(problem, r, [j], b), Timed)
            for r, t in enumerate(problem.tours)
            for b in ([None] if t.break_ is None else [0, 1])
        )
    if reason is Reason.OVER_BUDGET:
        return problem.budget is not None and solution.cost + visit.cost > problem.budget
    return (problem.budget is None or solution.cost + visit.cost <= problem.budget) and not any(
        _fits_between(problem, plan.tour, [s.visit for s in plan.stops], plan.break_after, j)
        for plan in solution.tours
    )


def _fits_between(
    problem: Problem, r: int, visits: list[int], break_after: int | None, j: int
) -> bool:
    """Whether ``j`` can be inserted somewhere in the tour, the break staying between the
    same two visits (when ``j`` lands exactly there, either side of the break is tried)."""
    for k in range(len(visits) + 1):
        trial = visits[:k] + [j] + visits[k:]
        options: list[int | None]
        if break_after is None:
            options = [None]
        elif k < break_after:
            options = [break_after + 1]
        elif k > break_after:
            options = [break_after]
        else:
            options = [break_after, break_after + 1]
        if any(isinstance(time_tour(problem, r, trial, b), Timed) for b in options):
            return True
    return False
