"""Where solve jobs run: two back-ends behind one `submit`.

Embedded default (no Redis): a process pool owned by the API process. With REDIS_URL:
Celery workers (`twinstars worker`) on any number of machines.
"""

import logging
import multiprocessing
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Protocol

from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError

from app.db import make_engine
from app.services import jobs
from app.settings import Settings

log = logging.getLogger("twinstars.jobs")


class JobQueue(Protocol):
    def submit(self, engine: Engine, job_id: str, time_limit_s: float) -> None:
        """Hand a committed job to a worker; raises when the queue cannot take it."""

    def shutdown(self) -> None: ...


def _run_local(database_url: str, job_id: str, max_attempts: int) -> str:
    engine = make_engine(database_url)
    try:
        return jobs.run(engine, job_id, max_attempts=max_attempts)
    except OperationalError:
        # No queue to retry it: the job stays unfinished and is resubmitted when the API
        # starts again (see `resubmit`).
        log.warning("plan job %s interrupted: the database is unavailable", job_id)
        return "interrupted"
    finally:
        engine.dispose()


class LocalJobs:
    """Jobs in worker processes of this API process (spawned: no inherited threads)."""

    def __init__(self, workers: int, max_attempts: int) -> None:
        self.workers, self.max_attempts = workers, max_attempts
        self._pool: ProcessPoolExecutor | None = None

    def submit(self, engine: Engine, job_id: str, time_limit_s: float) -> None:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                self.workers, mp_context=multiprocessing.get_context("spawn")
            )
        url = engine.url.render_as_string(hide_password=False)
        try:
            self._pool.submit(_run_local, url, job_id, self.max_attempts)
        except BrokenProcessPool:  # a solver process died (OOM, kill): start a new pool
            self._pool = None
            self.submit(engine, job_id, time_limit_s)

    def shutdown(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None


class CeleryJobs:
    """Jobs through Redis to Celery workers, which use their own DATABASE_URL."""

    def __init__(self, settings: Settings) -> None:
        from app.queue import make_celery  # Celery is imported only when it is used

        self.celery = make_celery(settings)

    def submit(self, engine: Engine, job_id: str, time_limit_s: float) -> None:
        from app.queue import enqueue

        enqueue(self.celery, job_id, time_limit_s)

    def shutdown(self) -> None:
        self.celery.close()


def make_queue(settings: Settings) -> JobQueue:
    if settings.redis_url:
        return CeleryJobs(settings)
    return LocalJobs(settings.job_workers, settings.job_max_attempts)


def resubmit(queue: JobQueue, engine: Engine) -> int:
    """Hand every job no live worker is on to the queue again (at API start): nothing
    accepted is lost when the API or a queue stopped under it. Returns how many."""
    pending = jobs.unfinished(engine)
    for job_id, time_limit_s in pending:
        queue.submit(engine, job_id, time_limit_s)
    return len(pending)


def reap(queue: JobQueue, engine: Engine) -> int:
    """Resubmit the jobs whose worker vanished (heartbeat stopped); how many."""
    lost = jobs.requeue_lost(engine)
    for job_id, time_limit_s in lost:
        log.warning("plan job %s lost its worker: resubmitted", job_id)
        queue.submit(engine, job_id, time_limit_s)
    return len(lost)


class Reaper:
    """A thread that reaps every `every_s`: a job of a worker machine that vanished is
    back in the queue within `jobs.STALE_AFTER` + `every_s`, not after the broker's
    visibility timeout. Several API processes may each run one: a job is requeued once."""

    def __init__(self, queue: JobQueue, engine: Engine, every_s: float) -> None:
        self.queue, self.engine, self.every_s = queue, engine, every_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="job-reaper", daemon=True)

    def start(self) -> "Reaper":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(self.every_s):
            try:
                reap(self.queue, self.engine)
            except OperationalError:
                log.warning("no reaping: the database is unavailable")
            except Exception:  # a broker that is down: the job stays queued, tried later
                log.exception("reaping failed")
