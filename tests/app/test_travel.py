"""Travel times: the offline road model, stored overrides, and an OSRM-protocol server."""

import json
import math
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest
from sqlalchemy import Engine

from app.db import session_scope
from app.geo import haversine_km
from app.travel import (
    OfflineTravel,
    OSRMTravel,
    Point,
    TravelError,
    WithOverrides,
    road_minutes,
    stored_road_minutes,
)

HOTEL = Point("cf_hotel_hongshan", 42.2683, 118.9636)
YULONG = Point("cf_yulong_shahu", 42.9850, 119.3380)
MUSEUM = Point("cf_museum", 42.2620, 118.9000)


@pytest.mark.parametrize(
    ("straight_km", "reference_minutes"),
    [(82, 100), (61, 70), (34, 50), (37, 60), (74, 90)],  # sourced road links, links.csv
)
def test_offline_model_is_close_to_the_reference_durations(
    straight_km: float, reference_minutes: int
) -> None:
    assert abs(road_minutes(straight_km) - reference_minutes) <= 0.15 * reference_minutes


def test_offline_matrix_is_symmetric_with_zero_diagonal() -> None:
    m = OfflineTravel().matrix([HOTEL, YULONG, MUSEUM])
    assert [m[i][i] for i in range(3)] == [0, 0, 0]
    assert m[0][1] == m[1][0] > m[0][2] > 0


def test_stored_links_override_the_estimate(engine: Engine) -> None:
    with session_scope(engine) as session:
        overrides = stored_road_minutes(session)
    assert overrides[("cf_hotel_hongshan", "cf_yulong_shahu")] == 100
    assert overrides[("cf_yulong_shahu", "cf_hotel_hongshan")] == 100  # bidirectional
    m = WithOverrides(OfflineTravel(), {("a", "b"): 7}).matrix(
        [Point("a", 42.0, 119.0), Point("b", 42.5, 119.5)]
    )
    assert m[0][1] == 7 and m[1][0] == road_minutes(haversine_km(42.0, 119.0, 42.5, 119.5))


class FakeOSRM(BaseHTTPRequestHandler):
    """Speaks the OSRM table protocol: durations in seconds at 60 km/h straight line."""

    requests: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        FakeOSRM.requests.append(self.path)
        parts = urlsplit(self.path).path.split("/")
        if parts[1:4] != ["table", "v1", "driving"]:
            self.send_error(404)
            return
        coords = [tuple(map(float, c.split(","))) for c in parts[4].split(";")]
        durations = [[haversine_km(a[1], a[0], b[1], b[0]) * 60 for b in coords] for a in coords]
        body = json.dumps({"code": "Ok", "durations": durations}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def osrm_url() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeOSRM)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    FakeOSRM.requests = []
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_osrm_table_is_used_and_cached(osrm_url: str) -> None:
    osrm = OSRMTravel(osrm_url)
    m = osrm.matrix([HOTEL, YULONG])
    expected = math.ceil(haversine_km(HOTEL.lat, HOTEL.lon, YULONG.lat, YULONG.lon))
    assert m == [[0, expected], [expected, 0]]
    assert osrm.matrix([HOTEL, YULONG]) == m
    assert len(FakeOSRM.requests) == 1
    assert FakeOSRM.requests[0].startswith("/table/v1/driving/118.9636,42.2683;119.338,42.985")


def test_osrm_failure_is_a_travel_error(osrm_url: str) -> None:
    with pytest.raises(TravelError):
        OSRMTravel(osrm_url, profile="walking").matrix([HOTEL, YULONG])
    with pytest.raises(TravelError):
        OSRMTravel("http://127.0.0.1:9", timeout=0.5).matrix([HOTEL, YULONG])


def test_configured_provider_falls_back_offline_when_osrm_fails(
    engine: Engine, osrm_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.settings import get_settings
    from app.travel import travel_times

    for url, expected_requests in ((osrm_url, 1), ("http://127.0.0.1:9", 0)):
        monkeypatch.setenv("OSRM_URL", url)
        get_settings.cache_clear()
        FakeOSRM.requests = []
        with session_scope(engine) as session:
            m = travel_times(session).matrix([HOTEL, YULONG, MUSEUM])
        assert m[0][1] == 100  # the stored link wins either way
        assert len(FakeOSRM.requests) == expected_requests
        if expected_requests == 0:  # offline model answered
            assert m[0][2] == road_minutes(
                haversine_km(HOTEL.lat, HOTEL.lon, MUSEUM.lat, MUSEUM.lon)
            )
    get_settings.cache_clear()
