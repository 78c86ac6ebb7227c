"""Exports are WGS-84 whatever datum the plan was made in: from the stored places, or by
inverting GCJ-02 when a place is gone or has moved since the plan."""

from typing import Any

import pytest

from app.geo import Datum, to_datum
from app.planning import exports

MUSEUM = (42.2946, 118.9476)  # WGS-84, near the Hongshan district seat
MOVED = (42.3, 118.95)


def _doc(coords: str, stop_datum: str | None) -> dict[str, Any]:
    """A one-stop plan made in `coords`; `stop_datum=None` is a plan stored before stops
    carried their datum."""
    lat, lon = to_datum(*MUSEUM, Datum(coords))
    stop = {"kind": "spot", "place_id": "cf_museum", "name": "Museum", "lat": lat, "lon": lon}
    if stop_datum is not None:
        stop["datum"] = stop_datum
    stop |= {"arrive": "2026-07-14T09:00:00+08:00", "start": "2026-07-14T09:00:00+08:00",
             "depart": "2026-07-14T10:00:00+08:00"}  # fmt: skip
    return {
        "id": "0" * 32,
        "created_at": "2026-07-01T00:00:00+00:00",
        "request": {"coords": coords, "lang": "en"},
        "days": [{"date": "2026-07-14", "night_place_id": None, "stops": [stop]}],
    }


def _point(geo: dict[str, Any]) -> tuple[float, float]:
    (point,) = [f for f in geo["features"] if f["geometry"]["type"] == "Point"]
    lon, lat = point["geometry"]["coordinates"]
    return lat, lon


@pytest.mark.parametrize(
    "stored",
    [{}, {"cf_museum": MOVED}],
    ids=["place_gone", "place_moved"],
)
@pytest.mark.parametrize("stop_datum", ["gcj02", None], ids=["stop_datum", "legacy"])
def test_gcj02_is_inverted_without_a_matching_stored_place(
    stored: dict[str, tuple[float, float]], stop_datum: str | None
) -> None:
    """A moved place's new position would not be where the plan went: invert instead."""
    lat, lon = _point(exports.geojson(_doc("gcj02", stop_datum), stored))
    assert lat == pytest.approx(MUSEUM[0], abs=1e-6)
    assert lon == pytest.approx(MUSEUM[1], abs=1e-6)


def test_the_stored_position_is_taken_when_the_place_is_where_the_plan_put_it() -> None:
    geo = exports.geojson(_doc("gcj02", "gcj02"), {"cf_museum": MUSEUM})
    assert _point(geo) == MUSEUM
    assert geo["properties"]["datum"] == "wgs84"


def test_a_wgs84_plan_is_exported_as_stored_even_if_the_place_moved() -> None:
    assert _point(exports.geojson(_doc("wgs84", "wgs84"), {"cf_museum": MOVED})) == MUSEUM


def test_ics_geo_is_wgs84() -> None:
    body = exports.ical(_doc("gcj02", "gcj02"), {}).decode()
    (geo,) = [line for line in body.splitlines() if line.startswith("GEO:")]
    lat, lon = map(float, geo.removeprefix("GEO:").split(";"))
    assert lat == pytest.approx(MUSEUM[0], abs=1e-6)
    assert lon == pytest.approx(MUSEUM[1], abs=1e-6)
