"""Solver slots: how many synchronous plans one API process solves at once.

A solve is CPU work of seconds; beyond the slots a request waits briefly for one (in the
event loop, holding no thread and no connection), then is refused with 503 and
`Retry-After`, so that a rush of plans never starves reads, `/healthz` or the database
pool. Plan jobs (`POST /v1/plan-jobs`) are the way to queue more work than that.
"""

import math
import threading
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import lru_cache

import anyio

from app.errors import Unavailable

POLL_S = 0.02


class Slots:
    def __init__(self, size: int) -> None:
        self.size = size
        self._free = threading.BoundedSemaphore(size)

    @asynccontextmanager
    async def hold(self, wait_s: float, retry_after_s: float) -> AsyncIterator[None]:
        """One slot for the body of the block, or `Unavailable` after `wait_s`."""
        give_up = time.monotonic() + wait_s
        while not self._free.acquire(blocking=False):
            if time.monotonic() >= give_up:
                raise Unavailable(
                    f"all {self.size} planners of this server are busy; retry, or submit a "
                    "plan job (POST /v1/plan-jobs) to be queued",
                    retry_after_s=max(1, math.ceil(retry_after_s)),
                )
            await anyio.sleep(POLL_S)
        try:
            yield
        finally:
            self._free.release()


@lru_cache
def slots(size: int) -> Slots:
    """The process's slots (one set per configured size)."""
    return Slots(size)
