"""`twinstars` command line: seeding now; workers and keys join it in later issues."""

from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from app.db import get_engine, session_scope
from app.errors import AppError
from app.models import Role
from app.services import keys as key_service
from app.services.seed import SEED_DIR, SeedError, apply_seed, database_is_empty, read_seed

cli = typer.Typer(help="Twin Stars (双子星) service commands.", no_args_is_help=True)
keys_cli = typer.Typer(help="API keys: create, list, revoke.", no_args_is_help=True)
cli.add_typer(keys_cli, name="keys")
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


@keys_cli.command("create")
def keys_create(
    role: Role = typer.Option(..., help="admin, bureau or marketer"),
    city: str | None = typer.Option(None, help="The city of a bureau key"),
    name: str = typer.Option("cli", help="Who holds the key"),
    expires_days: int | None = typer.Option(None, min=1, help="Expire after N days"),
) -> None:
    """Create a key; the token is printed once, on stdout."""
    try:
        with session_scope(get_engine()) as session:
            issued = key_service.create_key(session, name, role, city, expires_days)
    except AppError as exc:
        console.print(f"[red]{exc.detail}[/red]")
        raise typer.Exit(2) from None
    console.print(
        f"key {issued.key.id} ({role}{' ' + city if city else ''}) created; store it now:"
    )
    typer.echo(issued.token)


@keys_cli.command("list")
def keys_list() -> None:
    """Keys without their secrets."""
    with session_scope(get_engine()) as session:
        for k in key_service.list_keys(session):
            state = "revoked" if k.revoked_at else "active"
            typer.echo(
                f"{k.id}\t{k.role}\t{k.city_id or '-'}\t{k.name}\t{state}\t{k.expires_at or '-'}"
            )


@keys_cli.command("revoke")
def keys_revoke(key_id: int) -> None:
    """Revoke a key at once."""
    try:
        with session_scope(get_engine()) as session:
            key_service.revoke_key(session, key_id)
    except AppError as exc:
        console.print(f"[red]{exc.detail}[/red]")
        raise typer.Exit(2) from None
    console.print(f"key {key_id} revoked")
