"""Prefecture outlines: which points are in Chifeng or Tongliao, and how far off a point may
be for the confidence its row states."""

import json
import math

import numpy as np
import pytest
import shapely
from shapely.geometry import Point, shape

from app.boundaries import (
    BOUNDARIES_DIR,
    TOLERANCE_KM,
    Confidence,
    check_in_city,
    coords_confidence,
    km_outside,
    known_cities,
    outline,
)
from app.geo import EARTH_RADIUS_KM
from app.services.seed import SEED_DIR, read_seed

CHIFENG_CENTRE = (42.27, 118.95)
TONGLIAO_CENTRE = (43.62, 122.26)
# Both inside the other city's old bounding box (seed_data/cities.json), which overlapped:
LUBEI = (44.55, 120.85)  # near Lubei, Jarud Banner seat: Tongliao, in Chifeng's old box
TIANSHAN = (43.88, 120.08)  # Tianshan, Ar Horqin Banner seat: Chifeng, in Tongliao's old box
TEN_KM_SOUTH_OF_CHIFENG = (41.2, 119.14)  # in Liaoning, 10.0 km beyond Chifeng's outline
SHENZHEN = (22.54, 114.06)


def old_box(city_id: str) -> dict[str, float]:
    cities = json.loads((SEED_DIR / "cities.json").read_text(encoding="utf-8"))
    return next(c for c in cities if c["id"] == city_id)


def in_box(box: dict[str, float], lat: float, lon: float) -> bool:
    return box["min_lat"] <= lat <= box["max_lat"] and box["min_lon"] <= lon <= box["max_lon"]


def test_both_cities_have_an_outline() -> None:
    assert known_cities() == ("chifeng", "tongliao")
    for city_id in known_cities():
        rings = outline(city_id)
        assert rings and all(r.shape[1] == 2 and (r[0] == r[-1]).all() for r in rings)


def test_the_city_centres_are_inside() -> None:
    assert km_outside("chifeng", *CHIFENG_CENTRE) == 0
    assert km_outside("tongliao", *TONGLIAO_CENTRE) == 0
    assert check_in_city("chifeng", *CHIFENG_CENTRE, "coords=high") is None
    assert check_in_city("tongliao", *TONGLIAO_CENTRE, "coords=high") is None


def test_a_point_of_one_city_fails_as_the_other_where_the_old_boxes_overlapped() -> None:
    assert in_box(old_box("chifeng"), *LUBEI) and km_outside("tongliao", *LUBEI) == 0
    assert in_box(old_box("tongliao"), *TIANSHAN) and km_outside("chifeng", *TIANSHAN) == 0
    assert km_outside("chifeng", *LUBEI) > TOLERANCE_KM[Confidence.low]
    assert km_outside("tongliao", *TIANSHAN) > TOLERANCE_KM[Confidence.low]
    assert "km outside chifeng" in (check_in_city("chifeng", *LUBEI, "") or "")
    assert "km outside tongliao" in (check_in_city("tongliao", *TIANSHAN, "") or "")


def test_ten_km_outside_passes_as_low_and_fails_as_medium() -> None:
    assert km_outside("chifeng", *TEN_KM_SOUTH_OF_CHIFENG) == pytest.approx(10, abs=0.1)
    assert check_in_city("chifeng", *TEN_KM_SOUTH_OF_CHIFENG, "coords=low (estimate)") is None
    reason = check_in_city("chifeng", *TEN_KM_SOUTH_OF_CHIFENG, "coords=medium (town point)")
    assert reason == (
        "(41.2, 119.14) is 10.1 km outside chifeng "
        "(coordinates stated as medium confidence: up to 5 km allowed)"
    )


@pytest.mark.parametrize("point", [SHENZHEN, (0.0, 0.0)])
@pytest.mark.parametrize("city_id", ["chifeng", "tongliao"])
def test_far_away_points_fail_whatever_the_confidence(
    point: tuple[float, float], city_id: str
) -> None:
    assert km_outside(city_id, *point) > 1000
    assert check_in_city(city_id, *point, "coords=low") is not None


def test_a_city_without_an_outline_is_not_checked() -> None:
    assert outline("hulunbuir") is None
    assert check_in_city("hulunbuir", 0.0, 0.0, "coords=high") is None
    with pytest.raises(KeyError):
        km_outside("hulunbuir", 0.0, 0.0)


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("coords=medium (government-seat point, +-2 km); rail=high", Confidence.medium),
        ("info=medium; coords=low (estimate, +-3 km); hours=low", Confidence.low),
        ("facts=high; coords=low (district seat)", Confidence.low),
        ("coords=high; district=low", Confidence.high),
        # A range or a split statement counts at its lower end.
        ("info=medium-low; coords=medium-high (Wikipedia point)", Confidence.medium),
        ("info=high; coords=low-medium (estimate)", Confidence.low),
        ("coords=high for lake centroid / low for entrance; hours=low", Confidence.low),
        ("info=medium; coords=medium (town) / low (building)", Confidence.low),
        ("Coordinates: HIGH (surveyed)", Confidence.high),
        # No coordinates part: the lowest level the text names; none at all is low.
        ("info=high; hours=medium", Confidence.medium),
        ("surveyed, high", Confidence.high),
        ("coords=unverified; info=high", Confidence.low),
        ("", Confidence.low),
    ],
)
def test_coords_confidence_reads_the_coordinates_part(text: str, level: Confidence) -> None:
    assert coords_confidence(text) is level


def test_every_seed_spot_and_hub_is_in_its_city() -> None:
    seed = read_seed()
    rows = [*seed.spots, *seed.hubs]
    assert len(rows) == 57 + 34
    for row in rows:
        assert check_in_city(row.city_id, row.lat, row.lon, row.confidence) is None, row.id


def test_wudantala_is_the_one_seed_row_outside_and_passes_only_as_low() -> None:
    """Its point is an estimate in Zhangwu County, Liaoning, about 16 km from Tongliao."""
    seed = read_seed()
    outside = {
        r.id: km_outside(r.city_id, r.lat, r.lon)
        for r in [*seed.spots, *seed.hubs]
        if km_outside(r.city_id, r.lat, r.lon) > 0
    }
    assert list(outside) == ["tl_wudantala"]
    assert 15 < outside["tl_wudantala"] < 17
    spot = next(s for s in seed.spots if s.id == "tl_wudantala")
    assert coords_confidence(spot.confidence) is Confidence.low
    assert check_in_city("tongliao", spot.lat, spot.lon, "coords=medium") is not None


def shapely_outline(city_id: str) -> shapely.Geometry:
    doc = json.loads((BOUNDARIES_DIR / f"{city_id}.geojson").read_text(encoding="utf-8"))
    return shape(doc["features"][0]["geometry"])


@pytest.mark.parametrize("city_id", ["chifeng", "tongliao"])
def test_inside_and_distance_agree_with_shapely(city_id: str) -> None:
    """On a grid over and around the city: the same side of the outline, and the same
    distance as shapely's in the same projection (at each point's latitude)."""
    geom = shapely_outline(city_id)
    west, south, east, north = geom.bounds
    k = math.pi / 180 * EARTH_RADIUS_KM
    for lat in np.linspace(south - 0.5, north + 0.5, 23):
        for lon in np.linspace(west - 0.5, east + 0.5, 23):
            inside = geom.contains(Point(lon, lat))
            km = km_outside(city_id, float(lat), float(lon))
            assert (km == 0) is inside, (lat, lon)
            if not inside:
                scale = np.array([k * math.cos(math.radians(lat)), k])
                local = shapely.transform(geom, lambda xy: (xy - (lon, lat)) * scale)  # noqa: B023
                assert km == pytest.approx(local.boundary.distance(Point(0, 0)), rel=1e-9)
