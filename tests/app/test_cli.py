"""`twinstars` from the command line, against a migrated database file."""

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from app.cli import cli
from app.db import get_engine, make_engine, session_scope
from app.models import AuditEntry, Spot
from app.settings import get_settings
from tests.conftest import api_client


@pytest.fixture
def database_url(empty_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    url = empty_url
    monkeypatch.setenv("DATABASE_URL", url)
    get_settings.cache_clear()
    get_engine.cache_clear()
    yield url
    get_engine().dispose()
    get_settings.cache_clear()
    get_engine.cache_clear()


def spot_count(url: str) -> int:
    engine = make_engine(url)
    with session_scope(engine) as session:
        n = session.scalar(select(func.count()).select_from(Spot))
    engine.dispose()
    return n or 0


def test_seed_then_seed_if_empty(database_url: str) -> None:
    runner = CliRunner()
    first = runner.invoke(cli, ["seed"])
    assert first.exit_code == 0, first.output
    assert "127 rows written" in first.output
    assert spot_count(database_url) == 57
    again = runner.invoke(cli, ["seed", "--if-empty"])
    assert again.exit_code == 0
    assert "skipped" in again.output


async def test_keys_made_and_revoked_on_the_command_line_are_audited(
    database_url: str,
) -> None:
    """The key service audits, so a key from the CLI leaves the same trail as one from the
    API: GET /v1/audit lists its creation and revocation by "cli"."""
    runner = CliRunner()
    made = runner.invoke(cli, ["keys", "create", "--role", "admin", "--name", "ops"])
    assert made.exit_code == 0, made.output
    token = made.stdout.strip().splitlines()[-1]
    other = runner.invoke(cli, ["keys", "create", "--role", "marketer", "--name", "agency"])
    other_id = other.output.split()[1]
    assert runner.invoke(cli, ["keys", "revoke", other_id]).exit_code == 0
    engine = make_engine(database_url)
    async with api_client(engine) as client:
        r = await client.get(
            "/v1/audit", params={"entity": "key"}, headers={"Authorization": f"Bearer {token}"}
        )
    engine.dispose()
    assert r.status_code == 200, r.text
    log = [(e["action"], e["actor"], e["after"].get("name")) for e in r.json()["data"]]
    assert log == [("revoke", "cli", None), ("create", "cli", "agency"), ("create", "cli", "ops")]


def test_invalid_seed_folder_exits_non_zero(database_url: str, tmp_path: Path) -> None:
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "category_defaults.json").write_text(
        '{"opening_hours": [], "ticket_cny": [], "visit_minutes": []}', encoding="utf-8"
    )
    (bad / "cities.json").write_text('[{"id": "X"}]', encoding="utf-8")
    (bad / "links.json").write_text("[]", encoding="utf-8")
    result = CliRunner().invoke(cli, ["seed", "--path", str(bad)])
    assert result.exit_code == 1
    assert "cities.json/0/id" in result.output
    assert spot_count(database_url) == 0


def test_import_places_dry_run_then_apply(database_url: str, tmp_path: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(cli, ["seed"]).exit_code == 0
    csv_file = tmp_path / "spots.csv"
    csv_file.write_text(
        "id,city_id,district_id,name_zh,name_en,lat,lon,categories,visit_minutes,ticket_cny,"
        "ticket_basis,opening_hours,hours_basis\n"
        "cf_cli_spot,chifeng,cf_hongshan,测试,Test,42.3,118.95,park,60,0,published,"
        "09:00-17:00,published\n",
        encoding="utf-8",
    )
    dry = runner.invoke(cli, ["import", "places", "spots", str(csv_file)])
    assert dry.exit_code == 0 and "would be written" in dry.output
    assert spot_count(database_url) == 57
    real = runner.invoke(cli, ["import", "places", "spots", str(csv_file), "--apply"])
    assert real.exit_code == 0 and "written" in real.output
    assert spot_count(database_url) == 58


def test_worker_refuses_to_start_without_redis(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("REDIS_URL", raising=False)
    result = CliRunner().invoke(cli, ["worker"])
    assert result.exit_code == 2
    assert "REDIS_URL" in result.output


def test_holidays_load_then_show(database_url: str, tmp_path: Path) -> None:
    """The CLI loads a notice file (the PUT body), audited as "cli"; `show` prints it."""
    runner = CliRunner()
    before = runner.invoke(cli, ["holidays", "show", "2027"])
    assert before.exit_code == 0 and before.output.startswith("2027: provisional (rules)")
    notice = tmp_path / "2027.json"
    notice.write_text(
        json.dumps(
            {
                "source": "https://www.gov.cn/zhengce/content/2027-holidays.htm",
                "published": "2026-11-20",
                "days": [
                    {"date": "2027-02-14", "kind": "workday"},
                    {"date": "2027-10-05", "kind": "holiday", "name": "国庆节"},
                ],
            }
        ),
        encoding="utf-8",
    )
    loaded = runner.invoke(cli, ["holidays", "load", str(notice)])
    assert loaded.exit_code == 0, loaded.output
    shown = runner.invoke(cli, ["holidays", "show", "2027"])
    assert shown.exit_code == 0
    assert shown.output.splitlines()[0] == "2027: official (notice)"
    assert "2027-02-14\tSun\tworkday\t调休 working day" in shown.output
    assert "2027-10-05\tTue\tholiday\t国庆节" in shown.output
    engine = make_engine(database_url)
    with session_scope(engine) as session:
        row = session.scalars(select(AuditEntry).where(AuditEntry.entity == "holidays")).one()
    engine.dispose()
    assert (row.action, row.actor, row.entity_id, row.key_id) == ("create", "cli", "2027", None)


def test_holidays_load_refuses_a_bad_file(database_url: str, tmp_path: Path) -> None:
    """Each bad field is named with its place in the file, and nothing is loaded."""
    bad = tmp_path / "bad.json"
    bad.write_text(
        '{"source": "https://x.cn/n", "published": "2026-11-20", "days": '
        '[{"date": "2027-02-15", "kind": "workday"}]}',
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, ["holidays", "load", str(bad)])
    assert result.exit_code == 1
    said = " ".join(result.output.split())  # the console wraps long lines
    assert (
        "invalid days/0/kind: 2027-02-15 is a Monday: a swapped working day is a Saturday or "
        "Sunday" in said
    )  # the field's place in the file and the plain message (no "Value error, ")
    shown = CliRunner().invoke(cli, ["holidays", "show", "2027"])
    assert shown.output.startswith("2027: provisional")
