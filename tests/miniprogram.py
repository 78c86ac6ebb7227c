"""The WeChat mini-program's official API typings read as data, and a map payload checked
against them.

`tests/fixtures/miniprogram-api-typings/` holds a verbatim extract of the npm package
`miniprogram-api-typings` 5.2.3 (see its README). The typings type the points
(`MapPostion`, used by `IncludePointsOption.points` and the polyline and `moveAlong`
paths), the marker moves (`TranslateMarkerOption`, `MoveAlongOption`) and the tap events
(`MarkerTap`, `CalloutTap`: `markerId: number`), but leave the `map` component's marker
objects `any` (`AddMarkersOption.markers: any[]`); those are checked against the field
lists of the component's documentation instead.
"""

import math
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

TYPINGS = Path(__file__).parent / "fixtures" / "miniprogram-api-typings"

# The fields the component's page documents for `markers`, a marker's `callout` and `label`,
# and `polyline` (the typings leave them `any`), with the deprecated label `x`, `y`; the names
# agree with Taro's transcription of the page (`taro-components/types/Map.d.ts`).
MAP_COMPONENT_URL = "https://developers.weixin.qq.com/miniprogram/dev/component/map.html"
MARKER_FIELDS = frozenset({
    "id", "latitude", "longitude", "title", "zIndex", "iconPath", "rotate", "alpha",
    "width", "height", "callout", "customCallout", "label", "anchor", "ariaLabel",
    "joinCluster",
})  # fmt: skip
MARKER_REQUIRED = frozenset({"latitude", "longitude", "iconPath"})  # 必填: 是
CALLOUT_FIELDS = frozenset({
    "content", "color", "fontSize", "borderRadius", "borderWidth", "borderColor",
    "bgColor", "padding", "display", "textAlign", "anchorX", "anchorY",
})  # fmt: skip
LABEL_FIELDS = frozenset({
    "content", "color", "fontSize", "x", "y", "anchorX", "anchorY", "borderWidth",
    "borderColor", "borderRadius", "bgColor", "padding", "textAlign",
})  # fmt: skip
POLYLINE_FIELDS = frozenset({
    "points", "color", "colorList", "width", "dottedLine", "arrowLine", "arrowIconPath",
    "borderColor", "borderWidth", "level",
})  # fmt: skip
POLYLINE_REQUIRED = frozenset({"points"})
DISPLAY = frozenset({"BYCLICK", "ALWAYS"})  # callout.display
TEXT_ALIGN = frozenset({"left", "right", "center"})
RGBA = re.compile(r"#[0-9A-Fa-f]{8}")  # polyline colours: 8 hex digits, the last two alpha


@dataclass(frozen=True)
class Member:
    name: str
    type: str
    optional: bool


Declarations = dict[str, dict[str, Member]]

_DECLARATION = re.compile(r"\b(?:interface (\w+) \{|type (\w+) = CustomEvent<\{)")
_ALIAS = re.compile(r"^\s*type (\w+) = (\w+)\s*$", re.M)
_MEMBER = re.compile(r"^\s*(\w+)(\?)?:\s*(.+?)\s*$")


def parse(source: str) -> Declarations:
    """The members (`name?: type`) of each `interface Name { ... }`, of each event
    `type Name = CustomEvent<{ ... }>` (the members of its `detail`), and the aliases
    `type A = B`, by name."""
    source = re.sub(r"/\*.*?\*/", "", source, flags=re.S)
    source = re.sub(r"^\s*//.*$", "", source, flags=re.M)
    found: Declarations = {}
    for match in _DECLARATION.finditer(source):
        depth, end = 1, match.end()
        while depth:
            depth += {"{": 1, "}": -1}.get(source[end], 0)
            end += 1
        members: dict[str, Member] = {}
        for line in source[match.end() : end - 1].splitlines():
            if m := _MEMBER.match(line):
                members[m[1]] = Member(m[1], m[3], m[2] == "?")
        found[match[1] or match[2]] = members
    for alias, target in _ALIAS.findall(source):
        found[alias] = found[target]
    return found


@cache
def typings() -> Declarations:
    """Every declaration of the extract, API and events."""
    return {
        name: members
        for path in sorted(TYPINGS.glob("*.d.ts"))
        for name, members in parse(path.read_text(encoding="utf-8")).items()
    }


def conforms(value: Any, ts: str, where: str) -> list[str]:
    """Problems of a JSON value against a TypeScript type of the typings."""
    ts = ts.strip()
    if ts == "any":
        return []
    if ts.endswith("[]"):
        if not isinstance(value, list):
            return [f"{where}: {value!r} is not an array ({ts})"]
        return [p for i, v in enumerate(value) for p in conforms(v, ts[:-2], f"{where}[{i}]")]
    if ts == "number":
        number = isinstance(value, int | float) and not isinstance(value, bool)
        return [] if number and math.isfinite(value) else [f"{where}: {value!r} is not a number"]
    if ts == "string":
        return [] if isinstance(value, str) else [f"{where}: {value!r} is not a string"]
    if ts == "boolean":
        return [] if isinstance(value, bool) else [f"{where}: {value!r} is not a boolean"]
    if ts in typings():
        return check_object(value, ts, where)
    raise AssertionError(f"{where}: the typings' type {ts!r} is not understood here")


def check_object(value: Any, interface: str, where: str, exact: bool = True) -> list[str]:
    """Problems of a JSON object against an interface: a required member missing, a member
    of the wrong type, and (when `exact`) a member the interface does not declare."""
    if not isinstance(value, dict):
        return [f"{where}: {value!r} is not an object ({interface})"]
    members = typings()[interface]
    problems = [
        f"{where}: {m.name} ({interface}) is missing"
        for m in members.values()
        if not m.optional and m.name not in value
    ]
    for key, item in value.items():
        if key in members:
            problems += conforms(item, members[key].type, f"{where}.{key}")
        elif exact:
            problems.append(f"{where}: {key!r} is not a member of {interface}")
    return problems


def _fields(
    value: Any, allowed: frozenset[str], required: frozenset[str], where: str
) -> list[str]:
    """Problems of a component object against the documented field names."""
    if not isinstance(value, dict):
        return [f"{where}: {value!r} is not an object"]
    problems = [f"{where}: {k!r} is not a documented field" for k in value if k not in allowed]
    return problems + [f"{where}: {k} is missing" for k in sorted(required - value.keys())]


def check_wechat_map(payload: dict[str, Any]) -> list[str]:
    """Problems of a `GET /v1/itineraries/{id}/wechat-map` body against the typings (points,
    marker ids, include-points, the taps' `markerId`) and, where the typings say `any`, the
    component's documented fields."""
    problems = []
    points = [("center", payload["center"])]
    points += [(f"includePoints[{i}]", p) for i, p in enumerate(payload["includePoints"])]
    for n, line in enumerate(payload["polyline"]):
        points += [(f"polyline[{n}].points[{i}]", p) for i, p in enumerate(line["points"])]
    for where, point in points:
        problems += check_object(point, "MapPostion", where)
    problems += check_object(
        {"points": payload["includePoints"]}, "IncludePointsOption", "includePoints"
    )

    tap = typings()["MarkerTap"]["markerId"].type  # e.detail.markerId of bindmarkertap
    moves = ("TranslateMarkerOption", "MoveAlongOption")
    assert typings()["CalloutTap"]["markerId"].type == tap
    assert {typings()[m]["markerId"].type for m in moves} == {tap}
    ids = []
    for i, marker in enumerate(payload["markers"]):
        where = f"markers[{i}]"
        problems += conforms(marker.get("id"), tap, f"{where}.id")
        ids.append(marker.get("id"))
        position = {k: marker.get(k) for k in ("latitude", "longitude")}
        problems += check_object(position, "DestinationOption", where)  # translateMarker
    if len(set(ids)) != len(ids):
        problems.append(f"markers: ids {ids} are not distinct")
    for i, stop in enumerate(payload["stops"]):
        problems += conforms(stop["markerId"], tap, f"stops[{i}].markerId")
        if stop["markerId"] not in ids:
            problems.append(f"stops[{i}]: marker {stop['markerId']!r} does not exist")

    # The typings leave markers `any`: the documented fields then.
    assert typings()["AddMarkersOption"]["markers"].type == "any[]"
    for i, marker in enumerate(payload["markers"]):
        where = f"markers[{i}]"
        problems += _fields(marker, MARKER_FIELDS, MARKER_REQUIRED | {"id"}, where)
        for part, allowed in (("callout", CALLOUT_FIELDS), ("label", LABEL_FIELDS)):
            if part in marker:
                problems += _fields(marker[part], allowed, frozenset(), f"{where}.{part}")
        if marker.get("callout", {}).get("display", "BYCLICK") not in DISPLAY:
            problems.append(f"{where}.callout.display: not one of {sorted(DISPLAY)}")
        for part in ("callout", "label"):
            if marker.get(part, {}).get("textAlign", "left") not in TEXT_ALIGN:
                problems.append(f"{where}.{part}.textAlign: not one of {sorted(TEXT_ALIGN)}")
    for n, line in enumerate(payload["polyline"]):
        where = f"polyline[{n}]"
        problems += _fields(line, POLYLINE_FIELDS, POLYLINE_REQUIRED, where)
        for key in ("color", "borderColor"):
            if key in line and not RGBA.fullmatch(line[key]):
                problems.append(f"{where}.{key}: {line[key]!r} is not #RRGGBBAA")
    return problems
