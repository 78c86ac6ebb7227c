"""The routes the local search has seen, recombined by the CP-SAT master.

Every route of every plan near the best is kept once per (tour shape, visit set), with its
shortest travel; when the search stalls, ``solver.master`` picks the best disjoint routes
from the pool, one per tour (identical tours share their routes). This is ILS + set packing
(after Subramanian, Uchoa & Ochi 2013): the local search finds good days, the exact master
finds the best trip they combine into, which no single local optimum held.
"""

from __future__ import annotations

from typing import Protocol

from solver.engine import UNLIMITED, Compiled, Plan, visits_of
from solver.master import Column, Master, Option, select


class Routes(Protocol):
    """What the local search hands its plans to, and asks for a recombined plan."""

    grown: bool  # routes were added since the last recombination

    def add(self, plan: Plan) -> None: ...

    def recombine(self, best: Plan, work: float, seconds: float, seed: int) -> Plan | None: ...


class Pool:
    """Routes per tour shape; ``recombine`` returns a better plan when the pool holds one."""

    def __init__(self, comp: Compiled, limit: int) -> None:
        self.comp = comp
        self.limit = limit
        # Tours with the same places, times, break and travel cap share a shape.
        shapes: dict[tuple[object, ...], int] = {}
        self.shape = []
        for r in range(comp.tours):
            key = (comp.t_start[r], comp.t_end[r], comp.t_begin[r], comp.t_finish[r],
                   comp.t_break[r], comp.t_max_travel[r])  # fmt: skip
            self.shape.append(shapes.setdefault(key, len(shapes)))
        self.options = [Option(most=self.shape.count(s)) for s in range(len(shapes))]
        self.tour_of = [self.shape.index(s) for s in range(len(shapes))]  # one tour per shape
        self.routes: dict[tuple[int, frozenset[int]], tuple[int, list[int]]] = {}
        self.grown = False

    def add(self, plan: Plan) -> None:
        """Keep each route of the plan (the shortest one per shape and visit set), and
        offer it to every other tour shape it fits in the same order (a day route of one
        date is often a good day on another: the master chooses the date)."""
        comp = self.comp
        for r, route in enumerate(plan.routes):
            visits = visits_of(route)
            if not visits:
                continue
            members = frozenset(visits)
            if (self.shape[r], members) in self.routes:
                self._keep(self.shape[r], members, plan.timings[r].travel, visits)
                continue
            for shape, tour in enumerate(self.tour_of):
                fitted = comp.timed(tour, visits)
                if fitted is not None:
                    self._keep(shape, members, fitted[1].travel, visits)

    def _keep(self, shape: int, members: frozenset[int], travel: int, visits: list[int]) -> None:
        known = self.routes.get((shape, members))
        if known is None and len(self.routes) >= self.limit:
            return
        if known is None or travel < known[0]:
            self.routes[(shape, members)] = (travel, visits)
            self.grown = True

    def recombine(self, best: Plan, work: float, seconds: float, seed: int) -> Plan | None:
        """The best plan the pool's routes make, if it beats ``best``."""
        self.grown = False
        self.add(best)
        comp = self.comp
        keys = list(self.routes)
        columns = [
            Column(
                option=shape,
                visits=visits,
                score=int(sum(comp.score[j] for j in visits)),
                cost=int(sum(comp.cost[j] for j in visits)),
                travel=self.routes[(shape, visits)][0],
            )
            for shape, visits in keys
        ]
        index = {key: i for i, key in enumerate(keys)}
        hint = [
            index[(self.shape[r], frozenset(visits_of(route)))]
            for r, route in enumerate(best.routes)
            if visits_of(route)
        ]
        master = Master(
            self.options,
            columns,
            required=frozenset(j for j in range(comp.n) if comp.required[j]),
            budget=None if comp.budget >= UNLIMITED else comp.budget,
        )
        selection = select(master, hint, work=work, seconds=seconds, seed=seed)
        if selection is None:
            return None
        required = sum(1 for j in range(comp.n) if comp.required[j] and best.planned[j])
        if (selection.required, selection.score) <= (required, int(best.score)):
            return None
        # Hand each chosen route to a free tour of its shape.
        free = {s: [r for r in range(comp.tours) if self.shape[r] == s] for s in set(self.shape)}
        routes: list[list[int]] = [[] for _ in range(comp.tours)]
        for i in selection.columns:
            shape, _ = keys[i]
            routes[free[shape].pop(0)] = self.routes[keys[i]][1]
        return Plan.from_routes(comp, routes)
