"""Exports are WGS-84 whatever datum the plan was made in: from the stored places, or by
inverting GCJ-02 when a place is gone or has moved since the plan."""

import pytest
from geojson_pydantic import Point

from app.geo import Datum
from app.planning import exports
from app.planning.document import Itinerary
from tests import documents

MUSEUM = (42.2946, 118.9476)  # WGS-84, near the Hongshan district seat
MOVED = (42.3, 118.95)


def _doc(coords: str) -> Itinerary:
    """A plan made in `coords` visiting the museum (a day line needs two stops)."""
    here = documents.stop("cf_museum", MUSEUM, coords)
    return documents.itinerary(coords, [[here, here]])


def _point(geo: exports.ItineraryFeatures) -> tuple[float, float]:
    lon, lat = next(f.geometry.coordinates for f in geo.features if isinstance(f.geometry, Point))
    return lat, lon


@pytest.mark.parametrize(
    "stored",
    [{}, {"cf_museum": MOVED}],
    ids=["place_gone", "place_moved"],
)
def test_gcj02_is_inverted_without_a_matching_stored_place(
    stored: dict[str, tuple[float, float]],
) -> None:
    """A moved place's new position would not be where the plan went: invert instead."""
    lat, lon = _point(exports.geojson(_doc("gcj02"), stored))
    assert lat == pytest.approx(MUSEUM[0], abs=1e-6)
    assert lon == pytest.approx(MUSEUM[1], abs=1e-6)


def test_the_stored_position_is_taken_when_the_place_is_where_the_plan_put_it() -> None:
    geo = exports.geojson(_doc("gcj02"), {"cf_museum": MUSEUM})
    assert _point(geo) == MUSEUM
    assert geo.properties.datum == "wgs84"
    assert {f.properties.datum for f in geo.features if isinstance(f.geometry, Point)} == {
        Datum.wgs84
    }


def test_a_wgs84_plan_is_exported_as_stored_even_if_the_place_moved() -> None:
    assert _point(exports.geojson(_doc("wgs84"), {"cf_museum": MOVED})) == MUSEUM


def test_ics_geo_is_wgs84() -> None:
    body = exports.ical(_doc("gcj02"), {}).decode()
    geo = next(line for line in body.splitlines() if line.startswith("GEO:"))
    lat, lon = map(float, geo.removeprefix("GEO:").split(";"))
    assert lat == pytest.approx(MUSEUM[0], abs=1e-6)
    assert lon == pytest.approx(MUSEUM[1], abs=1e-6)
