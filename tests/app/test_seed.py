"""The seed loader: complete, idempotent, validated, all-or-nothing."""

import json
import shutil
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from sqlmodel import Session

from app.db import session_scope
from app.errors import InvalidInput
from app.models import (
    AuditEntry,
    Basis,
    City,
    Departure,
    District,
    Hub,
    Spot,
    SpotCategory,
    TransitLink,
)
from app.services.seed import SEED_DIR, SeedError, apply_seed, read_seed


def counts(session: Session) -> dict[str, int]:
    return {
        m.__tablename__: session.scalar(select(func.count()).select_from(m))
        for m in (City, District, Spot, SpotCategory, Hub, TransitLink)
    }


def test_loads_all_reference_rows(empty_engine: Engine) -> None:
    """57 spots, 32 reference hubs plus 2 evening-leisure areas, 34 links."""
    with session_scope(empty_engine) as session:
        apply_seed(session, read_seed())
        c = counts(session)
    assert (c["spot"], c["hub"], c["transit_link"], c["city"]) == (57, 34, 34, 2)
    with session_scope(empty_engine) as session:
        central = session.scalars(select(District.name_zh).where(District.is_central)).all()
    assert sorted(central) == sorted(["红山区", "松山区", "元宝山区", "科尔沁区"])


def test_second_run_changes_nothing(empty_engine: Engine) -> None:
    progress: list[tuple[int, int, str]] = []
    with session_scope(empty_engine) as session:
        first = apply_seed(session, read_seed(), lambda *a: progress.append(a))
    with session_scope(empty_engine) as session:
        before = counts(session)
        second = apply_seed(session, read_seed())
        after = counts(session)
    assert first.total_written == 127
    assert second.total_written == 0
    assert before == after
    with session_scope(empty_engine) as session:
        audited = session.scalar(select(func.count()).select_from(AuditEntry))
    # One entry per row written and city it touches (each of the 6 links joining the cities
    # is in both logs), none for the no-op run.
    assert audited == 127 + 6
    assert progress[-1] == (127, 127, "links")


def test_blank_reference_values_are_marked_category_defaults(engine: Engine) -> None:
    with session_scope(engine) as session:
        reshuitang = session.get(Spot, "cf_reshuitang")
        museum = session.get(Spot, "cf_museum")
    assert reshuitang.hours_basis == Basis.category_default
    assert reshuitang.ticket_basis == Basis.category_default
    assert museum.hours_basis == Basis.published
    assert museum.opening_hours == "Tu-Su 09:00-16:30"


def _copy_seed(tmp_path: Path) -> Path:
    root = tmp_path / "seed"
    shutil.copytree(SEED_DIR, root)
    return root


def test_a_bad_row_is_reported_with_its_file_row_and_field(tmp_path: Path) -> None:
    root = _copy_seed(tmp_path)
    path = root / "tongliao" / "spots.json"
    rows = json.loads(path.read_text(encoding="utf-8"))
    rows[3]["opening_hours"] = "Mo-Fr 25:00"
    rows[5]["lat"] = 123.0
    path.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(SeedError) as info:
        read_seed(root)
    locs = [e["loc"] for e in info.value.errors]
    assert ["tongliao/spots.json", 3, "opening_hours"] in locs
    assert ["tongliao/spots.json", 5, "lat"] in locs


def test_a_domain_error_writes_nothing(empty_engine: Engine, tmp_path: Path) -> None:
    """A link to an unknown place fails the whole load: no spot or hub is left behind."""
    root = _copy_seed(tmp_path)
    path = root / "links.json"
    rows = json.loads(path.read_text(encoding="utf-8"))
    rows[-1]["to_id"] = "tl_nowhere"
    path.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    seed = read_seed(root)
    with pytest.raises(InvalidInput), session_scope(empty_engine) as session:
        apply_seed(session, seed)
    with session_scope(empty_engine) as session:
        assert counts(session)["spot"] == 0
        assert counts(session)["city"] == 0


HIGHLIGHTS = {
    "cf_asihatu": 7, "cf_dalinor": 6, "cf_hongshan_nfp": 6, "cf_museum": 6,
    "cf_hongshan_park": 0, "cf_ulanbutong": 5, "cf_yulong_shahu": 5,
    "cf_shangjing_site": 4, "cf_shangjing_museum": 4, "cf_zhongjing": 3, "cf_qingshan": 3,
    "tl_daqinggou": 7, "tl_kulun_temples": 7, "tl_tamin_chagan": 6, "tl_yinshawan": 6,
    "tl_zhalute_grassland": 6, "tl_hanshan_nr": 6, "tl_xiaozhuangyuan": 5, "tl_zhurihe": 5,
    "tl_agula": 4, "tl_hamin": 4, "tl_molimiao": 3, "tl_khan_mountain": 3,
    "tl_xilamulun_park": 3, "tl_dalelin": 3, "tl_wudantala": 3,
}  # fmt: skip


def test_highlights_are_seeded_with_their_source(engine: Engine) -> None:
    """The guides' counts of the quality rules are seeded, each with its source and
    confidence; every other spot is not a named highlight."""
    with session_scope(engine) as session:
        spots = {s.id: s for s in session.scalars(select(Spot))}
    assert {i: s.highlight for i, s in spots.items() if i in HIGHLIGHTS} == HIGHLIGHTS
    assert all(s.highlight == 0 for i, s in spots.items() if i not in HIGHLIGHTS)
    for spot_id in HIGHLIGHTS:
        assert "highlight=" in spots[spot_id].source, spot_id
        assert "highlight=medium" in spots[spot_id].confidence, spot_id


# Values changed by shared/reference/corrections-2026-12.md, with the source key each needs.
CORRECTED = {
    "cf_asihatu": ("a_level", 5, "china.com.cn"),
    "cf_dalinor": ("a_level", 4, "lianzixina.com"),
    "tl_xilamulun_park": ("a_level", 2, "wenan777.com"),
    "tl_xiaozhuangyuan": ("ticket_cny", 50, "lyswzyy.com"),
    "tl_daqinggou": ("ticket_cny", 50, "16816886.cn"),
    "cf_ulanbutong": ("ticket_cny", 120, "blog.sina.com.cn"),
}
NOT_SOURCES = ("gongweng.com", "bkwk.cn", "zhujihailiang.com", "lornamiserdesigns.com")


def test_corrections_carry_their_source_and_confidence(engine: Engine) -> None:
    """Each corrected value is stored with its source and a confidence for it, A-levels
    resting on a machine-written page are low, and no listed bad page is a source."""
    with session_scope(engine) as session:
        spots = {s.id: s for s in session.scalars(select(Spot))}
        hubs = {h.id: h for h in session.scalars(select(Hub))}
        links = list(session.scalars(select(TransitLink)))
    for spot_id, (field, value, domain) in CORRECTED.items():
        spot = spots[spot_id]
        assert getattr(spot, field) == value, spot_id
        assert domain in spot.source, spot_id
        key = "ticket" if field == "ticket_cny" else field
        assert f"{key}=" in spot.confidence, spot_id
    for spot_id in ("tl_zhurihe", "tl_daqinggou", "tl_agula", "tl_zhalute_grassland"):
        assert "a_level=low" in spots[spot_id].confidence, spot_id
    station = hubs["tl_rail_tongliao"]
    assert (station.lat, station.lon) == (43.6017, 122.2664)
    texts = [r.source for r in [*spots.values(), *hubs.values(), *links]]
    assert not [t for t in texts if any(bad in t for bad in NOT_SOURCES)]
    assert all(s.source and s.confidence for s in spots.values())


def test_the_k2559_train_has_no_invented_departures(engine: Engine) -> None:
    """The one through train found (K2559/K2560, Chifeng South - Tongliao) is stored with an
    estimated duration and no departures; no link claims a high-speed line between the
    cities."""
    with session_scope(engine) as session:
        k = session.get(TransitLink, "x_rail_k2559")
        departures = session.scalars(select(Departure).where(Departure.link_id == k.id)).all()
        cross = session.scalars(
            select(TransitLink).where(TransitLink.mode == "rail", TransitLink.service == "hsr")
        ).all()
    assert (k.mode, k.from_id, k.to_id) == ("rail", "cf_rail_chifeng_south", "tl_rail_tongliao")
    assert "K2559" in k.frequency and k.estimated and k.duration_min
    assert "duration=low (estimate" in k.confidence and "lnd.com.cn" in k.source
    assert departures == []
    assert all(link.from_id[:2] == link.to_id[:2] for link in cross)
