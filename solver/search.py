"""Iterated local search: perturb (``destroy.py``), refill greedily, re-chain what
changed (``chain.py``), swap, keep the best.

After Vansteenwegen, Souffriau, Vanden Berghe & Van Oudheusden (2009), "Iterated local
search for the team orienteering problem with time windows", extended with what measured
better: randomised insertion ratios, related removal and day reseeding chosen by adaptive
weights (as in ALNS), beam-searched chains around the perturbed part of each route, swaps
for better unplanned visits, 2-opt/relocate polishing of each new best, and restarts from
the best plan when the search stalls.
"""

from __future__ import annotations

from collections.abc import Callable
from time import perf_counter

import numpy as np

from solver.chain import rechain_changes
from solver.construct import fill, insert_required
from solver.destroy import DESTROYS
from solver.engine import Compiled, Plan
from solver.improve import replace_once, shorten_all
from solver.params import SolveParams
from solver.pool import Pool, Routes


def construct(comp: Compiled) -> Plan:
    """The deterministic greedy start: required visits, then best ratio first."""
    plan = Plan(comp)
    insert_required(plan)
    fill(plan)
    return plan


def polish(plan: Plan) -> None:
    """Shorten the routes (2-opt, relocate) and refill while that gains score."""
    while shorten_all(plan):
        before = plan.score
        fill(plan)
        if plan.score == before:
            return


def iterated_local_search(
    comp: Compiled,
    params: SolveParams,
    deadline: float,
    report: Callable[[int, int], None],
    start: Plan | None = None,
    pool: Routes | None = None,
) -> tuple[Plan, int, bool]:
    """Run until converged (``params.patience`` iterations without a better plan), the
    iteration budget or ``deadline`` (perf_counter); return the best plan, the number of
    iterations and whether the search converged (rather than the clock or the budget
    stopping it). ``report(iteration, best score)`` is called on each new best and at
    least every ``params.progress_every`` seconds. ``start``: the plan to search from (else
    the greedy construction); ``pool``: where the routes seen go and which recombines them
    (else a ``Pool`` of this problem's tours when ``params.recombine``)."""
    rng = np.random.default_rng(params.seed)
    plan = construct(comp) if start is None else start.copy()
    best = plan.copy()
    report(0, int(best.score))
    reported = perf_counter()
    limit = params.max_iterations
    destroys = params.destroys
    # Adaptive choice (as in ALNS): an operator's weight follows its recent rewards.
    weights = np.ones(len(destroys))
    # Vansteenwegen's shake schedule: the run length grows up to a share of the average
    # route, the start position walks along the routes.
    size, position, stale, iteration = 1, 0, 0, 0
    # Every visit some day could do is planned: nothing left to find.
    bound = float(comp.score[comp.alone.any(axis=0)].sum())
    if pool is None and params.recombine:
        pool = Pool(comp, params.pool_limit)
    since_best = 0  # iterations since the best plan last improved
    converged = False
    while (limit is None or iteration < limit) and perf_counter() < deadline:
        if best.score >= bound or (params.patience is not None and since_best >= params.patience):
            converged = True
            break
        iteration += 1
        since_best += 1
        average = sum(len(route) for route in plan.routes) / comp.tours
        longest = max(2, round(params.shake_share * average))
        before = plan.score
        # On long routes the random walk drifts off: there, only keep plans near the last
        # (the plan to go back to, and the score below which to go back).
        guard = None
        if params.accept_within is not None and average >= params.long_route:
            guard = plan.copy(), before - params.accept_within * best.score
        chosen = int(rng.choice(len(destroys), p=weights / weights.sum()))
        routes = [list(route) for route in plan.routes]
        DESTROYS[destroys[chosen]](plan, rng, size, position)
        plan.refresh_all()
        insert_required(plan)
        low, high = params.power_range
        fill(plan, rng, params.noise, float(rng.uniform(low, high)))
        # Re-chain around what changed (beam search): the strongest move on long routes; on
        # short ones greedy refills are near exact and more iterations pay better.
        if average >= params.chain_route and rechain_changes(plan, routes):
            plan.refresh_all()
            fill(plan)
        # Swaps cost a row evaluation per planned visit: spend them on promising plans.
        if plan.score >= (1.0 - params.replace_within) * best.score:
            while replace_once(plan):
                fill(plan)
        if pool is not None and plan.score >= (1.0 - params.pool_within) * best.score:
            pool.add(plan)
        reward = 4.0 if plan.score > best.score else 1.0 if plan.score >= before else 0.0
        weights[chosen] = max(0.05, (1 - params.adapt) * weights[chosen] + params.adapt * reward)
        if plan.score > best.score:
            polish(plan)
            best = plan.copy()
            report(iteration, int(best.score))
            reported = perf_counter()
            size, stale, since_best = 1, 0, 0
        else:
            stale += 1
            size += 1
            if guard is not None and plan.score < guard[1]:
                plan = guard[0]
            if perf_counter() - reported >= params.progress_every:
                report(iteration, int(best.score))
                reported = perf_counter()
        position += size
        if size > longest:
            size = 1
        # Every few iterations without a better plan, the master may find one among the
        # routes seen so far; it then becomes the plan to search from.
        if pool is not None and pool.grown and stale and stale % params.master_every == 0:
            better = _recombined(pool, best, params, deadline)
            if better is not None:
                best, plan, since_best = better, better.copy(), 0
                size, stale = 1, 0
                report(iteration, int(best.score))
                reported = perf_counter()
        if stale >= params.restart_after:
            plan = best.copy()
            stale = 0
            position = int(rng.integers(0, 1 << 16))
    if pool is not None and pool.grown and perf_counter() < deadline:
        best = _recombined(pool, best, params, deadline) or best
    return best, iteration, converged


def _recombined(pool: Routes, best: Plan, params: SolveParams, deadline: float) -> Plan | None:
    """The master's plan over the pool, refilled and polished, if it beats the best."""
    found = pool.recombine(best, params.master_work, deadline - perf_counter(), params.seed)
    if found is None:
        return None
    fill(found)
    polish(found)
    return found if found.score > best.score else None
