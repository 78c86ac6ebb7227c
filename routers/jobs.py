"""Solve jobs: plan in the background, poll for progress, cancel."""

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Path, Request, Response, status
from pydantic import BaseModel, Field
from sqlalchemy import Engine
from sqlmodel import Session

from app.models import JobStatus, PlanJob
from app.planning.request import PlanRequest
from app.services import jobs
from routers.deps import PrincipalDep, SessionDep, engine_dep
from routers.errors import ERROR_RESPONSES, WRITE_RESPONSES
from routers.planning import budgeted
from routers.ratelimit import limited

router = APIRouter(
    prefix="/plan-jobs", tags=["plan jobs"], responses={**ERROR_RESPONSES, **WRITE_RESPONSES}
)
JobId = Annotated[str, Path(pattern=r"^[0-9a-f]{32}$")]


class JobOut(BaseModel):
    id: str
    status: JobStatus
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    best_score: int | None
    elapsed_s: float | None
    itinerary_id: str | None
    error: str | None
    attempts: int = Field(description="Workers that took the job up (more than 1: one was lost)")
    ahead: int | None = Field(description="Queued jobs before this one; null once it started")


class CreatedJobOut(JobOut):
    cancel_token: str = Field(
        description="Send as the Cancel-Token header to cancel the job; shown here only"
    )


def _out(session: Session, job: PlanJob) -> JobOut:
    return JobOut(
        **job.model_dump(exclude={"request", "idempotency_key"}),
        attempts=job.attempt,
        ahead=jobs.ahead_of(session, job),
    )


@router.post("", status_code=status.HTTP_202_ACCEPTED, response_model=CreatedJobOut,
             dependencies=[limited("planning")])  # fmt: skip
def create_job(
    body: PlanRequest,
    request: Request,
    response: Response,
    session: SessionDep,
    engine: Annotated[Engine, Depends(engine_dep)],
    principal: PrincipalDep,
    idempotency_key: Annotated[
        str | None, Header(max_length=100, pattern=r"^[\x21-\x7e]+$", description="Retry-safe key")
    ] = None,
) -> CreatedJobOut:
    """Queue a plan (same body as POST /v1/itineraries, refused for the same reasons);
    poll the Location for progress. The same Idempotency-Key with the same body answers
    the job made first; with another body, 422."""
    body = budgeted(body, request, principal)
    job, _ = jobs.create(session, body, idempotency_key, request.app.state.jobs, engine)
    response.headers["Location"] = str(request.url_for("get_job", job_id=job.id))
    return CreatedJobOut(**_out(session, job).model_dump(), cancel_token=jobs.cancel_token(job.id))


@router.get("/{job_id}", response_model=JobOut)
def get_job(job_id: JobId, session: SessionDep) -> JobOut:
    """State and progress (best score so far, seconds) of a job; its itinerary when done."""
    return _out(session, jobs.get(session, job_id))


@router.delete("/{job_id}", response_model=JobOut, dependencies=[limited("writes")])
def cancel_job(
    job_id: JobId,
    session: SessionDep,
    principal: PrincipalDep,
    cancel_token: Annotated[
        str | None,
        # Any text: one that is not the job's token is a 403, whatever its shape.
        Header(max_length=200, description="From the job's creation"),
    ] = None,
) -> JobOut:
    """Cancel a queued or running job: send the `cancel_token` its creation answered as
    the Cancel-Token header (admins need none)."""
    return _out(session, jobs.cancel(session, job_id, cancel_token, principal))
