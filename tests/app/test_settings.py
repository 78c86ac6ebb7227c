"""The service's today: China's date, or a pinned one."""

from datetime import UTC, date, datetime

import pytest

from app.settings import today
from tests.conftest import set_today


def test_today_is_the_date_in_china(monkeypatch: pytest.MonkeyPatch) -> None:
    """Unpinned, today is the date in Asia/Shanghai, whatever the server's clock zone."""
    set_today(monkeypatch, None)
    assert today(datetime(2026, 12, 1, 15, 59, tzinfo=UTC)) == date(2026, 12, 1)
    assert today(datetime(2026, 12, 1, 16, 0, tzinfo=UTC)) == date(2026, 12, 2)  # 00:00 +08


def test_twinstars_today_pins_it(monkeypatch: pytest.MonkeyPatch) -> None:
    set_today(monkeypatch, "2027-03-01")
    assert today(datetime(2026, 12, 1, 16, 0, tzinfo=UTC)) == date(2027, 3, 1)
