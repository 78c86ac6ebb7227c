"""Route improvement without changing which visits are planned: 2-opt and relocate moves
that make a tour end earlier, which leaves more room for the next insertions.

Why only on new best plans: each pass costs O(L^3) in Python, too much for every iteration
but cheap relative to the gain when polishing the few plans that matter.
"""

from __future__ import annotations

import numpy as np

from solver.engine import BREAK, INFEASIBLE, Plan


def shorten_route(plan: Plan, r: int) -> bool:
    """First-improvement 2-opt and relocate on route ``r`` until neither helps; True if
    the route changed (the caller refreshes the rows)."""
    comp = plan.comp
    seq = plan.routes[r]
    best = comp.end_time(r, seq)
    if best is None or len(seq) < 2:
        return False
    changed, improved = False, True
    while improved:
        improved = False
        size = len(seq)
        for i in range(size - 1):
            for k in range(i + 1, size):
                trial = seq[:i] + seq[i : k + 1][::-1] + seq[k + 1 :]
                end = comp.end_time(r, trial)
                if end is not None and end < best:
                    seq, best, improved = trial, end, True
        for i in range(size):
            rest = seq[:i] + seq[i + 1 :]
            for k in range(size):
                if k == i:
                    continue
                trial = rest[:k] + [seq[i]] + rest[k:]
                end = comp.end_time(r, trial)
                if end is not None and end < best:
                    seq, best, improved = trial, end, True
                    break
        changed |= improved
    if changed:
        timing = comp.schedule(r, seq)
        assert timing is not None  # every move kept had an end time, so it is feasible
        plan.routes[r] = seq
        plan.timings[r] = timing
    return changed


def shorten_all(plan: Plan) -> bool:
    """``shorten_route`` on every route, then refresh the rows if anything changed."""
    changed = False
    for r in range(plan.comp.tours):
        changed |= shorten_route(plan, r)
    if changed:
        plan.refresh_all()
    return changed


def replace_once(plan: Plan) -> bool:
    """Apply the best swap of a planned optional visit for an unplanned one of higher score
    that fits where the first one was taken out (route order otherwise kept); True if one
    was applied. Greedy insertion alone cannot undo a cheap early choice that blocks a
    better visit; this can."""
    comp = plan.comp
    best_gain, move = 0.0, None
    unplanned = ~plan.planned
    for r, seq in enumerate(plan.routes):
        for i, node in enumerate(seq):
            if node == BREAK or comp.required[node]:
                continue
            better = (
                unplanned
                & comp.alone[r]
                & (comp.score > comp.score[node] + best_gain)
                & (comp.cost <= comp.budget - plan.spent + comp.cost[node])
            )
            if not better.any():
                continue
            rest = seq[:i] + seq[i + 1 :]
            timing = comp.schedule(r, rest)
            if timing is None:
                continue
            shifts, positions = plan.insertions(r, rest, timing, better)
            gains = np.where(shifts < INFEASIBLE, comp.score - comp.score[node], -1.0)
            j = int(gains.argmax())
            if gains[j] > best_gain:
                best_gain, move = float(gains[j]), (r, i, j, int(positions[j]))
    if move is None:
        return False
    plan.swap(*move)
    return True
