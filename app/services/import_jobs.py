"""Imports too large to answer at once (`IMPORT_JOB_ROWS`): a job in a thread of the API
process, with its progress in a row and its report when it ends.

The import itself is the same all-or-nothing transaction as a synchronous one; the row
only carries the state out. A job whose process stopped mid-way wrote nothing (its
transaction never committed): it is marked failed once its heartbeat is old.
"""

import logging
import threading
import time as clock
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, update
from sqlmodel import Session, col

from app.db import session_scope
from app.errors import AppError, ImportRejected, NotFound
from app.models import ImportJob, JobStatus, Role
from app.services import edits
from app.services.access import Principal, check_city_write
from app.services.imports import import_places

log = logging.getLogger("twinstars.imports")
PROGRESS_EVERY_S = 0.5
LOST_AFTER = timedelta(minutes=5)  # no heartbeat this long: the process running it is gone


def start(
    engine: Engine,
    who: Principal,
    kind: edits.PlaceKind,
    rows: list[dict[str, Any]],
    text_cells: bool,
) -> ImportJob:
    """Record the job (committed before it starts) and run it in a thread; who may not
    import at all is refused now, the rows are checked in the job."""
    check_city_write(who, set())
    now = datetime.now(UTC)
    job = ImportJob(
        id=uuid.uuid4().hex,
        kind=kind.name,
        status=JobStatus.queued,
        key_id=who.key_id,
        created_at=now,
        heartbeat_at=now,
        total=len(rows),
    )
    with session_scope(engine) as session:
        session.add(job)
    runner = threading.Thread(
        target=_run, args=(engine, job.id, who, kind, rows, text_cells), daemon=True
    )
    runner.start()
    return job


def _set(engine: Engine, job_id: str, **values: Any) -> None:
    values["heartbeat_at"] = datetime.now(UTC)
    with session_scope(engine) as session:
        session.execute(update(ImportJob).where(col(ImportJob.id) == job_id).values(**values))


def _run(
    engine: Engine,
    job_id: str,
    who: Principal,
    kind: edits.PlaceKind,
    rows: list[dict[str, Any]],
    text_cells: bool,
) -> None:
    _set(engine, job_id, status=JobStatus.running)
    last = clock.monotonic()

    def progress(done: int, total: int) -> None:
        nonlocal last
        if clock.monotonic() - last >= PROGRESS_EVERY_S:
            last = clock.monotonic()
            _set(engine, job_id, done=done)

    end: dict[str, Any]
    try:
        with session_scope(engine) as session:
            report = import_places(
                session, who, kind, rows, dry_run=False, text_cells=text_cells, progress=progress
            )
        end = {"status": JobStatus.done, "report": report.as_dict()}
    except ImportRejected as exc:
        end = {"status": JobStatus.failed, "report": exc.report.as_dict(), "error": exc.detail}
    except AppError as exc:
        end = {"status": JobStatus.failed, "error": exc.detail}
    except Exception:
        log.exception("import job %s failed", job_id)
        end = {"status": JobStatus.failed, "error": "the import failed; the error was logged"}
    _set(engine, job_id, done=len(rows), finished_at=datetime.now(UTC), **end)


def get(session: Session, who: Principal, job_id: str) -> ImportJob:
    """The job, for the key that sent it or an admin (anyone else: it does not exist)."""
    job = session.get(ImportJob, job_id)
    if job is None or not (who.role is Role.admin or job.key_id == who.key_id):
        raise NotFound(f"import job {job_id!r} does not exist")
    beat = job.heartbeat_at
    lost = beat is not None and beat < datetime.now(UTC) - LOST_AFTER
    if job.status in (JobStatus.queued, JobStatus.running) and lost:
        job.status, job.finished_at = JobStatus.failed, datetime.now(UTC)
        job.error = "the server stopped during the import; nothing was written"
        session.flush()
    return job
