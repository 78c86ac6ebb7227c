"""Benchmark command line (not a test; nothing in the service imports it).

    python -m solver.bench toptw FILE --tours M --time-limit S [--seed N]
    python -m solver.bench peers --time-limit 1 [--dir ../shared/benchmarks/toptw]
    python -m solver.bench itinerary --time-limit 1 [--count 10]

``toptw`` prints one JSON line {"score", "routes", "seconds"}; ``peers`` solves the pairs
of ``peer-set.csv``, checks every plan with ``solver.check`` and prints the mean gap to
``bks.csv`` per family and overall; ``itinerary`` compares us with VROOM and PyVRP on
generated itinerary-shaped instances (see ``solver.benchmarks.itinerary``).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path
from statistics import mean
from typing import TypedDict

from solver.check import check
from solver.params import SolveParams, Strategy
from solver.solve import solve
from solver.toptw import read_toptw

DEFAULT_DIR = Path("../shared/benchmarks/toptw")


class ToptwResult(TypedDict):
    """What ``toptw`` prints: the score, the routes and the solve time."""

    score: int
    routes: list[list[int]]
    seconds: float


def process_age() -> float:
    """Seconds since this process started (the interpreter's start-up and every import
    included; ``python -m solver.bench`` imports the ``solver`` package before this module
    runs, so a clock read here would miss them). Linux's /proc, to the 10 ms tick."""
    with open("/proc/self/stat") as f:
        # The fields after the command's closing parenthesis; starttime is field 22.
        fields = f.read().rsplit(")", 1)[1].split()
    started = int(fields[19]) / os.sysconf("SC_CLK_TCK")
    return time.clock_gettime(time.CLOCK_BOOTTIME) - started


def run_toptw(path: Path, tours: int, params: SolveParams) -> ToptwResult:
    """Solve one file; routes are vertex ids of the file (depot excluded)."""
    problem = read_toptw(path, tours)
    solution = solve(problem, params)
    errors = check(problem, solution, reasons=False)
    if errors:
        raise SystemExit(f"{path.name} m={tours}: infeasible plan: {errors}")
    routes = [[j + 1 for j in plan.visits] for plan in solution.tours]
    return {"score": solution.score, "routes": routes, "seconds": round(solution.seconds, 3)}


def instance_path(folder: Path, name: str) -> Path:
    """Where an instance of the set lives."""
    return folder / ("cordeau" if name.startswith("pr") else "solomon") / f"{name}.txt"


def family(name: str) -> str:
    """Solomon-based or Cordeau-based, the two families the peers are reported by."""
    return "cordeau" if name.startswith("pr") else "solomon"


def in_process(path: Path, tours: int, params: SolveParams) -> ToptwResult:
    """``toptw`` in a fresh Python process, as a caller would run it (start-up counts)."""
    command = [sys.executable, "-m", "solver.bench", "toptw", str(path), "--tours", str(tours),
               "--time-limit", str(params.time_limit), "--seed", str(params.seed),
               "--strategy", str(params.strategy),
               "--master" if params.recombine else "--no-master"]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    result: ToptwResult = json.loads(done.stdout)
    return result


def run_peers(folder: Path, params: SolveParams, only: str | None, processes: int = 0) -> None:
    """Solve the peer set and print one line per pair, then the summary table. With
    ``processes``, each pair is solved in its own process, that many at once."""
    with (folder / "bks.csv").open() as f:
        bks = {(r["instance"], int(r["m"])): int(r["bks"]) for r in csv.DictReader(f)}
    with (folder / "peer-set.csv").open() as f:
        pairs = [(r["instance"], int(r["m"])) for r in csv.DictReader(f)]
    if only:
        pairs = [p for p in pairs if p[0].startswith(tuple(only.split(",")))]
    # The pairs with a best known score: (name, score, bks, gap %, seconds).
    rows: list[tuple[str, int, int, float, float]] = []
    workers = ThreadPoolExecutor(processes) if processes else None
    if workers is not None:  # (lines print as results arrive, in the set's order)
        results = workers.map(
            lambda pair: in_process(instance_path(folder, pair[0]), pair[1], params), pairs
        )
    else:
        results = (run_toptw(instance_path(folder, n), m, params) for n, m in pairs)
    for (name, tours), result in zip(pairs, results, strict=True):
        best = bks.get((name, tours))
        gap = None
        if best is not None:
            gap = 100.0 * (best - result["score"]) / best
            rows.append((name, result["score"], best, gap, result["seconds"]))
        shown = "-" if gap is None else f"{gap:.2f}"
        print(
            f"{name:6} m={tours} score={result['score']:5} bks={best} gap={shown} "
            f"t={result['seconds']}",
            file=sys.stderr,
            flush=True,
        )
    if workers is not None:
        workers.shutdown()
    print(
        f"strategy={params.strategy} master={params.recombine} time_limit={params.time_limit} "
        f"seed={params.seed} processes={processes}"
    )
    for label in ("solomon", "cordeau", "all"):
        chosen = [r for r in rows if label in ("all", family(r[0]))]
        if not chosen:
            continue
        hits = sum(1 for r in chosen if r[1] >= r[2])
        print(
            f"{label:8} pairs={len(chosen):3} mean_gap={mean(r[3] for r in chosen):6.2f}% "
            f"hits={hits:3} mean_s={mean(r[4] for r in chosen):.2f}"
        )


def main(argv: list[str] | None = None) -> None:
    """Parse the command line and run the chosen benchmark."""
    parser = argparse.ArgumentParser(prog="python -m solver.bench")
    sub = parser.add_subparsers(dest="command", required=True)
    one = sub.add_parser("toptw", help="solve one TOPTW file, print JSON")
    one.add_argument("file", type=Path)
    one.add_argument("--tours", type=int, required=True)
    peers = sub.add_parser("peers", help="the peer set against bks.csv")
    peers.add_argument("--dir", type=Path, default=DEFAULT_DIR)
    peers.add_argument("--only", help="comma-separated instance name prefixes")
    peers.add_argument(
        "--processes", type=int, default=0, help="solve each pair in its own process, N at once"
    )
    itinerary = sub.add_parser("itinerary", help="generated trips vs VROOM and PyVRP")
    itinerary.add_argument("--count", type=int, default=10)
    itinerary.add_argument("--first", type=int, default=0, help="first generator seed")
    for command in (one, peers, itinerary):
        command.add_argument("--time-limit", type=float, default=1.0)
        command.add_argument("--seed", type=int, default=0)
        command.add_argument("--strategy", choices=[s.value for s in Strategy], default="ils")
        command.add_argument(
            "--master",
            action=argparse.BooleanOptionalAction,
            default=True,
            help="recombine routes with the CP-SAT master (--no-master: ILS alone)",
        )
    args = parser.parse_args(argv)
    params = SolveParams(
        time_limit=args.time_limit, seed=args.seed, strategy=args.strategy, recombine=args.master
    )
    if args.command == "toptw":
        # One process per file: its start-up and imports come out of the time limit.
        left = max(0.05, args.time_limit - process_age())
        result = run_toptw(args.file, args.tours, replace(params, time_limit=left))
        print(json.dumps(result))
    elif args.command == "peers":
        run_peers(args.dir, params, args.only, args.processes)
    else:
        from solver.benchmarks.compare import run_itinerary

        run_itinerary(args.count, params, args.first)


if __name__ == "__main__":
    main()
