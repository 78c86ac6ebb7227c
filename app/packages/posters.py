"""A package's poster for a platform: a PNG of exactly the platform's size, with the title,
the route on a map of the two prefectures, the day list and a QR code to the share page.

matplotlib (Agg) with the charts' Noto Sans CJK; the map is the shipped prefecture outlines
(`app.boundaries`), no tile server, so a poster renders offline and looks the same anywhere.
"""

import io
import math
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from app.boundaries import known_cities, outline
from app.packages import content
from app.packages.document import POSTER_SIZES, Package, Platform
from app.services.charts import cjk_font

DPI = 100  # a point is DPI/72 pixels; the figure is sized in pixels / DPI
INK, MUTED, PAPER = "#1f2a30", "#5d6d74", "#faf7f0"
CITY_FILL = {"chifeng": "#eadfc8", "tongliao": "#d7e6d2"}  # sand, grassland
OTHER_FILL = "#e4e4e4"
CITY_EDGE = "#9a8f78"
DAY_COLOURS = (
    "#c0392b",
    "#2471a3",
    "#1e8449",
    "#d68910",
    "#7d3c98",
    "#148f77",
    "#ba4a00",
    "#34495e",
    "#a93226",
    "#1f618d",
)
NIGHT_COLOUR = "#f4c20d"


@dataclass(frozen=True)
class Box:
    """A rectangle in pixels from the figure's bottom-left corner."""

    x: float
    y: float
    w: float
    h: float


@dataclass(frozen=True)
class Layout:
    """Where each part goes on one platform's canvas; the sizes are in points."""

    title: Box
    map: Box
    days: Box
    qr: Box  # the QR code is drawn in the largest whole-module square inside, bottom-left
    title_pt: float
    days_pt: float


LAYOUTS = {
    # 5:4 share card: the map on the left, the days and the code on the right.
    Platform.wechat: Layout(
        title=Box(40, 640, 920, 130),
        map=Box(30, 30, 560, 600),
        days=Box(620, 230, 350, 390),
        qr=Box(620, 40, 170, 170),
        title_pt=40,
        days_pt=15,
    ),
    # 3:4 note: the map on top, the days below with the code beside them.
    Platform.xiaohongshu: Layout(
        title=Box(60, 1230, 960, 160),
        map=Box(30, 570, 1020, 650),
        days=Box(60, 60, 720, 500),
        qr=Box(820, 60, 200, 200),
        title_pt=52,
        days_pt=20,
    ),
    # 9:16 story: the same, taller.
    Platform.douyin: Layout(
        title=Box(60, 1650, 960, 210),
        map=Box(30, 780, 1020, 850),
        days=Box(60, 80, 700, 660),
        qr=Box(800, 80, 220, 220),
        title_pt=60,
        days_pt=26,
    ),
}


def poster(doc: Package, platform: Platform, share_url: str) -> bytes:
    """The platform's poster as PNG bytes, exactly `POSTER_SIZES[platform]` pixels."""
    width, height = POSTER_SIZES[platform]
    layout = LAYOUTS[platform]
    fig = Figure(figsize=(width / DPI, height / DPI), dpi=DPI, facecolor=PAPER)
    _title(fig, doc, layout)
    _map(fig, doc, layout.map)
    _days(fig, doc, layout)
    _qr(fig, share_url, layout.qr)
    out = io.BytesIO()
    # No bbox_inches="tight": it would crop the canvas away from the platform's size.
    fig.savefig(out, format="png", dpi=DPI, facecolor=PAPER, metadata={"Software": None})
    return out.getvalue()


def font() -> font_manager.FontProperties:
    """Every poster text is drawn with this: the CJK face, never a Latin-only fallback."""
    return font_manager.FontProperties(fname=cjk_font())


def _frac(fig: Figure, box: Box) -> tuple[float, float, float, float]:
    width, height = fig.bbox.width, fig.bbox.height
    return box.x / width, box.y / height, box.w / width, box.h / height


def _px(pt: float) -> float:
    return pt * DPI / 72


def _ems(text: str) -> float:
    """The text's width in ems: wide (CJK) characters are one, the others about half."""
    return sum(1.0 if unicodedata.east_asian_width(c) in "WF" else 0.56 for c in text)


def _text(fig: Figure, x: float, y: float, text: str, pt: float, color: str) -> None:
    """Text anchored at its top-left corner, (x, y) in pixels."""
    width, height = fig.bbox.width, fig.bbox.height
    fig.text(
        x / width, y / height, text, fontproperties=font(), fontsize=pt, va="top", color=color
    )


def _fit(text: str, width_px: float, pt: float) -> float:
    """The size, at most `pt`, at which the text fits the width on one line."""
    return min(pt, width_px / max(_ems(text), 1.0) * 72 / DPI)


def _title(fig: Figure, doc: Package, layout: Layout) -> None:
    """The zh title large, the en one smaller, then the "N天 · 城市" line."""
    box, pt = layout.title, layout.title_pt
    top = box.y + box.h
    zh_pt = _fit(doc.title.zh, box.w, pt)
    _text(fig, box.x, top, doc.title.zh, zh_pt, color=INK)
    top -= _px(zh_pt) * 1.3
    en_pt = _fit(doc.title.en, box.w, pt * 0.45)
    _text(fig, box.x, top, doc.title.en, en_pt, color=MUTED)
    top -= _px(en_pt) * 1.45
    _text(fig, box.x, top, content.tagline(doc, "zh"), pt * 0.42, color=DAY_COLOURS[0])


def _map(fig: Figure, doc: Package, box: Box) -> None:
    """The two prefectures filled, each day's route in its colour with numbered spots,
    the night hubs as stars. Equirectangular at the map's mean latitude: true shapes at
    this scale, with no projection library."""
    ax = fig.add_axes(_frac(fig, box))
    ax.set_axis_off()
    rings = [(c, ring) for c in known_cities() for ring in outline(c) or ()]
    for city_id, ring in rings:
        ax.fill(
            ring[:, 0], ring[:, 1], color=CITY_FILL.get(city_id, OTHER_FILL), ec=CITY_EDGE, lw=1.2
        )
        x, y = float(ring[:, 0].mean()), float(ring[:, 1].mean())
        name = content.city_name(doc, city_id, "zh")
        ax.text(
            x,
            y,
            name,
            fontproperties=font(),
            fontsize=28,
            color=CITY_EDGE,
            alpha=0.55,
            ha="center",
            va="center",
        )
    if rings:
        lats = [float(v) for _, ring in rings for v in (ring[:, 1].min(), ring[:, 1].max())]
        ax.set_aspect(1 / math.cos(math.radians((min(lats) + max(lats)) / 2)))
    for n, day in enumerate(doc.itinerary.days):
        points = _dedup([content.wgs84(s) for s in day.stops])
        colour = DAY_COLOURS[n % len(DAY_COLOURS)]
        ax.plot([p[1] for p in points], [p[0] for p in points], color=colour, lw=3, zorder=3)
    ax.autoscale_view()
    ax.apply_aspect()  # the final axes box, so data map to the pixels they are drawn at
    _night_markers(ax, doc)
    _spot_markers(ax, content.spots(doc))


def _dedup(points: Sequence[tuple[float, float]]) -> list[tuple[float, float]]:
    """Consecutive repeats dropped (a lunch at the spot, a hotel left and come back to)."""
    return [p for i, p in enumerate(points) if i == 0 or p != points[i - 1]]


def _clusters(points: Sequence[tuple[float, float]], gap: float) -> list[list[int]]:
    """Indices of points chained closer than `gap` pixels (single linkage)."""
    groups: list[list[int]] = []
    for i, (x, y) in enumerate(points):
        near = [g for g in groups if any(math.dist((x, y), points[j]) < gap for j in g)]
        merged = [j for g in near for j in g] + [i]
        groups = [g for g in groups if g not in near] + [sorted(merged)]
    return groups


def _spread(points: Sequence[tuple[float, float]], radius: float) -> list[tuple[float, float]]:
    """Marker positions in pixels: a lone marker stays on its spot; markers that would
    overlap (the city's sights, a few km apart) go round a ring about their centre, in
    trip order clockwise from the top, so every number shows."""
    placed = list(points)
    for group in _clusters(points, 2.2 * radius):
        if len(group) == 1:
            continue
        cx = sum(points[i][0] for i in group) / len(group)
        cy = sum(points[i][1] for i in group) / len(group)
        ring = max(2.6 * radius, len(group) * 2.4 * radius / (2 * math.pi))
        for k, i in enumerate(group):
            angle = math.pi / 2 - 2 * math.pi * k / len(group)
            placed[i] = (cx + ring * math.cos(angle), cy + ring * math.sin(angle))
    return placed


def _spot_markers(ax: Axes, spots: Sequence[content.Spot]) -> None:
    """Numbered circles, spread apart where they would hide each other, each with a thin
    leader back to its spot when moved."""
    size = 260  # points squared: a circle 16 pt across
    radius = math.sqrt(size) / 2 * DPI / 72
    true = [ax.transData.transform((s.lon, s.lat)) for s in spots]
    pixels = [(float(x), float(y)) for x, y in true]
    to_data = ax.transData.inverted()
    for spot, at, mark in zip(spots, pixels, _spread(pixels, radius), strict=True):
        colour = DAY_COLOURS[(spot.day - 1) % len(DAY_COLOURS)]
        x, y = (float(v) for v in to_data.transform(mark))
        if mark != at:
            ax.plot([spot.lon, x], [spot.lat, y], color=colour, lw=1, zorder=4)
        ax.scatter([x], [y], s=size, c="white", edgecolors=colour, lw=2.2, zorder=7)
        ax.text(
            x,
            y,
            str(spot.number),
            fontproperties=font(),
            fontsize=9,
            color=colour,
            ha="center",
            va="center",
            zorder=8,
        )


def _night_markers(ax: Axes, doc: Package) -> None:
    nights = [content.night_stop(day) for day in doc.itinerary.days]
    points = {content.wgs84(stop) for stop in nights if stop is not None}
    if points:
        lats, lons = zip(*sorted(points), strict=True)
        ax.scatter(lons, lats, s=420, marker="*", c=NIGHT_COLOUR, edgecolors=INK, zorder=6)


def _day_lines(doc: Package) -> list[tuple[int, list[str]]]:
    """(day index, items) per line before wrapping: a day's heading, then its spots."""
    lines: list[tuple[int, list[str]]] = []
    for n, (day, spots) in enumerate(zip(doc.itinerary.days, content.day_spots(doc), strict=True)):
        night = content.night_stop(day)
        heading = content.day_title(n + 1, "zh") + (f" · 住 {night.name}" if night else "")
        lines.append((n, [heading]))
        lines.append((n, [f"{s.number} {s.stop.name}" for s in spots] or ["—"]))
    return lines


def _wrap(items: Sequence[str], width_em: float, sep: str = "  ") -> list[str]:
    """Greedy wrap of the items (a day's spots) by estimated width, breaking between items
    where it can and inside one only when it is wider than the line by itself."""
    lines, line = [], ""
    for item in items:
        joined = f"{line}{sep}{item}" if line else item
        if _ems(joined) <= width_em:
            line = joined
            continue
        if line:
            lines.append(line)
        line = ""
        for char in item:  # CJK text may break anywhere
            if line and _ems(line + char) > width_em:
                lines.append(line)
                line = ""
            line += char
    return [*lines, line] if line else lines


def _days(fig: Figure, doc: Package, layout: Layout) -> None:
    """The day list at the largest size (down to half the layout's) that fits its box."""
    box, lines = layout.days, _day_lines(doc)
    pt = layout.days_pt
    while True:
        wrapped = [(n, part) for n, items in lines for part in _wrap(items, box.w / _px(pt))]
        if len(wrapped) * _px(pt) * 1.45 <= box.h or pt <= layout.days_pt / 2:
            break
        pt *= 0.92
    top = box.y + box.h
    for i, (n, text) in enumerate(wrapped):
        first = i == 0 or wrapped[i - 1][0] != n
        colour = DAY_COLOURS[n % len(DAY_COLOURS)] if first else INK
        _text(fig, box.x, top - i * _px(pt) * 1.45, text, pt, color=colour)


def _qr(fig: Figure, share_url: str, box: Box) -> None:
    """The share URL's QR code in whole pixels per module, so it scans sharply."""
    matrix = content.qr_matrix(share_url)
    modules = len(matrix)
    module_px = max(1, int(min(box.w, box.h) // modules))
    side = modules * module_px
    ax = fig.add_axes(_frac(fig, Box(round(box.x), round(box.y), side, side)))
    ax.set_axis_off()
    ax.imshow(matrix, cmap="gray_r", interpolation="nearest", vmin=0, vmax=1)
    hint, pt = "扫码查看行程", 13
    right = box.x + side + 14
    if right + _ems(hint) * _px(pt) <= fig.bbox.width - 20:
        _text(fig, right, box.y + side * 0.6, hint, pt, color=MUTED)
    else:
        _text(fig, box.x, box.y + side + _px(pt) * 1.6, hint, pt, color=MUTED)
