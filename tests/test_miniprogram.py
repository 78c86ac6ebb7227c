"""The typings checker reads the extract as the package declares it and catches a payload
the mini-program would not take, one way at a time."""

import copy
from collections.abc import Callable
from typing import Any

import pytest

from app.planning import wechat_map
from tests import documents
from tests.miniprogram import Member, check_wechat_map, typings

MUSEUM, PARK = (42.2946, 118.9476), (42.2871, 118.9823)


def test_the_extract_is_read_as_declared() -> None:
    assert typings()["MapPostion"] == {
        "latitude": Member("latitude", "number", False),
        "longitude": Member("longitude", "number", False),
    }
    points = typings()["IncludePointsOption"]
    assert points["points"] == Member("points", "MapPostion[]", False)
    assert points["padding"] == Member("padding", "number[]", True)
    for event in ("MarkerTap", "LabelTap", "CalloutTap"):  # e.detail of each
        assert typings()[event] == {"markerId": Member("markerId", "number", False)}
    assert typings()["TranslateMarkerOption"]["destination"].type == "DestinationOption"
    assert typings()["AddMarkersOption"]["markers"].type == "any[]"


def _payload() -> dict[str, Any]:
    stops = [
        documents.stop("cf_museum", MUSEUM, "wgs84"),
        documents.stop("cf_park", PARK, "wgs84"),
    ]
    return wechat_map.build(documents.itinerary("wgs84", [stops]), {}).model_dump(mode="json")


def _parent(payload: dict[str, Any], path: str) -> tuple[Any, Any]:
    """The container of the item at a dotted path (list indexes as numbers), and its key."""
    *parents, last = (int(k) if k.isdigit() else k for k in path.split("."))
    for key in parents:
        payload = payload[key]
    return payload, last


def _set(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def tamper(payload: dict[str, Any]) -> None:
        target, key = _parent(payload, path)
        target[key] = value

    return tamper


def _drop(path: str) -> Callable[[dict[str, Any]], None]:
    def tamper(payload: dict[str, Any]) -> None:
        target, key = _parent(payload, path)
        del target[key]

    return tamper


def test_a_built_payload_passes() -> None:
    assert check_wechat_map(_payload()) == []


@pytest.mark.parametrize(
    ("tamper", "problem"),
    [
        (_set("markers.0.id", "1"), "markers[0].id: '1' is not a number"),
        (_set("markers.1.id", 1), "markers: ids [1, 1] are not distinct"),
        (_set("stops.0.markerId", 9), "stops[0]: marker 9 does not exist"),
        (_set("includePoints.0.lat", 42.0), "includePoints[0]: 'lat' is not a member"),
        (_drop("center.longitude"), "center: longitude (MapPostion) is missing"),
        (_set("polyline.0.points.1.latitude", "42.3"), "polyline[0].points[1].latitude: '42.3'"),
        (_set("includePoints", {}), "includePoints.points: {} is not an array"),
        (_drop("markers.0.iconPath"), "markers[0]: iconPath is missing"),
        (_set("markers.0.icon", "/a.png"), "markers[0]: 'icon' is not a documented field"),
        (_set("markers.0.callout.bgcolor", "#FFFFFF"), "markers[0].callout: 'bgcolor' is not"),
        (_set("markers.0.callout.display", "always"), "markers[0].callout.display: not one of"),
        (_set("polyline.0.color", "#4E79A7"), "polyline[0].color: '#4E79A7' is not #RRGGBBAA"),
        (_set("polyline.0.dotted", True), "polyline[0]: 'dotted' is not a documented field"),
    ],
)  # fmt: skip
def test_a_tampered_payload_is_caught(
    tamper: Callable[[dict[str, Any]], None], problem: str
) -> None:
    payload = copy.deepcopy(_payload())
    tamper(payload)
    problems = check_wechat_map(payload)
    assert any(p.startswith(problem) for p in problems), problems
