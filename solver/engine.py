"""The search state: a problem compiled into flat arrays, and a plan of routes over it.

Why numpy: evaluating every (unplanned visit, position) insertion of a route is the inner
loop of construction and of the local search; done as one array expression per route it is
far faster than Python loops (a 288-spot row costs ~70 microseconds). Exact schedules (the
truth) are recomputed in plain Python per route after every change.

A route is a list of node ids: visit indices, and ``BREAK`` for the tour's break, which is
taken at the place of the node before it.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from solver.problem import Problem

BREAK = -1
# Far above any time in minutes (or scaled TOPTW units), far below int64 overflow when
# packed with a position (< 4096) in ``Plan.insertions``.
INFEASIBLE = 1 << 40
UNLIMITED = 1 << 60


def visits_of(route: list[int]) -> list[int]:
    """The visit nodes of a route, without the break."""
    return [node for node in route if node != BREAK]


@dataclass(frozen=True)
class Timing:
    """The earliest schedule of one route; ``close`` is the latest start in the window
    used, from which the maximum delay (``shift``) of every node is derived."""

    places: list[int]
    arrival: list[int]
    start: list[int]
    departure: list[int]
    close: list[int]
    end_arrival: int
    travel: int


class Compiled:
    """The problem as flat lists (for exact per-route work) and arrays (for vectorised
    insertion); every visit window is a separate column of the arrays."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        visits = problem.visits
        self.n = len(visits)
        self.tours = len(problem.tours)
        self.rows = [list(row) for row in problem.travel]
        self.matrix = np.array(problem.travel, dtype=np.int64).reshape(len(self.rows), -1)
        self.place = [v.place for v in visits]
        self.service = [v.service for v in visits]
        self.score = np.array([v.score for v in visits], dtype=np.float64)
        self.cost = np.array([v.cost for v in visits], dtype=np.int64)
        self.required = [v.required for v in visits]
        self.meal = [v.meal for v in visits]
        windows = [v.start_windows() for v in visits]
        self.opens = [[o for o, _ in w] for w in windows]
        self.closes = [[c for _, c in w] for w in windows]
        col_visit = [j for j, w in enumerate(windows) for _ in w]
        self.col_visit = np.array(col_visit, dtype=np.int64)
        self.col_place = np.array([self.place[j] for j in col_visit], dtype=np.int64)
        self.col_service = np.array([self.service[j] for j in col_visit], dtype=np.int64)
        self.col_open = np.array([o for w in windows for o, _ in w], dtype=np.int64)
        self.col_close = np.array([c for w in windows for _, c in w], dtype=np.int64)
        self.col_meal = np.array([self.meal[j] for j in col_visit], dtype=bool)
        self.single_window = all(len(w) == 1 for w in windows)
        self.col_index = np.arange(len(col_visit))
        self.to_cols = self.matrix[:, self.col_place]
        self.from_cols = np.ascontiguousarray(self.matrix[self.col_place, :].T)
        self.has_cols = np.array([j for j, w in enumerate(windows) if w], dtype=np.int64)
        firsts = np.cumsum([0] + [len(w) for w in windows])[:-1]
        self.col_first = firsts[self.has_cols]
        self.budget = UNLIMITED if problem.budget is None else problem.budget
        tours = problem.tours
        self.t_start = [t.start_place for t in tours]
        self.t_end = [t.end_place for t in tours]
        self.t_begin = [t.earliest_start for t in tours]
        self.t_finish = [t.latest_end for t in tours]
        self.t_max_travel = [UNLIMITED if t.max_travel is None else t.max_travel for t in tours]
        self.t_break = [
            None
            if t.break_ is None
            else (t.break_.duration, t.break_.earliest_start, t.break_.latest_end)
            for t in tours
        ]
        self.alone = np.array(
            [[self.fits_alone(r, j) for j in range(self.n)] for r in range(self.tours)],
            dtype=bool,
        ).reshape(self.tours, self.n)

    def schedule(self, r: int, seq: list[int]) -> Timing | None:
        """The earliest schedule of ``seq`` in tour ``r``, or None when it is infeasible."""
        rows = self.rows
        here = self.t_start[r]
        time = self.t_begin[r]
        travel = 0
        places, arrival, start, departure, close = [], [], [], [], []
        brk = self.t_break[r]
        meal_start = None  # the start of the visit before, if the break may fall inside it
        for node in seq:
            if node == BREAK:
                assert brk is not None  # only the routes of tours with a break have one
                duration, earliest, latest = brk
                begin = time if time > earliest else earliest
                lunch = begin if meal_start is None else max(meal_start, earliest)
                if lunch + duration > latest:
                    return None
                places.append(here)
                arrival.append(time)
                start.append(begin)
                # The latest start that keeps the break in its window; inside a meal visit
                # the break moves with that visit's start, not with its end.
                close.append(latest - duration + (0 if meal_start is None else time - meal_start))
                time = begin + duration
            else:
                place = self.place[node]
                leg = rows[here][place]
                travel += leg
                at = time + leg
                closes = self.closes[node]
                k = 0 if closes and at <= closes[0] else bisect_left(closes, at)
                if k == len(closes):
                    return None
                open_ = self.opens[node][k]
                begin = open_ if open_ > at else at
                places.append(place)
                arrival.append(at)
                start.append(begin)
                close.append(closes[k])
                time = begin + self.service[node]
                here = place
                meal_start = begin if self.meal[node] else None
            departure.append(time)
        leg = rows[here][self.t_end[r]]
        travel += leg
        end_arrival = time + leg
        if end_arrival > self.t_finish[r] or travel > self.t_max_travel[r]:
            return None
        return Timing(places, arrival, start, departure, close, end_arrival, travel)

    def end_time(self, r: int, seq: list[int]) -> int | None:
        """Arrival at the end place for ``seq`` in tour ``r`` (None if infeasible); the lean
        twin of ``schedule`` for local search, which only compares end times."""
        rows, place, service, meal = self.rows, self.place, self.service, self.meal
        here, time, travel, meal_start = self.t_start[r], self.t_begin[r], 0, None
        for node in seq:
            if node == BREAK:
                brk = self.t_break[r]
                assert brk is not None  # only the routes of tours with a break have one
                duration, earliest, latest = brk
                lunch = time if meal_start is None else meal_start
                if (lunch if lunch > earliest else earliest) + duration > latest:
                    return None
                time = (time if time > earliest else earliest) + duration
                continue
            there = place[node]
            leg = rows[here][there]
            travel += leg
            time += leg
            closes = self.closes[node]
            if time > closes[0]:
                k = bisect_left(closes, time)
                if k == len(closes):
                    return None
                opens = self.opens[node][k]
            else:
                opens = self.opens[node][0]
            time = time if time > opens else opens
            meal_start = time if meal[node] else None
            time += service[node]
            here = there
        leg = rows[here][self.t_end[r]]
        time += leg
        if time > self.t_finish[r] or travel + leg > self.t_max_travel[r]:
            return None
        return time

    def slack(self, r: int, tm: Timing) -> npt.NDArray[np.int64]:
        """Per node of a route (and last, its end), the latest delay of its arrival that
        keeps the rest of tour ``r`` feasible (travel caps aside)."""
        size = len(tm.start)
        start = np.array(tm.start, dtype=np.int64)
        arrival = np.array(tm.arrival, dtype=np.int64)
        # With W[i] the waiting from node i on, slack[i] = W[i] + min(own[k] - W[k+1], end)
        # over k >= i, a suffix minimum.
        end_slack = self.t_finish[r] - tm.end_arrival
        waits = np.zeros(size + 1, dtype=np.int64)
        waits[:size] = np.cumsum((start - arrival)[::-1])[::-1]
        own = np.array(tm.close, dtype=np.int64) - start - waits[1:]
        slack = np.full(size + 1, end_slack, dtype=np.int64)
        if size:
            slack[:size] = np.minimum(np.minimum.accumulate(own[::-1])[::-1], end_slack)
        return slack + waits

    def fits_alone(self, r: int, j: int) -> bool:
        """Whether tour ``r`` could do visit ``j`` and nothing else (break anywhere)."""
        if self.t_break[r] is None:
            return self.schedule(r, [j]) is not None
        return any(self.schedule(r, seq) is not None for seq in ([BREAK, j], [j, BREAK]))

    def timed(self, r: int, visits: list[int]) -> tuple[list[int], Timing] | None:
        """The visits in this order as route ``r`` (the break, if the tour has one, where
        it ends the day earliest) and its schedule, or None when that order cannot fit."""
        seq = visits if self.t_break[r] is None else self.best_break_seq(r, visits)
        timing = None if seq is None else self.schedule(r, seq)
        return None if seq is None or timing is None else (seq, timing)

    def best_break_seq(self, r: int, seq: list[int]) -> list[int] | None:
        """``seq`` with the break moved to the feasible position that ends the tour earliest
        (ties: the earliest position), or None if no position is feasible."""
        visits = visits_of(seq)
        best, best_end = None, None
        for k in range(len(visits) + 1):
            candidate = visits[:k] + [BREAK] + visits[k:]
            timing = self.schedule(r, candidate)
            if timing is not None and (best_end is None or timing.end_arrival < best_end):
                best, best_end = candidate, timing.end_arrival
        return best


class Plan:
    """Routes plus, for every tour and unplanned visit, the cheapest feasible insertion:
    ``shift[r, j]`` (minutes the arrival at the next node moves) at position ``pos[r, j]``."""

    def __init__(self, comp: Compiled) -> None:
        self.comp = comp
        self.routes: list[list[int]] = [
            [] if comp.t_break[r] is None else [BREAK] for r in range(comp.tours)
        ]
        self.timings: list[Timing] = []
        for r in range(comp.tours):
            timing = comp.schedule(r, self.routes[r])
            if timing is None:  # cannot happen: Problem validates that empty tours fit
                raise ValueError(f"tour {r} is infeasible even when empty.")
            self.timings.append(timing)
        self.planned = np.zeros(comp.n, dtype=bool)
        self.spent = 0
        self.score = 0.0
        self.shift = np.full((comp.tours, comp.n), INFEASIBLE, dtype=np.int64)
        self.pos = np.zeros((comp.tours, comp.n), dtype=np.int64)
        for r in range(comp.tours):
            self.refresh_row(r)

    @classmethod
    def from_routes(cls, comp: Compiled, routes: list[list[int]]) -> Plan:
        """A plan holding the given visit sequences (from another engine), re-timed under
        our rules: the break goes where it ends the day earliest, and while a route is
        infeasible its lowest-score optional visit is dropped."""
        plan = cls(comp)
        for r, given in enumerate(routes):
            seq = list(given)
            while (found := comp.timed(r, seq)) is None:
                optional = [j for j in seq if not comp.required[j]] or seq
                seq.remove(min(optional, key=lambda j: comp.score[j]))
            for j in seq:
                plan.planned[j] = True
                plan.spent += int(comp.cost[j])
                plan.score += float(comp.score[j])
            plan.routes[r], plan.timings[r] = found
        plan.refresh_all()
        return plan

    def copy(self) -> Plan:
        """A deep copy, cheap enough to keep the best plan of an ILS run."""
        other = Plan.__new__(Plan)
        other.comp = self.comp
        other.routes = [list(route) for route in self.routes]
        other.timings = list(self.timings)
        other.planned = self.planned.copy()
        other.spent = self.spent
        other.score = self.score
        other.shift = self.shift.copy()
        other.pos = self.pos.copy()
        return other

    def set_route(self, r: int, seq: list[int], narrowed: bool = False) -> None:
        """Replace route ``r`` (must be feasible) and refresh its insertion row."""
        timing = self.comp.schedule(r, seq)
        if timing is None:
            raise AssertionError("set_route given an infeasible route")
        self.routes[r] = seq
        self.timings[r] = timing
        self.refresh_row(r, narrowed)

    def insert(self, r: int, j: int, position: int) -> None:
        """Insert visit ``j`` at ``position`` of route ``r``; for the other routes only the
        row entry of ``j`` changes (it is no longer a candidate)."""
        self.planned[j] = True
        self.spent += int(self.comp.cost[j])
        self.score += float(self.comp.score[j])
        self.shift[:, j] = INFEASIBLE
        seq = self.routes[r]
        self.set_route(r, seq[:position] + [j] + seq[position:], narrowed=True)

    def swap(self, r: int, i: int, j: int, position: int) -> None:
        """Replace the visit at index ``i`` of route ``r`` by visit ``j`` at ``position`` of
        the route without it (must be feasible); refresh every row."""
        seq = self.routes[r]
        rest = seq[:i] + seq[i + 1 :]
        self._unplan([seq[i]])
        self.planned[j] = True
        self.spent += int(self.comp.cost[j])
        self.score += float(self.comp.score[j])
        self.set_route(r, rest[:position] + [j] + rest[position:])
        self.refresh_all()

    def remove(self, r: int, indices: list[int]) -> None:
        """Remove the nodes at ``indices`` of route ``r`` (break positions are ignored) and
        put the break back where it ends the day earliest. A removal that would make the
        route infeasible (possible when travel times break the triangle inequality) is
        skipped. The caller refreshes the rows (``refresh_all``) once done removing."""
        comp = self.comp
        seq = self.routes[r]
        drop = [seq[i] for i in indices if seq[i] != BREAK]
        kept, timing = seq, self.timings[r]
        at_once = [node for node in seq if node not in drop]
        at_once_timing = comp.schedule(r, at_once)
        if at_once_timing is not None:  # the usual case; else one at a time, below
            kept, timing = at_once, at_once_timing
            self._unplan(drop)
            drop = []
        for j in drop:
            trial = [node for node in kept if node != j]
            trial_timing = comp.schedule(r, trial)
            if trial_timing is None:
                continue
            kept, timing = trial, trial_timing
            self._unplan([j])
        if comp.t_break[r] is not None:
            moved = comp.best_break_seq(r, kept)
            if moved is not None and moved != kept:
                moved_timing = comp.schedule(r, moved)
                assert moved_timing is not None  # best_break_seq returns feasible sequences
                kept, timing = moved, moved_timing
        self.routes[r] = kept
        self.timings[r] = timing

    def _unplan(self, visits: list[int]) -> None:
        for j in visits:
            self.planned[j] = False
            self.spent -= int(self.comp.cost[j])
            self.score -= float(self.comp.score[j])

    def refresh_all(self) -> None:
        """Recompute every insertion row (after removals made visits candidates again)."""
        for r in range(self.comp.tours):
            self.refresh_row(r)

    def refresh_row(self, r: int, narrowed: bool = False) -> None:
        """Recompute the cheapest insertion of every unplanned visit into route ``r``.
        ``narrowed``: the route only gained visits, so (travel times obeying the triangle
        inequality) whatever did not fit before still does not; skip those. Rows refreshed
        this way can miss a fit where the inequality fails, so the final top-up in ``solve``
        refreshes in full first."""
        candidates = ~self.planned & self.comp.alone[r]
        if narrowed:
            candidates &= self.shift[r] < INFEASIBLE
        row = self.insertions(r, self.routes[r], self.timings[r], candidates)
        self.shift[r], self.pos[r] = row

    def insertions(
        self, r: int, seq: list[int], tm: Timing, candidates: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """For each visit (``candidates`` mask), the cheapest feasible insertion into ``seq``
        as route ``r``: its shift (INFEASIBLE if none) and position."""
        comp = self.comp
        size = len(seq)
        slack = comp.slack(r, tm)
        q = np.arange(size + 1)
        brk = seq.index(BREAK) if comp.t_break[r] is not None else -1
        if brk >= 0:
            q[brk] = brk + 1
        pp = np.array([comp.t_start[r], *tm.places], dtype=np.int64)
        prev_dep = np.array([comp.t_begin[r], *tm.departure], dtype=np.int64)
        np_ = np.array([*tm.places, comp.t_end[r]], dtype=np.int64)[q]
        next_arr = np.array([*tm.arrival, tm.end_arrival], dtype=np.int64)[q]
        # All window columns at once unless few are candidates (single windows only, where
        # column j is visit j): selecting columns costs more than it saves on most routes.
        subset = comp.single_window and 2 * int(candidates.sum()) < comp.n
        cols = np.flatnonzero(candidates) if subset else comp.col_index
        to_col = comp.to_cols[pp][:, cols] if subset else comp.to_cols[pp]
        from_col = comp.from_cols[np_][:, cols] if subset else comp.from_cols[np_]
        begin = np.maximum(prev_dep[:, None] + to_col, comp.col_open[cols])
        ok = begin <= comp.col_close[cols]
        done = begin + comp.col_service[cols]
        if brk >= 0:
            window = comp.t_break[r]
            assert window is not None  # brk >= 0 only on tours with a break
            duration, earliest, latest = window
            brk_end = np.maximum(done[brk], earliest) + duration
            # After a meal visit the break may begin as early as the visit does.
            lunch = np.where(comp.col_meal[cols], begin[brk], done[brk])
            ok[brk] &= np.maximum(lunch, earliest) + duration <= latest
            done[brk] = brk_end
        shift = done + from_col - next_arr[:, None]
        ok &= shift <= slack[q][:, None]
        if comp.t_max_travel[r] < UNLIMITED:
            detour = to_col + from_col - comp.matrix[pp, np_][:, None]
            ok &= detour <= comp.t_max_travel[r] - tm.travel
        if not subset:
            ok &= candidates[comp.col_visit]
        shift = np.where(ok, shift, INFEASIBLE)
        best_pos = shift.argmin(axis=0)
        best = shift[best_pos, np.arange(cols.size)]
        if subset:
            shifts = np.full(comp.n, INFEASIBLE, dtype=np.int64)
            positions = np.zeros(comp.n, dtype=np.int64)
            shifts[cols], positions[cols] = best, best_pos
            return shifts, positions
        if comp.single_window:
            return best, best_pos
        # Per visit, the best over its windows: pack (shift, position) into one key.
        shifts = np.full(comp.n, INFEASIBLE, dtype=np.int64)
        positions = np.zeros(comp.n, dtype=np.int64)
        if comp.has_cols.size:
            key = np.minimum.reduceat((best << 12) | best_pos, comp.col_first)
            shifts[comp.has_cols] = key >> 12
            positions[comp.has_cols] = key & 4095
        return shifts, positions
