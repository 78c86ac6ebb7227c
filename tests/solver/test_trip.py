"""The trip model: the nights fall out of one optimisation, checked against every chain of
days solved exactly; plans are feasible, repeatable and reported in one stream."""

from __future__ import annotations

from itertools import product

import pytest

from solver import DayOption, Progress, Tour, Trip, TripParams, Visit, check, plan_trip
from tests.solver.helpers import DAY, brute_force_score, day, line_matrix

# Places on a line: 0 the station, 1 hub A, 2 hub B, then spots near A (3, 4) and near B
# (5, 6, 7), and a far spot (8) that only a gateway night (9) reaches in a day.
POSITIONS = [0, 10, 180, 15, 25, 170, 185, 195, 500, 450]
A, B, GATEWAY = 1, 2, 9


def visit(place: int, score: int, days: int, service: int = 60, cost: int = 0) -> Visit:
    windows = tuple((d * DAY + 8 * 60, d * DAY + 18 * 60) for d in range(days))
    return Visit(place=place, service=service, score=score, windows=windows, cost=cost,
                 name=f"spot {place}")  # fmt: skip


def option(d: int, start: int, end: int, penalty: int = 0, gateway: bool = False) -> DayOption:
    tour = Tour(start, end, day(d, 8), day(d, 20))
    return DayOption(d, start, end, (tour,), (d * DAY, (d + 1) * DAY), penalty, (int(gateway),))


def three_days(visits: tuple[Visit, ...], penalty: int = 0, budget: int | None = None) -> Trip:
    """Arrive at the station on day 0, sleep two nights at A or B (A before B, never back),
    or one night at the gateway between two at A; leave from the station on day 2."""
    options = [option(0, 0, A), option(0, 0, B), option(1, A, A), option(1, A, B),
               option(1, B, B), option(2, A, 0), option(2, B, 0),
               option(0, 0, GATEWAY, penalty, gateway=True), option(1, GATEWAY, A)]  # fmt: skip
    return Trip(line_matrix(POSITIONS), visits, tuple(options), budget, bounds=((0, 1),))


def chains(trip: Trip) -> list[tuple[int, ...]]:
    per_day = [[i for i, o in enumerate(trip.options) if o.day == d] for d in range(trip.days)]
    found = []
    for path in product(*per_day):
        opts = [trip.options[o] for o in path]
        chained = all(a.end == b.start for a, b in zip(opts, opts[1:], strict=False))
        if chained and sum(o.counts[0] for o in opts) <= trip.bounds[0][1]:
            found.append(path)
    return found


def best_by_enumeration(trip: Trip) -> int:
    """Every chain of days, each solved exactly: the best score less penalties."""
    return max(
        brute_force_score(trip.problem(path)) - sum(trip.options[o].penalty for o in path)
        for path in chains(trip)
    )


def planned(trip: Trip, params: TripParams = TripParams(time_limit=10)) -> int:
    found = plan_trip(trip, params)
    assert found is not None
    assert check(found.problem, found.solution) == []
    assert found.solution.converged
    return found.solution.score - sum(trip.options[o].penalty for o in found.path)


def test_the_nights_follow_the_sights() -> None:
    """B's spots are worth more: the model sleeps at B, where no enumeration was asked."""
    trip = three_days((visit(3, 10, 3), visit(4, 10, 3), visit(5, 30, 3), visit(6, 30, 3),
                       visit(7, 30, 3)))  # fmt: skip
    assert planned(trip) == best_by_enumeration(trip) == 110
    found = plan_trip(trip, TripParams(time_limit=10))
    assert found is not None
    assert [trip.options[o].end for o in found.path] == [A, B, 0] or [
        trip.options[o].end for o in found.path
    ] == [B, B, 0]


def test_a_gateway_night_when_what_it_unlocks_beats_its_penalty() -> None:
    far = visit(8, 80, 3, service=120)
    base = (visit(3, 10, 3), visit(5, 20, 3), far)
    worth_it = three_days(base, penalty=30)
    assert planned(worth_it) == best_by_enumeration(worth_it)
    found = plan_trip(worth_it, TripParams(time_limit=10))
    assert found is not None and GATEWAY in [worth_it.options[o].end for o in found.path]
    not_worth_it = three_days(base, penalty=200)
    assert planned(not_worth_it) == best_by_enumeration(not_worth_it)


def test_the_budget_and_a_must_visit_hold_across_the_days() -> None:
    must = Visit(place=3, service=60, score=1, windows=((8 * 60, 18 * 60),), cost=50,
                 required=True, name="must")  # fmt: skip
    trip = three_days((must, visit(5, 30, 3, cost=40), visit(6, 30, 3, cost=40),
                       visit(7, 30, 3, cost=10)), budget=100)  # fmt: skip
    found = plan_trip(trip, TripParams(time_limit=10))
    assert found is not None and check(found.problem, found.solution) == []
    assert found.solution.status == "feasible" and found.solution.cost <= 100
    assert planned(trip) == best_by_enumeration(trip)


def test_the_same_trip_gives_the_same_plan_and_one_progress_stream() -> None:
    trip = three_days(tuple(visit(p, 10 + 7 * p, 3) for p in (3, 4, 5, 6, 7)))
    heard: list[Progress] = []
    first = plan_trip(trip, TripParams(time_limit=10), heard.append)
    second = plan_trip(trip, TripParams(time_limit=10))
    assert first is not None and second is not None
    assert first.path == second.path
    assert [t.visits for t in first.solution.tours] == [t.visits for t in second.solution.tours]
    scores = [p.best_score for p in heard]
    elapsed = [p.elapsed for p in heard]
    assert scores == sorted(scores) and elapsed == sorted(elapsed) and heard


def test_a_raising_listener_stops_the_solve() -> None:
    """How a cancelled job ends its search: the exception propagates."""
    trip = three_days(tuple(visit(p, 10, 3) for p in (3, 4, 5, 6, 7)))

    def cancel(progress: Progress) -> None:
        raise RuntimeError("cancelled")

    with pytest.raises(RuntimeError, match="cancelled"):
        plan_trip(trip, TripParams(time_limit=10), cancel)


def test_distinct_from_an_earlier_plan() -> None:
    """Not every spot fits (four hours each): the other plan keeps at most all but one of
    the first plan's spots. (Where everything fits, the final top-up may add them all back:
    the service then drops that alternative as not distinct.)"""
    trip = three_days(
        tuple(visit(p, 10 + p + k, 3, service=240) for p in (3, 4, 5, 6, 7) for k in (0, 5))
    )
    main = plan_trip(trip, TripParams(time_limit=10))
    assert main is not None
    visited = frozenset(v for t in main.solution.tours for v in t.visits)
    other = plan_trip(trip, TripParams(time_limit=10), distinct_from=[visited])
    assert other is not None and check(other.problem, other.solution) == []
    assert frozenset(v for t in other.solution.tours for v in t.visits) != visited


def test_a_time_limit_too_short_for_any_search_still_gives_a_plan() -> None:
    """The first selection runs whatever the clock says: a trip whose chain exists always
    gets a feasible plan, marked as not converged."""
    trip = three_days(tuple(visit(p, 10 + p, 3) for p in (3, 4, 5, 6, 7)))
    found = plan_trip(trip, TripParams(time_limit=1e-6))
    assert found is not None and check(found.problem, found.solution) == []
    assert not found.solution.converged


def test_a_sight_only_a_longer_cap_reaches_gets_that_day() -> None:
    """Two days out of one hub, each either with an outing in the evening (260 minutes on
    the road) or with a rest instead (300 minutes, 20 points less). The far sight needs
    the 300 and scores less than the three near ones together, so each day's greedy plan
    takes the near ones and never shows what the rest is for: the far sight is a column of
    the restful days on its own, and the best trip has both (with a single probe, so
    that no probe's greedy trip happens to find it)."""
    positions = [0, 20, 30, 40, -150]
    visits = (visit(1, 30, 2), visit(2, 30, 2), visit(3, 30, 2), visit(4, 60, 2, service=120))
    options = []
    for d in range(2):
        for cap, penalty in ((260, 0), (300, 20)):
            tour = Tour(0, 0, day(d, 8), day(d, 20), max_travel=cap)
            options.append(DayOption(d, 0, 0, (tour,), (d * DAY, (d + 1) * DAY), penalty, (0,)))
    trip = Trip(line_matrix(positions), visits, tuple(options), bounds=((0, 0),))
    one_probe = TripParams(time_limit=10, probes=1)
    assert planned(trip, one_probe) == best_by_enumeration(trip) == 90 + 60 - 20


@pytest.mark.parametrize(("short", "seen"), [(0, "far"), (150, "near")])
def test_a_day_whose_road_leaves_too_little_for_its_hours_costs_its_short_points(
    short: int, seen: str
) -> None:
    """Day 1 wants 240 minutes of visiting in its 600: the far sight (worth more) costs
    400 minutes of road, so that day cannot hold them; with ``short`` points at stake the
    near sight, which leaves the day its hours, is the better day."""
    station, hub, far, near = 0, 1, 2, 3
    travel = line_matrix([0, 5, 205, 15])
    on_day_1 = ((day(1, 8), day(1, 17)),)
    visits = (
        Visit(far, 60, 100, on_day_1, name="far"),
        Visit(near, 300, 60, on_day_1, name="near"),
    )
    middle = Tour(hub, hub, day(1, 8), day(1, 18))
    options = (
        option(0, station, hub),
        DayOption(1, hub, hub, (middle,), (DAY, 2 * DAY), 0, (0,), want=240, short=short),
        option(2, hub, station),
    )
    found = plan_trip(Trip(travel, visits, options, bounds=((0, 1),)), TripParams(time_limit=5))
    assert found is not None and not check(found.problem, found.solution)
    assert [visits[s.visit].name for t in found.solution.tours for s in t.stops] == [seen]
