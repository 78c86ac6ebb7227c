"""Solver parameters: every default lives here, nowhere else."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

DESTROY_NAMES = frozenset({"segments", "related", "reseed"})


class Strategy(StrEnum):
    """``ils``: our construction + iterated local search (the default: deterministic under
    an iteration budget, and measured on par with ``ils_ortools``). ``ortools``: the OR-Tools
    routing model alone (the textbook baseline, far behind). ``ils_ortools``: ILS for most
    of the time, then OR-Tools tabu search from the ILS plan, kept if better; its OR-Tools
    phase is bounded by time only, so it is not deterministic."""

    ILS = "ils"
    ORTOOLS = "ortools"
    ILS_ORTOOLS = "ils_ortools"


@dataclass(frozen=True)
class SolveParams:
    """Limits and knobs. The run stops at ``time_limit`` seconds or after ``max_iterations``
    ILS iterations, whichever comes first; with a fixed seed and an iteration budget that
    binds first, the result is deterministic."""

    time_limit: float = 1.0
    seed: int = 0
    max_iterations: int | None = None
    strategy: Strategy = Strategy.ILS
    # ``on_progress`` hears from the search at least this often (seconds), improved or not:
    # a caller stops a long solve by raising from it (a cancelled job).
    progress_every: float = 0.25
    # Share of the time limit given to OR-Tools in the ``ils_ortools`` strategy.
    ortools_share: float = 0.3
    # Random multiplicative noise on insertion ratios after the first construction.
    noise: float = 0.1
    # Restart from the best plan after this many iterations without improvement.
    restart_after: int = 30
    # Each refill ranks visits by score**power / added minutes, power drawn from this range.
    power_range: tuple[float, float] = (1.0, 3.0)
    # Perturbations (names from ``solver.destroy``), drawn by adaptive weights.
    destroys: tuple[str, ...] = ("segments", "related", "reseed")
    # Try swaps for better unplanned visits when a refilled plan is within this share of
    # the best score.
    replace_within: float = 0.0
    # On routes of ``long_route`` visits or more (average), keep a perturbed plan only if it
    # is within this share of the best below the plan it came from; otherwise (and with
    # None) always keep it, a random walk reset by restarts. Measured: helps the 96-288-spot
    # TOPTW files, hurts short itinerary days.
    accept_within: float | None = 0.02
    long_route: int = 25
    # Re-chain (``solver.chain``) after each refill only on routes of this many nodes or
    # more (average): it costs iterations that short itinerary days (up to ~9 nodes) need
    # more, and wins on the TOPTW files.
    chain_route: int = 12
    # Stop once this many iterations in a row found no better plan (converged; a rule that
    # does not read the clock, so the same request gives the same plan). None: run until
    # the time limit or ``max_iterations``.
    patience: int | None = None
    # The CP-SAT master (``solver.master``) recombines the routes seen near the best plan
    # (within ``pool_within`` of its score; at most ``pool_limit`` kept) every
    # ``master_every`` iterations without a better plan, each time for at most
    # ``master_work`` of CP-SAT's deterministic time.
    recombine: bool = True
    master_every: int = 10
    pool_within: float = 0.02
    pool_limit: int = 5000
    master_work: float = 0.1
    # Reaction factor of the adaptive operator weights (0: uniform choice).
    adapt: float = 0.1
    # Longest run of visits removed per route by a shake, as a share of the average route
    # length (Vansteenwegen et al. use n / 3m, i.e. a third of all visits per tour).
    shake_share: float = 0.5

    def __post_init__(self) -> None:
        if self.time_limit <= 0:
            raise ValueError("time_limit <= 0 not understood.")
        if self.max_iterations is not None and self.max_iterations < 0:
            raise ValueError("max_iterations < 0 not understood.")
        if not 0 <= self.ortools_share <= 1:
            raise ValueError("ortools_share must be within [0, 1].")
        if self.noise < 0:
            raise ValueError("noise < 0 not understood.")
        if self.patience is not None and self.patience < 1:
            raise ValueError("patience < 1 not understood.")
        if not 0 <= self.pool_within <= 1:
            raise ValueError("pool_within must be within [0, 1].")
        if self.pool_limit < 1 or self.master_every < 1 or self.master_work <= 0:
            raise ValueError("pool_limit, master_every and master_work must be positive.")
        if self.restart_after < 1:
            raise ValueError("restart_after < 1 not understood.")
        if not 0 < self.shake_share <= 1:
            raise ValueError("shake_share must be within (0, 1].")
        if not 0 < self.power_range[0] <= self.power_range[1]:
            raise ValueError("power_range must be (low, high) with 0 < low <= high.")
        if not 0 <= self.replace_within <= 1:
            raise ValueError("replace_within must be within [0, 1].")
        if self.accept_within is not None and not 0 <= self.accept_within <= 1:
            raise ValueError("accept_within must be within [0, 1].")
        if not 0 <= self.adapt <= 1:
            raise ValueError("adapt must be within [0, 1].")
        if not self.destroys or not set(self.destroys) <= DESTROY_NAMES:
            raise ValueError(f"destroys must be a non-empty subset of {sorted(DESTROY_NAMES)}.")
        object.__setattr__(self, "strategy", Strategy(self.strategy))
