"""The type checker's configuration: solver/ really gets mypy's strict mode.

mypy's `strict` only works globally (set in an override it turns every module strict), so
pyproject.toml spells out its per-module flags for solver/. This keeps that list complete
when a mypy release adds a flag to `--strict`.
"""

import tomllib
from pathlib import Path
from typing import Any

import pytest
from mypy.main import process_options
from mypy.options import PER_MODULE_OPTIONS, Options

ROOT = Path(__file__).resolve().parents[1]


def _options(tmp_path: Path, *flags: str) -> Options:
    """mypy's options for the given command-line flags and an empty configuration."""
    config = tmp_path / "mypy.ini"
    config.write_text("[mypy]\n")
    _, options = process_options(["--config-file", str(config), *flags, "-c", "pass"])
    return options


@pytest.fixture(scope="module")
def config() -> dict[str, Any]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["mypy"]


def test_solver_override_is_strict_mode(config: dict[str, Any], tmp_path: Path) -> None:
    """Every flag that `--strict` changes has its strict value for solver/, set either in
    the solver override (per-module flags) or globally (the others)."""
    default, strict = _options(tmp_path), _options(tmp_path, "--strict")
    (solver,) = [o for o in config["overrides"] if "solver.*" in o["module"]]
    names = [n for n in dir(strict) if not n.startswith("_") and not callable(getattr(strict, n))]
    changed = {n: getattr(strict, n) for n in names if getattr(strict, n) != getattr(default, n)}
    assert changed, "--strict changed nothing: the comparison is broken"
    for name, value in changed.items():
        source = solver if name in PER_MODULE_OPTIONS and name in solver else config
        assert source.get(name) == value, f"solver/ needs {name} = {value} (as --strict sets)"
