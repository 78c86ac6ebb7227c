"""The TOPTW reader follows the benchmark's truncation convention."""

from __future__ import annotations

from pathlib import Path

from solver import SolveParams
from solver.toptw import read_toptw
from tests.solver.helpers import solve_checked

# Depot at (0, 0) open 0-100; vertex 1 at (3, 4) (5 away), vertex 2 at (1, 1) (1.414...).
TINY = """4 10 2 1
0 200
0 0.0 0.0 0 0 0 0 0 100
1 3.0 4.0 10 7 1 1 1 0 50
2 1.0 1.0 5 3 1 2 1 2 20 60
"""


def test_solomon_style_file_is_scaled_to_tenths(tmp_path: Path) -> None:
    """Times are in tenths, distances truncated: 1.414 -> 14; windows are the last two."""
    path = tmp_path / "c999.txt"
    path.write_text(TINY)
    problem = read_toptw(path, tours=2)
    assert len(problem.tours) == 2
    assert problem.travel[0][1] == 50
    assert problem.travel[0][2] == 14
    assert problem.visits[1].windows == ((200, 600),)
    assert problem.visits[0].service == 100
    assert problem.tours[0].latest_end == 1000
    assert solve_checked(problem, SolveParams(time_limit=1, max_iterations=5)).score == 10


def test_cordeau_style_file_is_scaled_to_hundredths(tmp_path: Path) -> None:
    """Files named pr* use two decimals: 1.4142 -> 141."""
    path = tmp_path / "pr99.txt"
    path.write_text(TINY)
    assert read_toptw(path, tours=1).travel[0][2] == 141
