"""Ways to take visits out of a plan before it is refilled (the perturbation of the ILS).

Each removes about ``size`` optional visits (never a required one) and may leave the rows
stale; the caller refreshes them.

Segments follow Vansteenwegen et al.; related removal (a spot and its nearest planned
neighbours) frees a whole area for a better combination there; reseeding empties a day and
plants one visit to grow it from. Random and whole-day removal were measured and dropped:
both lost on the TOPTW set and did not win on itineraries.
"""

from __future__ import annotations

import numpy as np

from solver.engine import BREAK, INFEASIBLE, Plan


def _movable(plan: Plan, r: int) -> list[int]:
    """Positions in route ``r`` holding optional visits."""
    required = plan.comp.required
    return [i for i, node in enumerate(plan.routes[r]) if node != BREAK and not required[node]]


def remove_segments(plan: Plan, rng: np.random.Generator, size: int, start: int) -> None:
    """From every route, ``size`` consecutive visits from the ``start``-th (wrapping)."""
    for r in range(plan.comp.tours):
        movable = _movable(plan, r)
        if movable:
            first = start % len(movable)
            count = min(size, len(movable))
            plan.remove(r, [movable[(first + k) % len(movable)] for k in range(count)])


def remove_related(plan: Plan, rng: np.random.Generator, size: int, start: int) -> None:
    """A random visit and the ``size - 1`` planned visits closest to it (either direction)."""
    spots = [(r, i) for r in range(plan.comp.tours) for i in _movable(plan, r)]
    if not spots:
        return
    comp = plan.comp
    seed_r, seed_i = spots[int(rng.integers(len(spots)))]
    centre = comp.place[plan.routes[seed_r][seed_i]]
    places = np.array([comp.place[plan.routes[r][i]] for r, i in spots])
    closeness = comp.matrix[centre, places] + comp.matrix[places, centre]
    order = np.argsort(closeness, kind="stable")[: min(size, len(spots))]
    _remove_spots(plan, [spots[k] for k in order])


def reseed_day(plan: Plan, rng: np.random.Generator, size: int, start: int) -> None:
    """Empty one random route, then plant a random visit that fits it (likelier the higher
    its score) for the refill to build around: the way to reach a far cluster whose first
    visit never wins on score per added minute."""
    r = int(rng.integers(plan.comp.tours))
    plan.remove(r, _movable(plan, r))
    plan.refresh_all()
    comp = plan.comp
    fits = (plan.shift[r] < INFEASIBLE) & (comp.cost <= comp.budget - plan.spent)
    if fits.any():
        weight = np.where(fits, comp.score + 1.0, 0.0)
        j = int(rng.choice(comp.n, p=weight / weight.sum()))
        plan.insert(r, j, int(plan.pos[r, j]))


def _remove_spots(plan: Plan, spots: list[tuple[int, int]]) -> None:
    by_route: dict[int, list[int]] = {}
    for r, i in spots:
        by_route.setdefault(r, []).append(i)
    for r, positions in by_route.items():
        plan.remove(r, positions)


DESTROYS = {
    "segments": remove_segments,
    "related": remove_related,
    "reseed": reseed_day,
}
