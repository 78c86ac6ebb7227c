"""Rate limits per API key and per client address (`limits`, memory or Redis storage)."""

import time
from functools import lru_cache
from typing import Annotated, Any

from fastapi import Depends, Header, Request
from limits import RateLimitItem, parse, storage, strategies

from app.errors import TooManyRequests
from app.settings import get_settings


@lru_cache
def _limiter(storage_uri: str) -> strategies.MovingWindowRateLimiter:
    return strategies.MovingWindowRateLimiter(storage.storage_from_string(storage_uri))


def _check(bucket: str, item: RateLimitItem, *identity: str) -> None:
    limiter = _limiter(get_settings().rate_limit_storage)
    if not limiter.hit(item, bucket, *identity):
        reset, _remaining = limiter.get_window_stats(item, bucket, *identity)
        raise TooManyRequests(
            f"rate limit {item} exceeded for {bucket}", max(1, int(reset - time.time()) + 1)
        )


def limited(bucket: str) -> Any:
    """A dependency counting one hit per request against the key and the client address."""

    def dependency(
        request: Request,
        authorization: Annotated[str | None, Header(include_in_schema=False)] = None,
    ) -> None:
        # Counted before the key is checked, so guessing keys is limited too; the key's
        # own bucket is named by the key's public prefix.
        settings = get_settings()
        item = parse(getattr(settings, f"rate_limit_{bucket}"))
        client = request.client.host if request.client else "unknown"
        _check(bucket, item, "ip", client)
        parts = (authorization or "").removeprefix("Bearer ").split("_")
        if len(parts) >= 3 and parts[0] == "tsk":
            _check(bucket, item, "key", parts[1])

    return Depends(dependency)


WriteLimit = Annotated[None, limited("writes")]
