"""The traveller's Plan page (`/`) in Chromium against the live service: plan a 3-day
two-city trip from the form, watch the job's progress, read the timeline and the map,
replan around a pinned stop, switch to English, export and share; accessible (axe),
laid out at phone and desktop widths, and with no request outside the service."""

import re

from playwright.sync_api import Page, expect

from tests.browser import HOST, PATIENCE_MS, LiveServer, Offline
from tests.pages.helpers import assert_offline, axe, screenshots


def fill_the_form(page: Page) -> None:
    page.fill("#start-date", "2026-07-14")
    page.fill("#days", "3")
    page.select_option("#arrive-place", "cf_rail_chifeng")
    page.fill("#arrive-time", "09:00")
    page.select_option("#depart-place", "tl_airport")
    page.fill("#depart-time", "18:00")
    page.fill("#time-limit", "1")
    page.select_option("#interest-museum", "3")


def pick_a_must_visit(page: Page) -> None:
    """The spot picker: search, a card with A-level, hours of the start date, ticket."""
    page.fill("#spot-search", "博物馆")
    card = page.locator("#spot-results li[data-spot='cf_museum']")
    expect(card).to_be_visible(timeout=PATIENCE_MS)
    expect(card.locator(".hours")).to_contain_text("当天开放")
    card.get_by_role("button", name=re.compile("^必去")).click()
    expect(page.locator("#must-list li[data-spot='cf_museum']")).to_contain_text("赤峰博物馆")


def test_plan_replan_translate_and_export(
    page: Page, offline: Offline, live_server: LiveServer, output_path: str
) -> None:
    page.goto(f"{live_server.url}/")
    expect(page.locator("body[data-ready]")).to_be_attached(timeout=PATIENCE_MS)
    expect(page.locator("#arrive-place option[value='cf_rail_chifeng']")).to_be_attached()
    assert axe(page) == [], "before planning"
    screenshots(page, "plan-form", output_path)

    fill_the_form(page)
    pick_a_must_visit(page)
    page.click("#plan-submit")
    progress = page.locator("#progress")
    expect(progress).to_have_attribute("aria-live", "polite")
    expect(progress).to_contain_text(re.compile("规划|排队"), timeout=PATIENCE_MS)

    # The itinerary: a timeline per day, the must-visit in it, the map with a line per day.
    expect(page.locator("#result")).to_be_visible(timeout=PATIENCE_MS)
    expect(progress).to_contain_text("规划完成")
    days = page.locator("#day-list article.day")
    expect(days).to_have_count(3)
    expect(days.first.locator("h3")).to_contain_text("2026-07-14")
    expect(page.locator("#day-list li[data-place='cf_museum']").first).to_be_visible()
    expect(days.nth(0).locator(".night-note")).to_contain_text("住宿")
    expect(page.locator("#day-list .stop-meal").first).to_contain_text("午餐")
    expect(page.locator("#day-list .leg").first).to_contain_text("分钟")
    svg = page.locator("#map svg.route-map[role='img']")
    expect(svg).to_be_visible()
    expect(svg.locator("path.route")).to_have_count(3)
    expect(svg.locator("path.outline")).to_have_count(2)
    expect(svg.locator("title").first).to_contain_text("路线图")
    expect(svg.locator("g.night")).to_have_count(2)
    expect(page.locator("#alternatives-list article").first).to_be_visible()
    expect(page.locator("#unvisited li").first).to_be_visible()
    expect(page.locator("#calendar-warning")).to_be_hidden()  # 2026's notice is loaded
    assert axe(page) == [], "after planning"
    screenshots(page, "plan-itinerary", output_path)

    # Exports and the share link answer through the service.
    ics = page.locator("#exports a.export-ics").get_attribute("href")
    assert ics and ics.endswith(".ics")
    # page.request resolves names itself (not through Chromium's host rules): the address.
    r = page.request.get(live_server.url.replace(HOST, "127.0.0.1") + ics)
    assert r.status == 200
    assert r.headers["content-type"].startswith("text/calendar")
    assert "BEGIN:VCALENDAR" in r.text()
    share = page.locator("#share-url").input_value()
    assert re.fullmatch(rf"{re.escape(live_server.url)}/\?itinerary=[0-9a-f]{{32}}", share)

    # Replan from here: pin the second day's first visit; the new plan keeps it.
    pin = page.locator("#day-list article.day").nth(1).locator("input.pin").first
    kept = pin.get_attribute("value")
    pin.check()
    page.click("#replan")
    expect(page.locator("#result-summary")).to_contain_text("重新规划", timeout=PATIENCE_MS)
    expect(page.locator(f"#day-list li[data-place='{kept}']").first).to_be_visible()
    expect(page.locator(f"#day-list input.pin[value='{kept}']").first).to_be_checked()

    # English: the page's labels, and the names the API gives, follow the toggle.
    page.click("#lang-toggle")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text("Twin Stars · Chifeng + Tongliao trip planner")
    expect(page.locator("label[for='start-date']")).to_have_text("Start date")
    expect(page.locator("#day-list li[data-place='cf_museum']").first).to_contain_text(
        "Museum", timeout=PATIENCE_MS
    )
    arrive = page.locator("#arrive-place option[value='cf_rail_chifeng']")
    expect(arrive).to_contain_text("Chifeng")
    expect(page.locator("#arrive-place")).to_have_value("cf_rail_chifeng")
    expect(page.locator("#day-list article.day h3").first).to_contain_text("Day")
    expect(page.locator("#map svg title").first).to_contain_text("Route map")
    assert axe(page) == [], "in English"

    # The share link opens the plan again (in the language chosen).
    page.goto(share)
    expect(page.locator("#day-list article.day")).to_have_count(3, timeout=PATIENCE_MS)
    expect(page.locator("label[for='start-date']")).to_have_text("Start date")
    assert_offline(page, offline)


def test_a_refused_plan_shows_the_problem(
    page: Page, offline: Offline, live_server: LiveServer
) -> None:
    """A request the API refuses (a start in the past) shows its RFC 9457 problem."""
    page.goto(f"{live_server.url}/")
    expect(page.locator("body[data-ready]")).to_be_attached(timeout=PATIENCE_MS)
    fill_the_form(page)
    page.fill("#start-date", "2026-01-05")
    page.click("#plan-submit")
    problem = page.locator("#problem[role='alert']")
    expect(problem).to_be_visible(timeout=PATIENCE_MS)
    expect(problem).to_contain_text("422")
    expect(problem).to_contain_text("start_date")
    assert_offline(page, offline)


def test_a_suggestion_is_applied_and_a_provisional_calendar_is_shown(
    page: Page, offline: Offline, live_server: LiveServer
) -> None:
    """A must-visit over the ticket budget is listed with its reason and a suggestion; the
    button applies it to the form and plans again, with the spot in. A trip into a year
    whose holiday notice is not out carries the provisional-calendar warning."""
    page.goto(f"{live_server.url}/")
    expect(page.locator("body[data-ready]")).to_be_attached(timeout=PATIENCE_MS)
    fill_the_form(page)
    page.fill("#time-limit", "2")  # the suggestion's trials share the request's time
    page.fill("#budget", "20")
    page.fill("#spot-search", "玉龙沙湖")
    card = page.locator("#spot-results li[data-spot='cf_yulong_shahu']")
    card.get_by_role("button", name=re.compile("^必去")).click(timeout=PATIENCE_MS)
    page.click("#plan-submit")
    missing = page.locator("#unvisited li[data-spot='cf_yulong_shahu']")
    expect(missing).to_contain_text("必去", timeout=PATIENCE_MS)
    expect(missing.locator(".suggestion")).to_contain_text("预算")
    expect(page.locator("#day-list li[data-place='cf_yulong_shahu']")).to_have_count(0)

    missing.get_by_role("button").click()
    expect(page.locator("#day-list li[data-place='cf_yulong_shahu']").first).to_be_visible(
        timeout=PATIENCE_MS
    )
    raised = int(page.locator("#budget").input_value())
    assert raised >= 80  # the suggestion's budget, now in the form
    expect(page.locator("#unvisited li[data-spot='cf_yulong_shahu']")).to_have_count(0)
    expect(page.locator("#calendar-warning")).to_be_hidden()

    page.fill("#start-date", "2027-04-20")
    page.click("#plan-submit")
    warning = page.locator("#calendar-warning")
    expect(warning).to_be_visible(timeout=PATIENCE_MS)
    expect(warning).to_contain_text("2027-04-20")
    assert axe(page) == [], "with the warning"
    assert_offline(page, offline)


def focused(page: Page) -> str:
    return page.evaluate("() => document.activeElement && document.activeElement.id")


def tab_to(page: Page, element_id: str, presses: int = 120) -> None:
    """Tab forward until `element_id` has the focus: it is reachable by keyboard."""
    for _ in range(presses):
        if focused(page) == element_id:
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"#{element_id} is not reached by Tab")


def test_the_plan_page_works_by_keyboard_alone(
    page: Page, offline: Offline, live_server: LiveServer
) -> None:
    """The skip link first, then every control in order: a must-visit picked with Enter,
    the plan submitted with Enter, the focus visibly outlined on the way."""
    page.goto(f"{live_server.url}/")
    expect(page.locator("body[data-ready]")).to_be_attached(timeout=PATIENCE_MS)
    page.keyboard.press("Tab")
    expect(page.locator("a.skip-link")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#main")).to_be_focused()
    tab_to(page, "start-date")
    fill_the_form(page)

    tab_to(page, "spot-search")
    page.keyboard.type("博物馆")
    card = page.locator("#spot-results li[data-spot='cf_museum']")
    expect(card).to_be_visible(timeout=PATIENCE_MS)
    must = card.get_by_role("button", name=re.compile("^必去"))
    for _ in range(40):
        if must.evaluate("b => b === document.activeElement"):
            break
        page.keyboard.press("Tab")
    expect(must).to_be_focused()
    outline = must.evaluate("b => getComputedStyle(b).outlineStyle")
    assert outline == "solid"  # :focus-visible
    page.keyboard.press("Enter")
    expect(page.locator("#must-list li[data-spot='cf_museum']")).to_be_visible()

    tab_to(page, "plan-submit")
    page.keyboard.press("Enter")
    expect(page.locator("#result")).to_be_visible(timeout=PATIENCE_MS)
    expect(page.locator("#day-list li[data-place='cf_museum']").first).to_be_visible()
    assert_offline(page, offline)
