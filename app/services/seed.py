"""The seed loader: project data files -> validated upserts, all in one transaction.

Rows go through the API's input schemas and services, so a seed row obeys exactly the
rules an API write does. Blank hours, tickets and visit times are filled from
`category_defaults.json` and marked `category_default`.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from sqlalchemy import select
from sqlmodel import Session, col

from app.errors import validation_errors
from app.models import Basis, Role, Spot
from app.schemas import CityIn, HubIn, LinkIn, SpotIn
from app.services.access import Principal
from app.services.audit import record
from app.services.hubs import upsert_hub
from app.services.links import link_cities, upsert_link
from app.services.places import upsert_city
from app.services.spots import upsert_spot

SEED_DIR = Path(__file__).resolve().parents[2] / "seed_data"
Progress = Callable[[int, int, str], None]
M = TypeVar("M", bound=BaseModel)


class SeedError(ValueError):
    def __init__(self, errors: list[dict[str, Any]]) -> None:
        super().__init__(f"{len(errors)} invalid seed rows")
        self.errors = errors


@dataclass
class SeedReport:
    written: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)

    @property
    def total_written(self) -> int:
        return sum(self.written.values())


@dataclass
class SeedSet:
    cities: list[CityIn]
    spots: list[SpotIn]
    hubs: list[HubIn]
    links: list[LinkIn]

    def __len__(self) -> int:
        return len(self.cities) + len(self.spots) + len(self.hubs) + len(self.links)


def _read(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return json.load(fh)


def _default(rules: list[dict[str, Any]], categories: list[str]) -> Any:
    for rule in rules:
        if not rule["categories"] or set(rule["categories"]) & set(categories):
            return rule["value"]
    raise ValueError("category_defaults.json needs a catch-all rule (empty categories)")


def load_category_defaults(root: Path = SEED_DIR) -> dict[str, Any]:
    return json.loads((root / "category_defaults.json").read_text(encoding="utf-8"))


def with_defaults(row: dict[str, Any], defaults: dict[str, Any]) -> dict[str, Any]:
    """Fill blank hours, ticket and visit time from the category defaults, marked as such."""
    row = dict(row)
    cats = [c for c in row.get("categories") or [] if isinstance(c, str)]
    for key, basis in (("opening_hours", "hours_basis"), ("ticket_cny", "ticket_basis")):
        if row.get(key) is None:
            row[key] = _default(defaults[key], cats)
            row[basis] = Basis.category_default.value
    if row.get("visit_minutes") is None:
        row["visit_minutes"] = _default(defaults["visit_minutes"], cats)
    return row


def read_seed(root: Path = SEED_DIR) -> SeedSet:
    """Parse and validate every seed file; raise `SeedError` listing all bad rows."""
    errors: list[dict[str, Any]] = []
    defaults = load_category_defaults(root)

    def parse(model: type[M], rel: str, prepare: Callable[[dict], dict] = lambda r: r) -> list[M]:
        out: list[M] = []
        for i, row in enumerate(_read(root / rel)):
            try:
                out.append(model.model_validate(prepare(row)))
            except ValidationError as exc:
                errors.extend(
                    {"loc": e["loc"], "msg": e["msg"], "type": e["type"]}
                    for e in validation_errors(exc.errors(), (rel, i))
                )
        return out

    cities = parse(CityIn, "cities.json")
    city_dirs = sorted(
        p.name for p in root.iterdir() if p.is_dir() and (p / "spots.json").exists()
    )
    spots = [
        s
        for c in city_dirs
        for s in parse(SpotIn, f"{c}/spots.json", lambda r: with_defaults(r, defaults))
    ]
    hubs = [h for c in city_dirs for h in parse(HubIn, f"{c}/hubs.json")]
    links = parse(LinkIn, "links.json")
    if errors:
        raise SeedError(errors)
    return SeedSet(cities, spots, hubs, links)


SEED = Principal(key_id=None, name="seed", role=Role.admin)


def _cities_of(session: Session, item: BaseModel) -> set[str]:
    if isinstance(item, CityIn):
        return {item.id}
    if isinstance(item, LinkIn):
        return link_cities(session, item)
    city_id = getattr(item, "city_id", None)
    return {city_id} if city_id else set()


def apply_seed(session: Session, seed: SeedSet, progress: Progress | None = None) -> SeedReport:
    """Upsert everything in order (cities before places before links); flushes only."""
    report = SeedReport()
    total, done = len(seed), 0
    steps: list[tuple[str, str, list[Any], Callable[..., bool]]] = [
        ("cities", "city", seed.cities, lambda s, r, loc: upsert_city(s, r)),
        ("spots", "spot", seed.spots, upsert_spot),
        ("hubs", "hub", seed.hubs, upsert_hub),
        ("links", "link", seed.links, upsert_link),
    ]
    for kind, entity, items, upsert in steps:
        for i, item in enumerate(items):
            changed = upsert(session, item, (kind, i))
            if changed:
                record(session, SEED, "seed", entity, item.id, _cities_of(session, item), None,
                       item.model_dump(mode="json"))  # fmt: skip
            bucket = report.written if changed else report.unchanged
            bucket[kind] = bucket.get(kind, 0) + 1
            done += 1
            if progress:
                progress(done, total, kind)
    return report


def database_is_empty(session: Session) -> bool:
    return session.scalar(select(col(Spot.id)).limit(1)) is None
