"""The neutral problem model: places, visits, tours (days) and trip-wide limits.

Every time is an integer number of minutes from the start of the trip, every cost an integer
(yuan), so the solver never rounds. The app converts clock times and prices at its boundary.

Availability semantics (chosen for TOPTW compatibility): service must START inside one of a
visit's ``windows`` (both ends inclusive). A visit that must also END by closing time (a
museum that ushers people out) sets ``finish_by_close=True``; the effective latest start of
each window is then ``close - service``.
"""

from __future__ import annotations

from dataclasses import dataclass


def _check_windows(windows: tuple[tuple[int, int], ...], what: str) -> None:
    previous_close = None
    for window in windows:
        if len(window) != 2:
            raise ValueError(f"{what}: a window is an (open, close) pair, got {window!r}.")
        open_, close = window
        if open_ > close:
            raise ValueError(f"{what}: window {window!r} opens after it closes.")
        if previous_close is not None and open_ <= previous_close:
            raise ValueError(f"{what}: windows must be sorted and disjoint.")
        previous_close = close


@dataclass(frozen=True)
class Visit:
    """A candidate spot: where it is, how long it takes, what it is worth and when it is open.

    ``windows`` lists the (open, close) intervals over the whole trip in which service may
    start; an empty tuple means the spot is closed for the whole trip. ``meal``: the tour's
    break may be taken during this visit (a large scenic area's own restaurant), so a break
    right after it may begin as early as the visit starts; the stay then lasts ``service``
    plus the break, exactly as a break after the visit would.
    """

    place: int
    service: int
    score: int
    windows: tuple[tuple[int, int], ...]
    cost: int = 0
    required: bool = False
    finish_by_close: bool = False
    meal: bool = False
    name: str = ""

    def __post_init__(self) -> None:
        if self.service < 0 or self.score < 0 or self.cost < 0:
            raise ValueError(f"visit {self.name!r}: service, score and cost must be >= 0.")
        _check_windows(self.windows, f"visit {self.name!r}")

    def start_windows(self) -> tuple[tuple[int, int], ...]:
        """The intervals in which service may start, with ``finish_by_close`` applied."""
        if not self.finish_by_close:
            return self.windows
        shrunk = ((o, c - self.service) for o, c in self.windows)
        return tuple((o, c) for o, c in shrunk if o <= c)


@dataclass(frozen=True)
class Break:
    """A pause of ``duration`` minutes, taken where the traveller is, that must start at or
    after ``earliest_start`` and end by ``latest_end`` (e.g. lunch of 60 in 11:30-13:30)."""

    duration: int
    earliest_start: int
    latest_end: int

    def __post_init__(self) -> None:
        if self.duration < 0:
            raise ValueError("break duration must be >= 0.")
        if self.earliest_start + self.duration > self.latest_end:
            raise ValueError("break does not fit in its window.")


@dataclass(frozen=True)
class Tour:
    """One day: leave ``start_place`` at ``earliest_start``, be at ``end_place`` by
    ``latest_end``; optionally a break and a cap on the minutes spent travelling. The break
    is taken where the traveller is after some number of visits (at the start place if
    before the first), never on the road and never after reaching ``end_place``."""

    start_place: int
    end_place: int
    earliest_start: int
    latest_end: int
    break_: Break | None = None
    max_travel: int | None = None

    def __post_init__(self) -> None:
        if self.earliest_start > self.latest_end:
            raise ValueError("tour: earliest_start is after latest_end.")
        if self.max_travel is not None and self.max_travel < 0:
            raise ValueError("tour: max_travel must be >= 0.")
        if self.break_ is not None and not (
            self.earliest_start <= self.break_.latest_end
            and self.break_.earliest_start <= self.latest_end
        ):
            raise ValueError("tour: break window lies outside the tour.")


@dataclass(frozen=True)
class Problem:
    """Everything the solver needs. ``travel[a][b]`` is the travel time in minutes from place
    ``a`` to place ``b``; ``budget`` caps the sum of visit costs over the trip (None: no cap).
    """

    travel: tuple[tuple[int, ...], ...]
    visits: tuple[Visit, ...]
    tours: tuple[Tour, ...]
    budget: int | None = None

    def __post_init__(self) -> None:
        size = len(self.travel)
        if any(len(row) != size for row in self.travel):
            raise ValueError("travel matrix must be square.")
        if any(t < 0 for row in self.travel for t in row):
            raise ValueError("travel times must be >= 0.")
        if not self.tours:
            raise ValueError("a problem needs at least one tour.")
        if self.budget is not None and self.budget < 0:
            raise ValueError("budget must be >= 0.")
        for visit in self.visits:
            if not 0 <= visit.place < size:
                raise ValueError(f"visit {visit.name!r}: place {visit.place} not in matrix.")
        for index, tour in enumerate(self.tours):
            for place in (tour.start_place, tour.end_place):
                if not 0 <= place < size:
                    raise ValueError(f"tour {index}: place {place} not in matrix.")
            if not _empty_tour_fits(self.travel, tour):
                raise ValueError(f"tour {index}: even an empty tour is infeasible.")


def _empty_tour_fits(travel: tuple[tuple[int, ...], ...], tour: Tour) -> bool:
    """Why: the solver must always be able to return a feasible plan, so every tour has to
    work with no visits at all (the break, taken where the traveller is, at the start)."""
    leg = travel[tour.start_place][tour.end_place]
    if tour.max_travel is not None and leg > tour.max_travel:
        return False
    ready = tour.earliest_start
    if tour.break_ is not None:
        ready = max(ready, tour.break_.earliest_start) + tour.break_.duration
        if ready > tour.break_.latest_end:
            return False
    return ready + leg <= tour.latest_end
