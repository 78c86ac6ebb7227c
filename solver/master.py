"""The trip-level master: choose day routes (columns) from a pool with OR-Tools CP-SAT.

A column is one route for one *option*: a tour shape (the same tour repeated, in TOPTW) or
one way to spend a trip day (from a night's hub to the next one's, around a ride). The
master picks columns so that

- each day takes exactly one of its options, and the hubs chain night to night (the end
  state of day d is the start state of day d + 1), or, for options with no day, at most
  ``Option.most`` columns (identical tours);
- each visit is planned at most once, each required visit if it can be (they come first in
  the objective), the ticket budget holds, and the counted quantities (nights per city,
  gateway nights) stay within their bounds;
- optional caps (total travel, total cost) and distinctness from earlier selections hold:
  the alternatives are re-solves of the same model;

maximising required visits placed, then score less option penalties, then less travel.

Set packing over a pool of good routes is where an exact engine beats local search: it
recombines routes found in different local optima (a day route of one plan with those of
another) and proves that no better combination exists. The model is built as a protobuf
through ``cp_model_helper`` rather than ``cp_model``: the latter imports pandas, a
1.2 s start-up a 1 s solve cannot afford. It runs on one worker with a fixed seed and stops
on CP-SAT's deterministic time, so the same pool gives the same selection on any machine
load; a wall-clock limit only guards the request's time limit.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from ortools.sat.python import cp_model_helper as cmh


@dataclass(frozen=True)
class Option:
    """What columns are built for. ``day``: the trip day it spends (exactly one option per
    day); None for a pool of ``most`` identical tours. ``start``/``end``: chain states (the
    night's hub before and after). ``penalty`` is subtracted from the score when chosen;
    ``counts`` adds to the counted quantities of ``Master.bounds``."""

    most: int = 1
    day: int | None = None
    start: int | None = None
    end: int | None = None
    penalty: int = 0
    counts: tuple[int, ...] = ()


@dataclass(frozen=True)
class Column:
    """One route (or the two routes of a day around a ride) for ``option``."""

    option: int
    visits: frozenset[int]
    score: int
    cost: int
    travel: int


@dataclass(frozen=True)
class Master:
    """The selection problem over a column pool."""

    options: Sequence[Option]
    columns: Sequence[Column]
    required: frozenset[int] = frozenset()
    budget: int | None = None
    bounds: Sequence[tuple[int, int]] = ()  # (low, high) per counted quantity
    max_travel: int | None = None
    max_cost: int | None = None
    # Each earlier selection's visits, of which at most ``len - differ`` may be kept, and
    # at most ``share`` of them (a half keeps the Jaccard overlap of two trips <= 0.5).
    distinct_from: Sequence[frozenset[int]] = ()
    differ: int = 1
    share: float = 1.0
    # Sets of options that may not all be chosen together (chains already searched).
    exclude_options: Sequence[frozenset[int]] = ()
    days: int = field(init=False)  # how many trip days the options span

    def __post_init__(self) -> None:
        days = {o.day for o in self.options if o.day is not None}
        if days and days != set(range(len(days))):
            raise ValueError("option days must be 0..D-1.")
        object.__setattr__(self, "days", len(days))
        for c in self.columns:
            if not 0 <= c.option < len(self.options):
                raise ValueError(f"column of unknown option {c.option}.")
        for o in self.options:
            if o.counts and len(o.counts) != len(self.bounds):
                raise ValueError("an option's counts must match the bounds.")


@dataclass(frozen=True)
class Selection:
    """The chosen columns (indices into ``Master.columns``), in day order for trips."""

    columns: tuple[int, ...]
    required: int
    score: int  # less penalties
    travel: int
    cost: int
    optimal: bool  # proved best over the pool
    work: float  # CP-SAT deterministic time spent


def count(option: Option, k: int) -> int:
    """What choosing the option adds to counted quantity ``k`` (no counts: nothing)."""
    return option.counts[k] if option.counts else 0


def value(master: Master, chosen: Iterable[int]) -> tuple[int, int, int]:
    """(required placed, score less penalties, -travel) of a set of columns: the order
    the master maximises in."""
    cols = [master.columns[i] for i in chosen]
    visits = frozenset().union(*(c.visits for c in cols)) if cols else frozenset()
    penalty = sum(master.options[c.option].penalty for c in cols)
    return (
        len(visits & master.required),
        sum(c.score for c in cols) - penalty,
        -sum(c.travel for c in cols),
    )


def select(
    master: Master,
    hint: Sequence[int] = (),
    work: float = 1.0,
    seconds: float = 10.0,
    seed: int = 0,
) -> Selection | None:
    """The best selection, or None when none exists (no chain of options, or the caps
    cannot hold). ``hint``: a selection to start from (the current best plan's columns).
    ``work`` bounds CP-SAT's deterministic time; ``seconds`` its wall time (a guard)."""
    model = cmh.CpModelProto()
    n = len(master.columns)
    for _ in range(n):
        model.variables.add().domain.extend([0, 1])

    def linear(terms: Iterable[tuple[int, int]], low: int, high: int) -> None:
        pairs = [(v, k) for v, k in terms if k]
        if not pairs and low <= 0 <= high:
            return
        constraint = model.constraints.add().linear
        constraint.vars.extend(v for v, _ in pairs)
        constraint.coeffs.extend(k for _, k in pairs)
        constraint.domain.extend([low, high])

    by_option: dict[int, list[int]] = {}
    for i, c in enumerate(master.columns):
        by_option.setdefault(c.option, []).append(i)
    for o, option in enumerate(master.options):
        if option.day is None:
            linear(((i, 1) for i in by_option.get(o, [])), 0, option.most)
    day_options: list[list[int]] = [[] for _ in range(master.days)]
    for o, option in enumerate(master.options):
        if option.day is not None:
            day_options[option.day].append(o)
    for d, options in enumerate(day_options):
        linear(((i, 1) for o in options for i in by_option.get(o, [])), 1, 1)
        if d + 1 < master.days:  # what day d ends at, day d + 1 starts from
            ends = {master.options[o].end for o in options}
            starts = {master.options[o].start for o in day_options[d + 1]}
            for state in ends | starts:
                terms = [
                    (i, 1)
                    for o in options
                    if master.options[o].end == state
                    for i in by_option.get(o, [])
                ] + [
                    (i, -1)
                    for o in day_options[d + 1]
                    if master.options[o].start == state
                    for i in by_option.get(o, [])
                ]
                linear(terms, 0, 0)
    covering: dict[int, list[int]] = {}
    for i, c in enumerate(master.columns):
        for j in c.visits:
            covering.setdefault(j, []).append(i)
    for users in covering.values():
        if len(users) > 1:
            linear(((i, 1) for i in users), 0, 1)
    costs = [(i, c.cost) for i, c in enumerate(master.columns)]
    if master.budget is not None:
        linear(costs, 0, master.budget)
    if master.max_cost is not None:
        linear(costs, 0, master.max_cost)
    if master.max_travel is not None:
        linear(((i, c.travel) for i, c in enumerate(master.columns)), 0, master.max_travel)
    for k, (low, high) in enumerate(master.bounds):
        linear(((i, count(master.options[c.option], k)) for i, c in enumerate(master.columns)),
               low, high)  # fmt: skip
    for chain in master.exclude_options:
        linear(((i, 1) for i, c in enumerate(master.columns) if c.option in chain), 0,
               len(chain) - 1)  # fmt: skip
    for earlier in master.distinct_from:
        kept = [(i, len(c.visits & earlier)) for i, c in enumerate(master.columns)]
        most = min(len(earlier) - master.differ, int(len(earlier) * master.share))
        linear(kept, 0, max(0, most))

    # Lexicographic weights: travel < one point of score < one required visit.
    most_travel = 1 + sum(
        max((master.columns[i].travel for i in by_option.get(o, [])), default=0)
        * (1 if option.day is not None else option.most)
        for o, option in enumerate(master.options)
    )
    # One required visit outweighs any difference in the rest: the score term of two
    # selections differs by less than (scores + penalties + 1) x most_travel.
    most_penalty = sum(
        option.penalty * (1 if option.day is not None else option.most)
        for option in master.options
    )
    spread = sum(abs(c.score) for c in master.columns) + most_penalty + 1
    most_score = spread * most_travel
    objective = model.objective
    for i, c in enumerate(master.columns):
        gain = (c.score - master.options[c.option].penalty) * most_travel - c.travel
        gain += len(c.visits & master.required) * most_score
        objective.vars.append(i)
        objective.coeffs.append(-gain)  # CP-SAT minimises
    if hint:
        chosen = set(hint)
        model.solution_hint.vars.extend(range(n))
        model.solution_hint.values.extend(1 if i in chosen else 0 for i in range(n))

    params = cmh.SatParameters()
    params.num_workers = 1
    params.random_seed = seed
    params.max_deterministic_time = work
    params.max_time_in_seconds = max(0.01, seconds)
    solver = cmh.SolveWrapper()
    solver.set_parameters(params)
    response = solver.solve(model)
    if response.status not in (cmh.CpSolverStatus.OPTIMAL, cmh.CpSolverStatus.FEASIBLE):
        return None
    picked = [i for i in range(n) if response.solution[i]]
    picked.sort(key=lambda i: (master.options[master.columns[i].option].day or 0, i))
    required, score, travel = value(master, picked)
    return Selection(
        columns=tuple(picked),
        required=required,
        score=score,
        travel=-travel,
        cost=sum(master.columns[i].cost for i in picked),
        optimal=response.status == cmh.CpSolverStatus.OPTIMAL,
        work=response.deterministic_time,
    )
