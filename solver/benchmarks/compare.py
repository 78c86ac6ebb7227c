"""Side by side with VROOM and PyVRP on generated itineraries, at the same time limit.

Every plan is re-timed by ``solver.check``; a peer route that fails it is repaired by
dropping its lowest-score visit until it passes (counted in the ``fixes`` column).
"""

from __future__ import annotations

from dataclasses import replace
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


def run_itinerary(count: int, params: SolveParams, first: int = 0) -> None:
    """Generate ``count`` trips (seeds first..first+count-1) and print one line each plus a
    summary: ours as configured, ours with the CP-SAT master off, VROOM and PyVRP, all at
    the same time limit in the same run."""
    rows = []
    print(
        "seed days spots   ours  no_cp  vroom  pyvrp  fixes(v,p)  ours_s no_cp_s vroom_s pyvrp_s"
    )
    for seed in range(first, first + count):
        problem = generate(seed)
        scores, seconds = [], []
        for variant in (params, replace(params, recombine=False)):
            started = perf_counter()
            ours = solve(problem, variant)
            seconds.append(perf_counter() - started)
            if check(problem, ours):
                raise SystemExit(
                    f"seed {seed}: our plan fails the checker: {check(problem, ours)}"
                )
            scores.append(ours.score)
        v_routes, v_s = solve_vroom(problem, params.time_limit)
        p_routes, p_s = solve_pyvrp(problem, params.time_limit, params.seed)
        (v_score, v_fix), (p_score, p_fix) = (
            checked_score(problem, v_routes),
            checked_score(problem, p_routes),
        )
        rows.append((scores[0], scores[1], v_score, p_score))
        print(
            f"{seed:4} {len(problem.tours):4} {len(problem.visits):5} {scores[0]:6} {scores[1]:6} "
            f"{v_score:6} {p_score:6}  {v_fix:4},{p_fix:<4}  {seconds[0]:6.2f} {seconds[1]:7.2f} "
            f"{v_s:7.2f} {p_s:7.2f}",
            flush=True,
        )
    better = [max(r[2], r[3]) for r in rows]
    for label, k in (("ours", 0), ("master off", 1)):
        ratio = mean(r[k] / b for r, b in zip(rows, better, strict=True) if b)
        print(
            f"{label}: mean score {mean(r[k] for r in rows):.1f} (vroom "
            f"{mean(r[2] for r in rows):.1f}, pyvrp {mean(r[3] for r in rows):.1f}, better peer "
            f"{mean(better):.1f}); >= better peer on "
            f"{sum(r[k] >= b for r, b in zip(rows, better, strict=True))}/{len(rows)}; mean "
            f"ratio to the better peer {ratio:.4f}"
        )
