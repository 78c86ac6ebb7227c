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
    # Wrapped: a rate-limit store that is down is `StorageError`, answered as 503.
    store = storage.storage_from_string(storage_uri, wrap_exceptions=True)
    return strategies.MovingWindowRateLimiter(store)


def _check(bucket: str, item: RateLimitItem, *identity: str, cost: int = 1) -> None:
    limiter = _limiter(get_settings().rate_limit_storage)
    if not limiter.hit(item, bucket, *identity, cost=cost):
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
        # Counted before the key is checked, so guessing keys is limited too.
        spend(bucket, request, authorization)

    return Depends(dependency)


def _identities(request: Request, authorization: str | None) -> list[tuple[str, str]]:
    """The client address, and the key's public prefix when a key is sent."""
    client = request.client.host if request.client else "unknown"
    found = [("ip", client)]
    parts = (authorization or "").removeprefix("Bearer ").split("_")
    if len(parts) >= 3 and parts[0] == "tsk":
        found.append(("key", parts[1]))
    return found


def spend(bucket: str, request: Request, authorization: str | None, cost: int = 1) -> None:
    """Count `cost` against the bucket's limit (`rate_limit_<bucket>`) for every identity
    of the request; 429 with Retry-After when one has none left."""
    item = parse(getattr(get_settings(), f"rate_limit_{bucket}"))
    for identity in _identities(request, authorization):
        _check(bucket, item, *identity, cost=cost)


WriteLimit = Annotated[None, limited("writes")]
