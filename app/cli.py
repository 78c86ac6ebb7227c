"""`twinstars` command line: seeding now; workers and keys join it in later issues."""

from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from app.db import get_engine, session_scope
from app.services.seed import SEED_DIR, SeedError, apply_seed, database_is_empty, read_seed

cli = typer.Typer(help="Twin Stars (双子星) service commands.", no_args_is_help=True)
console = Console(stderr=True)


@cli.callback()
def main() -> None:
    """Twin Stars: the joint Chifeng-Tongliao itinerary planner."""


@cli.command()
def seed(
    path: Path = typer.Option(SEED_DIR, help="Folder with the seed files."),
    if_empty: bool = typer.Option(False, "--if-empty", help="Do nothing if spots exist."),
) -> None:
    """Load the seed data: idempotent, validated like the API, one transaction."""
    try:
        data = read_seed(path)
    except SeedError as exc:
        for err in exc.errors:
            loc = "/".join(str(p) for p in err["loc"])
            console.print(f"[red]invalid[/red] {loc}: {err['msg']}")
        raise typer.Exit(1) from None
    with session_scope(get_engine()) as session:
        if if_empty and not database_is_empty(session):
            console.print("Database already has data; seed skipped (--if-empty).")
            return
        with Progress(
            TextColumn("seeding {task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            console=console,
            transient=False,
        ) as bar:
            task = bar.add_task("", total=len(data))

            def progress(done: int, total: int, kind: str) -> None:
                bar.update(task, completed=done, total=total, description=kind)

            report = apply_seed(session, data, progress)
    console.print(
        f"Seed done: {report.total_written} rows written {report.written}, "
        f"{sum(report.unchanged.values())} unchanged."
    )
