"""The problem model rejects what the solver could not honour."""

from __future__ import annotations

import pytest

from solver import Break, Problem, SolveParams, Tour, Visit
from tests.solver.helpers import line_matrix


def test_windows_must_be_sorted_and_disjoint() -> None:
    """Overlapping windows are a caller error, not something to merge silently."""
    with pytest.raises(ValueError, match="sorted and disjoint"):
        Visit(0, 10, 1, ((0, 100), (50, 200)))


def test_window_must_open_before_it_closes() -> None:
    """A window (open, close) with open > close is rejected."""
    with pytest.raises(ValueError, match="opens after"):
        Visit(0, 10, 1, ((100, 50),))


def test_empty_tour_must_be_feasible() -> None:
    """A tour that cannot even go from start to end is rejected up front."""
    with pytest.raises(ValueError, match="empty tour"):
        Problem(line_matrix([0, 100]), (), (Tour(0, 1, 0, 50),))


def test_break_must_fit_its_window() -> None:
    """A 60-minute break in a 30-minute window is rejected."""
    with pytest.raises(ValueError, match="does not fit"):
        Break(60, 0, 30)


def test_places_must_be_in_the_matrix() -> None:
    """A visit at an unknown place is rejected."""
    with pytest.raises(ValueError, match="not in matrix"):
        Problem(line_matrix([0]), (Visit(3, 10, 1, ((0, 10),)),), (Tour(0, 0, 0, 10),))


def test_params_validate() -> None:
    """Nonsense parameters fail at construction."""
    with pytest.raises(ValueError):
        SolveParams(time_limit=0)
    with pytest.raises(ValueError):
        SolveParams(strategy="magic")  # type: ignore[arg-type]
