"""The whole trip as one model: where each night is spent, and each day's route.

A ``Trip`` lists, per day, the ways to spend it (``DayOption``: from the night's hub before
to the one after, perhaps around a scheduled ride, with a penalty for a gateway night and
counts for the nights per city). ``plan_trip`` generates day routes (columns) with the
local search and lets the CP-SAT master (``solver.master``) choose one per day so that the
hubs chain, every visit is planned once, the budget and must-visits hold: the split of the
nights falls out of the model. It iterates (master -> search the chosen days from the
master's routes -> more columns -> master) and stops when the chosen days have been
searched and the best trip of another chain is not close (a rule that reads no clock);
the time limit only bounds it, and ``converged`` says which stopped it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from time import perf_counter

import numpy as np

from solver.balance import balance
from solver.construct import fill, fill_exact, insert_required
from solver.engine import Compiled, Plan, visits_of
from solver.explain import to_solution
from solver.master import Column, Master, Option, Selection, select
from solver.params import SolveParams
from solver.problem import Problem, Tour, Visit
from solver.search import construct, iterated_local_search
from solver.solution import Progress, Solution


@dataclass(frozen=True)
class DayOption:
    """One way to spend day ``day``: its tours (two around a ride), the chain states it
    starts and ends at, a ``penalty`` on the score, ``counts`` of the trip's counted
    quantities, the visits it may not do (``excluded``; their windows opening within
    ``span``, the day's minutes, are dropped), and the minutes of visiting its tour should
    hold (``want``: visits move to it from days with time to spare; ``solver.balance``).
    ``short``: what a day route of the option loses in the master when its road leaves
    too little of the tour's window for ``want`` (the window less the road, and less the
    break unless a visit hosts it): no stay or balancing can give that day its hours."""

    day: int
    start: int
    end: int
    tours: tuple[Tour, ...]
    span: tuple[int, int]
    penalty: int = 0
    counts: tuple[int, ...] = ()
    excluded: frozenset[int] = frozenset()
    want: int = 0
    short: int = 0

    def holding_road(self, hosted: bool) -> int | None:
        """The most road that leaves the day its ``want`` (the window less the want, and
        less the break unless ``hosted``, a visit of the day hosting it); None where the
        option holds no day to its want (``short`` 0, no want, or two tours)."""
        if not self.short or not self.want or len(self.tours) != 1:
            return None
        tour = self.tours[0]
        lunch = tour.break_.duration if tour.break_ is not None and not hosted else 0
        return tour.latest_end - tour.earliest_start - lunch - self.want


@dataclass(frozen=True)
class Trip:
    travel: tuple[tuple[int, ...], ...]
    visits: tuple[Visit, ...]
    options: tuple[DayOption, ...]
    budget: int | None = None
    bounds: tuple[tuple[int, int], ...] = ()  # (low, high) of each counted quantity
    days: int = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "days", 1 + max(o.day for o in self.options))

    def problem(self, path: Sequence[int], budget: int | None = None) -> Problem:
        """The solver problem of one option per day."""
        chosen = [self.options[o] for o in path]
        visits = []
        for j, visit in enumerate(self.visits):
            spans = [o.span for o in chosen if j in o.excluded]
            if spans:
                windows = tuple(
                    w for w in visit.windows if not any(lo <= w[0] < hi for lo, hi in spans)
                )
                visit = replace(visit, windows=windows)
            visits.append(visit)
        return Problem(
            travel=self.travel,
            visits=tuple(visits),
            tours=tuple(t for o in chosen for t in o.tours),
            budget=self.budget if budget is None else budget,
        )


@dataclass(frozen=True)
class TripParams:
    """How hard to look. Every stop rule counts iterations or CP-SAT's deterministic time,
    so the same trip gives the same plan; ``time_limit`` only bounds the whole solve."""

    time_limit: float = 1.0
    seed: int = 0
    # ILS iterations without a better plan before a chain of days counts as searched.
    patience: int = 150
    # Chains the master proposes first, each seeded with its greedy plan (a probe), each
    # proposal for at most ``probe_work`` of CP-SAT's deterministic time.
    probes: int = 8
    probe_work: float = 0.05
    # Other chains searched when their best trip over the columns so far is this close.
    explore_within: float = 0.08
    explore: int = 2  # at most this many other chains
    master_work: float = 0.2
    progress_every: float = 0.25


@dataclass(frozen=True)
class TripPlan:
    """The option chosen for each day, that path's problem and its solution."""

    path: tuple[int, ...]
    problem: Problem
    solution: Solution


class _Columns:
    """Day routes per option, harvested from every plan the search keeps; a route of a
    one-tour option is offered to every other one-tour option it fits (another date, the
    same hubs)."""

    def __init__(self, trip: Trip) -> None:
        self.trip = trip
        # All options' tours as one problem: its compiled form checks a route on any tour.
        self.tour_index: list[list[int]] = []
        tours: list[Tour] = []
        for option in trip.options:
            self.tour_index.append(list(range(len(tours), len(tours) + len(option.tours))))
            tours.extend(option.tours)
        self.all = Compiled(Problem(trip.travel, trip.visits, tuple(tours), trip.budget))
        self.columns: dict[tuple[int, frozenset[int]], tuple[int, tuple[list[int], ...]]] = {}
        self.grown = False
        self.path: tuple[int, ...] = ()
        self.comp: Compiled | None = None

    def keep(self, option: int, routes: tuple[list[int], ...], travel: int) -> None:
        members = frozenset(j for route in routes for j in route)
        known = self.columns.get((option, members))
        if known is None or travel < known[0]:
            self.columns[(option, members)] = (travel, routes)
            self.grown = True

    def offer(self, option: int, route: list[int]) -> None:
        """Keep a single route wherever it fits, as it is ordered."""
        members = set(route)
        comp = self.all
        for o, opt in enumerate(self.trip.options):
            if len(opt.tours) != 1 or (o != option and members & opt.excluded):
                continue
            if o != option and (o, frozenset(route)) in self.columns:
                continue
            r = self.tour_index[o][0]
            fitted = comp.timed(r, route)
            if fitted is not None:
                self.keep(o, (list(route),), fitted[1].travel)

    def seed_singles(self) -> None:
        """A visit that only one way of spending its day makes possible (one option of
        the day fits it alone, no other with the same hubs does: a longer cap on the road,
        say) is a column of that option on its own: the greedy day of the option would rank
        it among the others and may leave it out, and without a column of its own the
        master never sees what the option is for."""
        options = self.trip.options
        alone = self.all.alone
        for o, option in enumerate(options):
            if len(option.tours) != 1:
                continue
            twins = [
                self.tour_index[t][0]
                for t, other in enumerate(options)
                if t != o and len(other.tours) == 1 and other.day == option.day
                and (other.start, other.end) == (option.start, option.end)
            ]  # fmt: skip
            if not twins:
                continue
            only = alone[self.tour_index[o][0]] & ~alone[twins].any(axis=0)
            for j in np.flatnonzero(only):
                if int(j) not in option.excluded:
                    self.offer(o, [int(j)])

    def add(self, plan: Plan) -> None:
        """The routes of a plan of the current path, one column per day."""
        at = 0
        for o in self.path:
            count = len(self.trip.options[o].tours)
            routes = tuple(visits_of(plan.routes[at + k]) for k in range(count))
            if count == 1:
                if routes[0]:
                    self.offer(o, routes[0])
            else:
                self.keep(o, routes, sum(plan.timings[at + k].travel for k in range(count)))
            at += count

    def master(
        self,
        path: Sequence[int] | None = None,
        exclude: Sequence[Sequence[int]] = (),
        distinct_from: Sequence[frozenset[int]] = (),
        differ: int = 1,
        budget: int | None = None,
        share: float = 1.0,
    ) -> tuple[Master, list[tuple[int, frozenset[int]]]]:
        """The master over the columns (of ``path``'s options only, when given), with
        chains to avoid; empty days are always columns."""
        trip = self.trip
        allowed = set(range(len(trip.options))) if path is None else set(path)
        for o in allowed:
            self.columns.setdefault(
                (o, frozenset()), (0, tuple([] for _ in trip.options[o].tours))
            )
        keys = [k for k in self.columns if k[0] in allowed]
        score = [v.score for v in trip.visits]
        cost = [v.cost for v in trip.visits]
        columns = [
            Column(o, members,
                   sum(score[j] for j in members) - self.shortfall(o, members),
                   sum(cost[j] for j in members), self.columns[(o, members)][0])
            for o, members in keys
        ]  # fmt: skip
        options = [
            Option(day=o.day if i in allowed else None, most=1 if i in allowed else 0,
                   start=o.start, end=o.end, penalty=o.penalty, counts=o.counts)
            for i, o in enumerate(trip.options)
        ]  # fmt: skip
        chains = [frozenset(p) for p in exclude]
        master = Master(
            options,
            columns,
            required=frozenset(j for j, v in enumerate(trip.visits) if v.required),
            budget=trip.budget if budget is None else budget,
            bounds=trip.bounds,
            distinct_from=distinct_from,
            differ=differ,
            share=share,
            exclude_options=chains,
        )
        return master, keys

    def shortfall(self, o: int, members: frozenset[int]) -> int:
        """``DayOption.short`` if the column's day cannot hold the option's ``want``."""
        option = self.trip.options[o]
        most = option.holding_road(any(self.trip.visits[j].meal for j in members))
        held = most is None or not members or self.columns[(o, members)][0] <= most
        return 0 if held else option.short

    def recombine(self, best: Plan, work: float, seconds: float, seed: int) -> Plan | None:
        """Within the current path: the master's best routes, if they beat ``best``."""
        self.grown = False
        self.add(best)
        master, keys = self.master(self.path)
        selection = select(master, self.hint(keys, best), work=work, seconds=seconds, seed=seed)
        if selection is None or selection.score <= int(best.score) - self.penalty():
            return None
        assert self.comp is not None
        return self.plan_of(self.comp, self.chosen(keys, selection))

    def penalty(self) -> int:
        return sum(self.trip.options[o].penalty for o in self.path)

    def hint(self, keys: list[tuple[int, frozenset[int]]], plan: Plan) -> list[int]:
        index = {k: i for i, k in enumerate(keys)}
        hint, at = [], 0
        for o in self.path:
            count = len(self.trip.options[o].tours)
            members = frozenset(j for k in range(count) for j in visits_of(plan.routes[at + k]))
            if (o, members) in index:
                hint.append(index[(o, members)])
            at += count
        return hint

    def plan_of(self, comp: Compiled, chosen: Chosen) -> Plan:
        """The plan of the chosen columns, on the problem of their path."""
        routes = [list(route) for key in chosen for route in self.columns[key][1]]
        return Plan.from_routes(comp, routes)

    def chosen(self, keys: list[tuple[int, frozenset[int]]], selection: Selection) -> Chosen:
        """The selected columns, in day order."""
        picked = [keys[i] for i in selection.columns]
        return tuple(sorted(picked, key=lambda k: self.trip.options[k[0]].day))


Chosen = tuple[tuple[int, frozenset[int]], ...]  # (option, visits) of each day, in order


def plan_trip(
    trip: Trip,
    params: TripParams = TripParams(),
    on_progress: Callable[[Progress], None] | None = None,
    distinct_from: Sequence[frozenset[int]] = (),
    differ: int = 1,
    budget: int | None = None,
    share: float = 1.0,
) -> TripPlan | None:
    """The best trip found; None when no chain of options exists (or none is distinct
    enough from ``distinct_from``: the alternatives, the packages; ``Master.share``).
    ``on_progress`` hears one stream:
    the best score never goes down, the elapsed time never back."""
    started = perf_counter()
    deadline = started + params.time_limit
    best_score = -1
    iterations = 0

    def report(score: int) -> None:
        nonlocal best_score
        best_score = max(best_score, score)
        if on_progress is not None:
            on_progress(Progress(iterations, best_score, perf_counter() - started))

    pool = _Columns(trip)
    # Seed columns: each option's greedy day on its own.
    for o in range(len(trip.options)):
        pool.path = (o,)
        plan = construct(Compiled(trip.problem((o,), budget)))
        pool.add(plan)
    pool.seed_singles()
    best: tuple[tuple[int, int, int], Chosen] | None = None
    explored, converged = 0, False
    search = SolveParams(
        time_limit=params.time_limit, seed=params.seed, patience=params.patience,
        progress_every=params.progress_every, master_work=params.master_work,
    )  # fmt: skip

    def choose(
        avoid: Sequence[Sequence[int]] = (), work: float = params.master_work
    ) -> tuple[tuple[int, int, int], Chosen] | None:
        master, keys = pool.master(None, avoid, distinct_from, differ, budget, share)
        # (The first selection may overrun the limit: without it there is no plan at all.)
        left = max(0.05 if best is None else 0.01, deadline - perf_counter())
        # The best so far is a selection to start from (unless its chain is avoided).
        index = {key: i for i, key in enumerate(keys)}
        hint = [index[key] for key in best[1]] if best is not None else []
        selection = select(master, hint, work=work, seconds=left, seed=params.seed)
        if selection is None:
            return None
        value = (selection.required, selection.score, -selection.travel)
        return value, pool.chosen(keys, selection)

    # Probes: the master's best chains in turn, each given its greedy plan as columns, so
    # that every promising split of the nights is judged on a coherent plan.
    probed: list[tuple[int, ...]] = []
    while len(probed) < params.probes and (not probed or perf_counter() < deadline):
        found = choose(probed, params.probe_work)
        if found is None:
            break
        if best is None or found[0] > best[0]:
            best = found
        path = tuple(o for o, _ in found[1])
        probed.append(path)
        pool.path = path
        pool.add(construct(Compiled(trip.problem(path, budget))))
    searched: list[tuple[int, ...]] = []
    while perf_counter() < deadline:
        found = choose()
        if found is None:
            break
        if best is None or found[0] > best[0]:
            best = found
            report(found[0][1])
        chosen = found[1]
        path = tuple(o for o, _ in chosen)
        if path in searched:
            # The best chain is searched: look at the best other chain, if it is close.
            other = choose(searched)
            close = other is not None and (other[0][0], other[0][1]) >= (
                best[0][0],
                (1 - params.explore_within) * best[0][1],
            )
            if other is None or not close or explored >= params.explore:
                converged = True
                break
            explored += 1
            chosen = other[1]
            path = tuple(o for o, _ in chosen)
        searched.append(path)
        # Search this chain from the master's routes; its plans feed the columns.
        comp = Compiled(trip.problem(path, budget))
        pool.path, pool.comp = path, comp
        start = pool.plan_of(comp, chosen)
        fill(start)

        def heard(iteration: int, score: int, seen: int = iterations) -> None:
            nonlocal iterations
            iterations = seen + iteration
            report(score - pool.penalty())

        before = iterations
        plan, count, _ = iterated_local_search(comp, search, deadline, heard, start, pool)
        iterations = before + count
        pool.add(plan)
    if best is None:
        return None
    # The best selection over every column (it holds the last searches' routes too).
    final = choose()
    if final is not None and final[0] >= best[0]:
        best = final
    chosen = best[1]
    path = tuple(o for o, _ in chosen)
    problem = trip.problem(path, budget)
    comp = Compiled(problem)
    plan = pool.plan_of(comp, chosen)
    insert_required(plan)
    # Topping up keeps each day that holds its hours holding them (``DayOption.short``).
    capped = list(comp.t_max_travel)
    comp.t_max_travel[:] = _holding(trip, path, plan)
    plan.refresh_all()
    if share == 1.0:
        fill(plan)
        fill_exact(plan)
    else:  # (only visits in no earlier trip: they add nothing to any overlap)
        fresh = np.ones(comp.n, dtype=bool)
        fresh[[j for earlier in distinct_from for j in earlier]] = False
        fill(plan, allowed=fresh)
    comp.t_max_travel[:] = capped
    plan.refresh_all()
    # The same visits, spread so that each day holds the visiting it wants where it can.
    wants = [trip.options[o].want if len(trip.options[o].tours) == 1 else 0 for o in path]
    balance(plan, [w for o, w in zip(path, wants, strict=True) for _ in trip.options[o].tours])
    pool.path = path
    report(int(plan.score) - pool.penalty())
    solution = to_solution(
        comp, plan, perf_counter() - started, iterations, "trip", converged=converged
    )
    return TripPlan(path, problem, solution)


def _holding(trip: Trip, path: Sequence[int], plan: Plan) -> list[int]:
    """Per tour of the path, its cap on the road, lowered where the day holds its
    option's ``want`` now to ``DayOption.holding_road``, so topping up keeps it held."""
    comp, caps, r = plan.comp, [], 0
    for o in path:
        option = trip.options[o]
        for _ in option.tours:
            hosted = any(trip.visits[j].meal for j in visits_of(plan.routes[r]))
            most = option.holding_road(hosted)
            cap = comp.t_max_travel[r]
            if most is not None and plan.timings[r].travel <= most:
                cap = min(cap, most)
            caps.append(cap)
            r += 1
    return caps
