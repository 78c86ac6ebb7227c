"""Where solve jobs run. Embedded default: a process pool owned by the API process (no
broker needed); the Celery back-end for REDIS_URL is the scale-out issue's work."""

import multiprocessing
from concurrent.futures import Future, ProcessPoolExecutor

from app.services import jobs


class LocalJobs:
    """Jobs in worker processes of this API process (spawned: no inherited threads)."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._pool: ProcessPoolExecutor | None = None

    def submit(self, database_url: str, job_id: str) -> Future[str]:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                self.workers, mp_context=multiprocessing.get_context("spawn")
            )
        return self._pool.submit(jobs.run, database_url, job_id)

    def shutdown(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
