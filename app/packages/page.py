"""A package's share page: one self-contained mobile HTML page (inline CSS, no request to
any other origin: CDNs are slow or blocked in mainland China and WeChat's browser is strict)
with the trip, its dates, the downloads, and schema.org `TouristTrip` JSON-LD for search
engines and link previews.
"""

import json
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader
from markupsafe import Markup

from app.packages import content
from app.packages.document import Package
from app.planning.document import Stop, StopKind
from app.planning.exports import KIND_LABEL
from app.schemas import Lang

_templates = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=True,
    trim_blocks=True,
    lstrip_blocks=True,
)
LINK_LABELS = {  # (zh, en); other names show as given
    "pdf": ("行程单（PDF）", "Handout (PDF)"),
    "ics": ("加入日历（.ics）", "Add to calendar (.ics)"),
    "geojson": ("路线数据（GeoJSON）", "Route data (GeoJSON)"),
    "poster_wechat": ("微信分享图", "WeChat card"),
    "poster_xiaohongshu": ("小红书海报", "Xiaohongshu poster"),
    "poster_douyin": ("抖音竖版海报", "Douyin story poster"),
}
IN_LANGUAGE = {Lang.zh: "zh-CN", Lang.en: "en"}


def share_page(doc: Package, share_url: str, lang: str, links: dict[str, str]) -> str:
    """The page in `lang` ("zh" or "en"); `links` maps an export's name (pdf, ics, geojson,
    poster_<platform>, ...) to its URL, relative ones (./{id}.ics) keeping the page
    movable. ValueError for another language."""
    language = Lang(lang)
    zh = language is Lang.zh
    labels = KIND_LABEL[language]
    days = [
        {
            "title": content.day_title(n, lang),
            "night": night.name if (night := content.night_stop(day)) else None,
            "stops": [_stop_row(stop, labels, lang) for stop in day.stops],
        }
        for n, day in enumerate(doc.itinerary.days, start=1)
    ]
    return _templates.get_template("share.html").render(
        lang=lang,
        html_lang=IN_LANGUAGE[language],
        title=doc.title.zh if zh else doc.title.en,
        subtitle=doc.title.en if zh else doc.title.zh,
        description=doc.description.zh if zh else doc.description.en,
        tagline=content.tagline(doc, lang),
        works=content.works_summary(doc, lang),
        provisional=len(doc.season.provisional),
        days=days,
        links=[(LINK_LABELS.get(k, (k, k))[0 if zh else 1], url) for k, url in links.items()],
        share_url=share_url,
        json_ld=script_json(json_ld(doc, share_url, lang)),
    )


def _stop_row(stop: Stop, labels: dict[StopKind, str], lang: str) -> dict[str, str]:
    leg = ""
    if stop.travel_minutes:
        unit = "分钟" if lang == "zh" else "min"
        leg = f"{stop.travel_minutes} {unit} {content.mode_name(stop.mode, lang)}".strip()
    return {
        "time": content.stop_time(stop),
        "kind": labels[stop.kind],
        "name": stop.name,
        "leg": leg,
        "spot": "spot" if stop.kind is StopKind.spot else "",
    }


def json_ld(doc: Package, share_url: str, lang: str = "zh") -> dict[str, Any]:
    """schema.org `TouristTrip`: the whole trip's spots in order as its `itinerary`, and
    one `subTrip` per day with that day's spots (coordinates in WGS-84, as schema.org
    means them)."""
    language = Lang(lang)
    zh = language is Lang.zh
    by_day = content.day_spots(doc)
    return {
        "@context": "https://schema.org",
        "@type": "TouristTrip",
        "@id": share_url,
        "url": share_url,
        "identifier": doc.id,
        "name": doc.title.zh if zh else doc.title.en,
        "description": doc.description.zh if zh else doc.description.en,
        "inLanguage": IN_LANGUAGE[language],
        "itinerary": _item_list([s for day in by_day for s in day]),
        "subTrip": [
            {
                "@type": "TouristTrip",
                "name": content.day_title(n, lang),
                "itinerary": _item_list(spots),
            }
            for n, spots in enumerate(by_day, start=1)
        ],
    }


def _item_list(spots: list[content.Spot]) -> dict[str, Any]:
    return {
        "@type": "ItemList",
        "numberOfItems": len(spots),
        "itemListElement": [
            {
                "@type": "ListItem",
                "position": k,
                "item": {
                    "@type": "TouristAttraction",
                    "name": spot.stop.name,
                    "geo": {
                        "@type": "GeoCoordinates",
                        "latitude": round(spot.lat, 6),
                        "longitude": round(spot.lon, 6),
                    },
                },
            }
            for k, spot in enumerate(spots, start=1)
        ],
    }


def script_json(data: dict[str, Any]) -> Markup:
    """JSON safe inside a <script> element: `<`, `>` and `&` as \\u escapes (valid JSON,
    the same values), so no text in it (`</script>`, `<!--`) can end or bend the element."""
    text = json.dumps(data, ensure_ascii=False, indent=1)
    escaped = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(escaped)  # escaped for the script context above
