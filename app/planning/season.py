"""Whether a fixed itinerary works on other dates: the same nights, the same stops in the
same order, re-timed on each date of a season against that date's opening hours, dated
closures, holidays and timetables.

The timing is the independent checker's (`solver.check.time_tour`), not the search's: a
package is published on what a traveller will meet, and the check must not share a bug
with the optimiser that made it.
"""

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date, timedelta
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from app.errors import InvalidInput
from app.holiday_calendar import CalendarStatus
from app.planning import build
from app.planning.document import Itinerary, StopKind
from app.schemas import Lang
from app.services.spots import opening_on
from solver.check import time_tour
from solver.problem import Problem

MAX_SEASON_DAYS = 366


class Breaks(StrEnum):
    """What stops a package on a date: `closure` (a dated closure of a spot), `closed` (no
    hours that day: the season or the weekday), `hours` (open, but the day's stops no longer
    fit their hours or the day), `timetable` (the scheduled ride does not run), `removed`
    (a spot no longer in the data)."""

    closure = "closure"
    closed = "closed"
    hours = "hours"
    timetable = "timetable"
    removed = "removed"


class _Doc(BaseModel):
    model_config = ConfigDict(extra="forbid")


class DateProblem(_Doc):
    kind: Breaks
    day: int = Field(ge=1, description="The package's day it breaks on")
    place_id: str | None = Field(description="The spot or the ride's link, when one is at fault")
    text: str = Field(description="What breaks, in the package's language")


class BrokenDate(_Doc):
    """A start date on which the package does not work, and why."""

    date: date
    problems: list[DateProblem] = Field(min_length=1)


class SeasonCheck(_Doc):
    start: date
    end: date
    works: list[date] = Field(description="Start dates on which every day works")
    provisional: list[date] = Field(
        description="Of `works`, those whose trip meets a year with no official holiday "
        "schedule yet (the statutory rules' guess): to be confirmed once it is published"
    )
    breaks: list[BrokenDate]


TEXT = {  # (zh, en)
    Breaks.closure: ("{name} 当日闭园（{note}）", "{name} is closed that day ({note})"),
    Breaks.closed: ("{name} 当日不开放", "{name} has no opening hours that day"),
    Breaks.hours: (
        "第 {day} 天的行程在当日开放时间内排不下",
        "day {day} no longer fits the hours",
    ),
    Breaks.timetable: ("{name} 当日不运行", "{name} does not run that day"),
    Breaks.removed: ("{name} 已不在数据中", "{name} is no longer in the data"),
}


def _problem(
    kind: Breaks, day: int, place_id: str | None, lang: Lang, **names: str
) -> DateProblem:
    text = TEXT[kind][0 if lang is Lang.zh else 1].format(day=day, **names)
    return DateProblem(kind=kind, day=day, place_id=place_id, text=text)


def _fits(problem: Problem, tour: int, visits: list[int]) -> bool:
    """Some place of the lunch break lets the tour's visits keep their order in time."""
    spots = [None] if problem.tours[tour].break_ is None else range(len(visits) + 1)
    return any(not isinstance(time_tour(problem, tour, visits, k), str) for k in spots)


def _day_routes(doc: Itinerary) -> list[tuple[list[list[str]], str | None]]:
    """Per day: its spots split into tours (two around a scheduled ride) and the ride's
    service code."""
    out = []
    for day in doc.days:
        tours: list[list[str]] = [[]]
        ride = None
        for stop in day.stops:
            if stop.service_code is not None:
                ride = stop.service_code
                tours.append([])
            if stop.kind is StopKind.spot:
                tours[-1].append(stop.place_id)
        out.append((tours, ride))
    return out


def check_date(data: build.PlanData, doc: Itinerary, start: date) -> list[DateProblem]:
    """What breaks when the package starts on `start` (nothing: it works). `data` is loaded
    for the package's request with its spots kept (`prefer`)."""
    req = doc.request.model_copy(update={"start_date": start})
    lang = req.lang
    views = {v.spot.id: v for v in data.spots}
    names = {
        sid: v.spot.name_zh if lang is Lang.zh else v.spot.name_en for sid, v in views.items()
    }
    routes = _day_routes(doc)
    problems: list[DateProblem] = []
    wanted = [sid for tours, _ in routes for tour in tours for sid in tour]
    for d, (tours, _) in enumerate(routes):
        day = start + timedelta(days=d)
        for sid in (s for tour in tours for s in tour):
            view = views.get(sid)
            if view is None:
                problems.append(_problem(Breaks.removed, d + 1, sid, lang, name=sid))
                continue
            opening = opening_on(view, day)
            if opening.closure is not None:
                note = opening.closure.reason or ""
                problems.append(
                    _problem(Breaks.closure, d + 1, sid, lang, name=names[sid], note=note)
                )
            elif not opening.windows:
                problems.append(_problem(Breaks.closed, d + 1, sid, lang, name=names[sid]))
    if problems:
        return problems
    kept = [views[sid] for sid in dict.fromkeys(wanted)]
    dated = replace(data, request=req, spots=kept)
    nights = tuple(d.night_place_id for d in doc.days[:-1] if d.night_place_id)
    try:
        skeletons = build.day_specs(dated, nights)
    except InvalidInput:
        return [_problem(Breaks.hours, 1, None, lang)]
    trip, specs = build.trip(dated, skeletons)
    index = {v.spot.id: j for j, v in enumerate(kept)}
    for d, (tours, ride) in enumerate(routes):
        options = [
            i
            for i, s in enumerate(specs)
            if s.day == start + timedelta(days=d)
            and (s.ride.service_code if s.ride else None) == ride
            and len(trip.options[i].tours) == len(tours)
        ]
        if not options:
            assert ride is not None  # a day without a ride always has its option
            problems.append(_problem(Breaks.timetable, d + 1, None, lang, name=ride))
            continue
        if not any(_day_fits(trip.problem([i]), tours, index) for i in options):
            problems.append(_problem(Breaks.hours, d + 1, None, lang))
    return problems


def _day_fits(problem: Problem, tours: list[list[str]], index: dict[str, int]) -> bool:
    return all(_fits(problem, t, [index[s] for s in tour]) for t, tour in enumerate(tours))


def check_season(data: build.PlanData, doc: Itinerary, start: date, end: date) -> SeasonCheck:
    """Every start date from `start` to `end`."""
    works, provisional, breaks = [], [], []
    for day in _dates(start, end):
        problems = check_date(data, doc, day)
        if problems:
            breaks.append(BrokenDate(date=day, problems=problems))
            continue
        works.append(day)
        trip = (day + timedelta(days=d) for d in range(doc.request.days))
        if any(data.calendar.status(t.year) is CalendarStatus.provisional for t in trip):
            provisional.append(day)
    return SeasonCheck(start=start, end=end, works=works, provisional=provisional, breaks=breaks)


def unworkable(start: date, end: date, lang: Lang, why: str) -> SeasonCheck:
    """The check of a package whose request no longer loads (a pinned spot or its hotel
    area deleted): every date broken, saying why."""
    problem = DateProblem(
        kind=Breaks.removed,
        day=1,
        place_id=None,
        text=why if lang is Lang.en else f"行程所需的数据已不存在：{why}",
    )
    return SeasonCheck(
        start=start,
        end=end,
        works=[],
        provisional=[],
        breaks=[BrokenDate(date=d, problems=[problem]) for d in _dates(start, end)],
    )


def _dates(start: date, end: date) -> Iterable[date]:
    return (start + timedelta(days=k) for k in range((end - start).days + 1))


def spots_of(doc: Itinerary) -> Sequence[str]:
    return [s.place_id for day in doc.days for s in day.stops if s.kind is StopKind.spot]
