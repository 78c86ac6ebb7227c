"""Cached reads: ETag and If-None-Match on every list and single read, and never a stale
page after a committed write, whichever process or tool made it."""

import httpx
import pytest
from fastapi.dependencies.utils import get_flat_params
from fastapi.routing import APIRoute
from sqlalchemy import Engine, text

from app.db import make_engine, session_scope
from app.main import create_app
from app.services import edits
from app.services.access import CLI
from routers.deps import engine_dep
from routers.reads import reads_dep
from tests.conftest import auth

READS = [
    "/v1/spots?limit=20",
    "/v1/spots/cf_museum",
    "/v1/hubs",
    "/v1/hubs/cf_hotel_hongshan",
    "/v1/links",
    "/v1/links/cf_yulong",
    "/v1/cities",
]


def same_database(engine: Engine) -> Engine:
    """A second engine on the test's database: what another process would have."""
    return make_engine(engine.url.render_as_string(hide_password=False))


class TestIfNoneMatch:
    @pytest.mark.parametrize("url", READS)
    async def test_the_etag_sent_back_is_a_304_without_a_body(
        self, client: httpx.AsyncClient, url: str
    ) -> None:
        """A read's ETag in If-None-Match gives 304 with the same ETag and no body."""
        first = await client.get(url)
        assert first.status_code == 200 and first.headers["etag"].startswith('"')
        again = await client.get(url, headers={"If-None-Match": first.headers["etag"]})
        assert again.status_code == 304
        assert again.headers["etag"] == first.headers["etag"]
        assert again.content == b"" and "content-type" not in again.headers

    async def test_another_etag_gets_the_page(self, client: httpx.AsyncClient) -> None:
        """An ETag that is not the current one gets the whole page."""
        first = await client.get("/v1/spots")
        r = await client.get("/v1/spots", headers={"If-None-Match": '"0123456789abcdef"'})
        assert r.status_code == 200 and r.content == first.content

    async def test_weak_listed_and_any_tags_match(self, client: httpx.AsyncClient) -> None:
        """If-None-Match compares weakly, takes a list, and `*` matches any page."""
        tag = (await client.get("/v1/cities")).headers["etag"]
        for sent in (f"W/{tag}", f'"other", {tag}', "*"):
            r = await client.get("/v1/cities", headers={"If-None-Match": sent})
            assert r.status_code == 304, sent

    async def test_the_same_page_has_the_same_etag_in_another_app(
        self, client: httpx.AsyncClient, engine: Engine
    ) -> None:
        """The ETag is the page's, not the process's: another app (worker) on the same
        database answers 304 to it."""
        tag = (await client.get("/v1/spots/cf_museum")).headers["etag"]
        app = create_app()
        app.dependency_overrides[engine_dep] = lambda: engine
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as other:
            r = await other.get("/v1/spots/cf_museum", headers={"If-None-Match": tag})
        app.state.jobs.shutdown()
        assert r.status_code == 304


class TestVariants:
    async def test_language_and_datum_variants_have_their_own_etags(
        self, client: httpx.AsyncClient
    ) -> None:
        """lang, coords and Accept-Language change the page, so each has its own ETag."""
        tags = {}
        for params in ({}, {"lang": "en"}, {"coords": "gcj02"}, {"lang": "en", "coords": "gcj02"}):
            for url in ("/v1/spots/cf_museum", "/v1/spots", "/v1/hubs", "/v1/cities"):
                r = await client.get(url, params=params)
                tags[(url, tuple(params.items()))] = r.headers["etag"]
        assert len(set(tags.values())) == len(tags)

    async def test_accept_language_picks_the_text_and_the_etag(
        self, client: httpx.AsyncClient
    ) -> None:
        """Without `lang`, Accept-Language picks the text: the page and ETag of that
        language, and the response says it varies by that header."""
        for url in ("/v1/spots/cf_museum", "/v1/spots?limit=5"):
            en = await client.get(url, headers={"Accept-Language": "en-GB,en;q=0.9"})
            zh = await client.get(url, headers={"Accept-Language": "zh-CN"})
            sep = "&" if "?" in url else "?"
            asked = await client.get(f"{url}{sep}lang=en")
            assert en.content == asked.content and en.headers["etag"] == asked.headers["etag"]
            assert zh.headers["etag"] != en.headers["etag"]
            assert "Accept-Language" in en.headers["vary"]
            stale = await client.get(
                url, headers={"Accept-Language": "zh-CN", "If-None-Match": en.headers["etag"]}
            )
            assert stale.status_code == 200 and stale.content == zh.content

    async def test_a_repeated_header_is_part_of_the_request_as_sent(
        self, client: httpx.AsyncClient
    ) -> None:
        """Two Accept-Language headers are not the same request as their last one alone."""
        url = "/v1/spots/cf_museum"
        both = await client.get(
            url, headers=[("Accept-Language", "en"), ("Accept-Language", "zh")]
        )
        zh = await client.get(url, headers={"Accept-Language": "zh"})
        assert both.json()["name"] == "Chifeng Museum" and zh.json()["name"] == "赤峰博物馆"

    async def test_filters_and_pages_are_pages_of_their_own(
        self, client: httpx.AsyncClient
    ) -> None:
        """Every parameter that changes the answer is part of what the page is cached by."""
        pages = [
            await client.get("/v1/spots", params=p)
            for p in ({"limit": 5}, {"limit": 5, "offset": 5}, {"limit": 5, "city": "tongliao"})
        ]
        assert len({p.headers["etag"] for p in pages}) == 3
        assert len({p.content for p in pages}) == 3

    async def test_bad_input_is_still_refused(self, client: httpx.AsyncClient) -> None:
        """A request that fails validation is never answered from a cached page."""
        assert (await client.get("/v1/spots", params={"limit": 5})).status_code == 200
        for _ in range(2):
            assert (await client.get("/v1/spots", params={"limit": 0})).status_code == 422


async def patch_spot(
    client: httpx.AsyncClient, token: str, spot_id: str, changes: dict[str, object]
) -> httpx.Response:
    tag = (await client.get(f"/v1/spots/{spot_id}")).headers["etag"]
    return await client.patch(
        f"/v1/spots/{spot_id}", json=changes, headers={**auth(token), "If-Match": tag}
    )


class TestWrites:
    async def test_an_api_write_changes_the_etag_and_the_page(
        self, client: httpx.AsyncClient, tokens: dict[str, str]
    ) -> None:
        """After a PATCH, the list and the spot have new pages and ETags; the old ETags
        get the new page, not a 304."""
        before = {url: await client.get(url) for url in ("/v1/spots", "/v1/spots/cf_museum")}
        r = await patch_spot(
            client, tokens["admin"], "cf_museum", {"name_en": "Renamed For The Test"}
        )
        assert r.status_code == 200, r.text
        for url, old in before.items():
            new = await client.get(url, headers={"If-None-Match": old.headers["etag"]})
            assert new.status_code == 200
            assert new.headers["etag"] != old.headers["etag"]
            assert "Renamed For The Test" in new.text and "Renamed For The Test" not in old.text

    async def test_a_write_answers_with_the_etag_a_read_gives(
        self, client: httpx.AsyncClient, tokens: dict[str, str]
    ) -> None:
        """The PATCH response is the read's page: same body, same ETag, 304 on it."""
        r = await patch_spot(client, tokens["admin"], "cf_museum", {"visit_minutes": 100})
        read = await client.get("/v1/spots/cf_museum")
        assert (r.content, r.headers["etag"]) == (read.content, read.headers["etag"])
        again = await client.get(
            "/v1/spots/cf_museum", headers={"If-None-Match": r.headers["etag"]}
        )
        assert again.status_code == 304

    async def test_if_match_takes_the_etag_of_any_variant(
        self, client: httpx.AsyncClient, tokens: dict[str, str]
    ) -> None:
        """If-Match checks the row version in the ETag, whatever language or datum it was
        read in; a stale one is still 412."""
        tag = (await client.get("/v1/spots/cf_museum?lang=en&coords=gcj02")).headers["etag"]
        h = {**auth(tokens["admin"]), "If-Match": tag}
        ok = await client.patch("/v1/spots/cf_museum", json={"visit_minutes": 90}, headers=h)
        assert ok.status_code == 200, ok.text
        stale = await client.patch("/v1/spots/cf_museum", json={"visit_minutes": 80}, headers=h)
        assert stale.status_code == 412

    async def test_a_write_by_another_process_is_seen_at_once(
        self, client: httpx.AsyncClient, engine: Engine
    ) -> None:
        """A write committed through another engine (another API worker, the CLI) changes
        the next read's page and ETag, cached or not."""
        url = "/v1/spots/cf_museum"
        old = await client.get(url)
        assert (await client.get(url)).headers["etag"] == old.headers["etag"]  # cached
        other = same_database(engine)
        with session_scope(other) as session:
            edits.update(session, CLI, edits.SPOT, "cf_museum", {"name_en": "Elsewhere"}, "*")
        other.dispose()
        new = await client.get(url, headers={"If-None-Match": old.headers["etag"]})
        assert new.status_code == 200 and new.json()["name_en"] == "Elsewhere"
        assert new.headers["etag"] != old.headers["etag"]

    async def test_sql_from_a_console_is_seen_too(
        self, client: httpx.AsyncClient, engine: Engine
    ) -> None:
        """The database counts the changes itself: plain SQL on a joined table (a
        district's central flag) changes the spots shown with it."""
        url = "/v1/spots/cf_museum"
        old = await client.get(url)
        assert old.json()["central"] is True
        other = same_database(engine)
        with other.begin() as conn:
            conn.execute(text("UPDATE district SET is_central = false WHERE id = 'cf_songshan'"))
        other.dispose()
        new = await client.get(url, headers={"If-None-Match": old.headers["etag"]})
        assert new.status_code == 200 and new.json()["central"] is False
        listed = await client.get("/v1/spots", params={"central": "false", "limit": 200})
        assert "cf_museum" in {s["id"] for s in listed.json()["data"]}

    async def test_a_rolled_back_write_changes_nothing(
        self, client: httpx.AsyncClient, engine: Engine
    ) -> None:
        """A write that is rolled back leaves the page and its ETag as they were."""
        old = await client.get("/v1/cities")
        other = same_database(engine)
        with other.connect() as conn:
            conn.execute(text("UPDATE city SET name_en = 'X'"))
            conn.rollback()
        other.dispose()
        again = await client.get("/v1/cities", headers={"If-None-Match": old.headers["etag"]})
        assert again.status_code == 304


def api_routes(routes: list) -> list[APIRoute]:  # type: ignore[type-arg]
    found: list[APIRoute] = []
    for route in routes:
        included = getattr(route, "original_router", None)
        if included is not None:
            found += api_routes(included.routes)
        elif isinstance(route, APIRoute):
            found.append(route)
    return found


def uses(dependant, call) -> bool:  # type: ignore[no-untyped-def]
    return any(d.call is call or uses(d, call) for d in dependant.dependencies)


def test_cached_reads_depend_on_no_other_header() -> None:
    """Requests seen before are answered before routing, by path, query and
    Accept-Language: a cached route may read no other header (a key, a rate limit)."""
    cached = [r for r in api_routes(create_app().router.routes) if uses(r.dependant, reads_dep)]
    assert len(cached) == len(READS)
    for route in cached:
        assert route.methods == {"GET"}
        read = {
            f.alias for f in get_flat_params(route.dependant) if f.field_info.in_.value != "query"
        }
        path = {p for p in route.param_convertors}
        assert read - path <= {"accept-language", "if-none-match"}, route.path
