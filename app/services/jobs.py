"""Solve jobs: stored rows with state and progress; the work runs in another process.

The database, not the queue, is the source of truth. The row is written in the request's
transaction and handed to a worker only after that commit (`after_commit`); if the queue
refuses it then, the job is marked failed at once and the request answers 503. A worker
*claims* the job by bumping its attempt number; only the current attempt may store the
itinerary, in the same transaction that marks the job done, so a lost worker's late result
(or a duplicate message) can never store a second one. While it solves, a worker beats a
heartbeat into the row, which also carries the progress out and brings cancellation in.
"""

import hashlib
import hmac
import logging
import threading
import uuid
from datetime import UTC, datetime, timedelta
from types import TracebackType
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import Engine, Update, func, select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, col

from app.db import after_commit, session_scope
from app.errors import (
    AppError,
    Forbidden,
    IdempotencyKeyReused,
    NotFound,
    Unauthorized,
    Unavailable,
)
from app.models import JobStatus, PlanJob, Role
from app.planning import service as planning
from app.planning.document import Itinerary
from app.planning.request import PlanRequest
from app.services.access import Principal
from app.settings import get_settings
from solver import Progress

if TYPE_CHECKING:
    from app.workers import JobQueue

log = logging.getLogger("twinstars.jobs")
HEARTBEAT_S = 1.0  # a running job writes its heartbeat and progress this often
STALE_AFTER = timedelta(seconds=15)  # a running job silent this long has lost its worker
FINISHED = {JobStatus.done, JobStatus.failed, JobStatus.cancelled}


class Stop(Exception):
    """Raised inside a running solve that must end: cancelled, or taken over."""


def create(
    session: Session,
    req: PlanRequest,
    idempotency_key: str | None,
    queue: "JobQueue",
    engine: Engine,
) -> tuple[PlanJob, bool]:
    """A new queued job, handed to `queue` once the session commits; or the job already
    made with this Idempotency-Key for the same request (False). The key sent with another
    request is refused, and so is a request `POST /v1/itineraries` would refuse."""
    document = req.model_dump(mode="json")
    if idempotency_key is not None:
        existing = session.scalar(
            select(PlanJob).where(col(PlanJob.idempotency_key) == idempotency_key)
        )
        if existing is not None:
            if existing.request != document:
                raise IdempotencyKeyReused
            return existing, False
    planning.check(session, req)  # all the synchronous plan would refuse, before a 202
    job = PlanJob(
        id=uuid.uuid4().hex,
        status=JobStatus.queued,
        idempotency_key=idempotency_key,
        request=document,
        created_at=datetime.now(UTC),
    )
    session.add(job)
    session.flush()
    job_id, time_limit_s = job.id, req.time_limit_s
    after_commit(session, lambda: submit(queue, engine, job_id, time_limit_s))
    return job, True


def submit(queue: "JobQueue", engine: Engine, job_id: str, time_limit_s: float) -> None:
    """Hand a committed job to the queue. If the queue refuses it, the job is failed in a
    transaction of its own, its Idempotency-Key released so that the client's retry makes
    a new job, and the request answers 503 with Retry-After.

    Why not keep it queued for `workers.resubmit`: that runs only when an API process
    starts, so the job would run at some unknown later time while its client, told 503,
    has retried or given up. Resubmitting is for jobs the queue lost after accepting them.
    (If the database is down too, the row stays queued and that loop picks it up.)"""
    try:
        queue.submit(engine, job_id, time_limit_s)
    except Exception:
        log.exception("plan job %s not queued", job_id)
        try:
            with session_scope(engine) as session:
                job = session.get(PlanJob, job_id)
                if job is not None and job.status == JobStatus.queued:
                    job.status, job.finished_at = JobStatus.failed, datetime.now(UTC)
                    job.error, job.idempotency_key = "the job queue was unavailable", None
        except Exception:
            log.exception("plan job %s left queued for the next resubmission", job_id)
        raise Unavailable("the job queue is unavailable; nothing was queued, retry") from None


def get(session: Session, job_id: str) -> PlanJob:
    job = session.get(PlanJob, job_id)
    if job is None:
        raise NotFound(f"plan job {job_id!r} does not exist")
    return job


def ahead_of(session: Session, job: PlanJob) -> int | None:
    """Queued jobs that arrived before this one (the queue is first in, first out); None
    once it has left the queue."""
    if job.status != JobStatus.queued:
        return None
    earlier = select(func.count()).where(
        col(PlanJob.status) == JobStatus.queued,
        col(PlanJob.created_at) < job.created_at,
    )
    return session.scalar(earlier) or 0


def cancel_token(job_id: str) -> str:
    """The job's cancel token: given to its creator only (a replay of the creating request
    gets the same one), checked without storing it (an HMAC of the id under the secret)."""
    pepper = get_settings().secret_key.encode()
    return hmac.new(pepper, f"cancel:{job_id}".encode(), hashlib.sha256).hexdigest()


def cancel(session: Session, job_id: str, token: str | None, who: Principal | None) -> PlanJob:
    """Cancel a queued or running job, for whoever holds its token (or an admin); a
    finished one stays as it is."""
    job = get(session, job_id)
    if not (who is not None and who.role is Role.admin):
        if token is None:
            raise Unauthorized("cancelling needs the job's Cancel-Token (from its creation)")
        if not (token.isascii() and hmac.compare_digest(token, cancel_token(job_id))):
            raise Forbidden("this Cancel-Token is not the job's")
    if job.status not in FINISHED:
        job.status = JobStatus.cancelled
        job.finished_at = datetime.now(UTC)
        session.flush()
    return job


def unfinished(engine: Engine) -> list[tuple[str, float]]:
    """Jobs no live worker is on (queued, or running without a recent heartbeat), oldest
    first, with their solver time. Handing them to workers again is safe: a claim is
    atomic."""
    stale = datetime.now(UTC) - STALE_AFTER
    with session_scope(engine) as session:
        rows = session.execute(
            select(col(PlanJob.id), col(PlanJob.request))
            .where(
                (col(PlanJob.status) == JobStatus.queued)
                | (
                    (col(PlanJob.status) == JobStatus.running)
                    & ((col(PlanJob.heartbeat_at).is_(None)) | (col(PlanJob.heartbeat_at) < stale))
                )
            )
            .order_by(col(PlanJob.created_at))
        )
        return [(id_, PlanRequest.stored(req).time_limit_s) for id_, req in rows]


def requeue_lost(engine: Engine) -> list[tuple[str, float]]:
    """Running jobs whose heartbeat stopped (their worker vanished), put back in the queued
    state so that exactly one resubmission follows; with their solver time. The attempt
    number stays: the lost attempt can no longer store anything, the next one claims."""
    stale = datetime.now(UTC) - STALE_AFTER
    lost = []
    with session_scope(engine) as session:
        rows = session.execute(
            select(col(PlanJob.id), col(PlanJob.attempt), col(PlanJob.request)).where(
                col(PlanJob.status) == JobStatus.running,
                col(PlanJob.heartbeat_at) < stale,
            )
        ).all()
        for job_id, attempt, request in rows:
            back = cast(
                "CursorResult[Any]",
                session.execute(
                    update(PlanJob)
                    .where(
                        col(PlanJob.id) == job_id,
                        col(PlanJob.attempt) == attempt,
                        col(PlanJob.status) == JobStatus.running,
                        col(PlanJob.heartbeat_at) < stale,
                    )
                    .values(status=JobStatus.queued, heartbeat_at=None)
                ),
            )
            if back.rowcount == 1:
                lost.append((job_id, PlanRequest.stored(request).time_limit_s))
    return lost


def claim(
    engine: Engine, job_id: str, *, takeover: bool, max_attempts: int
) -> tuple[PlanRequest, int] | None:
    """Start a new attempt at the job: its request and attempt number, or None when there
    is nothing to do (finished, another live worker is on it, or attempts used up).

    `takeover` is for a message the queue delivered again after losing its worker: the
    row still says running, but nobody is."""
    now = datetime.now(UTC)
    with session_scope(engine) as session:
        job = session.get(PlanJob, job_id)
        if job is None or job.status in FINISHED:
            return None
        alive = job.heartbeat_at is not None and job.heartbeat_at > now - STALE_AFTER
        if job.status == JobStatus.running and alive and not takeover:
            return None  # a duplicate message while a live worker solves it
        if job.attempt >= max_attempts:
            job.status, job.finished_at = JobStatus.failed, now
            job.error = f"gave up after {job.attempt} attempts: the worker was lost each time"
            return None
        seen, number = job.attempt, job.attempt + 1
        request = PlanRequest.stored(job.request)
        claimed = cast(
            "CursorResult[Any]",
            session.execute(
                update(PlanJob)
                .where(
                    col(PlanJob.id) == job_id,
                    col(PlanJob.attempt) == seen,
                    col(PlanJob.status) == job.status,
                )
                .values(
                    status=JobStatus.running,
                    attempt=number,
                    started_at=job.started_at or now,
                    heartbeat_at=now,
                )
            ),
        )
        if claimed.rowcount != 1:
            return None  # another worker claimed it between the read and the write
        return request, number


class Attempt:
    """One worker's attempt at a job, as a context: a thread beats the heartbeat and
    writes the latest progress; the solve's progress callback stops it when the job was
    cancelled or another attempt took it over."""

    def __init__(self, engine: Engine, job_id: str, number: int) -> None:
        self.engine, self.job_id, self.number = engine, job_id, number
        self.stopped = threading.Event()
        self._ended = threading.Event()
        self._progress: Progress | None = None
        self._thread = threading.Thread(target=self._beat, name=f"heartbeat-{job_id}", daemon=True)

    def on_progress(self, progress: Progress) -> None:
        self._progress = progress
        if self.stopped.is_set():
            raise Stop

    def mine(self) -> Update:
        """UPDATE of this job's row that matches only while this attempt owns it."""
        return update(PlanJob).where(
            col(PlanJob.id) == self.job_id,
            col(PlanJob.attempt) == self.number,
            col(PlanJob.status) == JobStatus.running,
        )

    def beat(self) -> None:
        values: dict[str, object] = {"heartbeat_at": datetime.now(UTC)}
        if (p := self._progress) is not None:
            values.update(best_score=p.best_score, elapsed_s=round(p.elapsed, 3))
        with session_scope(self.engine) as session:
            beaten = cast("CursorResult[Any]", session.execute(self.mine().values(**values)))
            if beaten.rowcount != 1:
                self.stopped.set()

    def _beat(self) -> None:
        while not self._ended.wait(HEARTBEAT_S):
            try:
                self.beat()
            except OperationalError:
                log.warning("job %s: no heartbeat, the database is unavailable", self.job_id)

    def __enter__(self) -> "Attempt":
        self._thread.start()
        return self

    def __exit__(
        self, et: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._ended.set()
        self._thread.join()


def run(engine: Engine, job_id: str, *, takeover: bool = False, max_attempts: int = 3) -> str:
    """Work a job to its end (in a worker process); returns what became of this attempt.

    A database outage (OperationalError) propagates: the queue retries the job later."""
    claimed = claim(engine, job_id, takeover=takeover, max_attempts=max_attempts)
    if claimed is None:
        return "skipped"
    request, number = claimed
    try:
        with Attempt(engine, job_id, number) as attempt:

            def mark_done(session: Session, doc: Itinerary) -> None:
                done = cast(
                    "CursorResult[Any]",
                    session.execute(
                        attempt.mine().values(
                            status=JobStatus.done,
                            itinerary_id=doc.id,
                            best_score=doc.summary.score,
                            finished_at=datetime.now(UTC),
                        )
                    ),
                )
                if done.rowcount != 1:
                    raise Stop  # rolls the itinerary back with it

            planning.plan(engine, request, on_progress=attempt.on_progress, finish=mark_done)
        return JobStatus.done
    except Stop:
        return "stopped"
    except AppError as exc:
        return fail(engine, job_id, exc.detail, attempt=number)
    except OperationalError:
        raise
    except Exception:
        log.exception("plan job %s failed", job_id)
        return fail(engine, job_id, "the planner failed; the error was logged", attempt=number)


def fail(engine: Engine, job_id: str, message: str, *, attempt: int | None = None) -> str:
    """Mark an unfinished job failed (only if still on `attempt`, when given)."""
    with session_scope(engine) as session:
        job = session.get(PlanJob, job_id)
        if job is not None and job.status not in FINISHED and attempt in (None, job.attempt):
            job.status, job.error = JobStatus.failed, message[:2000]
            job.finished_at = datetime.now(UTC)
    return JobStatus.failed
