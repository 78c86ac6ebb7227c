"""Solve jobs: a plan request worked on outside the request, with its state and progress."""

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, String
from sqlmodel import Field, SQLModel

from app.models.base import UTCDateTime


class JobStatus(StrEnum):
    queued = "queued"
    running = "running"
    done = "done"
    failed = "failed"
    cancelled = "cancelled"


class PlanJob(SQLModel, table=True):
    __tablename__ = "plan_job"

    id: str = Field(primary_key=True, max_length=32)
    status: str = Field(sa_column=Column(String(16), nullable=False, index=True))
    idempotency_key: str | None = Field(
        default=None, sa_column=Column(String(100), unique=True, nullable=True)
    )
    request: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(sa_type=UTCDateTime)
    started_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    finished_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # Each claim by a worker bumps the attempt; only the current attempt may finish the job,
    # so a lost worker's late result can never store a second itinerary.
    attempt: int = Field(default=0, nullable=False)
    heartbeat_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    best_score: int | None = None
    elapsed_s: float | None = None
    itinerary_id: str | None = Field(default=None, max_length=32)
    error: str | None = Field(default=None, max_length=2000)


class ImportJob(SQLModel, table=True):
    """A spots or hubs import too large to answer at once, run in a thread of the API
    process: its progress while it checks the rows, its report when it ends."""

    __tablename__ = "import_job"

    id: str = Field(primary_key=True, max_length=32)
    kind: str = Field(max_length=16)
    status: str = Field(sa_column=Column(String(16), nullable=False, index=True))
    key_id: int | None = None  # the key that sent it: it (or an admin) may read the job
    created_at: datetime = Field(sa_type=UTCDateTime)
    heartbeat_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    finished_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    done: int = 0  # rows checked
    total: int = 0
    report: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    error: str | None = Field(default=None, max_length=2000)
