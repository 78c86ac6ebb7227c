"""VROOM and PyVRP on our ``Problem`` (no breaks, budget or travel caps: the features the
comparison instances use), returning visit sequences per tour for our checker.

Why here and not in ``solver/``: they are dev-only dependencies, used to measure us.
"""

from __future__ import annotations

from datetime import timedelta
from time import perf_counter

from solver.problem import Problem


def _plain(problem: Problem) -> None:
    if problem.budget is not None or any(
        t.break_ is not None or t.max_travel is not None for t in problem.tours
    ):
        raise ValueError("peer adapters handle no breaks, budgets or travel caps")


def solve_vroom(problem: Problem, time_limit: float) -> tuple[list[list[int]], float]:
    """VROOM with priority = score (scores must be 0-100); it stops on its own."""
    import numpy as np
    import vroom

    _plain(problem)
    started = perf_counter()
    data = vroom.Input()
    data.set_durations_matrix(profile="car", matrix_input=np.array(problem.travel))
    for r, tour in enumerate(problem.tours):
        window = vroom.TimeWindow(tour.earliest_start, tour.latest_end)
        data.add_vehicle(
            vroom.Vehicle(r, start=tour.start_place, end=tour.end_place, time_window=window)
        )
    for j, visit in enumerate(problem.visits):
        windows = visit.start_windows()
        if windows:
            data.add_job(
                vroom.Job(
                    j + 1,
                    location=visit.place,
                    default_service=visit.service,
                    priority=min(100, visit.score),
                    time_windows=[vroom.TimeWindow(o, c) for o, c in windows],
                )
            )
    found = data.solve(exploration_level=5, nb_threads=1, timeout=timedelta(seconds=time_limit))
    steps = found.routes
    routes: list[list[int]] = [[] for _ in problem.tours]
    for row in steps[steps["type"] == "job"].itertuples():
        routes[int(row.vehicle_id)].append(int(row.id) - 1)
    return routes, perf_counter() - started


def solve_pyvrp(
    problem: Problem, time_limit: float, seed: int = 0
) -> tuple[list[list[int]], float]:
    """PyVRP prize-collecting: prize = score x a weight above any travel cost; a visit with
    several windows becomes a mutually exclusive client group, one client per window."""
    from pyvrp import ActivityType, Depot, Model
    from pyvrp.stop import MaxRuntime

    _plain(problem)
    started = perf_counter()
    model = Model()
    locations = [model.add_location(0, 0) for _ in problem.travel]
    depots: dict[int, Depot] = {}
    for tour in problem.tours:
        for place in (tour.start_place, tour.end_place):
            if place not in depots:
                depots[place] = model.add_depot(locations[place])
    for tour in problem.tours:
        model.add_vehicle_type(
            start_depot=depots[tour.start_place],
            end_depot=depots[tour.end_place],
            tw_early=tour.earliest_start,
            tw_late=tour.latest_end,
        )
    # Any plan's travel fits inside its tours' spans: a point of score outweighs it all (a
    # looser bound, the sum of each row's longest leg, made prizes so large on 100+ spots
    # that PyVRP's penalties broke down and it returned no feasible plan).
    weight = sum(t.latest_end - t.earliest_start for t in problem.tours) + 1
    owner = []
    for j, visit in enumerate(problem.visits):
        windows = visit.start_windows()
        group = model.add_client_group(required=False) if len(windows) > 1 else None
        for open_, close in windows:
            model.add_client(
                locations[visit.place],
                service_duration=visit.service,
                tw_early=open_,
                tw_late=close,
                prize=weight * visit.score,
                required=False,
                group=group,
            )
            owner.append(j)
    for a, row in enumerate(problem.travel):
        for b, minutes in enumerate(row):
            model.add_edge(locations[a], locations[b], distance=minutes, duration=minutes)
    remaining = max(0.01, time_limit - (perf_counter() - started))
    result = model.solve(stop=MaxRuntime(remaining), seed=seed, display=False)
    routes: list[list[int]] = [[] for _ in problem.tours]
    if result.best.is_feasible():
        for route in result.best.routes():
            routes[route.vehicle_type()] = [
                owner[step.idx] for step in route.schedule() if step.type == ActivityType.CLIENT
            ]
    return routes, perf_counter() - started
