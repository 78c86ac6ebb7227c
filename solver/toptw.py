"""Reader for the public TOPTW benchmark files (Righini & Salani, Montemanni & Gambardella,
Vansteenwegen et al.), turned into a ``Problem`` in integer time units.

Travel time is the Euclidean distance truncated to one decimal (Solomon-based files) or two
(Cordeau-based files), so scaling every time by 10 or 100 makes the instance exactly
integral: visit ``j`` of the problem is vertex ``j + 1`` of the file, place ``i`` is vertex
``i``.
"""

from __future__ import annotations

import math
from pathlib import Path

from solver.problem import Problem, Tour, Visit


def time_scale(path: Path) -> int:
    """10 for Solomon-based files, 100 for Cordeau-based ones (named pr01...pr20)."""
    return 100 if path.name.lower().startswith("pr") else 10


def read_toptw(path: Path, tours: int) -> Problem:
    """Read a TOPTW file and give it ``tours`` identical tours from and to the depot."""
    scale = time_scale(path)
    lines = [line.split() for line in path.read_text().splitlines() if line.strip()]
    count = int(lines[0][2])
    vertices = lines[2 : 3 + count]
    coords = [(float(v[1]), float(v[2])) for v in vertices]
    travel = tuple(
        tuple(math.floor(math.dist(a, b) * scale + 1e-7) for b in coords) for a in coords
    )

    def scaled(field: str) -> int:
        return round(float(field) * scale)

    visits = tuple(
        Visit(
            place=i,
            service=scaled(v[3]),
            score=round(float(v[4])),
            windows=((scaled(v[-2]), scaled(v[-1])),),
            name=v[0],
        )
        for i, v in enumerate(vertices[1:], start=1)
    )
    depot = vertices[0]
    day = Tour(0, 0, scaled(depot[-2]), scaled(depot[-1]))
    return Problem(travel, visits, (day,) * tours)
