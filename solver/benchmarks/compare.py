"""Side by side with VROOM and PyVRP on generated itineraries, at the same time limit.

Every plan is re-timed by ``solver.check``; a peer route that fails it is repaired by
dropping its lowest-score visit until it passes (counted in the ``fixes`` column).
"""

from __future__ import annotations

from statistics import mean
from time import perf_counter

from solver.benchmarks.itinerary import generate
from solver.benchmarks.peers import solve_pyvrp, solve_vroom
from solver.check import Timed, check, time_tour
from solver.params import SolveParams
from solver.problem import Problem
from solver.solve import solve


def checked_score(problem: Problem, routes: list[list[int]]) -> tuple[int, int]:
    """Score of the routes after repair, and the number of visits dropped to repair them."""
    score, dropped, seen = 0, 0, set()
    for r, given in enumerate(routes):
        route = [j for j in given if j not in seen]
        dropped += len(given) - len(route)
        while not isinstance(time_tour(problem, r, route, None), Timed):
            route.remove(min(route, key=lambda j: problem.visits[j].score))
            dropped += 1
        seen.update(route)
        score += sum(problem.visits[j].score for j in route)
    return score, dropped


def run_itinerary(count: int, params: SolveParams) -> None:
    """Generate ``count`` trips (seeds 0..count-1) and print one line each plus a summary."""
    rows = []
    print("seed days spots   ours  vroom  pyvrp  fixes(v,p)  ours_s vroom_s pyvrp_s")
    for seed in range(count):
        problem = generate(seed)
        started = perf_counter()
        ours = solve(problem, params)
        ours_s = perf_counter() - started
        if check(problem, ours):
            raise SystemExit(f"seed {seed}: our plan fails the checker: {check(problem, ours)}")
        v_routes, v_s = solve_vroom(problem, params.time_limit)
        p_routes, p_s = solve_pyvrp(problem, params.time_limit, params.seed)
        (v_score, v_fix), (p_score, p_fix) = (
            checked_score(problem, v_routes),
            checked_score(problem, p_routes),
        )
        rows.append((ours.score, v_score, p_score, ours_s, v_s, p_s))
        print(
            f"{seed:4} {len(problem.tours):4} {len(problem.visits):5} {ours.score:6} "
            f"{v_score:6} {p_score:6}  {v_fix:4},{p_fix:<4}  {ours_s:6.2f} {v_s:7.2f} {p_s:7.2f}"
        )
    better = [max(r[1], r[2]) for r in rows]
    print(
        f"mean score: ours {mean(r[0] for r in rows):.1f}, vroom {mean(r[1] for r in rows):.1f}, "
        f"pyvrp {mean(r[2] for r in rows):.1f}, better peer {mean(better):.1f}; "
        f"ours >= better peer on {sum(r[0] >= b for r, b in zip(rows, better, strict=True))}"
        f"/{len(rows)}; mean ratio ours/better peer "
        f"{mean(r[0] / b for r, b in zip(rows, better, strict=True) if b):.4f}"
    )
