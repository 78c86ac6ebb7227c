"""Solve jobs: stored rows with state and progress; the work runs in another process.

The row is written in the request's transaction and the job is handed to a worker only
after that commit, so a worker never looks for a job that does not exist yet.
"""

import logging
import time
import uuid
from datetime import UTC, datetime

from sqlalchemy import select
from sqlmodel import Session

from app.db import make_engine, session_scope
from app.errors import AppError, NotFound
from app.models import JobStatus, PlanJob
from app.planning import service as planning
from app.planning.request import PlanRequest
from solver import Progress

log = logging.getLogger("twinstars.jobs")
PROGRESS_EVERY_S = 0.5  # at most this often a running job writes its progress
FINISHED = {JobStatus.done, JobStatus.failed, JobStatus.cancelled}


class Cancelled(Exception):
    """Raised inside a running solve when its job was cancelled."""


def create(
    session: Session, req: PlanRequest, idempotency_key: str | None
) -> tuple[PlanJob, bool]:
    """A new queued job, or the one already made with this Idempotency-Key (False)."""
    if idempotency_key is not None:
        existing = session.scalar(
            select(PlanJob).where(PlanJob.idempotency_key == idempotency_key)
        )
        if existing is not None:
            return existing, False
    job = PlanJob(
        id=uuid.uuid4().hex,
        status=JobStatus.queued,
        idempotency_key=idempotency_key,
        request=req.model_dump(mode="json"),
        created_at=datetime.now(UTC),
    )
    session.add(job)
    session.flush()
    return job, True


def get(session: Session, job_id: str) -> PlanJob:
    job = session.get(PlanJob, job_id)
    if job is None:
        raise NotFound(f"plan job {job_id!r} does not exist")
    return job


def cancel(session: Session, job_id: str) -> PlanJob:
    """Cancel a queued or running job; a finished one stays as it is."""
    job = get(session, job_id)
    if job.status not in FINISHED:
        job.status = JobStatus.cancelled
        job.finished_at = datetime.now(UTC)
        session.flush()
    return job


def run(database_url: str, job_id: str) -> str:
    """Work a job to its end (in a worker process); returns the final status."""
    engine = make_engine(database_url)
    try:
        with session_scope(engine) as session:
            job = session.get(PlanJob, job_id)
            if job is None or job.status != JobStatus.queued:
                return job.status if job else "missing"
            job.status, job.started_at = JobStatus.running, datetime.now(UTC)
            request = PlanRequest.model_validate(job.request)
        last = 0.0

        def on_progress(p: Progress) -> None:
            nonlocal last
            if time.monotonic() - last < PROGRESS_EVERY_S:
                return
            last = time.monotonic()
            with session_scope(engine) as s:
                row = s.get(PlanJob, job_id)
                if row is None or row.status == JobStatus.cancelled:
                    raise Cancelled
                row.best_score, row.elapsed_s = p.best_score, round(p.elapsed, 3)

        try:
            with session_scope(engine) as session:
                doc = planning.plan(session, request, on_progress=on_progress)
                job = session.get(PlanJob, job_id)
                if job is None or job.status == JobStatus.cancelled:
                    raise Cancelled  # rolls the itinerary back with it
                job.status, job.itinerary_id = JobStatus.done, doc["id"]
                job.best_score, job.finished_at = doc["summary"]["score"], datetime.now(UTC)
                return JobStatus.done
        except Cancelled:
            return JobStatus.cancelled
        except AppError as exc:
            return _fail(engine, job_id, exc.detail)
        except Exception:
            log.exception("plan job %s failed", job_id)
            return _fail(engine, job_id, "the planner failed; the error was logged")
    finally:
        engine.dispose()


def _fail(engine, job_id: str, message: str) -> str:  # type: ignore[no-untyped-def]
    with session_scope(engine) as session:
        job = session.get(PlanJob, job_id)
        if job is not None and job.status not in FINISHED:
            job.status, job.error = JobStatus.failed, message[:2000]
            job.finished_at = datetime.now(UTC)
    return JobStatus.failed
