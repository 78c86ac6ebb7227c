"""Travel times between places, in whole minutes, for planning and reports.

The default works offline: great-circle distance x a road detour factor, driven at
speeds by road class (town streets, regional roads, expressway). Stored road links with a
duration override it for their pair. With `OSRM_URL` set, an OSRM-compatible server's
table API gives the matrix instead (cached), still under the stored overrides.
"""

import logging
import math
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

import httpx
import numpy as np
from sqlalchemy import select
from sqlmodel import Session, col

from app.geo import EARTH_RADIUS_KM
from app.models import Mode, TransitLink
from app.settings import get_settings

log = logging.getLogger("twinstars.travel")

ROAD_DETOUR = 1.3  # road km per straight-line km (the reference data's own estimate)
# (road km covered at this class, km/h): town streets, then regional roads, then expressway
ROAD_CLASSES = ((5.0, 25.0), (25.0, 50.0), (math.inf, 80.0))


@dataclass(frozen=True)
class Point:
    id: str
    lat: float  # WGS-84
    lon: float


class TravelError(RuntimeError):
    """The routing service failed; callers may fall back to the offline estimate."""


class TravelTimes(Protocol):
    def matrix(self, points: Sequence[Point]) -> list[list[int]]:
        """Driving minutes from every point to every point (0 on the diagonal)."""
        ...


def road_minutes(straight_km: float) -> int:
    """Driving minutes for a straight-line distance under the offline road model."""
    return int(road_minutes_of(np.array([straight_km]))[0])


def road_minutes_of(straight_km: np.ndarray) -> np.ndarray:
    """`road_minutes` of every distance at once (the same sums in the same order)."""
    left, minutes = straight_km * ROAD_DETOUR, np.zeros_like(straight_km, dtype=np.float64)
    for span, kmh in ROAD_CLASSES:
        part = np.minimum(left, span)
        minutes += part / kmh * 60
        left = left - part
    return np.ceil(minutes).astype(np.int64)


class OfflineTravel:
    """Vectorised: a matrix of a thousand places is one numpy pass, not a million calls."""

    def matrix(self, points: Sequence[Point]) -> list[list[int]]:
        lat = np.radians([p.lat for p in points])
        lon = np.radians([p.lon for p in points])
        dp = lat[None, :] - lat[:, None]
        dl = lon[None, :] - lon[:, None]
        h = np.sin(dp / 2) ** 2 + np.cos(lat)[:, None] * np.cos(lat)[None, :] * np.sin(dl / 2) ** 2
        km = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(h))
        minutes = road_minutes_of(km)
        np.fill_diagonal(minutes, 0)
        return minutes.tolist()


class OSRMTravel:
    """OSRM `table` service over httpx, with an LRU cache of whole matrices."""

    def __init__(
        self,
        base_url: str,
        *,
        profile: str = "driving",
        timeout: float = 10.0,
        cache_size: int = 256,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.profile = profile
        self.client = httpx.Client(timeout=timeout)
        self.cache: OrderedDict[tuple[tuple[float, float], ...], list[list[int]]] = OrderedDict()
        self.cache_size = cache_size

    def matrix(self, points: Sequence[Point]) -> list[list[int]]:
        key = tuple((round(p.lon, 6), round(p.lat, 6)) for p in points)
        if key in self.cache:
            self.cache.move_to_end(key)
            return self.cache[key]
        coords = ";".join(f"{lon},{lat}" for lon, lat in key)
        url = f"{self.base_url}/table/v1/{self.profile}/{coords}"
        try:
            reply = self.client.get(url, params={"annotations": "duration"})
            reply.raise_for_status()
            body = reply.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise TravelError(f"OSRM table request failed: {exc}") from exc
        if body.get("code") != "Ok" or "durations" not in body:
            raise TravelError(f"OSRM answered {body.get('code')}: {body.get('message', '')}")
        minutes = [
            [
                0 if i == j else (math.ceil(s / 60) if s is not None else 10**6)
                for j, s in enumerate(row)
            ]
            for i, row in enumerate(body["durations"])
        ]
        self.cache[key] = minutes
        if len(self.cache) > self.cache_size:
            self.cache.popitem(last=False)
        return minutes


def stored_road_minutes(session: Session) -> dict[tuple[str, str], int]:
    """Durations of stored road links, both ways for bidirectional ones."""
    out: dict[tuple[str, str], int] = {}
    for link in session.scalars(
        select(TransitLink).where(
            col(TransitLink.mode) == Mode.road,
            col(TransitLink.duration_min).is_not(None),
            col(TransitLink.deleted_at).is_(None),
        )
    ):
        minutes = link.duration_min
        assert minutes is not None  # the query keeps timed links only
        out[(link.from_id, link.to_id)] = minutes
        if link.bidirectional:
            out.setdefault((link.to_id, link.from_id), minutes)
    return out


class WithOverrides:
    """A provider whose answers are replaced by stored durations where a link exists."""

    def __init__(self, base: TravelTimes, overrides: dict[tuple[str, str], int]) -> None:
        self.base, self.overrides = base, overrides

    def matrix(self, points: Sequence[Point]) -> list[list[int]]:
        m = [row[:] for row in self.base.matrix(points)]
        for i, a in enumerate(points):
            for j, b in enumerate(points):
                if (a.id, b.id) in self.overrides:
                    m[i][j] = self.overrides[(a.id, b.id)]
        return m


class Fallback:
    """The primary provider, or the offline model while the primary is failing."""

    def __init__(self, primary: TravelTimes, fallback: TravelTimes) -> None:
        self.primary, self.fallback = primary, fallback

    def matrix(self, points: Sequence[Point]) -> list[list[int]]:
        try:
            return self.primary.matrix(points)
        except TravelError as exc:
            log.warning("routing service failed, using the offline estimate: %s", exc)
            return self.fallback.matrix(points)


@lru_cache(maxsize=4)
def _osrm(url: str) -> OSRMTravel:
    return OSRMTravel(url)


def travel_times(session: Session) -> TravelTimes:
    """The configured provider (OSRM if `OSRM_URL` is set) under the stored road links."""
    url = get_settings().osrm_url
    base: TravelTimes = Fallback(_osrm(url), OfflineTravel()) if url else OfflineTravel()
    return WithOverrides(base, stored_road_minutes(session))
