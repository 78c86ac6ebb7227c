"""How the solver grows: model build time and the 1 s score against a long solve, as the
spots grow 50 -> 500 and the days 1 -> 10 (generated itineraries, seed 0).

    python -m solver.benchmarks.growth [--reference-seconds 30] [--no-master]

Not a test: it prints a table. "build" is compiling the problem (``solver.engine``: the
arrays and every single-visit feasibility check), the part of a solve that grows with the
instance before any search. ``--no-master`` makes the 1 s solve without the CP-SAT master
(the ILS alone), against the same reference (a long solve with it), for the side-by-side
figures.
"""

from __future__ import annotations

import argparse
from statistics import median
from time import perf_counter

from solver.benchmarks.itinerary import generate
from solver.check import check
from solver.engine import Compiled
from solver.params import SolveParams
from solver.solve import solve

SPOTS = (50, 100, 200, 500)
DAYS = (1, 3, 5, 10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reference-seconds", type=float, default=30.0)
    parser.add_argument("--master", action=argparse.BooleanOptionalAction, default=True)
    args = parser.parse_args()
    quick_params = SolveParams(time_limit=1.0, recombine=args.master)
    long_params = SolveParams(time_limit=args.reference_seconds)
    heads = [f"{d} d: build ms, 1 s / {args.reference_seconds:g} s" for d in DAYS]
    print(f"| spots \\ days | {' | '.join(heads)} |")
    print("|---|" + "---|" * len(DAYS))
    for spots in SPOTS:
        cells = []
        for days in DAYS:
            problem = generate(0, days=days, spots_wanted=spots)
            builds = []
            for _ in range(3):
                started = perf_counter()
                Compiled(problem)
                builds.append(1000 * (perf_counter() - started))
            quick = solve(problem, quick_params)
            long = solve(problem, long_params)
            for solution in (quick, long):
                if check(problem, solution):
                    raise SystemExit(f"{spots} spots, {days} days: infeasible plan")
            ratio = quick.score / long.score if long.score else 1.0
            cells.append(f"{median(builds):.0f} ms, {ratio:.3f}")
        print(f"| {spots} | {' | '.join(cells)} |", flush=True)


if __name__ == "__main__":
    main()
