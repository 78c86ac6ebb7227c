"""Small builders and a brute-force oracle for the solver tests."""

from __future__ import annotations

from itertools import permutations, product

from solver import Problem, Solution, SolveParams, check, solve
from solver.check import Timed, time_tour

DAY = 1440
# Iteration-bound so tests are deterministic and fast; the time limit is only a guard.
QUICK = SolveParams(time_limit=1.0, max_iterations=60)


def line_matrix(positions: list[int]) -> tuple[tuple[int, ...], ...]:
    """Travel minutes between places on a line (satisfies the triangle inequality)."""
    return tuple(tuple(abs(a - b) for b in positions) for a in positions)


def day(d: int, hour: float) -> int:
    """Minutes from trip start of ``hour`` o'clock on day ``d`` (0-based)."""
    return d * DAY + round(hour * 60)


def solve_checked(problem: Problem, params: SolveParams = QUICK) -> Solution:
    """Solve and assert the solution passes the independent checker, reasons included."""
    solution = solve(problem, params)
    assert check(problem, solution) == []
    return solution


def feasible_sequences(problem: Problem, r: int) -> list[tuple[int, ...]]:
    """Every visit order tour ``r`` can do (break anywhere), by enumeration."""
    n = len(problem.visits)
    has_break = problem.tours[r].break_ is not None
    found = []
    for k in range(n + 1):
        for seq in permutations(range(n), k):
            breaks = range(k + 1) if has_break else [None]
            if any(isinstance(time_tour(problem, r, list(seq), b), Timed) for b in breaks):
                found.append(seq)
    return found


def brute_force_score(problem: Problem) -> int:
    """The optimal score: all required visits in, budget kept, each visit at most once."""
    options = [feasible_sequences(problem, r) for r in range(len(problem.tours))]
    required = {j for j, v in enumerate(problem.visits) if v.required}
    best = -1
    for combo in product(*options):
        chosen = [j for seq in combo for j in seq]
        if len(chosen) != len(set(chosen)) or not required <= set(chosen):
            continue
        cost = sum(problem.visits[j].cost for j in chosen)
        if problem.budget is not None and cost > problem.budget:
            continue
        best = max(best, sum(problem.visits[j].score for j in chosen))
    return best
