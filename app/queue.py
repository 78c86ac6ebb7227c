"""The Celery back-end: solve jobs go through Redis to `twinstars worker` processes.

Celery's prefork pool is the one queue that, on our machines, killed a runaway native
solve at its hard limit and replaced a crashed worker (see the scale-out issue). Results
go to the database (the job row and its itinerary), never to the broker, and a message is
acknowledged only after its job ended, so a worker lost mid-solve hands the job on.
"""

import math
from contextlib import suppress
from typing import Any

from celery import Celery, Task
from celery.signals import worker_process_init
from sqlalchemy.exc import OperationalError

from app.db import get_engine
from app.services import jobs
from app.settings import Settings

QUEUE = "plan"
TASK = "twinstars.plan"
# Beyond the solver's own limit: model building, skeleton probing, writing the itinerary.
SOFT_MARGIN_S, HARD_MARGIN_S = 60, 90


@worker_process_init.connect
def _fresh_connections(**_: Any) -> None:
    """A forked pool process must not share the parent's database connections."""
    get_engine().dispose(close=False)


def make_celery(settings: Settings) -> Celery:
    """A Celery app for this deployment's Redis, with the plan task registered."""
    app = Celery("twinstars", broker=settings.redis_url, set_as_current=False)
    app.conf.update(
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        task_ignore_result=True,
        task_default_queue=QUEUE,
        task_serializer="json",
        accept_content=["json"],
        worker_prefetch_multiplier=1,  # a busy worker holds no jobs another could run
        worker_concurrency=settings.job_workers,
        worker_hijack_root_logger=False,
        broker_connection_retry_on_startup=True,
        broker_transport_options={
            "visibility_timeout": settings.job_visibility_timeout_s,
            # Look for jobs of vanished workers a few times per visibility timeout.
            "unacked_restore_interval": max(1, min(10, settings.job_visibility_timeout_s // 4)),
            "unacked_restore_throttle": 1,
        },
    )
    max_attempts = settings.job_max_attempts

    class PlanTask(Task):
        def on_failure(
            self, exc: Exception, task_id: str, args: Any, kwargs: Any, einfo: Any
        ) -> None:
            """The job fails when the hard time limit killed it or retries ran out."""
            # Still unreachable: the API resubmits unfinished jobs when it starts.
            with suppress(OperationalError):
                jobs.fail(get_engine(), args[0], f"the solve was stopped: {type(exc).__name__}")

    @app.task(
        base=PlanTask,
        bind=True,
        name=TASK,
        # A worker lost mid-solve: run again elsewhere after a pause.
        retry_on_worker_lost=True,
        default_retry_delay=2,
        # The database away: back off exponentially (2, 4, 8 ... 60 s, jittered).
        autoretry_for=(OperationalError,),
        retry_backoff=2,
        retry_backoff_max=60,
        retry_jitter=True,
        max_retries=10,
    )
    def plan(self: Task, job_id: str) -> str:
        delivery = self.request.delivery_info or {}
        again = bool(delivery.get("redelivered")) or self.request.retries > 0
        return jobs.run(get_engine(), job_id, takeover=again, max_attempts=max_attempts)

    return app


def enqueue(app: Celery, job_id: str, time_limit_s: float) -> None:
    """Send a job (its id is the task id) with time limits fitted to its solve."""
    app.send_task(
        TASK,
        args=[job_id],
        task_id=job_id,
        # Whole seconds (Celery's limits are ints), rounded up: never below the solve's.
        soft_time_limit=math.ceil(time_limit_s) + SOFT_MARGIN_S,
        time_limit=math.ceil(time_limit_s) + HARD_MARGIN_S,
        retry=True,
        retry_policy={"max_retries": 2, "interval_start": 0.2, "interval_step": 0.5},
    )
