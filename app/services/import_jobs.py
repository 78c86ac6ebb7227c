"""Work too long to answer at once, run in a thread of the API process with its progress
in a row and its report when it ends: imports of more than `IMPORT_JOB_ROWS` rows, and
package generations.

The import itself is the same all-or-nothing transaction as a synchronous one; the row
only carries the state out. A job whose process stopped mid-way wrote nothing (its
transaction never committed): it is marked failed once its heartbeat is old.
"""

import logging
import threading
import time as clock
import uuid
from collections.abc import Callable
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


class JobFailed(Exception):
    """A job's work refusing, with the report to keep (an import's bad rows)."""

    def __init__(self, error: str, report: dict[str, Any] | None = None) -> None:
        super().__init__(error)
        self.error, self.report = error, report


Work = Callable[[Callable[[int], None]], dict[str, Any]]  # progress(done) -> its report


def launch(engine: Engine, who: Principal, kind: str, total: int, work: Work) -> ImportJob:
    """Record a job (committed before it starts) and run `work` in a thread: its progress
    and its report go into the row. Imports and package generations run this way."""
    now = datetime.now(UTC)
    job = ImportJob(
        id=uuid.uuid4().hex,
        kind=kind,
        status=JobStatus.queued,
        key_id=who.key_id,
        created_at=now,
        heartbeat_at=now,
        total=total,
    )
    with session_scope(engine) as session:
        session.add(job)
    threading.Thread(target=_run, args=(engine, job.id, total, work), daemon=True).start()
    return job


def start(
    engine: Engine,
    who: Principal,
    kind: edits.PlaceKind,
    rows: list[dict[str, Any]],
    text_cells: bool,
) -> ImportJob:
    """An import as a job; who may not import at all is refused now, the rows are checked
    in the job (the same all-or-nothing transaction as a synchronous import)."""
    check_city_write(who, set())

    def work(progress: Callable[[int], None]) -> dict[str, Any]:
        try:
            with session_scope(engine) as session:
                report = import_places(
                    session, who, kind, rows, dry_run=False, text_cells=text_cells,
                    progress=lambda done, _total: progress(done),
                )  # fmt: skip
        except ImportRejected as exc:
            raise JobFailed(exc.detail, exc.report.as_dict()) from None
        return report.as_dict()

    return launch(engine, who, kind.name, len(rows), work)


def _set(engine: Engine, job_id: str, **values: Any) -> None:
    values["heartbeat_at"] = datetime.now(UTC)
    with session_scope(engine) as session:
        session.execute(update(ImportJob).where(col(ImportJob.id) == job_id).values(**values))


def _run(engine: Engine, job_id: str, total: int, work: Work) -> None:
    _set(engine, job_id, status=JobStatus.running)
    last = clock.monotonic()

    def progress(done: int) -> None:
        nonlocal last
        if clock.monotonic() - last >= PROGRESS_EVERY_S:
            last = clock.monotonic()
            _set(engine, job_id, done=done)

    end: dict[str, Any]
    try:
        end = {"status": JobStatus.done, "report": work(progress)}
    except JobFailed as exc:
        end = {"status": JobStatus.failed, "report": exc.report, "error": exc.error}
    except AppError as exc:
        end = {"status": JobStatus.failed, "error": exc.detail}
    except Exception:
        log.exception("job %s failed", job_id)
        end = {"status": JobStatus.failed, "error": "the job failed; the error was logged"}
    _set(engine, job_id, done=total, finished_at=datetime.now(UTC), **end)


def get(session: Session, who: Principal, job_id: str, kinds: set[str]) -> ImportJob:
    """The job of one of `kinds`, for the key that sent it or an admin (anyone else: it
    does not exist)."""
    job = session.get(ImportJob, job_id)
    if job is None or job.kind not in kinds:
        raise NotFound(f"job {job_id!r} does not exist")
    if not (who.role is Role.admin or job.key_id == who.key_id):
        raise NotFound(f"job {job_id!r} does not exist")
    beat = job.heartbeat_at
    lost = beat is not None and beat < datetime.now(UTC) - LOST_AFTER
    if job.status in (JobStatus.queued, JobStatus.running) and lost:
        job.status, job.finished_at = JobStatus.failed, datetime.now(UTC)
        job.error = "the server stopped during the job; nothing was written"
        session.flush()
    return job
