"""Optimistic concurrency: a row's version as its ETag, and the If-Match a write must send."""

from app.errors import PreconditionFailed, PreconditionRequired

IF_MATCH_REQUIRED = "If-Match is required: send the ETag you last read"


def etag(version: int) -> str:
    return f'"{version}"'


def tag_version(tag: str) -> int | None:
    """The row version an ETag names: `"3"`, or `"3-<digest>"` as reads send it (the
    digest tells the language and datum variants apart; the version is what a write
    must not have missed)."""
    head = tag.strip().removeprefix("W/").strip('"').partition("-")[0]
    return int(head) if head.isascii() and head.isdigit() else None


def check_if_match(if_match: str | None, version: int, required: bool) -> None:
    if if_match is None:
        if required:
            raise PreconditionRequired(IF_MATCH_REQUIRED)
        return
    tags = [t.strip() for t in if_match.split(",")]
    if "*" not in tags and version not in {tag_version(t) for t in tags}:
        raise PreconditionFailed(
            f"the resource changed (now ETag {etag(version)}); read it again and retry"
        )
