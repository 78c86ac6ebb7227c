"""Imports: dry-run reports, all-or-nothing writes, GTFS feeds, the quality report."""

import csv
import io
import json
import zipfile

import httpx
import pytest

from app.geo import Datum, to_datum
from tests.conftest import auth

COLUMNS = [
    "id", "city_id", "district_id", "name_zh", "name_en", "lat", "lon", "categories",
    "visit_minutes", "ticket_cny", "ticket_basis", "opening_hours", "hours_basis",
]  # fmt: skip


def spot_row(i: int, **over: object) -> dict:
    row = {
        "id": f"cf_imp_{i:04d}", "city_id": "chifeng", "district_id": "cf_hongshan",
        "name_zh": f"导入景点{i}", "name_en": f"Imported spot {i}", "lat": 42.2 + i / 10000,
        "lon": 118.9, "categories": "park;culture", "visit_minutes": 60, "ticket_cny": 0,
        "ticket_basis": "published", "opening_hours": "Tu-Su 09:00-17:00", "hours_basis": "published",
    }  # fmt: skip
    return {**row, **over}


def to_csv(rows: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


async def post_csv(client: httpx.AsyncClient, rows: list[dict], token: str, dry_run: bool):
    return await client.post(
        "/v1/imports/spots",
        params={"dry_run": str(dry_run).lower()},
        content=to_csv(rows),
        headers={**auth(token), "Content-Type": "text/csv"},
    )


async def spot_count(client: httpx.AsyncClient) -> int:
    return (await client.get("/v1/spots", params={"limit": 1})).json()["count"]


async def test_one_bad_row_in_a_thousand_writes_nothing(
    client: httpx.AsyncClient, tokens: dict[str, str]
) -> None:
    rows = [spot_row(i) for i in range(1000)]
    rows[617]["opening_hours"] = "Tu-Su 9 to 5"
    r = await post_csv(client, rows, tokens["bureau_chifeng"], dry_run=False)
    assert r.status_code == 422
    body = r.json()
    assert body["report"]["errors"] == [
        {"row": 618, "field": "opening_hours", "reason": body["report"]["errors"][0]["reason"]}
    ]
    assert "opening_hours" in body["report"]["errors"][0]["reason"] or body["errors"]
    assert await spot_count(client) == 57
    rows[617]["opening_hours"] = "Tu-Su 09:00-17:00"
    ok = await post_csv(client, rows, tokens["bureau_chifeng"], dry_run=False)
    assert ok.status_code == 200 and ok.json()["written"] is True
    assert len(ok.json()["add"]) == 1000
    assert await spot_count(client) == 1057


async def test_dry_run_reports_each_kind_of_bad_row(
    client: httpx.AsyncClient, tokens: dict[str, str]
) -> None:
    museum = (await client.get("/v1/spots/cf_museum")).json()
    gcj_lat, gcj_lon = to_datum(museum["lat"], museum["lon"], Datum.gcj02)
    rows = [
        spot_row(1),
        spot_row(2, lat=39.9, lon=116.4),  # Beijing
        spot_row(3, id="cf_museum", name_zh="赤峰博物馆", lat=gcj_lat, lon=gcj_lon),
        spot_row(4, opening_hours="daily"),
        spot_row(1),  # duplicate id
        spot_row(6, city_id="tongliao", district_id="tl_horqin", lat=43.6, lon=122.2),
        spot_row(
            7, id="cf_hongshan_park", name_zh="赤峰红山公园", name_en="Hongshan Park (city park)"
        ),
    ]
    r = await post_csv(client, rows, tokens["bureau_chifeng"], dry_run=True)
    assert r.status_code == 200
    report = r.json()
    by_row = {e["row"]: (e["field"], e["reason"]) for e in report["errors"]}
    assert by_row[2][0] == "lat" and "km outside chifeng" in by_row[2][1]
    assert by_row[3][0] == "lat" and "GCJ-02" in by_row[3][1]
    assert by_row[4][0] == "opening_hours"
    assert by_row[5][0] == "id" and "duplicate" in by_row[5][1]
    assert by_row[6][0] == "city_id"
    assert report["add"] == ["cf_imp_0001"] and report["change"] == ["cf_hongshan_park"]
    assert report["written"] is False
    assert await spot_count(client) == 57


async def test_geojson_hubs_are_imported_and_audited(
    client: httpx.AsyncClient, tokens: dict[str, str]
) -> None:
    feature = {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [122.27, 43.63]},
        "properties": {
            "id": "tl_night_market",
            "kind": "evening_leisure",
            "city_id": "tongliao",
            "district_id": "tl_horqin",
            "name_zh": "夜市",
            "name_en": "Night market",
            "opening_hours": "17:00-23:00",
        },  # fmt: skip
    }
    r = await client.post(
        "/v1/imports/hubs",
        params={"dry_run": "false"},
        content=json.dumps({"type": "FeatureCollection", "features": [feature]}),
        headers={**auth(tokens["bureau_tongliao"]), "Content-Type": "application/geo+json"},
    )
    assert r.status_code == 200, r.text
    hub = (await client.get("/v1/hubs/tl_night_market")).json()
    assert (hub["lat"], hub["lon"], hub["kind"]) == (43.63, 122.27, "evening_leisure")
    log = await client.get(
        "/v1/audit", params={"entity_id": "tl_night_market"}, headers=auth(tokens["admin"])
    )
    assert [e["action"] for e in log.json()["data"]] == ["create"]


async def test_import_needs_a_writer(client: httpx.AsyncClient, tokens: dict[str, str]) -> None:
    assert (
        await post_csv(client, [spot_row(1)], tokens["marketer"], dry_run=True)
    ).status_code == 403
    r = await client.post(
        "/v1/imports/spots", content=b"id\n", headers={"Content-Type": "text/csv"}
    )
    assert r.status_code == 401


def gtfs_zip(stops: list[tuple[str, str]]) -> bytes:
    files = {
        "agency.txt": "agency_id,agency_name,agency_url,agency_timezone\na,Coach Co,https://example.invalid,Asia/Shanghai\n",
        "stops.txt": "stop_id,stop_name,stop_lat,stop_lon\n"
        + "".join(f"{sid},{name},42.0,119.0\n" for sid, name in stops),
        "routes.txt": "route_id,agency_id,route_short_name,route_long_name,route_type\nr1,a,CT,Chifeng-Tongliao coach,3\n",
        "trips.txt": "route_id,service_id,trip_id,trip_short_name\nr1,daily,t1,CT1\nr1,weekend,t2,CT2\n",
        "stop_times.txt": "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
        f"t1,07:30:00,07:30:00,{stops[0][0]},1\nt1,12:40:00,12:40:00,{stops[1][0]},2\n"
        f"t2,22:00:00,22:00:00,{stops[0][0]},1\nt2,27:10:00,27:10:00,{stops[1][0]},2\n",
        "calendar.txt": "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date\n"
        "daily,1,1,1,1,1,1,1,20261201,20270531\nweekend,0,0,0,0,0,1,1,20261201,20270531\n",
        "calendar_dates.txt": "service_id,date,exception_type\nweekend,20261231,1\ndaily,20270101,2\n",
    }  # fmt: skip
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, text in files.items():
            zf.writestr(name, text)
    return buf.getvalue()


async def test_gtfs_feed_becomes_a_link_with_departures(
    client: httpx.AsyncClient, tokens: dict[str, str]
) -> None:
    data = gtfs_zip([("cf_bus_central", "Chifeng bus station"), ("tl_bus_central", "Tongliao")])
    headers = {**auth(tokens["admin"]), "Content-Type": "application/zip"}
    dry = await client.post("/v1/imports/gtfs", content=data, headers=headers)
    assert dry.status_code == 200, dry.text
    assert dry.json()["add"] == ["gtfs_r1_cf_bus_central_tl_bus_central"]
    assert any("removed" in w for w in dry.json()["warnings"])
    real = await client.post(
        "/v1/imports/gtfs", params={"dry_run": "false"}, content=data, headers=headers
    )
    assert real.status_code == 200
    link = (await client.get("/v1/links/gtfs_r1_cf_bus_central_tl_bus_central")).json()
    assert (link["mode"], link["duration_min"], link["bidirectional"]) == ("bus", 310, False)
    deps = [
        (d["service_code"], d["departs"], d["arrives"], d["arrives_day_offset"], d["days"])
        for d in link["departures"]
    ]
    assert ("CT1", "07:30", "12:40", 0, "Mo,Tu,We,Th,Fr,Sa,Su") in deps
    assert ("CT2", "22:00", "03:10", 1, "Sa,Su") in deps
    assert ("CT2", "22:00", "03:10", 1, "Th") in deps  # the added date, 2026-12-31


async def test_gtfs_unknown_stop_and_bureau_city(
    client: httpx.AsyncClient, tokens: dict[str, str]
) -> None:
    bad = gtfs_zip([("cf_bus_central", "Chifeng"), ("naiman_stop", "Naiman")])
    r = await client.post(
        "/v1/imports/gtfs", params={"dry_run": "false"}, content=bad,
        headers={**auth(tokens["admin"]), "Content-Type": "application/zip"},
    )  # fmt: skip
    assert r.status_code == 422
    assert r.json()["report"]["errors"][0]["field"] == "stops.txt:stop_id"
    cross = gtfs_zip([("cf_bus_central", "Chifeng"), ("tl_bus_central", "Tongliao")])
    r = await client.post(
        "/v1/imports/gtfs", content=cross,
        headers={**auth(tokens["bureau_chifeng"]), "Content-Type": "application/zip"},
    )  # fmt: skip
    assert "may not import" in r.json()["errors"][0]["reason"]
    junk = await client.post(
        "/v1/imports/gtfs", content=b"not a zip",
        headers={**auth(tokens["admin"]), "Content-Type": "application/zip"},
    )  # fmt: skip
    assert junk.status_code == 200 and junk.json()["errors"][0]["field"] == "feed"


async def test_quality_report(client: httpx.AsyncClient, tokens: dict[str, str]) -> None:
    r = await client.get(
        "/v1/cities/chifeng/quality",
        params={"date": "2026-12-01"},
        headers=auth(tokens["bureau_chifeng"]),
    )
    report = r.json()
    assert "cf_reshuitang" in report["spots_without_hours"]
    far = {s["spot_id"] for s in report["spots_beyond_a_day_trip"]}
    assert "cf_ulanbutong" in far and "cf_museum" not in far
    assert {"x_rail_conv", "x_bus"} <= set(report["links_without_departures"])
    assert (await client.get("/v1/cities/chifeng/quality")).status_code == 401


async def test_a_bureau_cannot_take_over_the_other_citys_rows(
    client: httpx.AsyncClient, tokens: dict[str, str]
) -> None:
    """Re-importing a Tongliao spot as Chifeng's is a bad row, not a change of owner."""
    row = spot_row(1, id="tl_agula", name_en="hijacked")
    r = await post_csv(client, [row], tokens["bureau_chifeng"], dry_run=False)
    assert r.status_code == 422
    assert r.json()["report"]["errors"][0]["field"] == "id"
    spot = (await client.get("/v1/spots/tl_agula")).json()
    assert (spot["city_id"], spot["name_en"]) == (
        "tongliao",
        "Agula grassland & Shuanghe'er Mountain",
    )


@pytest.mark.parametrize(
    "doc",
    [
        {"type": "FeatureCollection", "features": ["x"]},
        {"type": "FeatureCollection", "features": {"a": 1}},
        {"type": "FeatureCollection", "features": [{"properties": [1], "geometry": {}}]},
        {"type": "FeatureCollection", "features": [{"properties": {"categories": [["a"]]}}]},
    ],
)
async def test_malformed_geojson_is_a_422(
    client: httpx.AsyncClient, tokens: dict[str, str], doc: dict
) -> None:
    r = await client.post(
        "/v1/imports/spots", content=json.dumps(doc),
        headers={**auth(tokens["admin"]), "Content-Type": "application/geo+json"},
    )  # fmt: skip
    assert r.status_code in (200, 422), r.text
    if r.status_code == 200:
        assert r.json()["errors"]


@pytest.mark.parametrize(
    ("url", "content", "media"),
    [
        ("/v1/imports/spots", b"", "text/csv"),
        ("/v1/imports/spots", ",".join(COLUMNS).encode() + b"\n", "text/csv"),
        ("/v1/imports/hubs", b'{"type": "FeatureCollection", "features": []}', "application/geo+json"),
        ("/v1/imports/gtfs", b"", "application/zip"),
    ],
)  # fmt: skip
async def test_an_empty_file_is_a_422(
    client: httpx.AsyncClient, tokens: dict[str, str], url: str, content: bytes, media: str
) -> None:
    """Nothing to import is a mistake the sender hears of, not an empty report."""
    r = await client.post(
        url, content=content, headers={**auth(tokens["admin"]), "Content-Type": media}
    )
    assert r.status_code == 422, r.text
    assert r.json()["errors"][0]["loc"] == ["body"]


async def test_geojson_numbers_are_json_numbers(
    client: httpx.AsyncClient, tokens: dict[str, str]
) -> None:
    """GeoJSON is JSON: a number as text is a bad row (CSV cells, text by nature, are read)."""
    props = {k: v for k, v in spot_row(1).items() if k not in ("lat", "lon")}
    doc = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [118.9, 42.2]},
                "properties": {**props, "visit_minutes": "60"},
            }
        ],
    }
    r = await client.post(
        "/v1/imports/spots", content=json.dumps(doc),
        headers={**auth(tokens["admin"]), "Content-Type": "application/geo+json"},
    )  # fmt: skip
    assert r.status_code == 200, r.text
    assert r.json()["errors"] == [
        {"row": 1, "field": "visit_minutes", "reason": "Input should be a valid integer"}
    ]
    csv_report = await post_csv(client, [spot_row(1)], tokens["admin"], dry_run=True)
    assert csv_report.json()["errors"] == [] and csv_report.json()["add"] == ["cf_imp_0001"]


def feed_zip(files: dict[str, str]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, text in files.items():
            zf.writestr(name, text)
    return buf.getvalue()


BASE_FEED = {
    "agency.txt": "agency_id,agency_name,agency_url,agency_timezone\na,Coach Co,https://example.invalid,Asia/Shanghai\n",
    "stops.txt": "stop_id,stop_name,stop_lat,stop_lon\ncf_bus_central,A,42.0,119.0\ntl_seat_daqintala,B,42.8,120.6\ntl_bus_central,C,43.6,122.2\n",
    "routes.txt": "route_id,agency_id,route_short_name,route_long_name,route_type\nn1,a,NT,Night coach,3\n",
    "trips.txt": "route_id,service_id,trip_id\nn1,mon,t1\n",
    # leaves after midnight (24:30 on Monday's service = Tuesday 00:30); the middle stop is
    # not a timepoint (blank times)
    "stop_times.txt": "trip_id,arrival_time,departure_time,stop_id,stop_sequence\nt1,24:30:00,24:30:00,cf_bus_central,1\nt1,,,tl_seat_daqintala,2\nt1,29:40:00,29:40:00,tl_bus_central,3\n",
    "calendar.txt": "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date\nmon,1,0,0,0,0,0,0,20261207,20261228\n",
}


async def test_gtfs_after_midnight_and_untimed_stops(
    client: httpx.AsyncClient, tokens: dict[str, str]
) -> None:
    headers = {**auth(tokens["admin"]), "Content-Type": "application/zip"}
    r = await client.post(
        "/v1/imports/gtfs",
        params={"dry_run": "false"},
        content=feed_zip(BASE_FEED),
        headers=headers,
    )
    assert r.status_code == 200, r.text
    assert r.json()["add"] == ["gtfs_n1_cf_bus_central_tl_bus_central"]
    link = (await client.get("/v1/links/gtfs_n1_cf_bus_central_tl_bus_central")).json()
    dep = link["departures"][0]
    assert (dep["departs"], dep["arrives"], dep["days"]) == ("00:30", "05:40", "Tu")
    assert (dep["valid_from"], dep["valid_to"]) == ("2026-12-08", "2026-12-29")
    # Deleted, then imported again: refused until restored.
    assert (
        await client.delete(f"/v1/links/{link['id']}", headers=auth(tokens["admin"]))
    ).status_code == 204
    again = await client.post("/v1/imports/gtfs", content=feed_zip(BASE_FEED), headers=headers)
    assert "restore it first" in again.json()["errors"][0]["reason"]


async def test_gtfs_with_impossible_values_is_a_report(
    client: httpx.AsyncClient, tokens: dict[str, str]
) -> None:
    feed = {
        **BASE_FEED,
        "routes.txt": "route_id,agency_id,route_short_name,route_type\nn1,a,NT,\n",
    }
    headers = {**auth(tokens["admin"]), "Content-Type": "application/zip"}
    r = await client.post("/v1/imports/gtfs", content=feed_zip(feed), headers=headers)
    assert r.status_code == 200
    assert r.json()["errors"]


async def test_a_zip_bomb_is_refused_before_reading(
    client: httpx.AsyncClient, tokens: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.services import gtfs

    monkeypatch.setattr(gtfs, "MAX_UNZIPPED_BYTES", 100)
    headers = {**auth(tokens["admin"]), "Content-Type": "application/zip"}
    r = await client.post("/v1/imports/gtfs", content=feed_zip(BASE_FEED), headers=headers)
    assert r.status_code == 200 and r.json()["errors"][0]["field"] == "feed"
