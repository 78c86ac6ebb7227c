"""The bureaus' report matches the plans made: nights (central ones counted apart), spot
exposure, the transfer between the cities, unmet must-visits, the twin-city balance."""

import io
from collections import Counter
from pathlib import Path
from xml.etree import ElementTree

import httpx
from PIL import Image

from app.services import charts
from tests.conftest import auth
from tests.routers.test_itineraries import BASE

TWO_CITIES = {**BASE}  # Chifeng rail station to Tongliao airport, 4 days
WINTER = {
    **BASE,
    "start_date": "2026-12-08",
    "cities": ["chifeng"],
    "depart": {"place_id": "cf_airport", "time": "18:00"},
    "must_visit": ["cf_asihatu"],  # closed in winter
}


async def plan(client: httpx.AsyncClient, body: dict) -> dict:
    r = await client.post("/v1/itineraries", json=body)
    assert r.status_code == 201, r.text
    return r.json()


async def test_the_report_counts_what_the_plans_do(
    client: httpx.AsyncClient, tokens: dict[str, str]
) -> None:
    docs = [await plan(client, TWO_CITIES), await plan(client, WINTER)]
    # The last 30 days by default, on the log's clock (China's date today).
    r = await client.get("/v1/stats/cities/chifeng", headers=auth(tokens["bureau_chifeng"]))
    assert r.status_code == 200, r.text
    report = r.json()
    nights = sum(1 for d in docs for day in d["days"] if day["night_city"] == "chifeng")
    visits = Counter(
        s["place_id"]
        for d in docs
        for day in d["days"]
        for s in day["stops"]
        if s["kind"] == "spot" and s["place_id"].startswith("cf_")
    )
    assert report["plans"] == 2 and report["nights"] == nights
    # Neither plan has a gateway night: every night is in a central district.
    assert all(d["summary"]["nights_outside_central"] == 0 for d in docs)
    assert report["central_nights"] == nights
    assert {e["spot_id"]: e["planned"] for e in report["exposure"] if e["planned"]} == visits
    asihatu = next(e for e in report["exposure"] if e["spot_id"] == "cf_asihatu")
    assert asihatu["requested"] == 1
    assert report["unmet"] == [
        {"spot_id": "cf_asihatu", "reason": "closed_during_trip", "plans": 1}
    ]
    assert report["two_city_plans"] == 1
    both = docs[0]["summary"]["nights_per_city"]
    assert report["balance_nights"] == {c: n for c, n in both.items() if n}
    assert sum(report["transfers"].values()) >= 1


async def test_a_bureau_reads_its_own_city_and_an_admin_both(
    client: httpx.AsyncClient, tokens: dict[str, str]
) -> None:
    url = "/v1/stats/cities/tongliao"
    assert (await client.get(url)).status_code == 401
    assert (await client.get(url, headers=auth(tokens["bureau_chifeng"]))).status_code == 403
    assert (await client.get(url, headers=auth(tokens["marketer"]))).status_code == 403
    assert (await client.get(url, headers=auth(tokens["bureau_tongliao"]))).status_code == 200
    admin = await client.get(url, headers=auth(tokens["admin"]))
    assert admin.status_code == 200 and admin.json()["plans"] == 0
    bad = await client.get(
        url, params={"from": "2026-05-02", "to": "2026-05-01"}, headers=auth(tokens["admin"])
    )
    assert bad.status_code == 422


async def test_the_report_as_charts_with_chinese_labels(
    client: httpx.AsyncClient, tokens: dict[str, str]
) -> None:
    """PNG and SVG a bureau can paste; drawn with a CJK font (never a Latin fallback,
    which would draw the labels as empty boxes)."""
    await plan(client, TWO_CITIES)
    admin = auth(tokens["admin"])
    png = await client.get("/v1/stats/cities/chifeng.png", headers=admin)
    assert png.status_code == 200 and png.headers["content-type"] == "image/png"
    image = Image.open(io.BytesIO(png.content))
    assert image.size == (1000, 750)
    assert len(set(image.convert("L").get_flattened_data())) > 8  # drawn, not blank
    svg = await client.get("/v1/stats/cities/chifeng.svg", headers=admin)
    assert svg.headers["content-type"].startswith("image/svg+xml")
    root = ElementTree.fromstring(svg.content)
    glyphs = list(root.iter("{http://www.w3.org/2000/svg}path"))
    assert root.tag.endswith("svg") and len(glyphs) > 50  # the labels' glyphs as paths
    assert "NotoSansCJK" in Path(charts.cjk_font()).name.replace(" ", "")
    assert (await client.get("/v1/stats/cities/chifeng.gif", headers=admin)).status_code == 422
    other = await client.get(
        "/v1/stats/cities/tongliao.png", headers=auth(tokens["bureau_chifeng"])
    )
    assert other.status_code == 403
