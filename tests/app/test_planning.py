"""The planning service over the seed: one trip model chooses the nights and the days."""

from sqlalchemy import Engine

from app.planning import service
from app.planning.request import PlanRequest
from solver import Progress

TWO_CITIES = {
    "start_date": "2026-08-02",
    "days": 8,
    "gateway_nights": True,
    "arrive": {"place_id": "cf_airport", "time": "10:00"},
    "depart": {"place_id": "tl_airport", "time": "17:00"},
}


def test_a_long_two_city_trip_reports_one_progress_stream(engine: Engine) -> None:
    """Many chains of nights (splits and gateway nights): the best score heard never goes
    down and the elapsed time never back, across every chain searched; the plan sleeps in
    both cities and says whether the search converged."""
    heard: list[Progress] = []
    doc = service.plan(engine, PlanRequest.model_validate(TWO_CITIES), on_progress=heard.append)
    assert heard
    assert [p.best_score for p in heard] == sorted(p.best_score for p in heard)
    assert [p.elapsed for p in heard] == sorted(p.elapsed for p in heard)
    assert set(doc.summary.nights_per_city) == {"chifeng", "tongliao"}
    assert doc.summary.total_nights == 7
    assert doc.summary.solver.strategy == "trip"
    assert isinstance(doc.summary.solver.converged, bool)
