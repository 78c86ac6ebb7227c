"""Greedy construction: required visits first, then insertion by score per added minute."""

from __future__ import annotations

import numpy as np

from solver.engine import INFEASIBLE, Plan


def insert_required(plan: Plan) -> None:
    """Place required visits first, each where it delays its route least, so that the
    optional ones fill around them rather than crowding them out."""
    comp = plan.comp
    while True:
        pending = [
            j
            for j in range(comp.n)
            if comp.required[j]
            and not plan.planned[j]
            and comp.cost[j] <= comp.budget - plan.spent
        ]
        options = [(int(plan.shift[r, j]), r, j) for j in pending for r in range(comp.tours)]
        options = [o for o in options if o[0] < INFEASIBLE]
        if not options:
            return
        _, r, j = min(options)
        plan.insert(r, j, int(plan.pos[r, j]))


def fill(
    plan: Plan,
    rng: np.random.Generator | None = None,
    noise: float = 0.0,
    power: float = 2.0,
    allowed: np.ndarray | None = None,
) -> None:
    """Insert the visit with the best score^power / shift (Vansteenwegen et al. 2009 use
    power 2) until no unplanned visit fits any route or the budget; ``noise`` randomises
    the ratios; ``allowed`` (a mask of visits), when given, is what may be inserted."""
    comp = plan.comp
    weight = comp.score**power
    while True:
        mask = plan.shift < INFEASIBLE
        mask &= (comp.cost <= comp.budget - plan.spent)[None, :]
        if allowed is not None:
            mask &= allowed[None, :]
        if not mask.any():
            return
        ratio = weight / (np.maximum(plan.shift, 0) + 1.0)
        if noise and rng is not None:
            ratio = ratio * (1.0 + noise * rng.random(ratio.shape))
        ratio = np.where(mask, ratio, -1.0)
        r, j = divmod(int(ratio.argmax()), comp.n)
        plan.insert(r, j, int(plan.pos[r, j]))


def fill_exact(plan: Plan) -> None:
    """Insert whatever still fits by exact evaluation of every position (break kept where it
    is). The vectorised rows are exact for single-window visits, so this only matters when a
    delayed visit could jump to a later window; it makes ``no_time_left`` a true statement."""
    comp = plan.comp
    if comp.single_window:
        return
    changed = True
    while changed:
        changed = False
        for j in np.argsort(-comp.score, kind="stable"):
            j = int(j)
            if plan.planned[j] or comp.cost[j] > comp.budget - plan.spent:
                continue
            found = _exact_position(plan, j)
            if found is not None:
                plan.insert(found[0], j, found[1])
                changed = True


def _exact_position(plan: Plan, j: int) -> tuple[int, int] | None:
    """The first (route, position) where inserting ``j`` keeps the route feasible."""
    comp = plan.comp
    for r in range(comp.tours):
        if not comp.alone[r, j]:
            continue
        seq = plan.routes[r]
        for p in range(len(seq) + 1):
            if comp.schedule(r, seq[:p] + [j] + seq[p:]) is not None:
                return r, p
    return None
