"""`twinstars` command line: seeding, keys, imports, holiday notices and the job worker."""

from collections.abc import Callable
from pathlib import Path

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from sqlmodel import Session

from app.db import get_engine, session_scope
from app.errors import AppError, ImportRejected, validation_errors
from app.models import Role
from app.schemas import NoticeIn
from app.services import edits
from app.services import holidays as holiday_service
from app.services import keys as key_service
from app.services.access import CLI
from app.services.gtfs import import_gtfs
from app.services.imports import (
    ImportReport,
    import_places,
    parse_csv,
    parse_geojson,
)
from app.services.seed import SEED_DIR, SeedError, apply_seed, database_is_empty, read_seed
from app.settings import get_settings

cli = typer.Typer(help="Twin Stars (双子星) service commands.", no_args_is_help=True)
keys_cli = typer.Typer(help="API keys: create, list, revoke.", no_args_is_help=True)
cli.add_typer(keys_cli, name="keys")
import_cli = typer.Typer(
    help="Import spots, hubs (CSV/GeoJSON) or a GTFS feed.", no_args_is_help=True
)
cli.add_typer(import_cli, name="import")
holidays_cli = typer.Typer(
    help="China's holiday calendar: load a State Council notice, show a year.",
    no_args_is_help=True,
)
cli.add_typer(holidays_cli, name="holidays")
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


@cli.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
    port: int = typer.Option(8000, help="Port to listen on."),
    workers: int = typer.Option(1, help="API processes."),
    access_log: bool = typer.Option(True, help="Log each request."),
    app: str = typer.Option(
        "app.main:app", help="The ASGI app (benchmarks serve a bare one the same way)."
    ),
) -> None:
    """Serve the API under uvicorn with the limits the service relies on.

    h11, not httptools: it bounds the request line and headers together
    (MAX_HEADER_BYTES; larger is refused with 400 before the app), where httptools read a
    150 MB header for 40 s. X-Forwarded-For is believed only from FORWARDED_ALLOW_IPS
    (default: nobody), so that a client cannot reset its own rate limits."""
    import sys

    import uvicorn

    settings = get_settings()
    sys.path.insert(0, str(Path.cwd()))  # as the uvicorn command does (--app-dir .)
    trusted = settings.forwarded_allow_ips
    uvicorn.run(
        app,
        host=host,
        port=port,
        workers=workers,
        http="h11",
        h11_max_incomplete_event_size=settings.max_header_bytes,
        proxy_headers=bool(trusted),
        forwarded_allow_ips=trusted or None,
        access_log=access_log,
        server_header=False,
    )


@cli.command()
def worker(
    concurrency: int = typer.Option(
        None, "--concurrency", "-c", help="Solver processes (default JOB_WORKERS)."
    ),
    loglevel: str = typer.Option("info", help="Celery log level."),
    hostname: str = typer.Option("twinstars@%h", help="Node name; unique per worker."),
) -> None:
    """Run a Celery worker for solve jobs (needs REDIS_URL; uses DATABASE_URL)."""
    settings = get_settings()
    if not settings.redis_url:
        console.print("[red]REDIS_URL is not set[/red]: without it the API runs jobs itself.")
        raise typer.Exit(2)
    from app.queue import QUEUE, make_celery

    args = ["worker", f"--queues={QUEUE}", f"--loglevel={loglevel}", "--without-gossip"]
    args += ["--without-mingle", f"--concurrency={concurrency or settings.job_workers}"]
    args += [f"--hostname={hostname}"]
    make_celery(settings).worker_main(args)


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
            issued = key_service.create_key(session, CLI, name, role, city, expires_days)
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
            key_service.revoke_key(session, CLI, key_id)
    except AppError as exc:
        console.print(f"[red]{exc.detail}[/red]")
        raise typer.Exit(2) from None
    console.print(f"key {key_id} revoked")


def _progress_bar() -> Progress:
    return Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), console=console
    )


def _print_report(report: ImportReport) -> None:
    for e in report.errors:
        console.print(f"[red]row {e.row}[/red] {e.field}: {e.reason}")
    for w in report.warnings:
        console.print(f"[yellow]warning[/yellow] {w}")
    verb = "written" if report.written else "would be written" if not report.errors else "rejected"
    console.print(
        f"{report.kind}: {len(report.add)} to add, {len(report.change)} to change, "
        f"{len(report.unchanged)} unchanged, {len(report.errors)} bad rows; {verb}."
    )


def _run_import(
    label: str, run: Callable[[Session, Callable[[int, int], None]], ImportReport]
) -> None:
    with _progress_bar() as bar:
        task = bar.add_task(label, total=None)

        def progress(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        try:
            with session_scope(get_engine()) as session:
                report = run(session, progress)
        except ImportRejected as exc:
            report = exc.report
        except AppError as exc:  # e.g. an empty file
            console.print(f"[red]{exc.detail}[/red]")
            raise typer.Exit(2) from None
    _print_report(report)
    if report.errors:
        raise typer.Exit(1)


@import_cli.command("places")
def import_places_cmd(
    kind: str = typer.Argument(..., help="spots or hubs"),
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help=".csv or .geojson"),
    apply: bool = typer.Option(False, "--apply", help="Write (default: a dry run)"),
) -> None:
    """Check (and with --apply write, all or nothing) a CSV or GeoJSON file of places."""
    if kind not in ("spots", "hubs"):
        raise typer.BadParameter("spots or hubs", param_hint="KIND")
    text = file.read_text(encoding="utf-8-sig")
    csv_file = file.suffix.lower() == ".csv"
    rows = parse_csv(text) if csv_file else parse_geojson(text)
    edit_kind = edits.SPOT if kind == "spots" else edits.HUB
    _run_import(
        f"checking {len(rows)} {kind}",
        lambda s, p: import_places(
            s, CLI, edit_kind, rows, dry_run=not apply, text_cells=csv_file, progress=p
        ),
    )


@import_cli.command("gtfs")
def import_gtfs_cmd(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="GTFS .zip"),
    apply: bool = typer.Option(False, "--apply", help="Write (default: a dry run)"),
) -> None:
    """Check (and with --apply write) a GTFS feed as links with departures."""
    data = file.read_bytes()
    _run_import(
        "reading trips",
        lambda s, p: import_gtfs(s, CLI, data, dry_run=not apply, progress=p),
    )


@holidays_cli.command("load")
def holidays_load(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="The notice as JSON"),
) -> None:
    """Load (or replace) a year's notice, the body of PUT /v1/holiday-calendars/{year}."""
    try:
        doc = NoticeIn.model_validate_json(file.read_bytes())
    except ValidationError as exc:
        for err in validation_errors(exc.errors()):
            loc = "/".join(str(p) for p in err["loc"])
            console.print(f"[red]invalid[/red] {loc}: {err['msg']}")
        raise typer.Exit(1) from None
    years = sorted({d.date.year for d in doc.days})
    if len(years) != 1:
        console.print(f"[red]invalid[/red] days: one notice is one year, not {years}")
        raise typer.Exit(1)
    try:
        with session_scope(get_engine()) as session:
            holiday_service.replace_notice(session, CLI, years[0], doc, (file.name,))
    except AppError as exc:
        console.print(f"[red]invalid[/red] {exc.detail}")
        raise typer.Exit(1) from None
    console.print(f"{years[0]}: notice loaded, {len(doc.days)} days; the year is official.")


@holidays_cli.command("show")
def holidays_show(year: int = typer.Argument(..., min=2000, max=2100)) -> None:
    """A year's status, where it comes from, and its holidays and working weekend days."""
    with session_scope(get_engine()) as session:
        cal = holiday_service.year_calendar(session, year)
    typer.echo(f"{year}: {cal.status} ({cal.source})")
    if cal.notice is not None:
        n = cal.notice
        typer.echo(f"notice {n.source}, published {n.published}, loaded {n.loaded_at:%Y-%m-%d}")
    for d in cal.days:
        typer.echo(f"{d.date}\t{d.date:%a}\t{d.kind}\t{d.name}")


if __name__ == "__main__":
    cli()
