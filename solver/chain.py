"""Refill a gap of a route with a chain of visits found by beam search.

Why: greedy insertion adds one visit at a time by score per added minute, so it cannot
build a chain whose first visit looks poor alone, and it keeps whatever it inserted first.
Between two fixed nodes of a route, with the rest of the route frozen (its slack bounds
the arrival at the node after the gap), the best chain of unplanned visits is a small
orienteering problem; a beam search over it, vectorised per depth, finds chains that
greedy insertion misses.
"""

from __future__ import annotations

import numpy as np

from solver.engine import BREAK, UNLIMITED, Plan

# Labels kept per depth, and the longest run of visits re-chained (measured on the Cordeau
# pairs: runs of 3 and 5 scored alike; a width of 48 did not beat 24).
WIDTH = 24
LONGEST = 5


def latest_arrivals(plan: Plan, r: int) -> np.ndarray:
    """Per node of route ``r`` (and last, its end), the latest arrival that keeps the rest
    of the route feasible: a property of the suffix alone, so it still holds when the
    nodes before are replaced."""
    timing = plan.timings[r]
    reach = np.array([*timing.arrival, timing.end_arrival], dtype=np.int64)
    return reach + plan.comp.slack(r, timing)


def refill_gap(
    plan: Plan, r: int, lo: int, hi: int, latest: np.ndarray, width: int = WIDTH
) -> bool:
    """Replace the optional visits ``routes[r][lo:hi]`` (no break among them) by the best
    chain the beam search finds between the nodes around them, if it scores more, or the
    same and reaches the next node earlier; True if the route changed. ``latest`` is
    ``latest_arrivals`` of the route. The caller refreshes the rows."""
    comp = plan.comp
    seq = plan.routes[r]
    segment = seq[lo:hi]
    # The break is not a place: a chain must neither cross it nor end at it.
    if BREAK in segment or (hi < len(seq) and seq[hi] == BREAK):
        return False
    if any(comp.required[j] for j in segment):
        return False
    timing = plan.timings[r]
    here = comp.t_start[r] if lo == 0 else timing.places[lo - 1]
    leave = comp.t_begin[r] if lo == 0 else timing.departure[lo - 1]
    there = comp.t_end[r] if hi == len(seq) else timing.places[hi]
    old_reach = timing.end_arrival if hi == len(seq) else timing.arrival[hi]
    latest_reach = int(latest[hi])
    capped = comp.t_max_travel[r] < UNLIMITED
    if capped:
        places = [here, *timing.places[lo:hi], there]
        legs = sum(comp.rows[a][b] for a, b in zip(places, places[1:], strict=False))
        travel_left = comp.t_max_travel[r] - timing.travel + legs
    budget_left = comp.budget - plan.spent + int(comp.cost[segment].sum())
    free = ~plan.planned & comp.alone[r]
    free[segment] = True
    cols = np.flatnonzero(free[comp.col_visit])
    # A column that does not fit right after ``here`` fits after no chain either (with the
    # triangle inequality; the result is re-checked anyway).
    first_leg = comp.matrix[here, comp.col_place[cols]]
    begin = np.maximum(leave + first_leg, comp.col_open[cols])
    ok = begin <= comp.col_close[cols]
    ok &= begin + comp.col_service[cols] + comp.matrix[comp.col_place[cols], there] <= latest_reach
    cols = cols[ok]
    if cols.size == 0:
        return False
    place, open_, close = comp.col_place[cols], comp.col_open[cols], comp.col_close[cols]
    service = comp.col_service[cols]
    visit = comp.col_visit[cols]
    score = comp.score[visit]
    cost = comp.cost[visit]
    to_end = comp.matrix[place, there]
    # Candidate visits numbered 0..V-1 so a label's visited set is a row of booleans.
    if comp.single_window:
        member = np.arange(cols.size)
    else:
        member = np.unique(visit, return_inverse=True)[1]
    # Labels: last place, departure, score, travel, cost, visited set; per depth the column
    # and parent of each label, to rebuild the best chain.
    at = np.array([here])
    time = np.array([leave])
    gained = np.zeros(1)
    travel = np.zeros(1, dtype=np.int64)
    spent = np.zeros(1, dtype=np.int64)
    seen = np.zeros((1, int(member.max()) + 1), dtype=bool)
    history: list[tuple[np.ndarray, np.ndarray]] = []
    best = (float(comp.score[segment].sum()), -old_reach, -1, -1)
    while at.size:
        leg = comp.matrix[at][:, place]
        begin = np.maximum(time[:, None] + leg, open_)
        done = begin + service
        ok = (begin <= close) & (done + to_end <= latest_reach) & ~seen[:, member]
        if capped:
            ok &= travel[:, None] + leg + to_end <= travel_left
        if comp.budget < UNLIMITED:
            ok &= spent[:, None] + cost <= budget_left
        parent, k = np.nonzero(ok)
        if parent.size == 0:
            break
        new_time = done[parent, k]
        new_gained = gained[parent] + score[k]
        # Dominance at the same last column: keep a label only if it leaves earlier than
        # every label there with at least its score.
        order = np.lexsort((new_time, -new_gained, k))
        fresh = np.ones(order.size, dtype=bool)
        fresh[1:] = k[order][1:] != k[order][:-1]
        keyed = new_time[order] - np.cumsum(fresh) * (1 << 42)
        prior = np.empty_like(keyed)
        prior[0] = 1 << 62
        prior[1:] = np.minimum.accumulate(keyed[:-1])
        order = order[(keyed < prior) | fresh]
        order = order[np.lexsort((new_time[order], -new_gained[order]))][:width]
        parent, k = parent[order], k[order]
        history.append((cols[k], parent))
        at, time, gained = place[k], new_time[order], new_gained[order]
        ends = time + to_end[k]
        first = int(np.lexsort((ends, -gained))[0])
        if (gained[first], -ends[first]) > best[:2]:
            best = (float(gained[first]), -int(ends[first]), len(history) - 1, first)
        travel = travel[parent] + leg[parent, k]
        spent = spent[parent] + cost[k]
        seen = seen[parent]
        seen[np.arange(k.size), member[k]] = True
    depth, label = best[2], best[3]
    if depth < 0:
        return False
    chain = []
    while depth >= 0:
        col, parents = history[depth]
        chain.append(int(comp.col_visit[col[label]]))
        label = int(parents[label])
        depth -= 1
    chain.reverse()
    new = seq[:lo] + chain + seq[hi:]
    new_timing = comp.schedule(r, new)
    if new_timing is None:
        return False
    for j in segment:
        plan.planned[j] = False
        plan.spent -= int(comp.cost[j])
        plan.score -= float(comp.score[j])
    for j in chain:
        plan.planned[j] = True
        plan.spent += int(comp.cost[j])
        plan.score += float(comp.score[j])
    plan.routes[r] = new
    plan.timings[r] = new_timing
    return True


def rechain_changes(plan: Plan, before: list[list[int]], longest: int = LONGEST) -> bool:
    """One pass of ``refill_gap`` over the runs of up to ``longest`` visits that touch the
    part of each route that differs from ``before`` (the routes before a perturbation):
    the full sweep costs too much for every iteration, and elsewhere nothing changed. True
    if the plan changed (the caller refreshes the rows)."""
    changed = False
    for r, old in enumerate(before):
        new = plan.routes[r]
        if new == old:
            continue
        head = 0
        while head < min(len(new), len(old)) and new[head] == old[head]:
            head += 1
        tail = 0
        while tail < min(len(new), len(old)) - head and new[-1 - tail] == old[-1 - tail]:
            tail += 1
        latest = latest_arrivals(plan, r)
        for size in range(longest + 1):
            lo = max(0, head - size)
            while lo <= len(plan.routes[r]) - max(size, tail):
                if refill_gap(plan, r, lo, lo + size, latest):
                    changed = True
                    latest = latest_arrivals(plan, r)
                lo += 1
    return changed
