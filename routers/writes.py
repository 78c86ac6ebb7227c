"""Write routes shared by spots, hubs and links: create, patch, delete, restore.

One factory instead of three copies: the rules (keys, city, ETag, audit) live in
`app.services.edits`; this only maps HTTP onto them.
"""

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Body, Header, Path, Request, Response, status
from pydantic import BaseModel, ConfigDict, Field, create_model

from app.schemas import SLUG
from app.services import edits
from routers.deps import DatumDep, LangDep, SessionDep, WriterDep
from routers.errors import WRITE_RESPONSES
from routers.ratelimit import WriteLimit
from routers.reads import Page, etag_of, page_response, serialise

IfMatch = Annotated[str | None, Header(description="ETag of the version being changed")]
# Required on PATCH: a missing one is 428 (RFC 6585), rendered so by `routers.errors`.
RequiredIfMatch = Annotated[
    str, Header(description="ETag of the version being changed (428 without)")
]


def partial(model: type[BaseModel]) -> type[BaseModel]:
    """All fields optional and no id: the body of a PATCH (merged, then fully validated)."""
    fields: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        if name == "id":
            continue
        fields[name] = (
            info.rebuild_annotation() | None,
            Field(None, description=info.description),
        )
    return create_model(
        f"{model.__name__.removesuffix('In')}Patch",
        __config__=ConfigDict(extra="forbid", str_strip_whitespace=True),
        **fields,
    )


def add_write_routes(
    router: APIRouter,
    kind: edits.Kind,
    out_model: type[BaseModel],
    shape: Callable[[Any, Any, Any], BaseModel],
) -> None:
    # The body models are chosen (and the patch model built) at run time: FastAPI reads them
    # from the signatures below, mypy cannot, hence the ignores on `doc` and `patch`.
    patch_model = partial(kind.schema)
    name = kind.name
    one = f"/{{{name}_id}}"
    IdPath = Annotated[str, Path(alias=f"{name}_id", pattern=SLUG)]

    def finish(view: Any, lang: Any, datum: Any, status_code: int = 200) -> Response:
        """The row as a read of it sends it, with the same ETag."""
        body = serialise(out_model, shape(view, lang, datum))
        page = Page(None, etag_of(body, getattr(view, name).version), body, kind is not edits.LINK)
        return page_response(page, None, status_code)

    @router.post(
        "",
        status_code=status.HTTP_201_CREATED,
        response_model=out_model,
        responses=WRITE_RESPONSES,
        summary=f"Create a {name}",
    )
    def create(
        doc: Annotated[kind.schema, Body()],  # type: ignore[name-defined]
        request: Request,
        _limit: WriteLimit,
        session: SessionDep,
        principal: WriterDep,
        lang: LangDep,
        datum: DatumDep,
    ) -> Response:
        view = edits.create(session, principal, kind, doc)
        response = finish(view, lang, datum, status.HTTP_201_CREATED)
        response.headers["Location"] = str(
            request.url_for(f"get_{name}", **{f"{name}_id": doc.id})
        )
        return response

    @router.patch(
        one,
        response_model=out_model,
        responses=WRITE_RESPONSES,
        summary=f"Update a {name}",
    )
    def update(
        row_id: IdPath,
        patch: Annotated[patch_model, Body()],  # type: ignore[valid-type]
        _limit: WriteLimit,
        session: SessionDep,
        principal: WriterDep,
        lang: LangDep,
        datum: DatumDep,
        if_match: RequiredIfMatch,
    ) -> Response:
        changes = patch.model_dump(exclude_unset=True)  # type: ignore[attr-defined]
        view = edits.update(session, principal, kind, row_id, changes, if_match)
        return finish(view, lang, datum)

    @router.delete(
        one,
        status_code=status.HTTP_204_NO_CONTENT,
        responses=WRITE_RESPONSES,
        summary=f"Delete a {name} (soft; restorable)",
    )
    def delete(
        row_id: IdPath,
        _limit: WriteLimit,
        session: SessionDep,
        principal: WriterDep,
        if_match: IfMatch = None,
    ) -> Response:
        edits.delete(session, principal, kind, row_id, if_match)
        return Response(status_code=status.HTTP_204_NO_CONTENT)

    @router.post(
        f"{one}/restore",
        response_model=out_model,
        responses=WRITE_RESPONSES,
        summary=f"Restore a deleted {name}",
    )
    def restore(
        row_id: IdPath,
        _limit: WriteLimit,
        session: SessionDep,
        principal: WriterDep,
        lang: LangDep,
        datum: DatumDep,
    ) -> Response:
        return finish(edits.restore(session, principal, kind, row_id), lang, datum)
