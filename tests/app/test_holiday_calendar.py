"""China's holiday calendar: 2026 from `holidays` (official), 2027 projected from the rules
(provisional), and a year from a loaded notice (official, its dates only)."""

from datetime import date

import pytest

from app.holiday_calendar import (
    PACKAGE_OFFICIAL_THROUGH,
    CalendarSource,
    CalendarStatus,
    DayKind,
    HolidayCalendar,
    NoticeDay,
    NoticeDayKind,
    provisional_dates,
)

PACKAGE = HolidayCalendar()
# A made-up 2027 notice: the real one is not published (corrections-2026-12.md).
NOTICE_2027 = HolidayCalendar(
    {
        2027: [
            NoticeDay(date(2027, 2, 14), NoticeDayKind.workday, ""),
            NoticeDay(date(2027, 10, 5), NoticeDayKind.holiday, "国庆节"),
            NoticeDay(date(2027, 10, 9), NoticeDayKind.workday, "国庆节调休上班"),
        ]
    }
)


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
def test_day_kinds_from_the_package(day: date, kind: DayKind) -> None:
    assert PACKAGE.day(day).kind is kind


def test_swapped_workday_knows_the_weekday_it_pays_for() -> None:
    """Sat 2026-10-10 pays for Wed 2026-10-07."""
    assert PACKAGE.day(date(2026, 10, 10)).works_as_weekday == 2


class TestStatus:
    def test_package_years_are_official(self) -> None:
        """holidays 0.109 carries the State Council notices through 2026."""
        assert PACKAGE_OFFICIAL_THROUGH == 2026
        assert PACKAGE.source(2026) is CalendarSource.package
        assert PACKAGE.day(date(2026, 10, 1)).status is CalendarStatus.official

    def test_2027_without_a_notice_is_provisional(self) -> None:
        """2027's notice is not published: statutory days and guesses, no 调休."""
        assert PACKAGE.source(2027) is CalendarSource.rules
        assert PACKAGE.day(date(2027, 10, 5)).status is CalendarStatus.provisional
        assert PACKAGE.day(date(2027, 2, 14)).kind is DayKind.weekend

    def test_a_loaded_notice_makes_the_year_official(self) -> None:
        assert NOTICE_2027.source(2027) is CalendarSource.notice
        assert NOTICE_2027.status(2027) is CalendarStatus.official
        assert NOTICE_2027.status(2028) is CalendarStatus.provisional


class TestNotice:
    def test_listed_days_only(self) -> None:
        """Only the notice's dates are special: the package's guesses for 2027 are gone."""
        assert NOTICE_2027.day(date(2027, 10, 5)).kind is DayKind.public_holiday
        assert NOTICE_2027.day(date(2027, 10, 5)).name == "国庆节"
        assert NOTICE_2027.day(date(2027, 10, 1)).kind is DayKind.workday  # not listed
        assert NOTICE_2027.day(date(2027, 10, 2)).kind is DayKind.weekend  # not listed

    def test_working_weekend_days(self) -> None:
        """A listed workday on a Sunday is a swapped working day; without the pairing (a
        notice does not give it) it works as a Friday."""
        day = NOTICE_2027.day(date(2027, 2, 14))
        assert (day.kind, day.name, day.works_as_weekday) == (
            DayKind.swapped_workday,
            "调休 working day",
            4,
        )

    def test_other_years_are_untouched(self) -> None:
        assert NOTICE_2027.day(date(2026, 2, 28)).kind is DayKind.swapped_workday

    def test_special_days_read_like_a_notice(self) -> None:
        assert [(d.date, d.kind) for d in NOTICE_2027.special_days(2027)] == [
            (date(2027, 2, 14), NoticeDayKind.workday),
            (date(2027, 10, 5), NoticeDayKind.holiday),
            (date(2027, 10, 9), NoticeDayKind.workday),
        ]
        national_day = [d for d in PACKAGE.special_days(2026) if d.date.month == 10]
        assert [d.date.day for d in national_day] == [1, 2, 3, 4, 5, 6, 7, 10]


def test_provisional_dates() -> None:
    """What a plan over these dates should flag: the 2027 ones, sorted, once each."""
    dates = [date(2027, 1, 2), date(2026, 12, 31), date(2027, 1, 1), date(2027, 1, 1)]
    assert provisional_dates(PACKAGE, dates) == [date(2027, 1, 1), date(2027, 1, 2)]
    assert provisional_dates(NOTICE_2027, dates) == []
