"""GTFS feeds (rail and coach timetables) -> transit links with departures, via gtfs-kit.

Every GTFS stop must be one of our hubs or spots (its `stop_id`, or its `stop_code`); a
link is made for each ordered pair of stops a trip serves, per route, with one departure
per trip and the trip's service days from `calendar.txt`. Added dates in
`calendar_dates.txt` become one-day departures; removed dates cannot be expressed yet and
are reported as warnings.
"""

import hashlib
import io
import re
import tempfile
import zipfile
from collections import defaultdict
from datetime import date, time, timedelta
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlmodel import Session

from app.errors import ImportRejected, InvalidInput, validation_errors
from app.models import Hub, Mode, Spot, TransitLink
from app.schemas import LinkIn
from app.services import edits
from app.services.access import Principal, check_city_write
from app.services.audit import record
from app.services.imports import ImportReport, Progress, RowError
from app.services.links import link_cities

DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
ABBR = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")


def _mode(route_type: int) -> Mode | None:
    if route_type == 2 or 100 <= route_type <= 117:
        return Mode.rail
    if route_type == 3 or 200 <= route_type <= 209 or 700 <= route_type <= 716:
        return Mode.bus
    if 1100 <= route_type <= 1114:
        return Mode.air
    return None


def _clock(value: str) -> tuple[time, int]:
    """GTFS times may pass 24:00 for trips after midnight."""
    h, m, _s = (int(x) for x in value.split(":"))
    return time(h % 24, m), h // 24


def _days(flags: list[int]) -> str:
    return ",".join(a for a, on in zip(ABBR, flags, strict=True) if on) or ""


def _timed(call: dict) -> bool:
    """GTFS may leave times blank at stops between timepoints; those are skipped."""
    return all(
        isinstance(call.get(k), str) and call[k].strip()
        for k in ("arrival_time", "departure_time")
    )


def _shift_days(days: str, offset: int) -> str:
    on = {ABBR.index(d) for d in days.split(",")}
    return ",".join(ABBR[i] for i in range(7) if (i - offset) % 7 in on)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9_]+", "_", text.lower()).strip("_")


class _LinkIds:
    """One id per (route, from, to): the readable slug when it fits in 64 characters and
    no other triple of the feed has it, else a shortened slug and a digest of the triple.
    A cut-off slug would merge the links of long-named routes, or reach a link this
    feed never meant (a link of another city)."""

    MAX = 64

    def __init__(self) -> None:
        self._owner: dict[str, tuple[str, str, str]] = {}

    def __call__(self, route_id: str, from_id: str, to_id: str) -> str:
        triple = (route_id, from_id, to_id)
        link_id = _slug(f"gtfs_{route_id}_{from_id}_{to_id}")
        if len(link_id) > self.MAX or self._owner.setdefault(link_id, triple) != triple:
            digest = hashlib.sha256("\0".join(triple).encode()).hexdigest()[:12]
            link_id = f"{link_id[: self.MAX - len(digest) - 1]}_{digest}"
        return link_id


def _gtfs_date(value: Any) -> date:
    s = str(value)
    return date(int(s[:4]), int(s[4:6]), int(s[6:8]))


MAX_UNZIPPED_BYTES = 200 * 1024 * 1024  # a zip bomb stops here, before pandas reads it


def read_feed(data: bytes) -> Any:
    import gtfs_kit  # heavy (pandas, geopandas): imported only when a feed is read

    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        if sum(info.file_size for info in zf.infolist()) > MAX_UNZIPPED_BYTES:
            raise ValueError(f"the feed unpacks to more than {MAX_UNZIPPED_BYTES} bytes")

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "feed.zip"
        path.write_bytes(data)
        return gtfs_kit.read_feed(path, dist_units="km")


def import_gtfs(
    session: Session,
    who: Principal | None,
    data: bytes,
    *,
    dry_run: bool,
    progress: Progress | None = None,
) -> ImportReport:
    principal = check_city_write(who, set())
    if not data:
        raise InvalidInput(["body"], "send the GTFS zip as the request body")
    report = ImportReport(kind="link", dry_run=dry_run)
    try:
        feed = read_feed(data)
    except Exception as exc:  # a broken zip or CSV is bad input, not a server error
        report.errors.append(
            RowError(0, "feed", f"not a readable GTFS zip ({type(exc).__name__})")
        )
        if dry_run:
            return report
        raise ImportRejected(report) from None
    for name in ("stops", "routes", "trips", "stop_times"):
        if getattr(feed, name, None) is None:
            report.errors.append(RowError(0, f"{name}.txt", "missing from the feed"))
    if report.errors:
        if dry_run:
            return report
        raise ImportRejected(report)

    try:
        links = _links_from_feed(session, feed, report, progress)
    except (ValueError, TypeError, KeyError) as exc:
        report.errors.append(
            RowError(0, "feed", f"a value the feed cannot have: {type(exc).__name__}")
        )
        links = {}
    docs: list[LinkIn] = []
    for n, raw in enumerate(links.values(), start=1):
        try:
            doc = LinkIn.model_validate(raw)
        except ValidationError as exc:
            e = validation_errors(exc.errors())[0]
            report.errors.append(
                RowError(n, "link." + ".".join(str(p) for p in e["loc"]), e["msg"])
            )
            continue
        stored = session.get(TransitLink, doc.id)
        cities = link_cities(session, doc) | (link_cities(session, stored) if stored else set())
        if principal.city_id is not None and cities - {principal.city_id}:
            report.errors.append(
                RowError(
                    n,
                    "link",
                    f"{doc.id} reaches {', '.join(sorted(cities))}: "
                    f"a {principal.city_id} bureau may not import it",
                )
            )
            continue
        docs.append(doc)
    if report.errors:
        if dry_run:
            return report
        raise ImportRejected(report)

    for n, doc in enumerate(docs, start=1):
        row = session.get(TransitLink, doc.id)
        if row is not None and row.deleted_at is not None:
            report.errors.append(RowError(n, "link", f"{doc.id} is deleted; restore it first"))
    if report.errors:
        if dry_run:
            return report
        raise ImportRejected(report)
    for doc in docs:
        row = session.get(TransitLink, doc.id)
        before = (
            edits.LINK.state(edits.LINK.view(session, doc.id))
            if row is not None and row.deleted_at is None
            else None
        )
        bucket = (
            report.add
            if before is None
            else (report.unchanged if before.model_dump() == doc.model_dump() else report.change)
        )
        bucket.append(doc.id)
        cities = link_cities(session, doc) | (link_cities(session, row) if row else set())
        if not dry_run and edits.LINK.upsert(session, doc, ("body",)):
            record(
                session,
                principal,
                "create" if before is None else "update",
                "link",
                doc.id,
                cities,
                before.model_dump(mode="json") if before else None,
                doc.model_dump(mode="json"),
            )
    return report


def _links_from_feed(
    session: Session, feed: Any, report: ImportReport, progress: Progress | None
) -> dict[str, dict[str, Any]]:
    """Feed tables -> link documents; bad rows go to the report."""
    # Stops -> our places.
    places: dict[str, str] = {}
    for n, stop in enumerate(feed.stops.to_dict("records"), start=1):
        candidates = [str(stop.get("stop_id")), str(stop.get("stop_code") or "")]
        place = next((c for c in candidates if session.get(Hub, c) or session.get(Spot, c)), None)
        if place is None:
            report.errors.append(
                RowError(
                    n,
                    "stops.txt:stop_id",
                    f"unknown stop {stop.get('stop_id')!r}: no hub or spot has this id or code",
                )
            )
        else:
            places[str(stop["stop_id"])] = place

    routes = {str(r["route_id"]): r for r in feed.routes.to_dict("records")}
    modes: dict[str, Mode] = {}
    for n, (route_id, route) in enumerate(routes.items(), start=1):
        mode = _mode(int(route["route_type"]))
        if mode is None:
            report.errors.append(
                RowError(
                    n, "routes.txt:route_type", f"unsupported route_type {route['route_type']}"
                )
            )
        else:
            modes[route_id] = mode

    calendar: dict[str, tuple[str, date | None, date | None]] = {}
    if getattr(feed, "calendar", None) is not None:
        for c in feed.calendar.to_dict("records"):
            flags = [int(c[d]) for d in DAYS]
            calendar[str(c["service_id"])] = (
                _days(flags),
                _gtfs_date(c["start_date"]),
                _gtfs_date(c["end_date"]),
            )
    added: dict[str, list[date]] = defaultdict(list)
    if getattr(feed, "calendar_dates", None) is not None:
        for c in feed.calendar_dates.to_dict("records"):
            if int(c["exception_type"]) == 1:
                added[str(c["service_id"])].append(_gtfs_date(c["date"]))
            else:
                report.warnings.append(
                    f"service {c['service_id']} removed on {c['date']}: removals are not applied"
                )

    stop_times: dict[str, list[dict]] = defaultdict(list)
    for st in feed.stop_times.to_dict("records"):
        stop_times[str(st["trip_id"])].append(st)

    links: dict[str, dict[str, Any]] = {}
    link_id_of = _LinkIds()
    trips = feed.trips.to_dict("records")
    for n, trip in enumerate(trips, start=1):
        route_id, service_id = str(trip["route_id"]), str(trip["service_id"])
        if route_id not in modes:
            continue
        if service_id not in calendar and service_id not in added:
            report.errors.append(
                RowError(n, "trips.txt:service_id", f"service {service_id!r} has no calendar")
            )
            continue
        calls = sorted(
            (c for c in stop_times[str(trip["trip_id"])] if _timed(c)),
            key=lambda c: int(c["stop_sequence"]),
        )
        if any(str(c["stop_id"]) not in places for c in calls):
            continue  # its unknown stop is already reported
        code = str(
            trip.get("trip_short_name")
            or routes[route_id].get("route_short_name")
            or trip["trip_id"]
        )[:32]
        for i, a in enumerate(calls):
            for b in calls[i + 1 :]:
                departs, d_off = _clock(str(a["departure_time"]))
                arrives, a_off = _clock(str(b["arrival_time"]))
                from_id, to_id = places[str(a["stop_id"])], places[str(b["stop_id"])]
                link_id = link_id_of(route_id, from_id, to_id)
                link = links.setdefault(
                    link_id,
                    {
                        "id": link_id,
                        "mode": modes[route_id],
                        "service": "gtfs",
                        "from_id": from_id,
                        "to_id": to_id,
                        "bidirectional": False,
                        "estimated": False,
                        "duration_min": max(
                            1,
                            (a_off - d_off) * 1440
                            + (arrives.hour * 60 + arrives.minute)
                            - (departs.hour * 60 + departs.minute),
                        ),
                        "frequency": "timetable (GTFS)",
                        "source": "GTFS import",
                        "notes": str(
                            routes[route_id].get("route_long_name")
                            or routes[route_id].get("route_short_name")
                            or ""
                        ),
                        "departures": [],
                    },
                )
                base = {
                    "service_code": code,
                    "departs": departs,
                    "arrives": arrives,
                    "arrives_day_offset": a_off - d_off,
                }
                if service_id in calendar:
                    days, start, end = calendar[service_id]
                    if days:
                        # A trip leaving after midnight runs on the next days.
                        link["departures"].append({
                            **base, "days": _shift_days(days, d_off),
                            "valid_from": start + timedelta(days=d_off) if start else None,
                            "valid_to": end + timedelta(days=d_off) if end else None,
                        })  # fmt: skip
                for day in (d + timedelta(days=d_off) for d in added.get(service_id, [])):
                    link["departures"].append(
                        {**base, "days": ABBR[day.weekday()], "valid_from": day, "valid_to": day}
                    )
        if progress:
            progress(n, len(trips))

    return links
