"""The benchmark entry points work on small inputs (the benchmarks themselves are not
tests: they are run by hand, see solver/README.md)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from solver import SolveParams, check, solve
from solver.bench import main
from solver.benchmarks.itinerary import generate
from tests.solver.test_toptw import TINY


def test_toptw_command_prints_one_json_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`python -m solver.bench toptw FILE --tours M` prints score, routes and seconds."""
    path = tmp_path / "c999.txt"
    path.write_text(TINY)
    main(["toptw", str(path), "--tours", "1", "--time-limit", "0.2"])
    result = json.loads(capsys.readouterr().out)
    assert result["score"] == 10
    assert sorted(v for route in result["routes"] for v in route) == [1, 2]
    assert result["seconds"] < 1


def test_the_time_limit_counts_from_the_process_start() -> None:
    """`toptw`'s clock starts with the process, not with the module: a process that slept
    0.3 s before importing it is at least 0.3 s old (start-up is part of the limit)."""
    code = (
        "import time; time.sleep(0.3); from solver.bench import process_age; print(process_age())"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert 0.3 <= float(done.stdout) < 5


def test_generator_is_deterministic_and_trip_shaped() -> None:
    """Same seed, same trip: 2-5 days from the station and back to it, hotel in between."""
    first, again = generate(7), generate(7)
    assert first == again
    assert 2 <= len(first.tours) <= 5
    assert first.tours[0].start_place == 1 and first.tours[-1].end_place == 1
    assert any(len(v.windows) > len(first.tours) for v in first.visits)  # show times
    assert any(v.finish_by_close for v in first.visits)  # museums
    assert check(first, solve(first, SolveParams(time_limit=0.3, max_iterations=20))) == []
