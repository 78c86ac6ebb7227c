"""Coordinates: stored as WGS-84; GCJ-02 on demand for Chinese map SDKs (WeChat, Amap, Tencent).

The conversion is `coordtransform` (C extension, maintained, no dependencies); see README.
"""

import math
from enum import StrEnum

from coordTransform import gcj02_to_wgs84, wgs84_to_gcj02

EARTH_RADIUS_KM = 6371.0088


class Datum(StrEnum):
    wgs84 = "wgs84"
    gcj02 = "gcj02"


def to_datum(lat: float, lon: float, datum: Datum) -> tuple[float, float]:
    """Convert a stored WGS-84 point to the requested datum, rounded to ~0.1 m."""
    if datum is Datum.gcj02:
        lon, lat = wgs84_to_gcj02(lon, lat)
    return round(lat, 6), round(lon, 6)


def from_datum(lat: float, lon: float, datum: Datum) -> tuple[float, float]:
    """Bring a point given in `datum` (e.g. a map viewport corner) back to WGS-84."""
    if datum is Datum.gcj02:
        lon, lat = gcj02_to_wgs84(lon, lat)
    return lat, lon


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))
