"""Featured packages: generated distinct and sound, checked against their season, flagged
when a bureau's change breaks them, curated and published by their own marketers only."""

import io
import json
from datetime import date, timedelta

import geojson
import httpx
import icalendar
import pytest
from PIL import Image
from pypdf import PdfReader

from tests.app.test_package_renderers import parse_page
from tests.conftest import auth
from tests.itinerary_checker import check_itinerary
from tests.plan_jobs import wait_for

SUMMER = {"start": "2026-06-01", "end": "2026-08-31"}
JOINT = {"season": SUMMER, "days": 4, "count": 3, "theme": {"grassland": 3, "history": 2}}
CHIFENG = {"season": SUMMER, "days": 3, "count": 1, "cities": ["chifeng"]}


async def generate(client: httpx.AsyncClient, token: str, body: dict) -> list[dict]:
    r = await client.post("/v1/packages/generate", json=body, headers=auth(token))
    assert r.status_code == 202, r.text
    assert r.json()["total"] == body["count"]

    authed = _Authed(client, token)
    job = await wait_for(authed, r.headers["location"])  # type: ignore[arg-type]
    assert job["status"] == "done", job
    assert job["done"] == job["total"]
    ids = job["report"]["package_ids"]
    return [(await authed.get(f"/v1/packages/{i}")).json() for i in ids]


class _Authed:
    """The client with a key on every GET (the job is its sender's)."""

    def __init__(self, client: httpx.AsyncClient, token: str) -> None:
        self.client, self.token = client, token

    async def get(self, url: str) -> httpx.Response:
        return await self.client.get(url, headers=auth(self.token))


def spots(doc: dict) -> set[str]:
    return {s["place_id"] for d in doc["itinerary"]["days"] for s in d["stops"]
            if s["kind"] == "spot"}  # fmt: skip


async def marketer_of(client: httpx.AsyncClient, tokens: dict[str, str], city: str) -> str:
    body = {"name": f"{city} marketing", "role": "marketer", "city_id": city}
    r = await client.post("/v1/keys", json=body, headers=auth(tokens["admin"]))
    assert r.status_code == 201, r.text
    return str(r.json()["token"])


async def test_generated_packages_are_distinct_sound_and_join_both_cities(
    client: httpx.AsyncClient, tokens: dict[str, str]
) -> None:
    docs = await generate(client, tokens["marketer"], JOINT)
    assert len(docs) == 3
    for doc in docs:
        assert doc["status"] == "draft"
        request = doc["itinerary"]["request"]
        assert await check_itinerary(client, request, doc["itinerary"]) == []
        nights = doc["itinerary"]["summary"]["nights_per_city"]
        assert nights.get("chifeng", 0) > 0 and nights.get("tongliao", 0) > 0
        # Working titles in both languages: the English one names its sights in English.
        assert doc["title"]["zh"] and not any(
            "\u4e00" <= c <= "\u9fff" for c in doc["title"]["en"]
        )
    for i, a in enumerate(docs):
        for b in docs[:i]:
            overlap = len(spots(a) & spots(b)) / len(spots(a) | spots(b))
            assert overlap <= 0.5, (spots(a), spots(b))
    # Every start date of the season is either working or broken, with a reason.
    season = docs[0]["season"]
    checked = {*season["works"], *(b["date"] for b in season["breaks"])}
    assert len(checked) == 92
    assert season["works"], "a summer package works on some dates"
    assert all(p["text"] for b in season["breaks"] for p in b["problems"])


async def test_the_same_generation_gives_the_same_packages(
    client: httpx.AsyncClient, tokens: dict[str, str]
) -> None:
    first = await generate(client, tokens["admin"], CHIFENG)
    again = await generate(client, tokens["admin"], CHIFENG)
    assert [spots(d) for d in first] == [spots(d) for d in again]


async def test_only_their_marketers_and_admins_write_packages(
    client: httpx.AsyncClient, tokens: dict[str, str]
) -> None:
    post = client.post
    assert (await post("/v1/packages/generate", json=CHIFENG)).status_code == 401
    for who in ("bureau_chifeng", "bureau_tongliao"):
        r = await post("/v1/packages/generate", json=CHIFENG, headers=auth(tokens[who]))
        assert r.status_code == 403
    # A region marketer writes joint packages; a city's marketer its city's own.
    region = auth(tokens["marketer"])
    assert (await post("/v1/packages/generate", json=CHIFENG, headers=region)).status_code == 403
    tongliao = await marketer_of(client, tokens, "tongliao")
    r = await post("/v1/packages/generate", json=CHIFENG, headers=auth(tongliao))
    assert r.status_code == 403
    chifeng = await marketer_of(client, tokens, "chifeng")
    [doc] = await generate(client, chifeng, CHIFENG)
    assert doc["city_id"] == "chifeng"
    # A draft is its marketers' only; the other city's marketer cannot touch it.
    url = f"/v1/packages/{doc['id']}"
    assert (await client.get(url)).status_code == 404
    assert (await client.get(url, headers=auth(tongliao))).status_code == 404
    edit = {"status": "published"}
    h = {**auth(tongliao), "If-Match": f'"{doc["version"]}"'}
    assert (await client.patch(url, json=edit, headers=h)).status_code == 404


async def test_curate_and_publish(client: httpx.AsyncClient, tokens: dict[str, str]) -> None:
    chifeng = await marketer_of(client, tokens, "chifeng")
    [doc] = await generate(client, chifeng, CHIFENG)
    url = f"/v1/packages/{doc['id']}"
    h = auth(chifeng)
    edit = {"title": {"zh": "红山与辽都三日", "en": "Red Mountain and Liao capitals"},
            "status": "published"}  # fmt: skip
    assert (await client.patch(url, json=edit, headers=h)).status_code == 428
    stale = await client.patch(url, json=edit, headers={**h, "If-Match": '"99"'})
    assert stale.status_code == 412
    r = await client.patch(url, json=edit, headers={**h, "If-Match": f'"{doc["version"]}"'})
    assert r.status_code == 200, r.text
    assert r.json()["title"]["zh"] == "红山与辽都三日"
    assert r.headers["etag"] == f'"{doc["version"] + 1}"'
    # Published: everyone sees it, in the list with its filters.
    assert (await client.get(url)).json()["status"] == "published"
    listed = (await client.get("/v1/packages", params={"city": "chifeng", "days": 3})).json()
    assert doc["id"] in [p["id"] for p in listed["data"]]
    works = date.fromisoformat(r.json()["season"]["works"][0])
    month = (await client.get("/v1/packages", params={"month": works.month})).json()
    assert doc["id"] in [p["id"] for p in month["data"]]
    winter = (await client.get("/v1/packages", params={"month": 1})).json()
    assert doc["id"] not in [p["id"] for p in winter["data"]]
    other = (await client.get("/v1/packages", params={"city": "tongliao"})).json()
    assert doc["id"] not in [p["id"] for p in other["data"]]
    assert (await client.get("/v1/packages", params={"status": "draft"})).status_code == 401


async def test_a_bureaus_closure_breaks_the_season_and_flags_the_package(
    client: httpx.AsyncClient, tokens: dict[str, str]
) -> None:
    chifeng = await marketer_of(client, tokens, "chifeng")
    [doc] = await generate(client, chifeng, CHIFENG)
    url = f"/v1/packages/{doc['id']}"
    before = doc["season"]["works"]
    # The bureau closes the package's first spot for a week it worked in.
    first_spot = next(
        s["place_id"] for s in doc["itinerary"]["days"][0]["stops"] if s["kind"] == "spot"
    )
    start = date.fromisoformat(before[len(before) // 2])
    closure = {"start_date": start.isoformat(),
               "end_date": (start + timedelta(days=6)).isoformat(), "reason": "维修"}  # fmt: skip
    spot = await client.get(f"/v1/spots/{first_spot}")
    h = {**auth(tokens["bureau_chifeng"]), "If-Match": spot.headers["etag"]}
    r = await client.patch(f"/v1/spots/{first_spot}", json={"closures": [closure]}, headers=h)
    assert r.status_code == 200, r.text
    after = (await client.get(url, headers=auth(chifeng))).json()
    assert start.isoformat() not in after["season"]["works"]
    broken = {b["date"]: b["problems"] for b in after["season"]["breaks"]}
    assert any(p["kind"] == "closure" and p["place_id"] == first_spot
               for p in broken[start.isoformat()])  # fmt: skip
    [flag] = after["flags"]
    assert flag["spot_id"] == first_spot and start.isoformat() in flag["lost"]
    # A flagged package is not published until its marketer has seen the flags.
    h = {**auth(chifeng), "If-Match": f'"{after["version"]}"'}
    r = await client.patch(url, json={"status": "published"}, headers=h)
    assert r.status_code == 409
    r = await client.patch(url, json={"status": "published", "clear_flags": True}, headers=h)
    assert r.status_code == 200 and r.json()["flags"] == []


async def test_reoptimise_keeps_pins_and_drops_stops(
    client: httpx.AsyncClient, tokens: dict[str, str]
) -> None:
    [doc] = await generate(client, tokens["admin"], CHIFENG)
    url = f"/v1/packages/{doc['id']}"
    dropped = sorted(spots(doc))[0]
    body = {"drop": [dropped], "pinned": ["cf_zhongjing"]}
    h = {**auth(tokens["admin"]), "If-Match": f'"{doc["version"]}"'}
    r = await client.post(f"{url}/reoptimise", json=body, headers=h)
    assert r.status_code == 200, r.text
    new = r.json()
    assert dropped not in spots(new) and "cf_zhongjing" in spots(new)
    assert new["itinerary"]["id"] != doc["itinerary"]["id"]
    assert await check_itinerary(client, new["itinerary"]["request"], new["itinerary"]) == []
    again = await client.post(f"{url}/reoptimise", json=body, headers=h)
    assert again.status_code == 412  # the If-Match named the version before


async def test_exports_parse(client: httpx.AsyncClient, tokens: dict[str, str]) -> None:
    [doc] = await generate(client, tokens["admin"], CHIFENG)
    url = f"/v1/packages/{doc['id']}"
    h = auth(tokens["admin"])
    r = await client.get(f"{url}.geojson", headers=h)
    assert r.headers["content-type"].startswith("application/geo+json")
    features = geojson.loads(r.text)
    assert features.is_valid
    points = [f for f in features["features"] if f["geometry"]["type"] == "Point"]
    assert {f["properties"]["place_id"] for f in points} >= spots(doc)
    cal = icalendar.Calendar.from_ical((await client.get(f"{url}.ics", headers=h)).content)
    summaries = [str(e["summary"]) for e in cal.walk("VEVENT")]
    names = {s["name"] for d in doc["itinerary"]["days"] for s in d["stops"]
             if s["kind"] == "spot"}  # fmt: skip
    assert names <= {n for s in summaries for n in names if n in s}


@pytest.mark.parametrize(
    ("body", "loc"),
    [
        ({**CHIFENG, "season": {"start": "2026-08-01", "end": "2026-07-01"}},
         ["body", "season", "end"]),
        ({**CHIFENG, "season": {"start": "2026-01-01", "end": "2026-07-01"}},
         ["body", "season", "start"]),
        ({**CHIFENG, "count": 9}, ["body", "count"]),
        ({**CHIFENG, "days": 1, "cities": ["chifeng", "tongliao"]}, ["body", "days"]),
        ({**CHIFENG, "theme": {"grassland": 7}}, ["body", "theme", "grassland"]),
    ],
)  # fmt: skip
async def test_bad_generations_say_which_field(
    client: httpx.AsyncClient, tokens: dict[str, str], body: dict, loc: list
) -> None:
    r = await client.post("/v1/packages/generate", json=body, headers=auth(tokens["admin"]))
    assert r.status_code == 422, r.text
    assert [e["loc"] for e in r.json()["errors"]][0][: len(loc)] == loc


async def test_dates_on_a_provisional_holiday_calendar_are_named(
    client: httpx.AsyncClient, tokens: dict[str, str]
) -> None:
    """2026's holidays are official, 2027's only the statutory rules' guess (no State
    Council notice yet): a 3-day package over the new year names, of the dates it works,
    those whose trip reaches 2027."""
    body = {**CHIFENG, "season": {"start": "2026-12-28", "end": "2027-01-10"}}
    [doc] = await generate(client, tokens["admin"], body)
    season = doc["season"]
    assert season["works"], season
    reaches_2027 = [d for d in season["works"] if d >= "2026-12-30"]
    assert season["provisional"] == reaches_2027


async def test_the_share_page_posters_and_handout_are_served(
    client: httpx.AsyncClient, tokens: dict[str, str]
) -> None:
    """Through the API: the share page's JSON-LD, every link on it answering, the posters
    at their platforms' sizes and the handout a PDF; a draft's page is its marketers'."""
    [doc] = await generate(client, tokens["admin"], CHIFENG)
    page = f"/p/{doc['id']}"
    assert (await client.get(page)).status_code == 404
    h = {**auth(tokens["admin"]), "If-Match": f'"{doc["version"]}"'}
    r = await client.patch(f"/v1/packages/{doc['id']}", json={"status": "published"}, headers=h)
    assert r.status_code == 200, r.text
    r = await client.get(page, params={"lang": "en"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    parsed = parse_page(r.text)
    [ld] = [json.loads(text) for text in parsed.ld]
    assert ld["@type"] == "TouristTrip" and len(ld["subTrip"]) == len(doc["itinerary"]["days"])
    places = [i["item"]["name"] for i in ld["itinerary"]["itemListElement"]]
    assert len(places) == len(spots(doc))
    sizes = {"wechat": (1000, 800), "xiaohongshu": (1080, 1440), "douyin": (1080, 1920)}
    for url in parsed.urls:
        if url == str(client.base_url.join(page)):
            continue
        got = await client.get(url)
        assert got.status_code == 200, url
        if url.endswith(".png"):
            platform = url.rsplit("/", 1)[1].removesuffix(".png")
            assert Image.open(io.BytesIO(got.content)).size == sizes[platform]
        if url.endswith(".pdf"):
            assert got.headers["content-type"] == "application/pdf"
            text = "".join(PdfReader(io.BytesIO(got.content)).pages[0].extract_text().split())
            assert doc["title"]["zh"].replace(" ", "") in text.replace("\x00", "")
    assert sum(u.endswith(".png") for u in parsed.urls) == 3


async def test_deleting_a_pinned_spot_flags_the_package_and_the_delete_goes_through(
    client: httpx.AsyncClient, tokens: dict[str, str]
) -> None:
    """The package's request names its pin as a must-visit: once the bureau deletes that
    spot, the request no longer loads, so every date is broken and the package flagged."""
    [doc] = await generate(client, tokens["admin"], CHIFENG)
    url = f"/v1/packages/{doc['id']}"
    h = {**auth(tokens["admin"]), "If-Match": f'"{doc["version"]}"'}
    r = await client.post(f"{url}/reoptimise", json={"pinned": ["cf_zhongjing"]}, headers=h)
    assert r.status_code == 200, r.text
    assert r.json()["season"]["works"]
    gone = await client.delete("/v1/spots/cf_zhongjing", headers=auth(tokens["bureau_chifeng"]))
    assert gone.status_code == 204, gone.text
    after = (await client.get(url, headers=auth(tokens["admin"]))).json()
    assert after["season"]["works"] == []
    assert {p["kind"] for b in after["season"]["breaks"] for p in b["problems"]} == {"removed"}
    [flag] = after["flags"]
    assert flag["spot_id"] == "cf_zhongjing"
