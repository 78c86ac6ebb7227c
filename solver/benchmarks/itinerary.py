"""Itinerary-shaped instances: what a Chifeng or Tongliao trip looks like to the solver.

A hotel in the central district, clusters of spots near it (10-30 min), an hour or two out
and three to four hours out (the grasslands, the desert, the geopark); museums with hours and
a weekly closing day that must be left by closing time, all-day parks with long visits,
sights, shows with narrow start times, evening markets; 2-5 days, the first starting at the
railway station when the train arrives and the last ending there before departure.
"""

from __future__ import annotations

import math
import random

from solver.problem import Problem, Tour, Visit

DAY = 1440
# (name, share, daily open, daily close, service range, weekly closing day or None)
Kind = tuple[str, float, int, int, tuple[int, int], int | None]
KINDS: tuple[Kind, ...] = (
    ("museum", 0.3, 9 * 60, 17 * 60, (60, 150), 0),
    ("park", 0.2, 6 * 60, 19 * 60, (120, 300), None),
    ("sight", 0.3, 8 * 60, 17 * 60 + 30, (30, 90), None),
    ("show", 0.1, 0, 0, (60, 120), None),
    ("market", 0.1, 17 * 60, 22 * 60, (60, 90), None),
)
RINGS = ((10, 30, (2, 4)), (60, 120, (2, 3)), (180, 240, (1, 2)))
CLUSTER = (8, 20)  # spots per cluster: 60-160 spots a trip, as the held-out instances


def _spot_windows(
    rng: random.Random, kind: Kind, days: int, weekday: int
) -> tuple[tuple[tuple[int, int], ...], bool]:
    """Windows over the trip and whether the visit must end by closing time."""
    name, _, open_, close, _, closed_on = kind
    if name == "show":
        times = sorted(rng.sample([10 * 60, 11 * 60 + 30, 14 * 60 + 30, 16 * 60, 19 * 60], 2))
        windows = [
            (d * DAY + t - 10, d * DAY + t)
            for d in range(days)
            if rng.random() < 0.8
            for t in times
        ]
        return tuple(windows), False
    windows = [
        (d * DAY + open_, d * DAY + close)
        for d in range(days)
        if closed_on is None or (weekday + d) % 7 != closed_on
    ]
    return tuple(windows), name == "museum"


def generate(seed: int, days: int | None = None, spots_wanted: int | None = None) -> Problem:
    """One random trip; the same seed gives the same instance. ``days`` and
    ``spots_wanted`` fix its size (the growth benchmark); else 2-5 days, 60-160 spots."""
    rng = random.Random(seed)
    drawn_days, weekday = rng.randint(2, 5), rng.randrange(7)
    days = drawn_days if days is None else days
    points = [(0.0, 0.0), (12.0, 5.0)]  # hotel, railway station
    spots: list[tuple[int, int]] = []  # (point index, ring)
    for ring, (low, high, (fewest, most)) in enumerate(RINGS):
        for _ in range(rng.randint(fewest, most)):
            angle, radius = rng.uniform(0, 2 * math.pi), rng.uniform(low, high)
            cx, cy = radius * math.cos(angle), radius * math.sin(angle)
            size = rng.randint(*CLUSTER)
            if spots_wanted is not None:  # clusters grow with the size asked for
                size = max(1, round(size * spots_wanted / 80))
            for _ in range(size):
                spread = rng.uniform(3, 15)
                a = rng.uniform(0, 2 * math.pi)
                points.append((cx + spread * math.cos(a), cy + spread * math.sin(a)))
                spots.append((len(points) - 1, ring))
    if spots_wanted is not None:  # (a random subset: every ring keeps its share)
        rng.shuffle(spots)
        spots = sorted(spots[:spots_wanted])
    travel = tuple(
        tuple(0 if a == b else math.ceil(math.dist(pa, pb)) + 5 for b, pb in enumerate(points))
        for a, pa in enumerate(points)
    )
    shares = [k[1] for k in KINDS]
    visits = []
    for place, ring in spots:
        kind = rng.choices(KINDS, weights=shares)[0]
        windows, by_close = _spot_windows(rng, kind, days, weekday)
        score = min(100, rng.randint(5, 60) + 20 * ring)
        visits.append(
            Visit(
                place=place,
                service=rng.randint(*kind[4]),
                score=score,
                windows=windows,
                finish_by_close=by_close,
                name=f"{kind[0]} {place}",
            )
        )
    tours = []
    for d in range(days):
        start, begin = (1, d * DAY + rng.randint(9, 13) * 60) if d == 0 else (0, d * DAY + 480)
        end, finish = (
            (1, d * DAY + rng.randint(15, 18) * 60) if d == days - 1 else (0, d * DAY + 1260)
        )
        tours.append(Tour(start, end, begin, finish))
    return Problem(travel, tuple(visits), tuple(tours))
