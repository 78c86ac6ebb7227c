"""China's holiday calendar with 调休, 2026 (published notice) and 2027 (statutory)."""

from datetime import date

import pytest

from app.holiday_calendar import DayKind, calendar_day


@pytest.mark.parametrize(
    ("day", "kind"),
    [
        (date(2026, 1, 1), DayKind.public_holiday),
        (date(2026, 1, 4), DayKind.swapped_workday),  # Sunday, works for Fri 2 Jan
        (date(2026, 2, 15), DayKind.public_holiday),  # Sunday, first day of the 9-day break
        (date(2026, 2, 23), DayKind.public_holiday),  # Monday, last day of the break
        (date(2026, 2, 28), DayKind.swapped_workday),
        (date(2026, 5, 9), DayKind.swapped_workday),
        (date(2026, 10, 7), DayKind.public_holiday),
        (date(2026, 10, 10), DayKind.swapped_workday),
        (date(2026, 11, 28), DayKind.weekend),
        (date(2026, 11, 30), DayKind.workday),
        (date(2027, 1, 1), DayKind.public_holiday),
        (date(2027, 10, 1), DayKind.public_holiday),
    ],
)
def test_day_kinds(day: date, kind: DayKind) -> None:
    assert calendar_day(day).kind is kind


def test_swapped_workday_knows_the_weekday_it_pays_for() -> None:
    """Sat 2026-10-10 pays for Wed 2026-10-07."""
    assert calendar_day(date(2026, 10, 10)).works_as_weekday == 2
