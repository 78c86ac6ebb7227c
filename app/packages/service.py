"""Featured route packages: generated together by the trip optimiser, checked against every
date of their season, curated and published by marketers, re-checked when a bureau
changes a spot they visit.

A package publishes one stored itinerary (re-optimising points it at a new one); its
season check re-times those same stops on every start date of the season.
"""

import uuid
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from sqlalchemy import Engine, select
from sqlmodel import Session, col

from app.db import session_scope
from app.errors import AppError, Conflict, Forbidden, InvalidInput, NotFound
from app.models import Category, City, PackageStatus, Role, Spot
from app.models import Package as PackageRow
from app.packages.document import Flag, Package, Texts
from app.planning import build, season
from app.planning import service as planning
from app.planning.document import Itinerary
from app.planning.request import Endpoint, Pace, PlanRequest, TravelMode
from app.schemas import Bool, Float, Int, Lang, Slugs, TripDate
from app.services.access import Principal, require
from app.services.etags import check_if_match, etag
from app.settings import today

MAX_COUNT = 5
MIDWEEK = 2  # Wednesday: a package is planned on its season's first one (fewest weekday closures)
STARTS, ENDS = time(9, 0), time(17, 0)  # at the first city's hotel area, the last one's


class Season(BaseModel):
    model_config = ConfigDict(extra="forbid")

    start: TripDate = Field(description="First start date the package is sold for")
    end: TripDate = Field(description="Last start date")

    @model_validator(mode="after")
    def _ordered(self) -> "Season":
        if self.start < (now := today()):
            raise InvalidInput(["body", "season", "start"], f"{self.start} is past (today {now})")
        if self.end < self.start:
            raise InvalidInput(["body", "season", "end"], "the season ends before it starts")
        if (self.end - self.start).days >= season.MAX_SEASON_DAYS:
            raise InvalidInput(
                ["body", "season", "end"], f"a season is at most {season.MAX_SEASON_DAYS} days"
            )
        return self


class GenerateRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    theme: dict[Category, Float] = Field(
        default_factory=dict, description="Category weights, 1 = neutral (0 to 5)"
    )
    days: Int = Field(default=3, ge=1, le=7)
    season: Season
    cities: Slugs = Field(default_factory=lambda: ["chifeng", "tongliao"], min_length=1)
    count: Int = Field(default=3, ge=1, le=MAX_COUNT, description="Distinct packages wanted")
    pace: Pace = Pace.normal
    mode: TravelMode = TravelMode.self_drive
    lang: Lang = Field(default=Lang.zh, description="Language of the stops' names")
    time_limit_s: Float = Field(default=2.0, ge=0.2, le=10, description="Search per package")

    @model_validator(mode="after")
    def _theme_range(self) -> "GenerateRequest":
        for category, weight in self.theme.items():
            if not 0 <= weight <= 5:
                raise InvalidInput(["body", "theme", category.value], "a weight is 0 to 5")
        if len(self.cities) > 1 and self.days < 2:
            raise InvalidInput(["body", "days"], "a package of two cities needs 2 days or more")
        return self


def check_write(who: Principal | None, cities: Iterable[str]) -> Principal:
    """Admins write any package; a marketer bound to a city its city's own, a region
    marketer (no city) the joint ones."""
    p = require(who, Role.admin, Role.marketer)
    wanted = set(cities)
    if p.role is Role.marketer:
        if p.city_id is not None and wanted != {p.city_id}:
            raise Forbidden(f"a {p.city_id} marketer key writes {p.city_id}'s own packages only")
        if p.city_id is None and len(wanted) < 2:
            raise Forbidden("a region marketer key writes joint packages of both cities")
    return p


def plan_date(start: date, end: date) -> date:
    """The season's first Wednesday (its start when it has none)."""
    ahead = (MIDWEEK - start.weekday()) % 7
    first = start + timedelta(days=ahead)
    return first if first <= end else start


def _request(body: GenerateRequest, hubs: dict[str, str], start: date) -> PlanRequest:
    missing = [c for c in body.cities if c not in hubs]
    if missing:
        raise InvalidInput(["body", "cities"], f"no central hotel area in {', '.join(missing)}")
    try:
        return PlanRequest(
            start_date=start,
            days=body.days,
            arrive=Endpoint(place_id=hubs[body.cities[0]], time=STARTS),
            depart=Endpoint(place_id=hubs[body.cities[-1]], time=ENDS),
            cities=body.cities,
            interests=body.theme,
            pace=body.pace,
            mode=body.mode,
            lang=body.lang,
            time_limit_s=min(30.0, body.time_limit_s * body.count),
        )
    except ValidationError as exc:
        raise InvalidInput.of(exc) from None


def generate(
    engine: Engine, who: Principal | None, body: GenerateRequest, progress: Callable[[int], None]
) -> dict[str, Any]:
    """`count` distinct draft packages (fewer when no more distinct trips exist), stored
    with their season checks; the report names them. Solves hold no connection."""
    check_write(who, body.cities)
    assert who is not None
    start = plan_date(body.season.start, body.season.end)
    with session_scope(engine) as session:
        unknown = [c for c in body.cities if session.get(City, c) is None]
        if unknown:
            raise InvalidInput(["body", "cities"], f"unknown city {unknown[0]!r}")
        req = _request(body, build.night_hubs(session), start)
        prepared = planning.prepare(session, req)
    deadline = planning.Deadline(body.time_limit_s * body.count)
    plans = planning.distinct(prepared, deadline, body.count, progress)
    ids = []
    with session_scope(engine) as session:
        for plan in plans:
            doc = planning.store_plan(session, req, plan)
            row = _new_row(session, who, body, doc)
            ids.append(row.id)
    return {"package_ids": ids, "asked": body.count, "made": len(ids)}


def _default_titles(session: Session, cities: list[str], doc: Itinerary) -> tuple[Texts, Texts]:
    """A working title from the cities, the length and the first sights; marketers edit it."""
    rows = [session.get(City, c) for c in cities]
    zh_cities = "·".join(r.name_zh for r in rows if r is not None)
    en_cities = " & ".join(r.name_en for r in rows if r is not None)
    first = [session.get(Spot, sid) for sid in season.spots_of(doc)[:2]]
    zh_sights = "、".join(s.name_zh or s.name_en for s in first if s is not None)
    en_sights = ", ".join(s.name_en or s.name_zh for s in first if s is not None)
    days = doc.request.days
    title = Texts(zh=f"{zh_cities}{days}日 · {zh_sights}"[:100],
                  en=f"{en_cities}, {days} days: {en_sights}"[:100])  # fmt: skip
    text = Texts(
        zh=f"每晚住在中心城区，白天出发游览{len(season.spots_of(doc))}处景点。",
        en=f"Every night in a central district; day trips to {len(season.spots_of(doc))} sights.",
    )
    return title, text


def _new_row(
    session: Session, who: Principal, body: GenerateRequest, doc: Itinerary
) -> PackageRow:
    title, text = _default_titles(session, body.cities, doc)
    now = datetime.now(UTC)
    row = PackageRow(
        id=uuid.uuid4().hex,
        status=PackageStatus.draft,
        city_id=body.cities[0] if len(body.cities) == 1 else None,
        cities=body.cities,
        theme={k.value: v for k, v in body.theme.items()},
        days=body.days,
        season_start=body.season.start,
        season_end=body.season.end,
        title_zh=title.zh,
        title_en=title.en,
        description_zh=text.zh,
        description_en=text.en,
        itinerary_id=doc.id,
        spot_ids=list(season.spots_of(doc)),
        season_check=season_check(session, doc, body.season.start, body.season.end),
        flags=[],
        key_id=who.key_id,
        created_at=now,
        updated_at=now,
    )
    session.add(row)
    session.flush()
    return row


def season_check(session: Session, doc: Itinerary, start: date, end: date) -> dict[str, Any]:
    """The season check; a bureau's write that removed what the package stands on breaks
    every date (and the write goes through: the package is flagged, not the bureau)."""
    try:
        data = build.load(session, doc.request, frozenset(season.spots_of(doc)))
    except InvalidInput as exc:
        checked = season.unworkable(start, end, doc.request.lang, exc.msg)
    else:
        checked = season.check_season(data, doc, start, end)
    return checked.model_dump(mode="json")


def _city_names(session: Session, cities: list[str]) -> dict[str, dict[str, str]]:
    rows = [session.get(City, c) for c in cities]
    return {r.id: {"zh": r.name_zh, "en": r.name_en} for r in rows if r is not None}


def document(session: Session, row: PackageRow) -> Package:
    return Package.model_validate(
        {
            **row.model_dump(exclude={"title_zh", "title_en", "description_zh",
                                      "description_en", "itinerary_id", "spot_ids",
                                      "season_check", "key_id"}),
            "title": {"zh": row.title_zh, "en": row.title_en},
            "description": {"zh": row.description_zh, "en": row.description_en},
            "itinerary": planning.get(session, row.itinerary_id),
            "city_names": _city_names(session, row.cities),
            "season": row.season_check,
        }
    )  # fmt: skip


def _may_see(who: Principal | None, row: PackageRow) -> bool:
    if row.status == PackageStatus.published:
        return True
    try:
        check_write(who, row.cities)
    except AppError:  # no key, or not this package's marketer
        return False
    return True


def get_row(session: Session, who: Principal | None, package_id: str) -> PackageRow:
    """A published package for anyone; a draft or a retired one only for who may write it."""
    row = session.get(PackageRow, package_id)
    if row is None or not _may_see(who, row):
        raise NotFound(f"package {package_id!r} does not exist")
    return row


def get(session: Session, who: Principal | None, package_id: str) -> Package:
    return document(session, get_row(session, who, package_id))


def list_packages(
    session: Session,
    who: Principal | None,
    status: PackageStatus,
    theme: Category | None,
    days: int | None,
    city: str | None,
    month: int | None,
    flagged: bool | None,
    limit: int,
    offset: int,
) -> tuple[list[Package], int]:
    """The packages of a status (published for the public), newest first. `theme`: its
    weight is the package's highest; `month`: it works on a start date in that month."""
    stmt = select(PackageRow).where(col(PackageRow.status) == status)
    if days is not None:
        stmt = stmt.where(col(PackageRow.days) == days)
    rows = [r for r in session.scalars(stmt.order_by(col(PackageRow.created_at).desc()))]
    rows = [r for r in rows if _may_see(who, r)]
    if city is not None:
        rows = [r for r in rows if city in r.cities]
    if theme is not None:
        rows = [r for r in rows if r.theme and r.theme.get(theme.value) == max(r.theme.values())]
    if month is not None:
        rows = [r for r in rows if any(date.fromisoformat(d).month == month
                                       for d in r.season_check["works"])]  # fmt: skip
    if flagged is not None:
        rows = [r for r in rows if bool(r.flags) == flagged]
    return [document(session, r) for r in rows[offset : offset + limit]], len(rows)


class TextsEdit(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    zh: str | None = Field(default=None, min_length=1, max_length=100, pattern=r"^[^\x00]+$")
    en: str | None = Field(default=None, min_length=1, max_length=100, pattern=r"^[^\x00]+$")


class DescriptionEdit(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    zh: str | None = Field(default=None, max_length=2000, pattern=r"^[^\x00]*$")
    en: str | None = Field(default=None, max_length=2000, pattern=r"^[^\x00]*$")


class PackageEdit(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: TextsEdit | None = None
    description: DescriptionEdit | None = None
    status: PackageStatus | None = None
    season: Season | None = Field(default=None, description="Re-checked on every date")
    clear_flags: Bool | None = Field(default=None, description="The marketer has seen them")


def update(
    session: Session, who: Principal | None, package_id: str, edit: PackageEdit, if_match: str
) -> Package:
    """Titles, descriptions, the season (re-checked) and the status. Publishing needs a
    working date in the season and no open flag."""
    row = get_row(session, who, package_id)
    check_write(who, row.cities)
    check_if_match(if_match, row.version, required=True)
    if edit.title is not None:
        row.title_zh = edit.title.zh or row.title_zh
        row.title_en = edit.title.en or row.title_en
    if edit.description is not None:
        if edit.description.zh is not None:
            row.description_zh = edit.description.zh
        if edit.description.en is not None:
            row.description_en = edit.description.en
    if edit.season is not None:
        row.season_start, row.season_end = edit.season.start, edit.season.end
        doc = planning.get(session, row.itinerary_id)
        row.season_check = season_check(session, doc, row.season_start, row.season_end)
    if edit.clear_flags:
        row.flags = []
    if edit.status is not None:
        if edit.status is PackageStatus.published:
            _publishable(row)
        row.status = edit.status
    _touch(row)
    session.flush()
    return document(session, row)


def _publishable(row: PackageRow) -> None:
    if not row.season_check["works"]:
        raise Conflict("the package works on no date of its season: re-optimise or change it")
    if row.flags:
        raise Conflict("the package has open flags: check them, then clear them")


def _touch(row: PackageRow) -> None:
    row.version += 1
    row.updated_at = datetime.now(UTC)


class Reoptimise(BaseModel):
    model_config = ConfigDict(extra="forbid")

    pinned: Slugs = Field(default_factory=list, max_length=15, description="Stops to keep")
    drop: Slugs = Field(default_factory=list, max_length=50, description="Stops to remove")
    time_limit_s: Float = Field(default=2.0, ge=0.2, le=10)

    @model_validator(mode="after")
    def _apart(self) -> "Reoptimise":
        for i, spot_id in enumerate(self.drop):
            if spot_id in self.pinned:
                raise InvalidInput(["body", "drop", i], f"{spot_id!r} is also pinned")
        return self


def reoptimise(
    engine: Engine, who: Principal | None, package_id: str, body: Reoptimise, if_match: str
) -> Package:
    """Plan the package again with its pins as must-visits and its drops avoided, keeping
    the rest where it can; dated on its season's first Wednesday from today, re-checked."""
    with session_scope(engine) as session:
        row = get_row(session, who, package_id)
        check_write(who, row.cities)
        check_if_match(if_match, row.version, required=True)
        old = planning.get(session, row.itinerary_id)
        version = row.version
        first = max(row.season_start, today())
        if first > row.season_end:
            raise InvalidInput(["body"], "the package's season is over: change it first")
    fields = {
        "start_date": plan_date(first, row.season_end),
        "must_visit": body.pinned,
        "avoid": list(dict.fromkeys([*old.request.avoid, *body.drop])),
        "time_limit_s": body.time_limit_s,
    }
    try:
        req = PlanRequest.model_validate({**old.request.model_dump(mode="json"), **fields})
    except ValidationError as exc:
        raise InvalidInput.of(exc) from None
    kept = frozenset(season.spots_of(old)) - set(body.drop)
    doc = planning.plan(engine, req, kept, log=False)
    with session_scope(engine) as session:
        row = get_row(session, who, package_id)
        check_if_match(etag(version), row.version, required=True)
        row.itinerary_id = doc.id
        row.spot_ids = list(season.spots_of(doc))
        row.season_check = season_check(session, doc, row.season_start, row.season_end)
        _touch(row)
        session.flush()
        return document(session, row)


def spots_changed(session: Session, spot_ids: Iterable[str]) -> None:
    """A bureau changed these spots: re-check every package (not retired) that visits one,
    and flag it to its marketers with the start dates it lost."""
    changed = set(spot_ids)
    if not changed:
        return
    rows = session.scalars(
        select(PackageRow).where(col(PackageRow.status) != PackageStatus.retired)
    )
    for row in rows:
        hit = sorted(changed & set(row.spot_ids))
        if not hit:
            continue
        doc = planning.get(session, row.itinerary_id)
        before = set(row.season_check["works"])
        row.season_check = season_check(session, doc, row.season_start, row.season_end)
        lost = sorted(before - set(row.season_check["works"]))
        if lost:
            zh = doc.request.lang is Lang.zh
            text = (
                f"{'、'.join(hit)} 有变动：{len(lost)} 个出发日期不再可行"
                if zh
                else f"{', '.join(hit)} changed: {len(lost)} start dates no longer work"
            )
            flag = Flag(at=datetime.now(UTC), spot_id=hit[0], lost=lost, text=text)
            row.flags = [*row.flags, flag.model_dump(mode="json")]
        _touch(row)
    session.flush()
