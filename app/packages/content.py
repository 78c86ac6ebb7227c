"""What every publish format of a package shows, worked out once: the poster, the handout
and the share page must not disagree on a spot's number, a night's hotel or the dates.

Pure: a `Package` in, plain values out (no database).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import qrcode

from app.geo import from_datum
from app.packages.document import Package
from app.planning.document import Day, LegMode, Stop, StopKind

MODE_NAMES = {  # (zh, en)
    LegMode.drive: ("自驾", "drive"),
    LegMode.taxi: ("出租车", "taxi"),
    LegMode.charter: ("包车", "charter"),
    LegMode.road: ("公路", "road"),
    LegMode.rail: ("铁路", "rail"),
    LegMode.bus: ("客车", "coach"),
    LegMode.air: ("航班", "flight"),
}


@dataclass(frozen=True)
class Spot:
    """A visit as the formats show it: numbered through the whole trip, in WGS-84."""

    number: int
    day: int
    stop: Stop
    lat: float
    lon: float


def wgs84(stop: Stop) -> tuple[float, float]:
    """The stop's (lat, lon) in WGS-84: posters draw on WGS-84 outlines and schema.org
    coordinates are WGS-84, whatever datum the plan was made in."""
    return from_datum(stop.lat, stop.lon, stop.datum)


def spots(doc: Package) -> list[Spot]:
    """The spot stops in trip order (a lunch at a scenic area is not a second visit)."""
    out: list[Spot] = []
    for n, day in enumerate(doc.itinerary.days, start=1):
        for stop in day.stops:
            if stop.kind is StopKind.spot:
                out.append(Spot(len(out) + 1, n, stop, *wgs84(stop)))
    return out


def day_spots(doc: Package) -> list[list[Spot]]:
    """`spots` grouped by day, one list per day (empty for a day without a visit)."""
    days: list[list[Spot]] = [[] for _ in doc.itinerary.days]
    for spot in spots(doc):
        days[spot.day - 1].append(spot)
    return days


def night_stop(day: Day) -> Stop | None:
    """The stop at the night's hotel area (the day's last one there), None on the last day."""
    if day.night_place_id is None:
        return None
    return next((s for s in reversed(day.stops) if s.place_id == day.night_place_id), None)


def city_name(doc: Package, city_id: str, lang: str) -> str:
    names = doc.city_names.get(city_id)
    return city_id if names is None else (names.zh if lang == "zh" else names.en)


def tagline(doc: Package, lang: str) -> str:
    """ "3天 · 赤峰 · 通辽" / "3 days · Chifeng · Tongliao"."""
    cities = [city_name(doc, c, lang) for c in doc.cities]
    days = f"{doc.days}天" if lang == "zh" else f"{doc.days} day{'s' * (doc.days != 1)}"
    return " · ".join([days, *cities])


def day_title(n: int, lang: str) -> str:
    return f"第{n}天" if lang == "zh" else f"Day {n}"


def clock(value: datetime | None) -> str:
    return value.strftime("%H:%M") if value is not None else ""


def stop_time(stop: Stop) -> str:
    """When the traveller is at the stop: the visit's start, else the arrival, else (the
    day's first stop) the departure."""
    return clock(stop.start or stop.arrive or stop.depart)


def mode_name(mode: LegMode | None, lang: str) -> str:
    return "" if mode is None else MODE_NAMES[mode][0 if lang == "zh" else 1]


def date_ranges(days: Sequence[date]) -> list[tuple[date, date]]:
    """Consecutive start dates as (first, last) runs: a season reads as a few ranges."""
    runs: list[tuple[date, date]] = []
    for day in sorted(days):
        if runs and day - runs[-1][1] == timedelta(days=1):
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    return runs


def works_summary(doc: Package, lang: str) -> str:
    """The season's working start dates in a line: their count and their ranges."""
    runs = date_ranges(doc.season.works)
    if not runs:
        return "当季暂无可出发日期" if lang == "zh" else "No start date works this season"
    shown = [str(a) if a == b else f"{a} – {b}" for a, b in runs]
    if lang == "zh":
        return f"可出发日期（{len(doc.season.works)} 天）：" + "、".join(shown)
    return f"Start dates ({len(doc.season.works)}): " + ", ".join(shown)


def qr_matrix(url: str, border: int = 4) -> list[list[bool]]:
    """The QR code's modules (True: dark), with its quiet zone of `border` modules."""
    code = qrcode.QRCode(border=border, error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(url)
    code.make(fit=True)
    return code.get_matrix()
