"""China's public-holiday calendar with its swapped working days (调休), from `holidays`.

`holidays` follows the State Council's yearly notices (2026 is the published schedule);
for a year whose notice the installed release does not carry yet (2027 in holidays
0.109), it gives the statutory holidays with observed-day rules and no swapped working
days. Upgrading the package brings the official schedule.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from functools import lru_cache

import holidays


class DayKind(StrEnum):
    workday = "workday"
    weekend = "weekend"
    public_holiday = "public_holiday"  # a statutory day off, including swapped days off
    swapped_workday = "swapped_workday"  # a Saturday or Sunday declared a working day


@dataclass(frozen=True)
class CalendarDay:
    date: date
    kind: DayKind
    name: str | None
    # On a swapped working day, the weekday whose day off it pays for (0 = Monday); the
    # opening rules of that weekday apply.
    works_as_weekday: int | None = None


@lru_cache(maxsize=16)
def _china(year: int) -> holidays.HolidayBase:
    return holidays.China(years=year, language="en_US")


def _paid_for(year: int, workday: date) -> int | None:
    """Weekday of the day off that a swapped working day pays for, from the notice."""
    static = getattr(holidays.countries.china, "ChinaStaticHolidays", None)
    for entry in getattr(static, "special_public_holidays", {}).get(year, ()):
        if len(entry) == 4:
            to_month, to_day, from_month, from_day = entry
            if (from_month, from_day) == (workday.month, workday.day):
                return date(year, to_month, to_day).weekday()
    return None


def _listed(day: date) -> str | None:
    return _china(day.year).get(day)


def _is_swapped_workday(day: date) -> bool:
    return day in getattr(_china(day.year), "weekend_workdays", set())


def _holiday_next_to(day: date) -> str | None:
    """Name of the holiday a weekend day belongs to: official breaks absorb the weekend
    days next to them (e.g. Sun 2026-10-04 inside National Day, 1-7 Oct)."""
    for step in (-1, 1):
        cur = day + timedelta(days=step)
        while cur.weekday() >= 5 and not _is_swapped_workday(cur) and _listed(cur) is None:
            cur += timedelta(days=step)
        if (name := _listed(cur)) is not None:
            return name
    return None


def calendar_day(day: date) -> CalendarDay:
    if (name := _listed(day)) is not None:
        return CalendarDay(day, DayKind.public_holiday, name)
    if day.weekday() < 5:
        return CalendarDay(day, DayKind.workday, None)
    if _is_swapped_workday(day):
        # Friday when the notice's pairing is not known.
        paid_for = _paid_for(day.year, day)
        return CalendarDay(
            day, DayKind.swapped_workday, "调休 working day", 4 if paid_for is None else paid_for
        )
    if (name := _holiday_next_to(day)) is not None:
        return CalendarDay(day, DayKind.public_holiday, name)
    return CalendarDay(day, DayKind.weekend, None)
