"""A package's publish formats (posters, handout, share page) on a really planned trip:
each format is read back the way its audience reads it (pixels and a QR scanner, PDF text
extraction, an HTML parser and JSON-LD)."""

import io
import json
import re
import warnings
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from html.parser import HTMLParser

import pytest
from matplotlib import font_manager
from matplotlib.figure import Figure
from matplotlib.ft2font import FT2Font
from PIL import Image
from pypdf import PdfReader

from app.db import make_engine
from app.models import Category, PackageStatus
from app.packages import content, handout, page, posters
from app.packages.document import POSTER_SIZES, Package, Platform, Texts
from app.planning import service
from app.planning.document import StopKind
from app.planning.request import PlanRequest
from app.planning.season import SeasonCheck
from app.services.charts import cjk_font
from tests.conftest import Databases

SHARE_URL = "https://twinstars.example.cn/v1/packages/p1.html"
LINKS = {
    "pdf": "./p1.pdf",
    "ics": "./p1.ics",
    "geojson": "./p1.geojson",
    **{f"poster_{p.value}": f"./p1/posters/{p.value}.png" for p in Platform},
}
TRIP = {  # two cities, a night in each, spots on every day
    "start_date": "2026-07-14",
    "days": 3,
    "lang": "zh",
    "cities": {"chifeng": 1, "tongliao": 1},
    "arrive": {"place_id": "cf_airport", "time": "10:00"},
    "depart": {"place_id": "tl_airport", "time": "17:00"},
}
LATIN_ONLY = "DejaVu Sans"


@pytest.fixture(scope="module")
def doc(databases: Databases, templates: dict[str, str]) -> Iterator[Package]:
    """A package around a plan of the seed (planned once for the module), working on a
    few dates of its season."""
    url = databases.new(templates["seeded"])
    engine = make_engine(url)
    try:
        itinerary = service.plan(engine, PlanRequest.model_validate(TRIP))
    finally:
        engine.dispose()
        databases.drop(url)
    first = itinerary.days[0].date
    works = [first + timedelta(days=d) for d in (0, 1, 2, 5, 7)]
    now = datetime(2026, 5, 1, tzinfo=UTC)
    yield Package(
        id="p1",
        status=PackageStatus.published,
        city_id=None,
        cities=["chifeng", "tongliao"],
        city_names={
            "chifeng": Texts(zh="赤峰", en="Chifeng"),
            "tongliao": Texts(zh="通辽", en="Tongliao"),
        },
        theme={Category.archaeology: 1.0, Category.lake: 0.5},
        days=3,
        season_start=first,
        season_end=first + timedelta(days=30),
        title=Texts(zh="红山文化与科尔沁沙湖三日游", en="Hongshan culture and Horqin sand lakes"),
        description=Texts(
            zh="从赤峰博物馆出发，到莫力庙沙湖，再到哈民考古遗址。",
            en="From the Chifeng Museum to the sand lake and the Hamin site.",
        ),
        itinerary=itinerary,
        season=SeasonCheck(
            start=first,
            end=first + timedelta(days=30),
            works=works,
            provisional=[],
            breaks=[],
        ),
        flags=[],
        version=1,
        created_at=now,
        updated_at=now,
    )


def _spot_names(doc: Package) -> list[list[str]]:
    return [[s.name for s in day.stops if s.kind is StopKind.spot] for day in doc.itinerary.days]


def test_the_planned_package_has_spots_on_every_day(doc: Package) -> None:
    """The fixture is worth testing on: two cities, and every day visits something."""
    assert all(_spot_names(doc))
    assert {d.night_city for d in doc.itinerary.days[:-1]} == {"chifeng", "tongliao"}


# Posters


@pytest.fixture(scope="module")
def pngs(doc: Package) -> dict[Platform, bytes]:
    with warnings.catch_warnings():
        # matplotlib warns "Glyph ... missing from font(s)" where it draws tofu: an error.
        warnings.simplefilter("error", UserWarning)
        return {p: posters.poster(doc, p, SHARE_URL) for p in Platform}


@pytest.mark.parametrize("platform", list(Platform))
def test_a_poster_is_its_platforms_exact_size_and_drawn(
    pngs: dict[Platform, bytes], platform: Platform
) -> None:
    """Exactly the platform's pixels, many colours (fills, routes, text), and each day's
    route colour present."""
    image = Image.open(io.BytesIO(pngs[platform])).convert("RGB")
    assert image.size == POSTER_SIZES[platform]
    colours = image.getcolors(maxcolors=1 << 20)
    assert colours is not None and len(colours) > 300
    present = {rgb for _, rgb in colours}
    for n in range(3):
        hex_ = posters.DAY_COLOURS[n].lstrip("#")
        assert tuple(int(hex_[i : i + 2], 16) for i in (0, 2, 4)) in present


@pytest.mark.parametrize("platform", list(Platform))
def test_a_posters_qr_code_scans_to_the_share_url(
    pngs: dict[Platform, bytes], platform: Platform
) -> None:
    zxingcpp = pytest.importorskip("zxingcpp")
    image = Image.open(io.BytesIO(pngs[platform]))
    assert [r.text for r in zxingcpp.read_barcodes(image)] == [SHARE_URL]


def _draw(text: str, prop: font_manager.FontProperties) -> bytes:
    """The text alone on a small canvas, as its pixels."""
    fig = Figure(figsize=(3, 1), dpi=100)
    fig.text(0.05, 0.3, text, fontproperties=prop, fontsize=30)
    out = io.BytesIO()
    fig.savefig(out, format="png")
    return Image.open(out).convert("RGB").tobytes()


def test_poster_text_is_drawn_in_glyphs_not_tofu(doc: Package) -> None:
    """Tofu draws every missing character as the same box: with a Latin-only font two
    different Chinese words come out the same pixels (and matplotlib warns, which the
    posters fixture turns into an error); with the posters' font they differ, and it has
    a glyph for every character a poster writes."""
    latin = font_manager.FontProperties(family=LATIN_ONLY)
    with pytest.warns(UserWarning, match="missing from font"):
        assert _draw("赤峰", latin) == _draw("通辽", latin)
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)
        assert _draw("赤峰", posters.font()) != _draw("通辽", posters.font())

    cjk = FT2Font(cjk_font())
    dejavu = FT2Font(font_manager.findfont(latin, fallback_to_default=False))
    assert dejavu.get_char_index(ord("赤")) == 0  # so the check below can fail
    written = doc.title.zh + content.tagline(doc, "zh") + "第天住扫码查看行程"
    written += "".join(name for day in _spot_names(doc) for name in day)
    missing = {c for c in written if not c.isspace() and cjk.get_char_index(ord(c)) == 0}
    assert not missing


def test_the_qr_matrix_is_a_version_that_holds_the_url() -> None:
    """A longer URL needs a bigger code: the matrix grows with it (ISO 18004 sizes)."""
    sizes = [len(content.qr_matrix(SHARE_URL + "x" * k, border=0)) for k in (0, 200)]
    assert all((s - 17) % 4 == 0 for s in sizes)
    assert sizes[0] < sizes[1]


# Handout


def _compact(text: str) -> str:
    """The text as pypdf reads it, without whitespace and NULs: pypdf may put spaces between
    CJK characters, and (7.1) takes the CMap dictionary fpdf2 writes as the Type0 font's
    /Encoding for one-byte codes, so each character comes out after a NUL (pdfium reads
    the same file cleanly)."""
    return re.sub(r"[\s\x00]+", "", text)


@pytest.fixture(scope="module")
def pdf(doc: Package) -> bytes:
    return handout.handout(doc, SHARE_URL)


def test_the_handout_is_a4_with_the_trip_as_text(doc: Package, pdf: bytes) -> None:
    reader = PdfReader(io.BytesIO(pdf))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 in pt
    text = _compact("".join(p.extract_text() for p in reader.pages))
    assert _compact(doc.title.zh) in text
    assert _compact(doc.title.en) in text
    assert _compact(doc.description.zh) in text
    for n, names in enumerate(_spot_names(doc), start=1):
        assert f"第{n}天" in text
        for name in names:
            assert _compact(name) in text
    first = next(s for s in doc.itinerary.days[0].stops if s.kind is StopKind.spot)
    assert content.stop_time(first) in text
    assert f"{first.travel_minutes}分钟自驾" in text
    night = content.night_stop(doc.itinerary.days[0])
    assert night is not None and _compact(f"住宿：{night.name}") in text
    assert "可出发日期（5天）" in text
    assert SHARE_URL in text


def test_the_handout_uses_the_simplified_chinese_face_and_is_reproducible(
    doc: Package, pdf: bytes
) -> None:
    """The collection's SC face (not the first, Japanese, one), and the same bytes for the
    same package (dated by it, not by the clock)."""
    path = cjk_font()
    assert FT2Font(path, face_index=handout.face_index(path)).family_name == "Noto Sans CJK SC"
    assert handout.handout(doc, SHARE_URL) == pdf


def test_the_handouts_qr_code_scans_to_the_share_url() -> None:
    zxingcpp = pytest.importorskip("zxingcpp")
    image = handout._qr_image(SHARE_URL)
    assert [r.text for r in zxingcpp.read_barcodes(image)] == [SHARE_URL]


# Share page


class _Page(HTMLParser):
    """The JSON-LD scripts' text and every src/href on the page."""

    def __init__(self) -> None:
        super().__init__()
        self.ld: list[str] = []
        self.urls: list[str] = []
        self._in_ld = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        self.urls += [v for k, v in attrs if k in {"src", "href"} and v is not None]
        if tag == "script" and found.get("type") == "application/ld+json":
            self._in_ld = True
            self.ld.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_ld = False

    def handle_data(self, data: str) -> None:
        if self._in_ld:
            self.ld[-1] += data


def parse_page(html: str) -> _Page:
    parsed = _Page()
    parsed.feed(html)
    return parsed


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_share_page_carries_the_trip_as_tourist_trip_json_ld(doc: Package, lang: str) -> None:
    """One TouristTrip: its ItemList is the package's spots in trip order with WGS-84
    coordinates, one subTrip per day with that day's spots, in the page's language."""
    parsed = parse_page(page.share_page(doc, SHARE_URL, lang, LINKS))
    assert len(parsed.ld) == 1
    ld = json.loads(parsed.ld[0])
    assert ld == page.json_ld(doc, SHARE_URL, lang)
    assert (ld["@context"], ld["@type"]) == ("https://schema.org", "TouristTrip")
    assert ld["name"] == (doc.title.zh if lang == "zh" else doc.title.en)
    assert ld["inLanguage"] == ("zh-CN" if lang == "zh" else "en")
    spots = content.spots(doc)
    items = ld["itinerary"]["itemListElement"]
    assert ld["itinerary"]["@type"] == "ItemList"
    assert [i["position"] for i in items] == list(range(1, len(spots) + 1))
    assert [i["item"]["name"] for i in items] == [n for day in _spot_names(doc) for n in day]
    assert {i["@type"] for i in items} == {"ListItem"}
    assert {i["item"]["@type"] for i in items} == {"TouristAttraction"}
    geo = items[0]["item"]["geo"]
    assert geo["@type"] == "GeoCoordinates"
    assert (geo["latitude"], geo["longitude"]) == pytest.approx((spots[0].lat, spots[0].lon))
    assert len(ld["subTrip"]) == len(doc.itinerary.days)
    for n, (sub, names) in enumerate(zip(ld["subTrip"], _spot_names(doc), strict=True), 1):
        assert sub["@type"] == "TouristTrip"
        assert sub["name"] == (f"第{n}天" if lang == "zh" else f"Day {n}")
        assert [i["item"]["name"] for i in sub["itinerary"]["itemListElement"]] == names


def test_the_share_page_requests_nothing_from_another_origin(doc: Package) -> None:
    """A mobile page in one request: a viewport, the CSS inline, no script or stylesheet
    by URL; the only absolute URL is the share URL itself (canonical), the exports relative."""
    html = page.share_page(doc, SHARE_URL, "zh", LINKS)
    parsed = parse_page(html)
    assert '<meta name="viewport"' in html
    assert '"Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif' in html
    absolute = [u for u in parsed.urls if re.match(r"(?i)(https?:)?//", u)]
    assert absolute == [SHARE_URL]
    assert set(LINKS.values()) <= set(parsed.urls)
    assert not re.search(r"(?i)@import|url\(|\bsrc=|stylesheet", html)


def test_the_share_page_shows_days_stops_times_and_dates(doc: Package) -> None:
    html = page.share_page(doc, SHARE_URL, "zh", LINKS)
    text = re.sub(r"<[^>]+>", "", html.split("</script>")[-1])
    for n, names in enumerate(_spot_names(doc), start=1):
        assert f"第{n}天" in text
        assert all(name in text for name in names)
    assert all(content.stop_time(s) in text for s in doc.itinerary.days[0].stops)
    assert str(doc.season.works[0]) in text
    assert "行程单（PDF）" in text


def test_text_cannot_break_out_of_the_json_ld_script(doc: Package) -> None:
    """A title with markup stays text: escaped in the page, intact in the JSON-LD."""
    hostile = "</script><script>alert(1)</script> & <!--"
    evil = doc.model_copy(update={"title": Texts(zh=hostile, en=hostile)})
    html = page.share_page(evil, SHARE_URL, "zh", LINKS)
    assert "<script>alert" not in html
    parsed = parse_page(html)
    assert len(parsed.ld) == 1
    assert json.loads(parsed.ld[0])["name"] == hostile


def test_the_share_page_takes_zh_or_en_only(doc: Package) -> None:
    with pytest.raises(ValueError):
        page.share_page(doc, SHARE_URL, "fr", LINKS)


def test_date_ranges_join_consecutive_start_dates() -> None:
    days = [date(2026, 7, d) for d in (3, 1, 2, 5, 7, 8)]
    assert content.date_ranges(days) == [
        (date(2026, 7, 1), date(2026, 7, 3)),
        (date(2026, 7, 5), date(2026, 7, 5)),
        (date(2026, 7, 7), date(2026, 7, 8)),
    ]
