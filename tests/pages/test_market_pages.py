"""The featured-route pages in Chromium against the live server: the studio generates,
compares, edits, re-optimises and publishes candidates; the public list and the package
page show the published one with its map, dates and downloads; the stats page shows a
city's figures and its chart. Each page passes axe-core, lays out at 375 px without
sideways scrolling and asks nothing of any other origin."""

import re
import subprocess
import sys
import uuid

import pytest
from playwright.sync_api import Page, expect

from tests.browser import PATIENCE_MS, LiveServer, Offline
from tests.pages.helpers import assert_offline, axe, screenshots
from tests.routers.test_itineraries import BASE
from tests.services import ROOT

SEASON = ("2026-06-01", "2026-08-31")
SOLVE_MS = 60_000  # two 4-day candidates on a busy 2-core machine
CHART_LOADED = (
    "() => { const c = document.getElementById('chart');"
    " return c.complete && c.naturalWidth > 0; }"
)


def cli_key(server: LiveServer, role: str, city: str | None = None) -> str:
    """A key made by `twinstars keys create` on the live server's database."""
    args = [sys.executable, "-m", "app.cli", "keys", "create", "--role", role, "--name", role]
    args += ["--city", city] if city else []
    out = subprocess.run(
        args, cwd=ROOT, env=server.env, capture_output=True, text=True, check=True, timeout=60
    )
    return out.stdout.strip().splitlines()[-1]


@pytest.fixture(scope="module")
def keys(live_server: LiveServer) -> dict[str, str]:
    return {
        "admin": cli_key(live_server, "admin"),
        "region": cli_key(live_server, "marketer"),  # no city: the joint packages
        "bureau_chifeng": cli_key(live_server, "bureau", "chifeng"),
        "bureau_tongliao": cli_key(live_server, "bureau", "tongliao"),
    }


def save_key(page: Page, key: str) -> None:
    page.get_by_label("密钥（Bearer）").fill(key)
    page.get_by_role("button", name="保存密钥").click()
    expect(page.locator("#key-status")).to_have_text("已保存密钥。")


def checked_page(page: Page, offline: Offline, name: str, output_path: str) -> None:
    assert axe(page) == [], name
    screenshots(page, name, output_path)
    assert_offline(page, offline)


def local(server: LiveServer, url: str) -> str:
    """`url` on 127.0.0.1: `page.request` resolves names itself, not by Chromium's rules."""
    return url.replace(server.url, f"http://127.0.0.1:{server.port}")


def wait_until_true(page: Page, function: str, timeout_ms: int = PATIENCE_MS) -> None:
    """Polls `function` in the page. Not `wait_for_function`: that evaluates its text as
    a string, which the pages' CSP (no 'unsafe-eval') refuses."""
    for _ in range(timeout_ms // 100):
        if page.evaluate(function):
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"{function} stayed false")


def test_studio_generates_compares_edits_and_publishes_then_the_public_pages_show_it(
    page: Page, offline: Offline, live_server: LiveServer, keys: dict[str, str], output_path: str
) -> None:
    page.goto(f"{live_server.url}/studio")
    save_key(page, keys["region"])
    page.get_by_label("草原").fill("3")
    page.get_by_label("历史").fill("2")
    page.get_by_label("天数").fill("4")
    page.get_by_label("季节开始（首个出发日）").fill(SEASON[0])
    page.get_by_label("季节结束（末个出发日）").fill(SEASON[1])
    page.get_by_label("候选数量").fill("2")
    page.get_by_label("每条的求解时间（秒）").fill("0.5")
    expect(page.get_by_role("checkbox", name="赤峰")).to_be_checked()
    expect(page.get_by_role("checkbox", name="通辽")).to_be_checked()
    page.get_by_role("button", name="生成", exact=True).click()

    progress = page.locator("#progress")
    expect(progress).to_be_visible()
    assert progress.get_attribute("aria-live") == "polite"
    expect(progress).to_contain_text("完成：生成 2 条候选线路", timeout=SOLVE_MS)
    bar = page.locator("#progress-bar")
    assert bar.evaluate("b => b.value === b.max && b.max === 2")

    cards = page.locator("article.candidate")
    expect(cards).to_have_count(2)
    first, second = cards.nth(0), cards.nth(1)
    # Side by side at desktop width: the same row, apart.
    a, b = first.bounding_box(), second.bounding_box()
    assert a and b and abs(a["y"] - b["y"]) < 2 and b["x"] > a["x"] + a["width"] - 1
    for card in (first, second):
        expect(card.locator("dl")).to_contain_text("与其他候选的重合")
        expect(card.locator("dl")).to_contain_text("可行出发日")
        expect(card.locator(".badge")).to_have_text("草稿")
        assert card.locator(".stops li").count() >= 4
    assert first.get_attribute("data-id") != second.get_attribute("data-id")
    # Distinct by construction: any two share at most half their sights (Jaccard <= 0.5).
    shared = re.search(r"(\d+)%", first.locator("dl").inner_text())
    assert shared and int(shared.group(1)) <= 50

    # Re-optimise the second one: pin its first sight, drop its last.
    stops = second.locator(".stops li")
    pinned = stops.nth(0).locator(".stop-name").inner_text()
    dropped = stops.nth(stops.count() - 1).locator(".stop-name").inner_text()
    second.get_by_role("checkbox", name=f"固定 {pinned}").check()
    second.get_by_role("checkbox", name=f"去掉 {dropped}").check()
    second.get_by_role("button", name="重新优化").click()
    expect(second.locator(".candidate-note")).to_have_text("已重新优化。", timeout=SOLVE_MS)
    names = second.locator(".stops .stop-name").all_inner_texts()
    assert pinned in names and dropped not in names

    # Edit the first one's titles, then publish it (each write with the last ETag).
    tag = uuid.uuid4().hex[:6]
    zh, en = f"草原与古城四日 {tag}", f"Grasslands and old towns, 4 days {tag}"
    first.get_by_text("编辑标题").click()
    first.get_by_label("中文标题").fill(zh)
    first.get_by_label("英文标题").fill(en)
    first.get_by_role("button", name="保存标题").click()
    expect(first.locator(".candidate-note")).to_have_text("已保存。", timeout=PATIENCE_MS)
    expect(first.locator(".candidate-title")).to_have_text(zh)
    first.get_by_role("button", name="发布").click()
    expect(first.locator(".badge")).to_have_text("已发布", timeout=PATIENCE_MS)
    package_id = first.get_attribute("data-id")
    assert package_id
    checked_page(page, offline, "studio", output_path)

    # The public list names it by its new title, in both languages.
    page.goto(f"{live_server.url}/packages")
    link = page.get_by_role("link", name=zh)
    expect(link).to_be_visible(timeout=PATIENCE_MS)
    card = page.locator(f"li.package-card[data-id='{package_id}']")
    expect(card.locator(".dates")).to_contain_text("个出发日期可行")
    checked_page(page, offline, "packages", output_path)
    page.locator("#lang-toggle").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Featured routes")
    expect(page.get_by_role("link", name=en)).to_be_visible()
    page.get_by_label("Days").select_option("4")
    page.get_by_label("Start month").select_option("7")
    page.get_by_role("button", name="Filter", exact=True).click()
    expect(page.get_by_role("link", name=en)).to_be_visible(timeout=PATIENCE_MS)
    assert "days=4" in page.url and "month=7" in page.url
    page.get_by_label("Days").select_option("2")
    page.get_by_role("button", name="Filter", exact=True).click()
    expect(page.locator("#count")).to_have_text("No route matches these filters.")
    page.locator("#lang-toggle").click()  # back to Chinese for the package page
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")

    # Its page: the map with a line per day, the day list, the dates, the downloads.
    page.goto(f"{live_server.url}/packages/{package_id}")
    expect(page.get_by_role("heading", level=1)).to_have_text(zh, timeout=PATIENCE_MS)
    expect(page.locator("svg.route-map path.outline")).to_have_count(2)
    expect(page.locator("svg.route-map path.route")).to_have_count(4)
    expect(page.locator("#days section.day")).to_have_count(4)
    expect(page.locator("#days .timeline .time").first).to_have_text("09:00")
    works = page.locator("#dates time")
    assert works.count() > 0
    first_date = works.first.get_attribute("datetime") or ""
    assert SEASON[0] <= first_date <= SEASON[1]
    expect(page.locator("#works")).to_contain_text(f"{works.count()} 个出发日期可行")
    breaks = page.locator("#breaks")
    if page.locator("#breaks-list > li").count():
        assert breaks.get_attribute("open") is None  # the reasons are folded away
        expect(page.locator("#breaks-list")).to_be_hidden()
        page.locator("#breaks-summary").click()
        expect(page.locator("#breaks-list > li").first).to_be_visible()
    poster = page.locator("#poster")
    expect(poster).to_have_attribute("alt", f"{zh}的分享卡片：4日路线图、每日景点和分享页二维码")
    wait_until_true(page, "() => document.getElementById('poster').complete")
    assert poster.evaluate("img => img.naturalWidth") == 1000
    hrefs = page.locator("#downloads a").evaluate_all("links => links.map(a => a.href)")
    assert len(hrefs) == 7
    assert any(h.endswith(f"/p/{package_id}") for h in hrefs)
    for suffix in (".geojson", ".ics", ".pdf", "wechat.png", "xiaohongshu.png", "douyin.png"):
        assert any(h.endswith(suffix) for h in hrefs), suffix
    for href in hrefs:
        r = page.request.get(local(live_server, href))
        assert r.status == 200, href
    checked_page(page, offline, "package", output_path)


def test_a_package_that_does_not_exist_shows_the_problem(
    page: Page, offline: Offline, live_server: LiveServer
) -> None:
    page.goto(f"{live_server.url}/packages/{'0' * 32}")
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("(404)", timeout=PATIENCE_MS)
    expect(page.locator("#package")).to_be_hidden()
    assert axe(page) == []
    assert_offline(page, offline)


def test_the_stats_page_shows_the_figures_and_the_chart(
    page: Page, offline: Offline, live_server: LiveServer, keys: dict[str, str], output_path: str
) -> None:
    # A plan answered today (Chifeng to Tongliao) so that the report has figures.
    url = local(live_server, f"{live_server.url}/v1/itineraries")
    r = page.request.post(url, data=BASE, timeout=SOLVE_MS)
    assert r.status == 201, r.text()

    page.goto(f"{live_server.url}/stats")
    save_key(page, keys["bureau_chifeng"])
    page.get_by_label("城市", exact=True).select_option("chifeng")
    page.get_by_role("button", name="查看报表").click()
    figures = page.get_by_role("table", name="主要数字")
    expect(figures).to_be_visible(timeout=PATIENCE_MS)
    plans = figures.get_by_role("row", name="涉及本市的行程数")
    assert int(plans.locator("td").inner_text()) >= 1
    nights = int(figures.get_by_role("row", name="住宿夜数").locator("td").inner_text())
    assert nights >= 1
    for caption in ("两市联游的平衡", "景点曝光（前 10）", "未能安排的必去景点", "两市之间的交通"):
        expect(page.get_by_role("table", name=caption)).to_be_visible()
    exposure = page.get_by_role("table", name="景点曝光（前 10）")
    assert exposure.locator("tbody tr").count() >= 1

    chart = page.locator("#chart")
    wait_until_true(page, CHART_LOADED)
    assert (chart.get_attribute("src") or "").startswith("blob:")
    assert chart.get_attribute("alt")
    svg_src = chart.get_attribute("src")
    page.get_by_label("图表格式").select_option("png")
    page.get_by_role("button", name="查看报表").click()
    expect(chart).not_to_have_attribute("src", svg_src or "", timeout=PATIENCE_MS)
    wait_until_true(page, CHART_LOADED)
    checked_page(page, offline, "stats", output_path)

    # Another city's bureau is refused, and the page says so in the API's words.
    save_key(page, keys["bureau_tongliao"])
    page.get_by_role("button", name="查看报表").click()
    expect(page.locator("#problem")).to_contain_text("(403)", timeout=PATIENCE_MS)
    assert_offline(page, offline)


def test_the_studio_and_stats_pages_answer_in_english(
    page: Page, offline: Offline, live_server: LiveServer
) -> None:
    for path, heading in (("/studio", "Route studio"), ("/stats", "City reports")):
        page.goto(f"{live_server.url}{path}")
        page.locator("#lang-toggle").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        expect(page.get_by_label("Key (Bearer)")).to_be_visible()
        page.locator("#lang-toggle").click()
    assert_offline(page, offline)


def test_the_studio_shows_a_flag_refuses_to_publish_it_and_clears_it(
    page: Page, offline: Offline, live_server: LiveServer, keys: dict[str, str]
) -> None:
    admin = {"Authorization": f"Bearer {keys['admin']}"}
    api = local(live_server, f"{live_server.url}/v1")
    body = {"season": {"start": SEASON[0], "end": SEASON[1]}, "days": 2, "count": 1,
            "cities": ["chifeng"], "time_limit_s": 0.5}  # fmt: skip
    r = page.request.post(f"{api}/packages/generate", data=body, headers=admin)
    assert r.status == 202, r.text()
    job = r.json()
    for _ in range(SOLVE_MS // 200):
        job = page.request.get(f"{api}/packages/jobs/{job['id']}", headers=admin).json()
        if job["status"] in ("done", "failed"):
            break
        page.wait_for_timeout(200)
    assert job["status"] == "done", job
    [package_id] = job["report"]["package_ids"]
    doc = page.request.get(f"{api}/packages/{package_id}", headers=admin).json()
    spot = next(s["place_id"] for d in doc["itinerary"]["days"] for s in d["stops"]
                if s["kind"] == "spot")  # fmt: skip
    # The bureau removes a spot the package visits (and puts it back): the package keeps
    # a flag naming it until its marketer clears it.
    bureau = {"Authorization": f"Bearer {keys['bureau_chifeng']}"}
    assert page.request.delete(f"{api}/spots/{spot}", headers=bureau).status == 204
    assert page.request.post(f"{api}/spots/{spot}/restore", headers=bureau).status == 200

    page.goto(f"{live_server.url}/studio")
    save_key(page, keys["admin"])
    page.get_by_role("button", name="载入我的草稿").click()
    card = page.locator(f"article.candidate[data-id='{package_id}']")
    flags = card.locator(".flags")
    expect(flags).to_contain_text(spot, timeout=PATIENCE_MS)
    card.get_by_role("button", name="发布").click()
    expect(card.get_by_role("alert")).to_contain_text("(409)", timeout=PATIENCE_MS)
    expect(card.locator(".badge")).to_have_text("草稿")
    card.get_by_role("button", name="清除提醒").click()
    expect(card.locator(".candidate-note")).to_have_text("已清除提醒。", timeout=PATIENCE_MS)
    expect(card.locator(".flags")).to_have_count(0)
    assert axe(page) == []
    assert_offline(page, offline)
