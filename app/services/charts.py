"""A city's report as a chart a bureau can put in its own report: PNG or SVG, Chinese labels.

matplotlib (Agg, no display) with Noto Sans CJK from Debian's `fonts-noto-cjk`; the SVG
carries its glyphs as paths, so it shows the same without the font installed.
"""

import io
from functools import lru_cache

import matplotlib

matplotlib.use("Agg")
from matplotlib import font_manager  # noqa: E402 (after the backend is chosen)
from matplotlib.figure import Figure  # noqa: E402
from sqlmodel import Session  # noqa: E402

from app.models import City  # noqa: E402
from app.services.stats import CityReport, spot_names  # noqa: E402

CJK_FAMILY = "Noto Sans CJK SC"
TOP_SPOTS = 10
MODE_ZH = {"rail": "铁路", "bus": "客车", "air": "航班", "road": "公路", "drive": "自驾"}


@lru_cache
def cjk_font() -> str:
    """The font file the charts draw with; a Latin-only fallback is an error, not tofu."""
    path = font_manager.findfont(
        font_manager.FontProperties(family=CJK_FAMILY), fallback_to_default=False
    )
    return str(path)


def render(report: CityReport, names: dict[str, str], city_zh: str, fmt: str) -> bytes:
    """Three panels: nights (central district or not), the most planned spots against how
    often they were asked for, and the transfers between the cities by mode."""
    font = font_manager.FontProperties(fname=cjk_font())
    fig = Figure(figsize=(10, 7.5), dpi=100, layout="constrained")
    axes = fig.subplot_mosaic([["nights", "transfers"], ["spots", "spots"]])
    nights_ax, transfers_ax, spots_ax = axes["nights"], axes["transfers"], axes["spots"]
    fig.suptitle(
        f"{city_zh} 行程统计 {report.start} 至 {report.end}（{report.plans} 个行程）",
        fontproperties=font,
        fontsize=14,
    )
    outside = report.nights - report.central_nights
    nights_ax.bar(
        ["中心城区", "其他"], [report.central_nights, outside], color=["#c0392b", "#95a5a6"]
    )
    nights_ax.set_title("住宿夜数", fontproperties=font)
    modes = list(report.transfers)
    transfers_ax.bar([MODE_ZH.get(m, m) for m in modes], [report.transfers[m] for m in modes])
    transfers_ax.set_title("两市间交通方式（双城行程）", fontproperties=font)
    top = report.exposure[:TOP_SPOTS][::-1]
    labels = [names.get(e.spot_id, e.spot_id) for e in top]
    spots_ax.barh(labels, [e.planned for e in top], color="#2980b9", label="行程安排")
    spots_ax.barh(
        labels, [e.requested for e in top], color="#f39c12", height=0.4, label="必游要求"
    )
    spots_ax.set_title("景点曝光（前 10）", fontproperties=font)
    spots_ax.legend(prop=font)
    for ax in (nights_ax, transfers_ax, spots_ax):
        for label in (*ax.get_xticklabels(), *ax.get_yticklabels()):
            label.set_fontproperties(font)
    out = io.BytesIO()
    fig.savefig(out, format=fmt, metadata={"Date": None} if fmt == "svg" else None)
    return out.getvalue()


def city_chart(session: Session, report: CityReport, fmt: str) -> bytes:
    """The report drawn with the city's and the spots' Chinese names."""
    names = spot_names(session, [e.spot_id for e in report.exposure])
    city = session.get(City, report.city_id)
    return render(report, names, city.name_zh if city else report.city_id, fmt)
