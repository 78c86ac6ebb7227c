"""Small, valid itinerary documents built by hand, for exports that need no solve."""

from typing import Any

from app.geo import Datum, to_datum
from app.planning.document import Itinerary


def summary(**overrides: Any) -> dict[str, Any]:
    return {
        "score": 10,
        "status": "feasible",
        "nights_per_city": {},
        "central_nights": 0,
        "nights_outside_central": 0,
        "total_nights": 0,
        "travel_minutes": 0,
        "ticket_total_cny": 0,
        "transport_cost_cny": 0,
        "spots_per_city": {"chifeng": 1},
        "calendar": "official",
        "provisional_dates": [],
        "solver": {"strategy": "ils", "seconds": 0.1},
    } | overrides


def stop(place_id: str, wgs84: tuple[float, float], coords: str, **fields: Any) -> dict[str, Any]:
    """A visit at a WGS-84 position, given in the plan's datum."""
    lat, lon = to_datum(*wgs84, Datum(coords))
    return {
        "kind": "spot",
        "place_id": place_id,
        "name": place_id.replace("_", " ").title(),
        "lat": lat,
        "lon": lon,
        "datum": coords,
        "arrive": "2027-07-14T09:00:00+08:00",
        "start": "2027-07-14T09:00:00+08:00",
        "depart": "2027-07-14T10:00:00+08:00",
        "travel_minutes": 0,
        "mode": None,
        "fare_cny": 0,
        "cost_cny": 0,
    } | fields


def itinerary(coords: str, days: list[list[dict[str, Any]]]) -> Itinerary:
    """A plan in `coords` with the given stops per day (starting 2027-07-14)."""
    return Itinerary.model_validate(
        {
            "id": "0" * 32,
            "created_at": "2027-07-01T00:00:00+00:00",
            "request": {
                "start_date": "2027-07-14",
                "days": len(days),
                "arrive": {"place_id": "cf_rail_chifeng_south", "time": "08:00"},
                "depart": {"place_id": "cf_rail_chifeng_south", "time": "20:00"},
                "coords": coords,
                "lang": "en",
            },
            "days": [
                {
                    "date": f"2027-07-{14 + d}",
                    "night_place_id": None,
                    "night_city": None,
                    "stops": stops,
                }
                for d, stops in enumerate(days)
            ],
            "summary": summary(),
            "unvisited": [],
            "variant": "more_sights",
        }
    )
