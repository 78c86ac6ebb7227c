"""Settings from the environment (and an optional `.env`), read once per process."""

from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Literal
from zoneinfo import ZoneInfo

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEV_SECRET = "dev-only-insecure-secret-change-me"
# Every trip, opening hour and timetable is in China's one time zone.
TZ = ZoneInfo("Asia/Shanghai")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    database_url: str = "sqlite:///./twinstars.db"
    environment: Literal["development", "test", "production"] = "development"
    # Page sizes are bounded so that one request cannot ask for the whole table.
    page_size_default: int = 50
    page_size_max: int = 200
    # Pepper for API-key hashes; must come from the environment in production.
    secret_key: str = DEV_SECRET
    # Browser origins allowed by CORS (the web page, bureau tools); the mini-program does
    # not need CORS.
    cors_origins: list[str] = []
    max_body_bytes: int = 10 * 1024 * 1024
    # The request line and headers together (`twinstars serve`; a reverse proxy in front
    # should limit them too, see the README).
    max_header_bytes: int = Field(default=16 * 1024, ge=1024)
    # Addresses whose X-Forwarded-For is believed (comma-separated, `*` for any): the
    # reverse proxy's. Empty, the client address is the socket's.
    forwarded_allow_ips: str = ""
    # `limits` syntax per key and per client address; storage "memory://" or a Redis URL.
    rate_limit_writes: str = "120/minute"
    rate_limit_planning: str = "30/minute"
    # Reads that check a key (keys, audit, the quality report): guessing is limited too.
    rate_limit_keyed: str = "120/minute"
    rate_limit_storage: str = "memory://"
    # Synchronous plans solved at once per API process, and how long a request waits for
    # a free solver before a 503 with Retry-After (plan jobs are the way to queue more).
    plan_concurrency: int = Field(default=2, ge=1)
    plan_queue_wait_s: float = Field(default=2.0, ge=0)
    # Callers without a key get lower ceilings than the schema's (never below what a
    # traveller's plan needs: 5 s and 7 days); a longer `time_limit_s` is cut to the
    # ceiling, more days need a key.
    anonymous_max_time_limit_s: float = Field(default=10.0, ge=5)
    anonymous_max_days: int = Field(default=7, ge=7)
    # Solver seconds per key and per address: each plan counts its `time_limit_s`.
    rate_limit_solver_seconds: str = "300/minute"
    # A spots or hubs import (not a dry run) of more rows than this runs as a job (202).
    import_job_rows: int = Field(default=5000, ge=1)
    # Solve jobs go to Celery workers through this Redis when set; else they run in a
    # process pool of the API process (the embedded back-end).
    redis_url: str | None = None
    # Solver processes: of the API process (embedded), or of each `twinstars worker`.
    job_workers: int = 1
    # Redis hands an unacknowledged job to another worker after this long, which is how a
    # job survives a worker machine that vanished; it must exceed the longest job.
    job_visibility_timeout_s: int = 600
    # How often the API looks for running jobs whose heartbeat stopped, to resubmit them.
    job_reap_every_s: float = Field(default=5.0, gt=0)
    # A job whose worker was lost this many times fails instead of being tried again.
    job_max_attempts: int = 3
    # An OSRM-compatible routing server (table API); offline estimates when unset.
    osrm_url: str | None = None
    # The service's today, pinned (tests, demos, benchmarks with fixed dates); unset, the
    # date in Asia/Shanghai. Plans may not start before it.
    today: date | None = Field(default=None, validation_alias="twinstars_today")

    @model_validator(mode="after")
    def _no_default_secret_in_production(self) -> "Settings":
        if self.environment == "production" and self.secret_key == DEV_SECRET:
            raise ValueError("SECRET_KEY must be set in production (refusing the default)")
        return self


@lru_cache
def get_settings() -> Settings:
    return Settings()


def today(now: datetime | None = None) -> date:
    """The service's today: `TWINSTARS_TODAY` when set, else the date in Asia/Shanghai
    (`now`, default the current time), whatever the server's own time zone."""
    pinned = get_settings().today
    if pinned is not None:
        return pinned
    return (now or datetime.now(UTC)).astimezone(TZ).date()
