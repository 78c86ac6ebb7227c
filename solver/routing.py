"""The OR-Tools routing model of a ``Problem`` (the only module that imports OR-Tools).

Days are vehicles with their own start and end nodes; a time dimension carries service plus
travel with waiting as slack; each visit's time variable is cut down to its windows; optional
visits sit in disjunctions whose penalty is the score times a weight larger than any travel
cost, so a point of score always beats any saving in travel; required visits get a penalty
far above every score (a hard constraint would make OR-Tools fail outright when they cannot
all fit). Breaks use OR-Tools break intervals, whose semantics (a break may fall during a
drive) differ from ours, so routes read back are re-timed and repaired by the caller.
"""

from __future__ import annotations

from time import perf_counter

from ortools.constraint_solver import pywrapcp, routing_enums_pb2

from solver.problem import Problem, Tour


def solve_routes(
    problem: Problem,
    deadline: float,
    initial: list[list[int]] | None = None,
) -> list[list[int]] | None:
    """Visit sequences per tour found by OR-Tools by ``deadline`` (a ``perf_counter``
    value; model building counts) starting from ``initial`` when given, or None when it
    found nothing."""
    n, tours = len(problem.visits), problem.tours
    places = [v.place for v in problem.visits]
    for tour in tours:
        places += [tour.start_place, tour.end_place]
    service = [v.service for v in problem.visits] + [0] * (2 * len(tours))
    travel = problem.travel
    arc = [[travel[a][b] for b in places] for a in places]
    timed = [[service[i] + t for t in row] for i, row in enumerate(arc)]
    starts = [n + 2 * r for r in range(len(tours))]
    ends = [n + 2 * r + 1 for r in range(len(tours))]
    manager = pywrapcp.RoutingIndexManager(len(places), len(tours), starts, ends)
    model = pywrapcp.RoutingModel(manager)
    arc_cb = model.RegisterTransitMatrix(arc)
    time_cb = model.RegisterTransitMatrix(timed)
    model.SetArcCostEvaluatorOfAllVehicles(arc_cb)
    horizon = max(t.latest_end for t in tours)
    model.AddDimension(time_cb, horizon, horizon, False, "time")
    time_dim = model.GetDimensionOrDie("time")
    if any(t.max_travel is not None for t in tours):
        caps = [horizon * 4 if t.max_travel is None else t.max_travel for t in tours]
        model.AddDimensionWithVehicleCapacity(arc_cb, 0, caps, True, "travel")
    weight = sum(max(row) for row in arc) + 1
    top = weight * (sum(v.score for v in problem.visits) + 1)
    solver = model.solver()
    for j, visit in enumerate(problem.visits):
        index = manager.NodeToIndex(j)
        windows = visit.start_windows()
        allowed = [r for r, t in enumerate(tours) if _may_serve(windows, t)]
        if not allowed:
            solver.Add(model.ActiveVar(index) == 0)
            continue
        model.AddDisjunction([index], top if visit.required else weight * visit.score)
        if len(allowed) < len(tours):  # -1: the value of an inactive node's vehicle
            model.VehicleVar(index).SetValues([-1, *allowed])
        cumul = time_dim.CumulVar(index)
        cumul.SetRange(windows[0][0], windows[-1][1])
        for (_, close), (open_, _) in zip(windows, windows[1:], strict=False):
            if close + 1 <= open_ - 1:
                cumul.RemoveInterval(close + 1, open_ - 1)
    for r, tour in enumerate(tours):
        time_dim.CumulVar(model.Start(r)).SetValue(tour.earliest_start)
        time_dim.CumulVar(model.End(r)).SetMax(tour.latest_end)
        if tour.break_ is not None:
            brk = tour.break_
            interval = solver.FixedDurationIntervalVar(
                brk.earliest_start,
                brk.latest_end - brk.duration,
                brk.duration,
                False,
                f"break {r}",
            )
            time_dim.SetBreakIntervalsOfVehicle([interval], r, service)
    if problem.budget is not None:
        spend = [
            v.cost * model.ActiveVar(manager.NodeToIndex(j))
            for j, v in enumerate(problem.visits)
            if v.cost
        ]
        if spend:
            solver.Add(solver.Sum(spend) <= problem.budget)
    search = pywrapcp.DefaultRoutingSearchParameters()
    search.first_solution_strategy = (
        routing_enums_pb2.FirstSolutionStrategy.LOCAL_CHEAPEST_INSERTION
    )
    search.local_search_metaheuristic = routing_enums_pb2.LocalSearchMetaheuristic.TABU_SEARCH
    search.time_limit.FromMilliseconds(max(1, int((deadline - perf_counter()) * 1000)))
    if initial is not None:
        start = model.ReadAssignmentFromRoutes(initial, True)
        found = model.SolveFromAssignmentWithParameters(start, search) if start else None
    else:
        found = model.SolveWithParameters(search)
    if found is None:
        return None
    routes = []
    for r in range(len(tours)):
        index, route = found.Value(model.NextVar(model.Start(r))), []
        while not model.IsEnd(index):
            route.append(manager.IndexToNode(index))
            index = found.Value(model.NextVar(index))
        routes.append(route)
    return routes


def _may_serve(windows: tuple[tuple[int, int], ...], tour: Tour) -> bool:
    """Whether some window overlaps the tour's span (a cheap pre-filter)."""
    return any(
        close >= tour.earliest_start and open_ <= tour.latest_end for open_, close in windows
    )
