"""China's public-holiday calendar with its swapped working days (调休).

A year comes from one of three sources, and says whether it is official:
- `notice`: the State Council's notice for that year, loaded by an admin (API or CLI);
  only its listed dates are holidays and working weekend days (official);
- `package`: the `holidays` package, for the years whose notices it carries (official);
- `rules`: `holidays` for a later year gives the statutory days with rule-guessed
  observed days and no swapped working days (2027 in holidays 0.109) — a projection,
  so the year is `provisional` until its notice is loaded.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from functools import lru_cache

import holidays
from holidays.countries.china import ChinaStaticHolidays

FRIDAY = 4


class DayKind(StrEnum):
    workday = "workday"
    weekend = "weekend"
    public_holiday = "public_holiday"  # a statutory day off, including swapped days off
    swapped_workday = "swapped_workday"  # a Saturday or Sunday declared a working day


class CalendarStatus(StrEnum):
    official = "official"
    provisional = "provisional"


class CalendarSource(StrEnum):
    notice = "notice"
    package = "package"
    rules = "rules"


class NoticeDayKind(StrEnum):
    holiday = "holiday"
    workday = "workday"


@dataclass(frozen=True)
class NoticeDay:
    """One date a State Council notice lists: a day off, or a weekend day worked."""

    date: date
    kind: NoticeDayKind
    name: str


@dataclass(frozen=True)
class CalendarDay:
    date: date
    kind: DayKind
    name: str | None
    status: CalendarStatus
    # On a swapped working day, the weekday whose day off it pays for (0 = Monday); venues
    # that follow the work week open as on that weekday.
    works_as_weekday: int | None = None


# Swapped working days exist only in the notices `holidays` transcribes, so the last year
# with them is the last year it carries officially.
PACKAGE_OFFICIAL_THROUGH = max(ChinaStaticHolidays.special_public_holidays)
_SWAPPED = "调休 working day"


@lru_cache(maxsize=16)
def _china(year: int) -> holidays.HolidayBase:
    return holidays.China(years=year, language="en_US")


def _paid_for(workday: date) -> int:
    """Weekday of the day off that a swapped working day pays for (Friday if unknown)."""
    for entry in ChinaStaticHolidays.special_public_holidays.get(workday.year, ()):
        if len(entry) == 4:
            to_month, to_day, from_month, from_day = entry
            if (from_month, from_day) == (workday.month, workday.day):
                return date(workday.year, to_month, to_day).weekday()
    return FRIDAY


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


def _from_package(day: date, status: CalendarStatus) -> CalendarDay:
    if (name := _listed(day)) is not None:
        return CalendarDay(day, DayKind.public_holiday, name, status)
    if day.weekday() < 5:
        return CalendarDay(day, DayKind.workday, None, status)
    if _is_swapped_workday(day):
        return CalendarDay(day, DayKind.swapped_workday, _SWAPPED, status, _paid_for(day))
    if (name := _holiday_next_to(day)) is not None:
        return CalendarDay(day, DayKind.public_holiday, name, status)
    return CalendarDay(day, DayKind.weekend, None, status)


def _from_notice(day: date, listed: NoticeDay | None) -> CalendarDay:
    official = CalendarStatus.official
    if listed is not None and listed.kind is NoticeDayKind.holiday:
        return CalendarDay(day, DayKind.public_holiday, listed.name, official)
    if day.weekday() < 5:
        return CalendarDay(day, DayKind.workday, None, official)
    if listed is not None:
        # A notice names the working weekend days, not the day off each pays for.
        name = listed.name or _SWAPPED
        return CalendarDay(day, DayKind.swapped_workday, name, official, FRIDAY)
    return CalendarDay(day, DayKind.weekend, None, official)


class HolidayCalendar:
    """Days of China's calendar: from the loaded notices where there is one, else `holidays`."""

    def __init__(self, notices: Mapping[int, Sequence[NoticeDay]] | None = None) -> None:
        self._notices = {year: {d.date: d for d in days} for year, days in (notices or {}).items()}

    def source(self, year: int) -> CalendarSource:
        if year in self._notices:
            return CalendarSource.notice
        if year <= PACKAGE_OFFICIAL_THROUGH:
            return CalendarSource.package
        return CalendarSource.rules

    def status(self, year: int) -> CalendarStatus:
        if self.source(year) is CalendarSource.rules:
            return CalendarStatus.provisional
        return CalendarStatus.official

    def day(self, day: date) -> CalendarDay:
        notice = self._notices.get(day.year)
        if notice is not None:
            return _from_notice(day, notice.get(day))
        return _from_package(day, self.status(day.year))

    def special_days(self, year: int) -> list[NoticeDay]:
        """The year's holidays and swapped working days, in date order, as a notice lists
        them (so a year's days can be edited and loaded back as its notice)."""
        first = date(year, 1, 1)
        out = []
        for n in range((date(year + 1, 1, 1) - first).days):
            day = self.day(first + timedelta(days=n))
            if day.kind is DayKind.public_holiday:
                out.append(NoticeDay(day.date, NoticeDayKind.holiday, day.name or ""))
            elif day.kind is DayKind.swapped_workday:
                out.append(NoticeDay(day.date, NoticeDayKind.workday, day.name or ""))
        return out


def provisional_dates(calendar: HolidayCalendar, dates: Iterable[date]) -> list[date]:
    """The dates (sorted, once each) whose year has no official holiday schedule yet, so a
    plan on them may meet other holidays and working weekends than it assumes."""
    return sorted({d for d in dates if calendar.status(d.year) is CalendarStatus.provisional})
