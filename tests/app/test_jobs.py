"""Jobs go to the queue once committed; one attempt owns a job at a time, only it may
finish it, and a job no worker is on is handed out again."""

import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, func, select
from sqlmodel import Session

from app.db import session_scope
from app.errors import Unavailable
from app.models import Itinerary, JobStatus, PlanJob
from app.planning.request import PlanRequest
from app.services import jobs
from app.services.access import CLI
from app.workers import LocalJobs, resubmit
from tests.plan_jobs import BODY, HeldQueue


def new_job(
    engine: Engine, queue: HeldQueue | None = None, key: str | None = None, **body: object
) -> str:
    req = PlanRequest.model_validate({**BODY, **body})
    with session_scope(engine) as session:
        job, _ = jobs.create(session, req, key, queue or HeldQueue(), engine)
        return job.id


def row(engine: Engine, job_id: str) -> PlanJob:
    with Session(engine) as session:
        return session.get_one(PlanJob, job_id)


def itineraries(engine: Engine) -> int:
    with Session(engine) as session:
        return session.scalar(select(func.count()).select_from(Itinerary)) or 0


def test_a_job_goes_to_the_queue_only_once_its_row_is_committed(engine: Engine) -> None:
    """A worker looking for the job (on a connection of its own) always finds it."""
    queue = HeldQueue()
    req = PlanRequest.model_validate(BODY)
    with session_scope(engine) as session:
        job, created = jobs.create(session, req, None, queue, engine)
        assert created and queue.handed == []  # not before the commit
    assert queue.handed == [(job.id, True)]


def test_a_job_rolled_back_is_never_queued(engine: Engine) -> None:
    queue = HeldQueue()
    with pytest.raises(RuntimeError), session_scope(engine) as session:
        job, _ = jobs.create(session, PlanRequest.model_validate(BODY), None, queue, engine)
        raise RuntimeError("the request failed after the job was made")
    assert queue.handed == []
    with Session(engine) as session:
        assert session.get(PlanJob, job.id) is None


def test_a_job_the_queue_refuses_fails_at_once_and_frees_its_key(engine: Engine) -> None:
    """No queued row is left that no worker will ever see: the job is failed in a
    transaction of its own, the request is a 503, and a retry with the key is a new job."""
    with pytest.raises(Unavailable) as refused:
        new_job(engine, HeldQueue(refuse=True), key="trip-7")
    assert refused.value.headers == {"Retry-After": "5"}
    with Session(engine) as session:
        (job,) = session.scalars(select(PlanJob)).all()
    assert (job.status, job.error, job.idempotency_key) == (
        JobStatus.failed, "the job queue was unavailable", None
    )  # fmt: skip
    assert jobs.unfinished(engine) == []  # nothing for the resubmission at start either
    retry = new_job(engine, key="trip-7")
    assert retry != job.id and row(engine, retry).status == JobStatus.queued


def test_one_attempt_owns_a_job_and_a_lost_ones_result_is_refused(engine: Engine) -> None:
    job_id = new_job(engine)
    first = jobs.claim(engine, job_id, takeover=False, max_attempts=3)
    assert first is not None and first[1] == 1
    # A duplicate message while the first attempt is alive: nothing to do.
    assert jobs.claim(engine, job_id, takeover=False, max_attempts=3) is None
    # The queue says the first worker was lost: the job is taken over and finished.
    assert jobs.run(engine, job_id, takeover=True) == JobStatus.done
    job = row(engine, job_id)
    assert (job.status, job.attempt, itineraries(engine)) == (JobStatus.done, 2, 1)
    # The first attempt, had it lived on, may no longer touch the row.
    attempt = jobs.Attempt(engine, job_id, 1)
    attempt.beat()
    assert attempt.stopped.is_set()
    assert jobs.fail(engine, job_id, "late", attempt=1) == JobStatus.failed
    assert row(engine, job_id).status == JobStatus.done


def test_a_job_solves_holding_no_connection(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The heartbeat and the final write take connections for a moment; the solve none."""
    held: list[int] = []
    solve = jobs.planning.solve

    def watched(*args, **kwargs):
        held.append(engine.pool.checkedout())  # type: ignore[attr-defined]
        return solve(*args, **kwargs)

    monkeypatch.setattr(jobs.planning, "solve", watched)
    job_id = new_job(engine)
    assert jobs.run(engine, job_id) == JobStatus.done
    assert held == [0] and itineraries(engine) == 1


def test_a_job_that_keeps_losing_its_worker_fails(engine: Engine) -> None:
    job_id = new_job(engine)
    with session_scope(engine) as session:
        job = session.get_one(PlanJob, job_id)
        job.status, job.attempt = JobStatus.running, 3
        job.heartbeat_at = datetime.now(UTC) - timedelta(minutes=5)
    assert jobs.unfinished(engine) == [(job_id, BODY["time_limit_s"])]
    assert jobs.claim(engine, job_id, takeover=True, max_attempts=3) is None
    job = row(engine, job_id)
    assert job.status == JobStatus.failed and "3 attempts" in (job.error or "")
    assert jobs.unfinished(engine) == []


def test_a_cancelled_running_job_stores_nothing(engine: Engine) -> None:
    job_id = new_job(engine, time_limit_s=3)
    result: list[str] = []
    runner = threading.Thread(target=lambda: result.append(jobs.run(engine, job_id)))
    runner.start()
    while row(engine, job_id).status != JobStatus.running:
        time.sleep(0.05)
    with session_scope(engine) as session:
        jobs.cancel(session, job_id, None, CLI)
    runner.join(30)
    assert result == ["stopped"]
    assert row(engine, job_id).status == JobStatus.cancelled and itineraries(engine) == 0


def test_unfinished_jobs_are_resubmitted(engine: Engine) -> None:
    """What the API does when it starts: jobs accepted before it stopped still run."""
    queued, finished = new_job(engine), new_job(engine)
    with session_scope(engine) as session:
        jobs.cancel(session, finished, None, CLI)
    queue = LocalJobs(workers=1, max_attempts=3)
    try:
        assert resubmit(queue, engine) == 1
        deadline = time.monotonic() + 90
        while row(engine, queued).status != JobStatus.done and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        queue.shutdown()
    assert row(engine, queued).status == JobStatus.done
    assert row(engine, finished).status == JobStatus.cancelled


def test_a_job_whose_heartbeat_stopped_is_requeued_once(engine: Engine) -> None:
    """The reaper's step: a running job silent for longer than `STALE_AFTER` goes back to
    queued, once (a second reaper finds nothing), and its next attempt finishes it."""
    lost, alive = new_job(engine), new_job(engine)
    for job_id in (lost, alive):
        assert jobs.claim(engine, job_id, takeover=False, max_attempts=3) is not None
    with session_scope(engine) as session:
        session.get_one(PlanJob, lost).heartbeat_at = (
            datetime.now(UTC) - jobs.STALE_AFTER - timedelta(seconds=1)
        )
    assert [job_id for job_id, _ in jobs.requeue_lost(engine)] == [lost]
    assert jobs.requeue_lost(engine) == []
    assert (row(engine, lost).status, row(engine, alive).status) == (
        JobStatus.queued,
        JobStatus.running,
    )
    assert jobs.run(engine, lost) == JobStatus.done
    assert row(engine, lost).attempt == 2 and itineraries(engine) == 1
    # The lost attempt, were it still alive somewhere, can no longer touch the row.
    stale = jobs.Attempt(engine, lost, 1)
    stale.beat()
    assert stale.stopped.is_set()
