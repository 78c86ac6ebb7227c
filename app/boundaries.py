"""Prefecture outlines: is a spot or hub really in its city?

A bounding box is not enough: Chifeng's and Tongliao's boxes overlap, so a point in one city
passed as the other. The real outlines ship in `seed_data/boundaries/` (WGS-84 GeoJSON,
simplified to about 0.5 km; see its README for the source). Most coordinates in the seed are
estimates, so a point may lie outside its outline by as much as its stated confidence
allows. numpy and the standard library only: shapely is used to make the files, not here.
"""

import json
import math
import re
from enum import StrEnum
from functools import lru_cache
from pathlib import Path

import numpy as np

from app.geo import EARTH_RADIUS_KM

BOUNDARIES_DIR = Path(__file__).resolve().parents[1] / "seed_data" / "boundaries"
KM_PER_DEG = math.pi / 180 * EARTH_RADIUS_KM

Rings = tuple[np.ndarray, ...]  # each (n, 2): GeoJSON (lon, lat) vertices, first == last


class Confidence(StrEnum):
    low = "low"
    medium = "medium"
    high = "high"


_RANK = {Confidence.low: 0, Confidence.medium: 1, Confidence.high: 2}
# How far outside its outline a point may be: an estimate "placed 45 km SW of town" may be off
# by 10-20 km, a town point by a few km, a surveyed point by the outline's own error (~0.5 km).
TOLERANCE_KM = {Confidence.low: 20.0, Confidence.medium: 5.0, Confidence.high: 1.0}

_COORDS = re.compile(r"\bcoord(?:inate)?s?\s*[=:]\s*([^;|]*)", re.IGNORECASE)
_LEVEL = re.compile(r"\b(low|medium|high)\b", re.IGNORECASE)


def coords_confidence(text: str) -> Confidence:
    """The confidence a free-text `confidence` field states for the coordinates.

    The seed writes e.g. "info=medium; coords=low (estimate, +-3 km); hours=low". The
    `coords=` part counts; without one, the lowest level the text names. Within a part the
    lowest level wins ("medium-high" is medium; "high for the lake / low for the gate" is low),
    and a part or text that names no level counts as low: a check must not trust more than
    was said."""
    parts = _COORDS.findall(text)
    scope = " ".join(parts) if parts else text
    levels = [Confidence(word.lower()) for word in _LEVEL.findall(scope)]
    return min(levels, key=_RANK.__getitem__, default=Confidence.low)


def _rings(geometry: dict) -> list[np.ndarray]:
    coords = geometry.get("coordinates", [])
    polygons = {"Polygon": [coords], "MultiPolygon": coords}.get(geometry["type"], [])
    out = []
    for polygon in polygons:
        for ring in polygon:
            arr = np.asarray(ring, dtype=float)[:, :2]
            if not np.array_equal(arr[0], arr[-1]):
                arr = np.vstack([arr, arr[:1]])
            arr.setflags(write=False)
            out.append(arr)
    return out


@lru_cache(maxsize=1)
def _outlines(root: Path = BOUNDARIES_DIR) -> dict[str, Rings]:
    """Every shipped outline by city id (a file's features' `id`, else its name), read once."""
    found: dict[str, list[np.ndarray]] = {}
    for path in sorted(root.glob("*.geojson")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        features = doc["features"] if doc.get("type") == "FeatureCollection" else [doc]
        for feature in features:
            geometry = feature.get("geometry", feature)
            city_id = (feature.get("properties") or {}).get("id", path.stem)
            found.setdefault(city_id, []).extend(_rings(geometry))
    return {city_id: tuple(rings) for city_id, rings in found.items() if rings}


def known_cities() -> tuple[str, ...]:
    """The cities with a shipped outline (the others are not checked)."""
    return tuple(sorted(_outlines()))


def outline(city_id: str) -> Rings | None:
    """The city's rings for drawing (posters, pages): read-only (n, 2) arrays of GeoJSON
    (lon, lat) pairs, exteriors counter-clockwise; None for a city with no outline."""
    return _outlines().get(city_id)


def polygons(city_id: str) -> list[list[list[tuple[float, float]]]] | None:
    """The city's outline as GeoJSON MultiPolygon coordinates (for `/v1/boundaries`): each
    counter-clockwise ring (an exterior, RFC 7946's right-hand rule, as the files are
    written) starts a polygon, the clockwise rings after it are its holes; None for a city
    with no outline."""
    rings = outline(city_id)
    if rings is None:
        return None
    out: list[list[list[tuple[float, float]]]] = []
    for ring in rings:
        x, y = ring[:, 0], ring[:, 1]
        ccw = float(np.dot(x[:-1], y[1:]) - np.dot(x[1:], y[:-1])) > 0
        points = [(float(lon), float(lat)) for lon, lat in ring]
        if ccw or not out:
            out.append([points])
        else:
            out[-1].append(points)
    return out


def _inside(rings: Rings, lat: float, lon: float) -> bool:
    """Ray casting (even-odd) over all rings at once, so holes and islands need no care."""
    crossings = 0
    for ring in rings:
        x1, y1, x2, y2 = ring[:-1, 0], ring[:-1, 1], ring[1:, 0], ring[1:, 1]
        straddles = (y1 > lat) != (y2 > lat)
        with np.errstate(divide="ignore", invalid="ignore"):
            x_cross = x1 + (lat - y1) * (x2 - x1) / (y2 - y1)
        crossings += int(np.count_nonzero(straddles & (lon < x_cross)))
    return crossings % 2 == 1


def _km_to_rings(rings: Rings, lat: float, lon: float) -> float:
    """Distance to the nearest segment in an equirectangular projection at the point's
    latitude: exact enough (well under 1%) for the tens of km that the tolerances are about;
    a point a continent away gets a large number, not a geodesic."""
    scale = np.array([KM_PER_DEG * math.cos(math.radians(lat)), KM_PER_DEG])
    best = math.inf
    for ring in rings:
        xy = (ring - (lon, lat)) * scale
        a, d = xy[:-1], xy[1:] - xy[:-1]
        dd = np.einsum("ij,ij->i", d, d)
        with np.errstate(divide="ignore", invalid="ignore"):
            t = np.clip(np.where(dd > 0, -np.einsum("ij,ij->i", a, d) / dd, 0.0), 0.0, 1.0)
        nearest = a + t[:, None] * d
        best = min(best, float(np.sqrt(np.einsum("ij,ij->i", nearest, nearest).min())))
    return best


def km_outside(city_id: str, lat: float, lon: float) -> float:
    """0 inside the city's outline, else the distance in km to it. KeyError for a city with
    no shipped outline: a distance to nothing must not read as "inside"."""
    rings = outline(city_id)
    if rings is None:
        raise KeyError(f"no outline shipped for city {city_id!r}")
    return 0.0 if _inside(rings, lat, lon) else _km_to_rings(rings, lat, lon)


def check_in_city(city_id: str, lat: float, lon: float, confidence_text: str) -> str | None:
    """Why the point cannot be in the city, or None when it may be.

    A point outside the outline passes within the tolerance of its stated coordinate
    confidence (`TOLERANCE_KM`). A city with no shipped outline (one added through the API)
    falls back to no check: None."""
    if outline(city_id) is None:
        return None
    km = km_outside(city_id, lat, lon)
    level = coords_confidence(confidence_text)
    allowed = TOLERANCE_KM[level]
    if km <= allowed:
        return None
    shown = math.ceil(km * 10) / 10  # rounded up: 5.01 km must not read as "5.0 ... up to 5"
    return (
        f"({lat}, {lon}) is {shown:.1f} km outside {city_id} (coordinates stated as "
        f"{level} confidence: up to {allowed:g} km allowed)"
    )
