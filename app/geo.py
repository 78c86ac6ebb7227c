"""Coordinates: stored as WGS-84; GCJ-02 on demand for Chinese map SDKs (WeChat, Amap, Tencent).

The conversion is `coordtransform` (C extension, maintained, no dependencies); see README.
"""

import math
from enum import StrEnum

from coordTransform import wgs84_to_gcj02

EARTH_RADIUS_KM = 6371.0088
# GCJ-02 is only published forwards; its inverse is found by fixed-point iteration.
INVERSE_TOLERANCE_DEG = 1e-9
INVERSE_MAX_STEPS = 20


class Datum(StrEnum):
    wgs84 = "wgs84"
    gcj02 = "gcj02"


def to_datum(lat: float, lon: float, datum: Datum) -> tuple[float, float]:
    """Convert a stored WGS-84 point to the requested datum, rounded to ~0.1 m."""
    if datum is Datum.gcj02:
        lon, lat = wgs84_to_gcj02(lon, lat)
    return round(lat, 6), round(lon, 6)


def from_datum(lat: float, lon: float, datum: Datum) -> tuple[float, float]:
    """Bring a point given in `datum` (a map viewport corner, a GCJ-02 stop) back to WGS-84.

    The library's one-step inverse is off by up to 5e-5 deg (about 6 m); iterating on the
    forward shift, which varies slowly, converges to 1e-9 deg in a few steps."""
    if datum is not Datum.gcj02:
        return lat, lon
    w_lat, w_lon = lat, lon
    for _ in range(INVERSE_MAX_STEPS):
        g_lon, g_lat = wgs84_to_gcj02(w_lon, w_lat)
        d_lat, d_lon = lat - g_lat, lon - g_lon
        w_lat, w_lon = w_lat + d_lat, w_lon + d_lon
        if max(abs(d_lat), abs(d_lon)) < INVERSE_TOLERANCE_DEG:
            break
    return w_lat, w_lon


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))
