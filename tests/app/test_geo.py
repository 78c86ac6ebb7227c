"""WGS-84 -> GCJ-02 against reference points."""

import pytest
from coordTransform import wgs84_to_gcj02

from app.geo import Datum, from_datum, haversine_km, to_datum

# Reference values computed with eviltransform 0.1.1 (`wgs2gcj`), an independent
# implementation of the same published algorithm, and cross-checked with prcoords 1.0.2.
REFERENCE = [
    # (WGS-84 lat, lon) -> (GCJ-02 lat, lon)
    ((39.9087, 116.3975), (39.910104, 116.403744)),  # Tian'anmen, Beijing
    ((42.2946, 118.9476), (42.296576, 118.953841)),  # Hongshan district seat, Chifeng
    ((43.6207, 122.2501), (43.623073, 122.255646)),  # Horqin district seat, Tongliao
]


@pytest.mark.parametrize(("wgs", "gcj"), REFERENCE)
def test_wgs84_to_gcj02_matches_reference(
    wgs: tuple[float, float], gcj: tuple[float, float]
) -> None:
    lat, lon = to_datum(*wgs, Datum.gcj02)
    assert lat == pytest.approx(gcj[0], abs=2e-6)
    assert lon == pytest.approx(gcj[1], abs=2e-6)


def test_shift_is_a_few_hundred_metres_here() -> None:
    lat, lon = to_datum(42.2946, 118.9476, Datum.gcj02)
    assert 0.2 < haversine_km(42.2946, 118.9476, lat, lon) < 1.0


@pytest.mark.parametrize(("wgs", "gcj"), REFERENCE)
def test_round_trip_back_to_wgs84(wgs: tuple[float, float], gcj: tuple[float, float]) -> None:
    """GCJ-02 points (viewport corners, exported stops) come back to WGS-84 within 1e-6 deg,
    the rounding of the GCJ-02 input (the library's own one-step inverse is metres off)."""
    lat, lon = from_datum(*gcj, Datum.gcj02)
    assert lat == pytest.approx(wgs[0], abs=1e-6)
    assert lon == pytest.approx(wgs[1], abs=1e-6)


def test_the_inverse_undoes_the_unrounded_shift() -> None:
    lon, lat = wgs84_to_gcj02(118.9476, 42.2946)
    back = from_datum(lat, lon, Datum.gcj02)
    assert back == pytest.approx((42.2946, 118.9476), abs=1e-9)


def test_outside_china_is_not_shifted() -> None:
    assert to_datum(48.8535, 2.3484, Datum.gcj02) == (48.8535, 2.3484)


def test_wgs84_is_identity() -> None:
    assert to_datum(42.2946, 118.9476, Datum.wgs84) == (42.2946, 118.9476)
