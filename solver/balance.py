"""Even out the days: move visits from tours with time to spare to tours short of the
visiting they want, keeping the same visits (so the same score) and every rule.

Why: the score does not care on which day a sight is seen, so a trip may leave a full day
empty and pack the departure day with the sights near the hotel. A traveller cares, and
so do the plan-quality rules (four hours of sightseeing on a full day).
"""

from __future__ import annotations

from collections.abc import Sequence

from solver.engine import Plan, Timing, visits_of

Timed = tuple[list[int], Timing]  # a route and its schedule
# Routes timed at most in one call: a bound that counts work, not the clock (the same plan
# balances the same way), far above what a trip of ten days needs.
WORK = 20_000


def balance(plan: Plan, want: Sequence[int], work: int = WORK) -> bool:
    """Move visits one at a time into the tour furthest below its ``want`` (minutes of
    visiting) from a tour that stays at or above its own (a tour wanting 0 gives freely),
    each move feasible in both tours, the one bringing the most minutes first (then the
    least added travel). Every move raises the sum over tours of min(visiting, want), so it
    ends, or after ``work`` routes timed. True if the plan changed (its rows are
    refreshed)."""
    comp = plan.comp
    service = comp.service

    def seen(r: int) -> int:
        return sum(service[j] for j in visits_of(plan.routes[r]))

    changed = False
    while True:
        visiting = [seen(r) for r in range(comp.tours)]
        short = sorted(
            (r for r in range(comp.tours) if visiting[r] < want[r]),
            key=lambda r: (visiting[r] - want[r], r),
        )
        move = None
        for r in short:
            gap = want[r] - visiting[r]
            into = visits_of(plan.routes[r])
            best: tuple[tuple[int, int], int, Timed, Timed] | None = None
            for s in range(comp.tours):
                if s == r:
                    continue
                for j in visits_of(plan.routes[s]):
                    if (want[s] and visiting[s] - service[j] < want[s]) or not comp.alone[r, j]:
                        continue
                    if work <= 0:
                        break
                    work -= 1
                    left = comp.timed(s, [v for v in visits_of(plan.routes[s]) if v != j])
                    if left is None:
                        continue
                    for k in range(len(into) + 1):
                        work -= 1
                        taken = comp.timed(r, [*into[:k], j, *into[k:]])
                        if taken is None:
                            continue
                        travel = left[1].travel + taken[1].travel
                        travel -= plan.timings[r].travel + plan.timings[s].travel
                        rank = (min(service[j], gap), -travel)
                        if best is None or rank > best[0]:
                            best = (rank, s, left, taken)
            if best is not None:
                move = (r, *best[1:])
                break
        if move is None:
            break
        r, s, (donor, donor_timing), (taker, taker_timing) = move
        plan.routes[s], plan.timings[s] = donor, donor_timing
        plan.routes[r], plan.timings[r] = taker, taker_timing
        changed = True
    if changed:
        plan.refresh_all()
    return changed
