"""What the solver returns: a timed plan per tour, the reasons for what was left out."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Reason(StrEnum):
    """Why a candidate is not in the plan; each one is a checkable statement.

    - ``closed_during_trip``: no tour has a start time inside one of its windows with the
      service ending inside the tour's span.
    - ``unreachable_in_a_day``: not closed, but no tour could do even this visit alone.
    - ``over_budget``: its cost exceeds what the plan leaves of the trip budget.
    - ``no_time_left``: it fits the budget, but inserting it at any position of any tour
      (keeping that tour's order, break included) breaks a time or travel limit.
    """

    CLOSED_DURING_TRIP = "closed_during_trip"
    UNREACHABLE_IN_A_DAY = "unreachable_in_a_day"
    OVER_BUDGET = "over_budget"
    NO_TIME_LEFT = "no_time_left"


class Status(StrEnum):
    """``feasible``: every required visit is in the plan; ``required_missing``: the plan is
    valid but at least one required visit could not be placed."""

    FEASIBLE = "feasible"
    REQUIRED_MISSING = "required_missing"


@dataclass(frozen=True)
class Stop:
    """One visit in a tour; ``wait = start - arrival``, ``departure = start + service``."""

    visit: int
    arrival: int
    start: int
    departure: int
    wait: int


@dataclass(frozen=True)
class TourPlan:
    """One day's plan. The break (if the tour has one) is taken at the current place after
    the first ``break_after`` stops, from ``break_start`` for the break's duration; after a
    ``meal`` visit it may start during that visit (``break_start`` before its departure)."""

    tour: int
    stops: tuple[Stop, ...]
    departure: int
    arrival: int
    travel: int
    break_after: int | None = None
    break_start: int | None = None

    @property
    def visits(self) -> tuple[int, ...]:
        """The visit indices in order."""
        return tuple(stop.visit for stop in self.stops)


@dataclass(frozen=True)
class Unvisited:
    """A candidate left out, with the reason."""

    visit: int
    reason: Reason


@dataclass(frozen=True)
class Solution:
    """``score`` and ``cost`` are sums over visited spots, ``travel`` over all tours;
    ``seconds`` is wall time including model building; ``converged``: the search stopped
    by its own rule (no better plan for ``SolveParams.patience`` iterations, or nothing
    left to find), not by the time limit or an iteration budget."""

    tours: tuple[TourPlan, ...]
    unvisited: tuple[Unvisited, ...]
    score: int
    cost: int
    travel: int
    status: Status
    seconds: float
    iterations: int
    strategy: str
    converged: bool = False

    def summary(self) -> str:
        """A short human-readable line, for logs and benchmarks."""
        visited = sum(len(plan.stops) for plan in self.tours)
        return (
            f"{self.status}: score {self.score}, {visited} visits in {len(self.tours)} tours, "
            f"travel {self.travel} min, cost {self.cost}, {len(self.unvisited)} left out, "
            f"{self.iterations} iterations in {self.seconds:.2f} s ({self.strategy})"
        )


@dataclass(frozen=True)
class Progress:
    """Passed to ``on_progress`` whenever the best plan improves, as a heartbeat while the
    search runs, and at the end."""

    iteration: int
    best_score: int
    elapsed: float
